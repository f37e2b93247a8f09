import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../server/db/database.ts';
import { migratePostgres } from '../../server/db/postgres/migrate.ts';
import { col, rowShape } from '../../server/db/rows.ts';
import { beforeAllOrFail, freshSchema, PLAN_ROWS, type TestSchema } from '../helpers/postgres.ts';

/**
 * A row written the same way reads back the same from either engine, so the row shapes of
 * server/db/rows.ts hold for both: integers (also beyond 2^31) as numbers, 0/1 booleans, reals,
 * bytes, JSON and ISO timestamps as text, NULLs.
 */
let schema: TestSchema;
let pool: ReturnType<TestSchema['pool']>;
let db: Db;

const UPDATE_BYTES = "X'0102ff00'";
const ROWS = `
  INSERT INTO documents (name, schema_version, created_at) VALUES ('section:s1', 3, '2026-05-04T10:00:00.000Z');
  INSERT INTO document_updates (document_name, seq, data, created_at) VALUES ('section:s1', 1, ${UPDATE_BYTES}, '2026-05-04T10:00:01.000Z');
  INSERT INTO document_clients (document_name, client_id, user_id) VALUES ('section:s1', 4294967295, 'u1');
  INSERT INTO import_previews (id, kind, plan_id, user_id, expires_at, body, write_order)
    VALUES ('pv1', 'recommendations', 'p1', 'u1', 1796577807143, '{"rows":[]}', NULL);
  UPDATE sections SET deleted_with_chapter = 1 WHERE id = 's1';
  UPDATE actions SET budget_amount = 125000.5, currency = 'EUR' WHERE id = 'a1';
`;

beforeAllOrFail(async () => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  db.exec(PLAN_ROWS + ROWS);
  schema = await freshSchema();
  pool = schema.pool();
  await migratePostgres(pool);
  // PostgreSQL spells a byte string literal differently; everything else is the same SQL.
  await pool.query(PLAN_ROWS + ROWS.replace(UPDATE_BYTES, "'\\x0102ff00'::bytea"));
});

afterAll(async () => {
  db?.close();
  await schema?.drop();
});

async function bothRead(sql: string): Promise<{ sqlite: unknown[]; postgres: unknown[] }> {
  return { sqlite: db.prepare(sql).all(), postgres: (await pool.query(sql)).rows };
}

describe('rows read from PostgreSQL', () => {
  it.each([
    'SELECT * FROM document_updates',
    'SELECT * FROM document_clients',
    'SELECT * FROM import_previews',
    'SELECT * FROM sections',
    'SELECT * FROM actions',
    'SELECT * FROM plans',
    // Aggregates: count(*) is BIGINT and sum() of one NUMERIC on PostgreSQL, integers on SQLite.
    'SELECT count(*) AS n, sum(s.position) AS total, sum(a.budget_amount) AS budget, avg(s.deleted_with_chapter) AS share FROM sections s, actions a',
  ])('equal SQLite’s: %s', async (sql) => {
    const { sqlite, postgres } = await bothRead(sql);
    expect(sqlite.length).toBe(1);
    expect(postgres).toEqual(sqlite);
  });

  it('pass the row shapes the services use', async () => {
    const Update = rowShape({ seq: col.int, data: col.blob, created_at: col.text });
    const Section = rowShape({ deleted_with_chapter: col.bool, deleted_at: col.nullableText, position: col.int });
    const Action = rowShape({ budget_amount: col.nullableNum, currency: col.nullableText });
    const Preview = rowShape({ expires_at: col.int });
    const [update] = (await pool.query('SELECT seq, data, created_at FROM document_updates')).rows;
    expect(Update.parse(update)).toEqual({ seq: 1, data: Buffer.from([1, 2, 255, 0]), created_at: '2026-05-04T10:00:01.000Z' });
    expect(Section.parse((await pool.query('SELECT * FROM sections')).rows[0])).toEqual({ deleted_with_chapter: true, deleted_at: null, position: 0 });
    expect(Action.parse((await pool.query('SELECT * FROM actions')).rows[0])).toEqual({ budget_amount: 125000.5, currency: 'EUR' });
    expect(Preview.parse((await pool.query('SELECT * FROM import_previews')).rows[0])).toEqual({ expires_at: 1796577807143 });
  });
});
