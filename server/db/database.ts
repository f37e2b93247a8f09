import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRows, col, rowShape } from './rows.ts';

export type Db = Database.Database;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migrations are files named `NNN_description.sql`, applied in order of NNN. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
}

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
  const current = Math.max(0, ...done);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (current > known) {
    throw new Error(
      `The database is at schema version ${current}, newer than this build of Accord knows (${known}). ` +
        'Start a newer build, or restore a backup made for this version.',
    );
  }
  const applied: number[] = [];
  // Every migration not yet recorded, in order (not only those above the highest): a migration
  // that arrived through a merge with a lower number than one already applied still runs.
  for (const m of migrations) {
    if (done.has(m.version)) continue;
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
