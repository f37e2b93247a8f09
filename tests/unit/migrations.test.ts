import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, type Db, type Migration } from '../../server/db/database.ts';

let db: Db;
beforeEach(() => {
  db = new Database(':memory:');
});
afterEach(() => {
  db.close();
});

const versions = (d: Db) =>
  (d.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version);

describe('migrations', () => {
  it('brings a fresh database to every version, and a second run applies nothing', () => {
    const all = loadMigrations().map((m) => m.version);
    expect(all.length).toBeGreaterThan(0);
    expect(migrate(db)).toEqual(all);
    expect(versions(db)).toEqual(all);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['users', 'plans', 'sections', 'documents', 'document_updates', 'invites']));
    expect(migrate(db)).toEqual([]);
    expect(versions(db)).toEqual(all);
  });

  it('applies only newer migrations, and leaves the database unchanged when one fails', () => {
    const custom: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (x INTEGER);' },
    ];
    expect(migrate(db, custom.slice(0, 1))).toEqual([1]);
    expect(migrate(db, custom)).toEqual([2]);
    const broken = [...custom, { version: 3, name: 'broken', sql: 'CREATE TABLE c (x INTEGER); SELECT * FROM missing;' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(versions(db)).toEqual([1, 2]);
    expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'c'").get()).toBeUndefined();
  });

  it('refuses a database at a newer version than the build knows, with a clear message', () => {
    migrate(db, [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (x INTEGER);' },
    ]);
    expect(() => migrate(db, [{ version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' }])).toThrow(
      /schema version 2, newer than this build of Accord knows \(1\)/,
    );
  });
});
