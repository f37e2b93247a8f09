import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, type Db } from '../../server/db/database.ts';

let db: Db;
beforeEach(() => {
  db = new Database(':memory:');
});
afterEach(() => {
  db.close();
});

const insertVersion = (id: string, kind: string) =>
  db
    .prepare(
      `INSERT INTO versions (id, plan_id, section_id, section_title, group_id, name, kind, created_by, created_by_name, created_at,
         content_hash, snapshot, text, actions) VALUES (?, 'plan', 'section', 'Purpose and scope', NULL, 'Sent to the ministries', ?, NULL,
         'Olga Coordinator', '2026-03-02T09:00:00.000Z', 'abc', x'00', 'Article 1.', '[]')`,
    )
    .run(id, kind);

describe('migration 021 (automatic versions)', () => {
  it('keeps every version kept before it, in order, and allows the automatic kind only from then on', () => {
    migrate(db, loadMigrations().filter((m) => m.version < 21));
    // Versions without their plan and users: only the copy of the rows is under test here.
    db.pragma('foreign_keys = OFF');
    insertVersion('v1', 'manual');
    insertVersion('v2', 'restore');
    expect(() => insertVersion('v3', 'automatic')).toThrow(/CHECK constraint/);

    migrate(db);
    const rows = db.prepare('SELECT id, kind, name, created_by_name AS by, actions, edited_by AS editedBy FROM versions ORDER BY rowid').all();
    expect(rows).toEqual([
      { id: 'v1', kind: 'manual', name: 'Sent to the ministries', by: 'Olga Coordinator', actions: '[]', editedBy: null },
      { id: 'v2', kind: 'restore', name: 'Sent to the ministries', by: 'Olga Coordinator', actions: '[]', editedBy: null },
    ]);
    insertVersion('v3', 'automatic');
    expect(() => insertVersion('v4', 'guessed')).toThrow(/CHECK constraint/);
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'versions'").all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
    expect(indexes).toEqual(expect.arrayContaining(['versions_section', 'versions_plan', 'versions_group']));
  });
});
