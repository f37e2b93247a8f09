import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../server/db/database.ts';
import { migratePostgres } from '../../server/db/postgres/migrate.ts';
import { quoteIdentifier } from '../../server/db/postgres/pool.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { indexRecommendationsOn } from '../../server/services/recommendationIndex.ts';
import { beforeAllOrFail, freshSchema, PLAN_ROWS, recommendationRow, type TestSchema } from '../helpers/postgres.ts';

/**
 * What SQLite's triggers keep (tags and SDG targets of a changed recommendation, action counts that
 * leave out the bin, a group left with one member, the append-only audit log) is kept the same way
 * on PostgreSQL, where the triggers are functions over jsonb instead of json_each
 * (server/db/migrations/postgres/040_baseline.sql). The same statements run on both engines; what
 * they leave must read the same, and be what the rule says.
 */
let schema: TestSchema;
let pool: ReturnType<TestSchema['pool']>;
let db: Db;

beforeAllOrFail(async () => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  schema = await freshSchema();
  pool = schema.pool();
  await migratePostgres(pool);
  await both(
    PLAN_ROWS +
      ['r1', 'r2', 'r3', 'r4', 'r5'].map((id, i) => recommendationRow(id, `97.${i + 1}`, `Recommendation ${id}`, 'en', { themes: '["Torture"]' })).join('\n'),
  );
  // As the service that inserts recommendations does on SQLite (migration 037): the full-text entry
  // must exist before a trigger removes it. PostgreSQL's search column needs no such step.
  await indexRecommendationsOn(sqliteSql(db), { from: 0, to: 5, importId: null });
});

afterAll(async () => {
  db?.close();
  await schema?.drop();
});

/** Runs `sql` on both engines. */
async function both(sql: string): Promise<void> {
  db.exec(sql);
  await pool.query(sql);
}

/** Rows of `sql` read from both engines; they must be equal. */
async function read(sql: string): Promise<unknown[]> {
  const fromSqlite: unknown[] = db.prepare(sql).all();
  const fromPostgres: unknown[] = (await pool.query(sql)).rows;
  expect(fromPostgres).toEqual(fromSqlite);
  return fromPostgres;
}

const counts = () => read('SELECT id, action_count FROM recommendations ORDER BY id');

describe('the triggers translated to PostgreSQL', () => {
  it('rewrite a recommendation’s tags when its lists change', async () => {
    await both(`UPDATE recommendations SET themes = '["Women","Children",null]', recommending_states = '["France","Germany"]',
      affected_persons = '["Women"]' WHERE id = 'r1'`);
    expect(await read("SELECT kind, value FROM recommendation_tags WHERE recommendation_id = 'r1' ORDER BY kind, value")).toEqual([
      { kind: 'affected', value: 'Women' },
      { kind: 'state', value: 'France' },
      { kind: 'state', value: 'Germany' },
      { kind: 'theme', value: 'Children' },
      { kind: 'theme', value: 'Women' },
    ]);
  });

  it('find Accord’s tables from a session whose search_path does not name them', async () => {
    const table = `${quoteIdentifier(schema.name)}.recommendations`;
    await pool.query(`BEGIN; SET LOCAL search_path TO pg_catalog; UPDATE ${table} SET themes = '["Detention"]' WHERE id = 'r4'; COMMIT;`);
    expect((await pool.query("SELECT kind, value FROM recommendation_tags WHERE recommendation_id = 'r4'")).rows).toEqual([
      { kind: 'theme', value: 'Detention' },
    ]);
  });

  it('index the SDG targets by their leading code, as SQLite reads it', async () => {
    await both(`UPDATE recommendations SET sdg_targets = '["16.3 Promote the rule of law","5.a","16","abc","99","16.3","99999999999999999999999","+7"]' WHERE id = 'r1'`);
    expect(await read("SELECT target, goal FROM recommendation_sdgs WHERE recommendation_id = 'r1' ORDER BY target")).toEqual([
      { target: '+7', goal: 7 },
      { target: '16', goal: 16 },
      { target: '16.3', goal: 16 },
      { target: '5.a', goal: 5 },
    ]);
    expect(await read("SELECT code, goal FROM recommendation_sdg_codes WHERE recommendation_id = 'r1' AND code IN ('abc', '16.3') ORDER BY code, goal")).toEqual([
      { code: '16.3', goal: 16 },
      { code: '16.3', goal: 16 },
      { code: 'abc', goal: 0 },
    ]);
  });

  it('count an action’s links, leaving out actions whose section is in the bin', async () => {
    await both(`INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ('a1', 'r1'), ('a1', 'r2')`);
    expect(await counts()).toEqual([
      { id: 'r1', action_count: 1 },
      { id: 'r2', action_count: 1 },
      { id: 'r3', action_count: 0 },
      { id: 'r4', action_count: 0 },
      { id: 'r5', action_count: 0 },
    ]);
    await both(`UPDATE sections SET deleted_at = '2026-05-05T10:00:00.000Z' WHERE id = 's1'`);
    await both(`INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ('a1', 'r3')`);
    expect((await counts()).map((r) => (r as { action_count: number }).action_count)).toEqual([0, 0, 0, 0, 0]);
    await both(`UPDATE sections SET deleted_at = NULL WHERE id = 's1'`);
    await both(`DELETE FROM action_recommendations WHERE recommendation_id = 'r2'`);
    expect((await counts()).map((r) => (r as { action_count: number }).action_count)).toEqual([1, 0, 1, 0, 0]);
  });

  it('remove a group whose deleted recommendation leaves it one member, and keep a split one', async () => {
    await both(`INSERT INTO recommendation_groups (id, plan_id, status, score, proposed_by, proposed_at)
        VALUES ('g1', 'p1', 'proposed', 0.9, 'u1', '2026-05-05T10:00:00.000Z'), ('g2', 'p1', 'proposed', 0.8, 'u1', '2026-05-05T10:00:00.000Z');
      INSERT INTO recommendation_group_members (group_id, recommendation_id) VALUES ('g1', 'r1'), ('g1', 'r2'), ('g2', 'r3'), ('g2', 'r4'), ('g2', 'r5');`);
    await both(`DELETE FROM recommendations WHERE id = 'r2'`);
    await both(`DELETE FROM recommendations WHERE id = 'r5'`);
    await both(`DELETE FROM recommendation_group_members WHERE recommendation_id = 'r4'`);
    expect(
      await read(`SELECT g.id, count(m.recommendation_id) AS members FROM recommendation_groups g
        LEFT JOIN recommendation_group_members m ON m.group_id = g.id GROUP BY g.id ORDER BY g.id`),
    ).toEqual([{ id: 'g2', members: 1 }]);
  });

  it('keep the audit log append-only', async () => {
    await both(`INSERT INTO audit_log (plan_id, at, actor_name, actor_organisation, action, target_type, summary)
      VALUES ('p1', '2026-05-05T10:00:00.000Z', 'Coordinator', 'Ministry of Justice', 'plan.created', 'plan', 'Created the plan')`);
    for (const sql of [`UPDATE audit_log SET summary = 'Nothing happened'`, 'DELETE FROM audit_log']) {
      expect(() => db.exec(sql)).toThrow(/append-only/);
      await expect(pool.query(sql)).rejects.toThrow(/append-only/);
    }
    await expect(pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect(await read('SELECT action, summary FROM audit_log')).toEqual([{ action: 'plan.created', summary: 'Created the plan' }]);
  });
});
