import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, vi } from 'vitest';
import { migrate, type Db } from '../../server/db/database.ts';
import { col, rowShape } from '../../server/db/rows.ts';
import { migratePostgres } from '../../server/db/postgres/migrate.ts';
import { postgresSql } from '../../server/db/sql/postgresSql.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { createPostgresPool, quoteIdentifier } from '../../server/db/postgres/pool.ts';
import { HttpError } from '../../server/errors.ts';
import type { Principal } from '../../server/auth/sessions.ts';
import type { Role } from '../../shared/api/index.ts';

/** Where the tests find PostgreSQL: TEST_DATABASE_URL, or the machine's own with trust auth. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';

const HOW_TO_START =
  'Run .ci/run (it installs PostgreSQL from Debian when missing, starts it and creates the `test` database), ' +
  'or start a cluster yourself: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start, ' +
  'with trust auth for 127.0.0.1 and a database `test`; or set TEST_DATABASE_URL.';

/** Why PostgreSQL at `url` cannot be used, or null when it answers. */
export async function postgresProblem(url: string): Promise<string | null> {
  const pool = createPostgresPool(url, { max: 1 });
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await pool.end();
  }
}

/** One test's own schema in the test database, created empty and dropped with everything in it. */
/** One statement at TEST_DATABASE_URL on a connection of its own (creating and dropping test schemas); its rows. */
export async function adminQuery<R extends object = Record<string, unknown>>(statement: string, params: unknown[] = []): Promise<R[]> {
  const admin = createPostgresPool(TEST_DATABASE_URL, { max: 1 });
  try {
    return (await admin.query<R>(statement, params)).rows;
  } finally {
    await admin.end();
  }
}

export interface TestSchema {
  name: string;
  /** A new pool working in this schema (each call opens its own connections, like another process). */
  pool(options?: { max?: number }): pg.Pool;
  drop(): Promise<void>;
}

/**
 * A fresh schema with a random name: tests never meet each other's tables, and a test that stops
 * half way leaves nothing others see. Fails, never skips, when PostgreSQL does not answer, saying how
 * to start it.
 */
export async function freshSchema(): Promise<TestSchema> {
  const problem = await postgresProblem(TEST_DATABASE_URL);
  if (problem !== null) {
    throw new Error(`These tests need PostgreSQL: none answers at ${TEST_DATABASE_URL} (${problem}). ${HOW_TO_START}`);
  }
  const name = `accord_test_${randomBytes(6).toString('hex')}`;
  const admin = createPostgresPool(TEST_DATABASE_URL, { max: 1 });
  await admin.query(`CREATE SCHEMA ${quoteIdentifier(name)}`);
  const pools: pg.Pool[] = [];
  return {
    name,
    pool(options = {}) {
      const pool = createPostgresPool(TEST_DATABASE_URL, { schema: name, ...options });
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.filter((p) => !p.ended).map((p) => p.end()));
      await admin.query(`DROP SCHEMA ${quoteIdentifier(name)} CASCADE`);
      await admin.end();
    },
  };
}

/**
 * A beforeAll whose failure fails every test of the file with its error, e.g. "These tests need
 * PostgreSQL…" (vitest would report the tests as skipped, which reads as if nothing were wrong).
 */
export function beforeAllOrFail(setup: () => Promise<void>): void {
  let failure: unknown = null;
  beforeAll(async () => {
    try {
      await setup();
    } catch (error) {
      failure = error;
    }
  });
  beforeEach(() => {
    if (failure !== null) throw failure;
  });
}

/** A server of its own on the schema: one connection, whose backend can be watched (lockedOrSettled). */
export async function serverOf(schema: TestSchema): Promise<{ sql: Sql; pid: number }> {
  const pool = schema.pool({ max: 1 });
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return { sql: postgresSql(pool), pid: rows[0]!.pid };
}

/** Runs `work` in a transaction and keeps it open, uncommitted, until `commit()`. */
export function heldOpen<T>(q: Sql, work: (tx: Sql) => Promise<T>): { done: Promise<T>; ready: Promise<void>; commit(): void } {
  let commit!: () => void;
  let ready!: () => void;
  const gate = new Promise<void>((resolve) => (commit = resolve));
  const reached = new Promise<void>((resolve) => (ready = resolve));
  const done = q.transaction(async (tx) => {
    const answer = await work(tx);
    ready();
    await gate;
    return answer;
  });
  done.catch(() => ready());
  return { done, ready: reached, commit };
}

