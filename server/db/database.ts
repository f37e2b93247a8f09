import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadMigrations, pendingMigrations } from './migrationFiles.ts';
import { allRows, col, rowShape } from './rows.ts';

export type Db = Database.Database;

// The loader is shared with the PostgreSQL runner (server/db/postgres/migrate.ts).
export { loadMigrations, type Migration } from './migrationFiles.ts';

const VersionRow = rowShape({ version: col.int });

/**
 * Applies every migration newer than the database, each in its own transaction, so a newer build
 * started on an older database brings it up to date and a failed migration leaves it unchanged.
 * Returns the versions applied.
 */
export function migrate(db: Db, migrations = loadMigrations()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done = new Set(
    allRows(db.prepare('SELECT version FROM schema_migrations'), VersionRow).map((r) => r.version),
  );
  const applied: number[] = [];
  for (const m of pendingMigrations(done, migrations)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
    applied.push(m.version);
  }
  return applied;
}

export type Synchronous = 'NORMAL' | 'FULL';

/** Opens (creating if needed) the SQLite database file and brings it to the current schema. */
export function openDatabase(file: string, options: { synchronous?: Synchronous } = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL: readers never block the writer. synchronous=NORMAL: a committed transaction survives a
  // crash or kill of the server process (the bar "Saved" is held to and tested with kill -9);
  // FULL also survives an OS crash or power cut, at the cost of an fsync per transaction
  // (measured in docs/benchmarks.md).
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
