/**
 * Migration 025: versions kept before it under names Accord gave in English get a label, so the
 * browser words those names in the reader's language; a name a person typed keeps no label.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, type Db } from '../../server/db/database.ts';
import { VersionLabelSchema } from '../../shared/api/index.ts';

let db: Db;
beforeEach(() => {
  db = new Database(':memory:');
});
afterEach(() => {
  db.close();
});

const insertVersion = (id: string, kind: string, name: string, extra: { groupId?: string; editedBy?: string } = {}) =>
  db
    .prepare(
      `INSERT INTO versions (id, plan_id, section_id, section_title, group_id, name, kind, created_by, created_by_name, created_at,
         content_hash, snapshot, text, actions, edited_by) VALUES (?, 'plan', 'section', 'Purpose and scope', ?, ?, ?, NULL,
         'Olga Coordinator', '2026-03-02T09:00:00.000Z', 'abc', x'00', 'Article 1.', '[]', ?)`,
    )
    .run(id, extra.groupId ?? null, name, kind, extra.editedBy ?? null);

describe('migration 025 (version labels)', () => {
  it('labels the names Accord gave and leaves typed names alone', () => {
    migrate(db, loadMigrations().filter((m) => m.version < 25));
    db.pragma('foreign_keys = OFF');
    insertVersion('typed', 'manual', 'Sent to the ministries');
    insertVersion('agreed', 'signoff', 'Agreed text');
    insertVersion('auto', 'automatic', 'After edits by Olga Coordinator, Nina Lawyer', { editedBy: '["Olga Coordinator","Nina Lawyer"]' });
    insertVersion('before', 'before_restore', 'Before restoring “Agreed text”');
    insertVersion('restored', 'restore', 'Restored “Sent to the ministries”');
    insertVersion('adopted', 'manual', 'Adopted: Decree No. 12', { groupId: 'group-1' });
    insertVersion('lookalike', 'manual', 'Adopted: our own name', { groupId: 'group-2' });
    db.prepare(
      `INSERT INTO audit_log (plan_id, at, actor_id, actor_name, actor_organisation, actor_role, action, target_type, target_id, summary, details)
       VALUES ('plan', '2026-03-03T09:00:00.000Z', NULL, 'Olga', 'Ministry', 'coordinator', 'plan.adopted', 'plan', 'plan', 'adopted', ?)`,
    ).run(JSON.stringify({ versionGroupId: 'group-1' }));

    migrate(db);
    const labels = Object.fromEntries(
      (db.prepare('SELECT id, label FROM versions').all() as Array<{ id: string; label: string | null }>).map((r) => [r.id, r.label ? JSON.parse(r.label) : null]),
    );
    expect(labels).toEqual({
      typed: null,
      agreed: { key: 'signoff' },
      auto: { key: 'automatic', editors: ['Olga Coordinator', 'Nina Lawyer'] },
      before: { key: 'before_restore', from: { name: 'Agreed text', label: { key: 'signoff' } } },
      restored: { key: 'restored', from: { name: 'Sent to the ministries', label: null } },
      adopted: { key: 'adopted', act: 'Decree No. 12' },
      lookalike: null,
    });
    for (const label of Object.values(labels)) if (label) expect(VersionLabelSchema.safeParse(label).success).toBe(true);
  });
});
