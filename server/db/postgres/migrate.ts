import type pg from 'pg';
import { z } from 'zod';
import {
  loadMigrations,
  pendingMigrations,
  POSTGRES_BASELINE,
  POSTGRES_MIGRATIONS_DIR,
  type Migration,
} from '../migrationFiles.ts';

/**
 * PostgreSQL's migrations: the baseline (`040_baseline.sql`, SQLite's schema after 001–040) and every
 * later one. Nothing may be numbered below the baseline: the baseline already holds what such a
 * file would change, and on an empty database it would run before the tables it needs exist.
 */
export function loadPostgresMigrations(dir = POSTGRES_MIGRATIONS_DIR): Migration[] {
  return startingFromBaseline(loadMigrations(dir), dir);
}

/** `migrations` when the first is the baseline; otherwise an error saying what was found in `where`. */
export function startingFromBaseline(migrations: Migration[], where: string): Migration[] {
  const first = migrations[0];
  if (first === undefined || first.version !== POSTGRES_BASELINE || first.name !== 'baseline') {
    const found = first === undefined ? 'nothing' : `${String(first.version).padStart(3, '0')}_${first.name}.sql`;
    throw new Error(
      `PostgreSQL's migrations must begin with ${String(POSTGRES_BASELINE).padStart(3, '0')}_baseline.sql (found ${found} first in ${where}). ` +
        `A change after the baseline takes the next number, in both engines' folders.`,
    );
  }
  return migrations;
}

const Versions = z.array(z.object({ version: z.number().int() }));

/** The lock processes take turns by: one per schema, so schemas of one database migrate independently. */
const LOCK_KEY = `hashtextextended('accord schema migrations ' || current_schema(), 0)`;

async function applyPending(client: pg.PoolClient, migrations: readonly Migration[]): Promise<number[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY, name TEXT COLLATE "C" NOT NULL, applied_at TEXT COLLATE "C" NOT NULL)`);
  const recorded = await client.query('SELECT version::integer AS version FROM schema_migrations');
  const done = new Set(Versions.parse(recorded.rows).map((r) => r.version));
  const applied: number[] = [];
  for (const m of pendingMigrations(done, migrations)) {
    await client.query('BEGIN');
    try {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
      await client.query('COMMIT');
    } catch (error) {
      // Should the rollback fail too, the connection is closed by the caller, which also undoes the
      // transaction; the migration's own error is the one worth reading.
      await client.query('ROLLBACK').catch(() => undefined);
      throw new Error(`PostgreSQL migration ${m.version} (${m.name}) failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    applied.push(m.version);
  }
  return applied;
}

/**
 * Brings the database (the schema first on the connection's search_path) to the current schema, by
 * the SQLite runner's rules: each migration in its own transaction, so one that fails leaves
 * nothing half done; a database newer than this build is refused; every unrecorded migration runs,
 * in order. Returns the versions applied.
 *
 * Several Accord processes may start at once against one database. They take turns through a
 * session advisory lock, named after the schema, held from reading what is applied to the last
 * commit: the second process waits, then finds everything recorded and applies nothing. The lock
 * is held by one connection of the pool for the whole run, and goes with that connection should the
 * process die, so a crashed start never leaves the others waiting.
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly Migration[] = loadPostgresMigrations()): Promise<number[]> {
  const client = await pool.connect();
  let applied: number[];
  try {
    await client.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
    applied = await applyPending(client, migrations);
    await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
  } catch (error) {
    // The connection is closed, not given back to the pool: closing it ends its session and so
    // the lock, whether or not the failure left it held.
    client.release(true);
    throw error;
  }
  client.release();
  return applied;
}