/**
 * Until backend `pid` waits for a lock another transaction holds (with `holder`, one that backend
 * holds), or `settled` settles without waiting; `watcher` is a connection of its own that asks PostgreSQL.
 */
export async function lockedOrSettled(watcher: pg.Pool, pid: number, settled: Promise<unknown>, holder?: number): Promise<void> {
  let over = false;
  settled.then(
    () => (over = true),
    () => (over = true),
  );
  const until = Date.now() + 10_000;
  while (!over) {
    const { rows } =
      holder === undefined
        ? await watcher.query<{ waits: boolean }>(`SELECT wait_event_type = 'Lock' AS waits FROM pg_stat_activity WHERE pid = $1`, [pid])
        : await watcher.query<{ waits: boolean }>('SELECT $2::int = ANY (pg_blocking_pids($1::int)) AS waits', [pid, holder]);
    if (rows[0]?.waits === true) return;
    if (Date.now() > until) throw new Error(`backend ${pid} neither waited for a lock nor finished`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const AT = '2026-05-04T10:00:00.000Z';

/**
 * An organisation, a person, a plan with one chapter, one section and one action, as plain SQL that
 * runs unchanged on SQLite and PostgreSQL (ids p1, c1, s1, a1; person u1).
 */
export const PLAN_ROWS = `
  INSERT INTO organisations (id, name, side, color, created_at) VALUES ('o1', 'Ministry of Justice', 'government', '#123456', '${AT}');
  INSERT INTO users (id, email, name, password_hash, organisation_id, created_at)
    VALUES ('u1', 'coordinator@example.org', 'Coordinator', 'x', 'o1', '${AT}');
  INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at)
    VALUES ('p1', 'National Human Rights Plan', 'BY', 2026, 2030, 'u1', '${AT}');
  INSERT INTO chapters (id, plan_id, title, position) VALUES ('c1', 'p1', 'Justice', 0);
  INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('s1', 'p1', 'c1', 'Torture prevention', 0);
  INSERT INTO actions (id, plan_id, section_id, position, title, status, created_by, created_at, updated_at)
    VALUES ('a1', 'p1', 's1', 0, 'Independent inspections of places of detention', 'planned', 'u1', '${AT}', '${AT}');
`;

/** A recommendation of plan p1 inserted as the services insert one (SQL for either engine; text is quoted here). */
export function recommendationRow(id: string, reference: string, text: string, language: string, extra: { themes?: string; sdgTargets?: string } = {}): string {
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return `INSERT INTO recommendations (id, plan_id, source_key, reference, sort_key, mechanism, state_under_review, text, language,
      position, themes, sdg_targets, created_at, updated_at)
    VALUES (${q(id)}, 'p1', ${q(`upr:${reference}`)}, ${q(reference)}, ${q(reference)}, 'UPR', 'Belarus', ${q(text)}, ${q(language)},
      'supported', ${q(extra.themes ?? '[]')}, ${q(extra.sdgTargets ?? '[]')}, '${AT}', '${AT}');`;
}

/** The same rows on an in-memory SQLite and a fresh PostgreSQL schema, and a check that both answer alike. */
export interface BothEngines {
  /** The SQLite connection, for reads that still run synchronously on it. */
  readonly db: Db;
  readonly sqlite: Sql;
  readonly postgres: Sql;
  /** Both engines' answers to one read, after checking that they are equal. */
  onBoth<T>(read: (engine: Sql) => Promise<T>): Promise<T>;
  /** A new pool in the PostgreSQL schema: connections of their own, as another process would have. */
  pool(options?: { max?: number }): pg.Pool;
}

/**
 * Writes `rows` (SQL both engines run) into each engine before the file's tests and drops them after:
 * what a service moved to Sql is compared on. SQLite checks foreign keys when `foreignKeys` is set.
 */
export function sameRowsOnBothEngines(rows: string, options: { foreignKeys?: boolean } = {}): BothEngines {
  let db: Db | undefined;
  let schema: TestSchema | undefined;
  let engines: { sqlite: Sql; postgres: Sql } | undefined;
  const ready = () => {
    if (!db || !engines) throw new Error('The engines are not set up yet');
    return { db, ...engines };
  };
  beforeAllOrFail(async () => {
    db = new Database(':memory:');
    if (options.foreignKeys) db.pragma('foreign_keys = ON');
    migrate(db);
    db.exec(rows);
    schema = await freshSchema();
    const pool = schema.pool({ max: 4 });
    await migratePostgres(pool);
    await pool.query(rows);
    engines = { sqlite: sqliteSql(db), postgres: postgresSql(pool) };
  });
  afterAll(async () => {
    db?.close();
    await schema?.drop();
  });
  return {
    get db() {
      return ready().db;
    },
    get sqlite() {
      return ready().sqlite;
    },
    get postgres() {
      return ready().postgres;
    },
    pool(options) {
      if (!schema) throw new Error('The engines are not set up yet');
      return schema.pool(options);
    },
    async onBoth(read) {
      const { sqlite, postgres } = ready();
      const answer = await read(sqlite);
      expect(await read(postgres)).toEqual(answer);
      return answer;
    },
  };
}

/**
 * A value with its random ids (newId: 22 characters of base64url; with `tokens`, also 43: tokens
 * and their hashes) named by order of appearance, so the same steps on both engines compare equal
 * when all else is. An id is also found after a link's `#thread-` or `#action-`. Bytes (a Buffer,
 * `{ type: 'Buffer', data }` by the time JSON sees it) are written as hex.
 */
export function namedIds(value: unknown, options: { tokens?: boolean } = {}): unknown {
  const names = new Map<string, string>();
  const json = JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && 'type' in v && v.type === 'Buffer' && 'data' in v && Array.isArray(v.data) ? Buffer.from(v.data as number[]).toString('hex') : v,
  );
  const ids = options.tokens
    ? /(?<=#thread-|#action-|^|[^A-Za-z0-9_-])(?:[A-Za-z0-9_-]{43}|[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/g
    : /(?<=#thread-|#action-|^|[^A-Za-z0-9_-])[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])/g;
  return JSON.parse(
    json.replace(ids, (id) => {
      if (!names.has(id)) names.set(id, `id${names.size + 1}`);
      return names.get(id)!;
    }),
  ) as unknown;
}

/**
 * The seconds of a scenario played on each engine (with fakeDateForTheFile): every step happens at
 * its own second, the same on both engines, so the rows' times can be compared too. `restart` goes
 * back to the first second before the scenario runs on the next engine.
 */
export function scenarioClock(): { tick(): void; restart(): void } {
  let second = 0;
  return {
    tick: () => vi.setSystemTime(new Date(Date.UTC(2026, 5, 1, 9, 0, second++))),
    restart: () => {
      second = 0;
    },
  };
}

/** The file's clock is the test's to set (vi.setSystemTime), so both engines' rows carry the same times. */
export function fakeDateForTheFile(): void {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterAll(() => {
    vi.useRealTimers();
  });
}

const AuditRow = rowShape({
  id: col.int,
  plan_id: col.text,
  at: col.text,
  actor_id: col.nullableText,
  actor_name: col.text,
  actor_organisation: col.text,
  actor_role: col.nullableText,
  action: col.text,
  target_type: col.text,
  target_id: col.nullableText,
  summary: col.text,
  details: col.text,
});

/** Every audit entry as stored, oldest first: what the comparison tests compare of the audit log. */
export function auditLog(q: Sql) {
  return q.rows(
    AuditRow,
    sql`SELECT id, plan_id, at, actor_id, actor_name, actor_organisation, actor_role, action, target_type, target_id, summary, details FROM audit_log ORDER BY id`,
  );
}

/** What a refused step answered: the status and code people get (or what it answered, when not refused). */
export async function outcome<T, K extends 'message' | 'fields' = never>(
  step: () => Promise<T>,
  also: readonly K[] = [],
): Promise<T | ({ refused: number; code: string } & Pick<{ message: string; fields: unknown }, K>)> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const refused: Record<string, unknown> = { refused: error.status, code: error.code };
    if (also.includes('message' as K)) refused.message = error.message;
    if (also.includes('fields' as K)) refused.fields = error.fields ?? null;
    return refused as { refused: number; code: string } & Pick<{ message: string; fields: unknown }, K>;
  }
}

/** Someone acting in a plan, as the services take them: the same made-up details in every comparison. */
export function testPerson(userId: string, name: string, organisationId: string, organisationName: string, side: Principal['side']): Principal {
  return { userId, name, email: `${userId}@example.org`, language: null, organisationId, organisationName, side, color: '#000000' };
}
export const actingAs = (principal: Principal, role: Role) => ({ principal, role });
