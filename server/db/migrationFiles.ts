import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The hand-written migrations of both engines: SQLite's in server/db/migrations/, PostgreSQL's in
 * server/db/migrations/postgres/ (docs/decisions/0011-data-layer.md). Both runners read their
 * folder through `loadMigrations`, so a file counts as a migration by the same rule on both.
 */
export const SQLITE_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
export const POSTGRES_MIGRATIONS_DIR = join(SQLITE_MIGRATIONS_DIR, 'postgres');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migrations are files named `NNN_description.sql`, applied in order of NNN. */
export function loadMigrations(dir = SQLITE_MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
}

/**
 * The version PostgreSQL's schema starts from: its folder opens with one `NNN_baseline.sql` equal to
 * SQLite's schema after migrations 1…NNN, because no PostgreSQL database existed before it.
 */
export const POSTGRES_BASELINE = 40;

/**
 * Migrations numbered above the baseline that only one engine has. From the baseline on, a change
 * of schema is written for both engines under the same number; a migration on one side only would
 * leave the two schemas apart without anything saying so.
 */
export function unpairedMigrations(
  sqlite: readonly Migration[],
  postgres: readonly Migration[],
  baseline = POSTGRES_BASELINE,
): { sqliteOnly: Migration[]; postgresOnly: Migration[] } {
  const pgVersions = new Set(postgres.map((m) => m.version));
  const sqliteVersions = new Set(sqlite.map((m) => m.version));
  return {
    sqliteOnly: sqlite.filter((m) => m.version > baseline && !pgVersions.has(m.version)),
    postgresOnly: postgres.filter((m) => m.version > baseline && !sqliteVersions.has(m.version)),
  };
}

/**
 * The migrations a database that has recorded `done` still needs, in order: every one not yet
 * recorded (not only those above the highest: a migration that arrived through a merge with a
 * lower number than one already applied still runs). Refuses a database newer than this build:
 * running an older build on it could write rows the newer schema does not expect.
 * The rule both runners follow (server/db/database.ts, server/db/postgres/migrate.ts).
 */
export function pendingMigrations(done: ReadonlySet<number>, migrations: readonly Migration[]): Migration[] {
  const current = Math.max(0, ...done);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (current > known) {
    throw new Error(
      `The database is at schema version ${current}, newer than this build of Accord knows (${known}). ` +
        'Start a newer build, or restore a backup made for this version.',
    );
  }
  return migrations.filter((m) => !done.has(m.version));
}
