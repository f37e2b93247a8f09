import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../server/db/database.ts';
import { migratePostgres } from '../../server/db/postgres/migrate.ts';
import { col, rowShape } from '../../server/db/rows.ts';
import { postgresSql } from '../../server/db/sql/postgresSql.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { recordAudit } from '../../server/services/audit.ts';
import { planCoverage } from '../../server/services/coverage.ts';
import { notify, onNotified } from '../../server/services/notifications.ts';
import { queryRecommendations } from '../../server/services/recommendationBrowse.ts';
import { RecommendationQuerySchema } from '../../shared/api/index.ts';
import { beforeAllOrFail, freshSchema, PLAN_ROWS, recommendationRow, type TestSchema } from '../helpers/postgres.ts';

/**
 * A service written once against Sql gives the same answers on SQLite and PostgreSQL, and Sql's
 * transactions keep their promises on PostgreSQL: all or nothing, one connection, a snapshot when asked.
 */
let schema: TestSchema;
let pool: ReturnType<TestSchema['pool']>;
let db: Db;
let engines: Record<'sqlite' | 'postgres', Sql>;

const AT = '2026-05-04T10:00:00.000Z';
/** A plan with recommendations of every position, themes and SDGs, a linked action, an indicator and a confirmed group. */
const COVERAGE_ROWS = [
  recommendationRow('r1', '139.1', 'Abolish the death penalty', 'en', { themes: '["Death penalty","Right to life"]', sdgTargets: '["16.1","16.3"]' }),
  recommendationRow('r2', '139.2', 'Ratify OP-CAT', 'en', { themes: '["Torture and other CID treatment"]', sdgTargets: '["16.10"]' }),
  recommendationRow('r3', '139.3', 'Release political prisoners', 'en', { themes: '["Detention","death penalty"]' }),
  recommendationRow('r4', '139.4', 'Ограничить смертную казнь', 'ru', { themes: '["Death penalty"]', sdgTargets: '["5.1"]' }),
  recommendationRow('r5', '139.5', 'Independent judiciary', 'en', { themes: '["Administration of justice"]' }),
  // A new row's tags and SDG goals are written by the service that inserts it (recommendationIndex.ts).
  `INSERT INTO recommendation_tags (recommendation_id, plan_id, kind, value) VALUES
     ('r1', 'p1', 'theme', 'Death penalty'), ('r1', 'p1', 'theme', 'Right to life'), ('r2', 'p1', 'theme', 'Torture and other CID treatment'),
     ('r3', 'p1', 'theme', 'Detention'), ('r3', 'p1', 'theme', 'death penalty'), ('r4', 'p1', 'theme', 'Death penalty'),
     ('r5', 'p1', 'theme', 'Administration of justice');`,
  `INSERT INTO recommendation_sdgs (plan_id, target, goal, recommendation_id) VALUES
     ('p1', '16.1', 16, 'r1'), ('p1', '16.3', 16, 'r1'), ('p1', '16.10', 16, 'r2'), ('p1', '5.1', 5, 'r4');`,
  `UPDATE recommendations SET position = 'supported_in_part' WHERE id = 'r2';`,
  `UPDATE recommendations SET position = 'noted', mechanism = 'CAT' WHERE id = 'r3';`,
  `UPDATE recommendations SET position = 'pending' WHERE id = 'r5';`,
  `INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ('a1', 'r1');`,
  `INSERT INTO actions (id, plan_id, section_id, position, title, status, created_by, created_at, updated_at, lead_agency_id, start_at, end_at)
     VALUES ('a2', 'p1', 's1', 1, 'Training of judges', 'planned', 'u1', '${AT}', '${AT}', 'o1', '2027', '2028');`,
  `INSERT INTO indicators (id, action_id, position, type, description, created_at, updated_at)
     VALUES ('i1', 'a2', 0, 'process', 'Judges trained', '${AT}', '${AT}');`,
  `INSERT INTO recommendation_groups (id, plan_id, status, score, proposed_by, proposed_at, confirmed_by, confirmed_at)
     VALUES ('g1', 'p1', 'confirmed', 0.9, 'u1', '${AT}', 'u1', '${AT}');`,
  `INSERT INTO recommendation_group_members (group_id, recommendation_id) VALUES ('g1', 'r1'), ('g1', 'r4');`,
  `INSERT INTO recommendation_tags (recommendation_id, plan_id, kind, value) VALUES ('r2', 'p1', 'state', 'France'), ('r5', 'p1', 'state', 'Czechia');`,
  `UPDATE recommendations SET date = '2024-05-01' WHERE id = 'r2';`,
  `UPDATE recommendations SET date = '2023-01-01' WHERE id = 'r5';`,
].join('\n');
/** SQLite's full-text index of new rows is written by their service (recommendationIndex.ts); PostgreSQL's is a generated column. */
const SQLITE_FTS = 'INSERT INTO recommendations_fts (rowid, reference, text, themes) SELECT seq, reference, text, themes FROM recommendations;';

beforeAllOrFail(async () => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  db.exec(PLAN_ROWS + COVERAGE_ROWS + SQLITE_FTS);
  schema = await freshSchema();
  pool = schema.pool({ max: 4 });
  await migratePostgres(pool);
  await pool.query(PLAN_ROWS + COVERAGE_ROWS);
  await pool.query('CREATE TABLE t (name TEXT COLLATE "C" PRIMARY KEY)');
  engines = { sqlite: sqliteSql(db), postgres: postgresSql(pool) };
});

afterAll(async () => {
  db?.close();
  await schema?.drop();
});

const Name = rowShape({ name: col.text });

describe('Sql on PostgreSQL', () => {
  it('binds parameters as PostgreSQL numbers them, and checks rows', async () => {
    const q = engines.postgres;
    expect(await q.run(sql`INSERT INTO t (name) VALUES (${'Ірына'}), (${"O'Brien"})`)).toEqual({ changes: 2 });
    expect(await q.row(Name, sql`SELECT name FROM t WHERE name = ${"O'Brien"}`)).toEqual({ name: "O'Brien" });
    await expect(q.theRow(Name, sql`SELECT name FROM t WHERE name = ${'nobody'}`)).rejects.toThrow(/no row/);
    await expect(q.rows(rowShape({ name: col.int }), sql`SELECT name FROM t`)).rejects.toThrow(/not of the expected shape/);
    await q.run(sql`DELETE FROM t`);
  });

  it('commits all of a transaction or none of it, joined transactions included', async () => {
    const q = engines.postgres;
    await q.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO t (name) VALUES (${'a'})`);
      await tx.transaction(async (inner) => inner.run(sql`INSERT INTO t (name) VALUES (${'b'})`));
    });
    await expect(
      q.transaction(async (tx) => {
        await tx.run(sql`INSERT INTO t (name) VALUES (${'c'})`);
        // Real waiting inside a transaction is allowed on PostgreSQL: it holds its own connection.
        await new Promise((resolve) => setTimeout(resolve, 5));
        await tx.transaction(async (inner) => inner.run(sql`INSERT INTO t (name) VALUES (${'d'})`));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await q.rows(Name, sql`SELECT name FROM t ORDER BY name`)).map((r) => r.name)).toEqual(['a', 'b']);
    await q.run(sql`DELETE FROM t`);
  });

  it('runs what waits for the commit once it is visible to others, and nothing of a transaction rolled back', async () => {
    const q = engines.postgres;
    const heard: string[] = [];
    await q.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO t (name) VALUES (${'kept'})`);
      tx.afterCommit(() => heard.push('kept'));
      // Another connection does not see it yet, and nothing was told.
      expect(await q.rows(Name, sql`SELECT name FROM t`)).toEqual([]);
      expect(heard).toEqual([]);
    });
    expect(heard).toEqual(['kept']);
    await expect(
      q.transaction(async (tx) => {
        tx.afterCommit(() => heard.push('lost'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    q.afterCommit(() => heard.push('at once'));
    expect(heard).toEqual(['kept', 'at once']);
    expect(q.source).toBe(pool);
    await q.run(sql`DELETE FROM t`);
  });

  it('writes audit entries and notices alike on both engines, and tells listeners of a notice after its commit', async () => {
    for (const engine of ['sqlite', 'postgres'] as const) {
      const q = engines[engine];
      const heard: string[] = [];
      const stop = onNotified(q, (id) => heard.push(id));
      const written = await q.transaction(async (tx) => {
        const first = await recordAudit(tx, {
          planId: 'p1',
          actor: null,
          role: null,
          action: 'plan.published',
          targetType: 'plan',
          targetId: 'p1',
          summary: 'Accord renamed the plan',
          details: { title: 'Plan' },
        });
        const second = await recordAudit(tx, { planId: 'p1', actor: null, role: null, action: 'plan.published', targetType: 'plan', targetId: 'p1', summary: 'again' });
        const notice = await notify(tx, {
          userId: 'u1',
          planId: 'p1',
          kind: 'mention',
          summary: 'Someone mentioned you',
          text: { key: 'mention', params: { who: 'Carl', organisation: 'UN', title: 'Plan', excerpt: 'point' } },
          link: null,
        });
        expect(heard).toEqual([]);
        return { first, second, notice };
      });
      stop();
      expect(heard, engine).toEqual([written.notice]);
      expect(written.second, engine).toBe(written.first + 1);
      const entry = await q.theRow(
        rowShape({ actorName: col.text, action: col.text, details: col.text }),
        sql`SELECT actor_name AS "actorName", action, details FROM audit_log WHERE id = ${written.first}`,
      );
      expect(entry, engine).toEqual({ actorName: 'Accord', action: 'plan.published', details: '{"title":"Plan"}' });
      const notice = await q.theRow(rowShape({ kind: col.text, text: col.text }), sql`SELECT kind, text FROM notifications WHERE id = ${written.notice}`);
      expect(JSON.parse(notice.text), engine).toMatchObject({ key: 'mention' });
    }
  });

  it('reads from one moment in a snapshot transaction, while others commit', async () => {
    const q = engines.postgres;
    const Count = rowShape({ n: col.int });
    const counts = await q.transaction(
      async (tx) => {
        const before = (await tx.theRow(Count, sql`SELECT count(*) AS n FROM t`)).n;
        await engines.postgres.run(sql`INSERT INTO t (name) VALUES (${'committed meanwhile'})`);
        const after = (await tx.theRow(Count, sql`SELECT count(*) AS n FROM t`)).n;
        return { before, after };
      },
      { snapshot: true },
    );
    expect(counts).toEqual({ before: 0, after: 0 });
    expect((await q.theRow(rowShape({ n: col.int }), sql`SELECT count(*) AS n FROM t`)).n).toBe(1);
    await q.run(sql`DELETE FROM t`);
  });
});

describe('a service moved to Sql', () => {
  it('gives the same coverage on both engines', async () => {
    const sqlite = await planCoverage(engines.sqlite, 'p1');
    const postgres = await planCoverage(engines.postgres, 'p1');
    expect(postgres).toEqual(sqlite);
    // And the answer is the plan's, not two equal wrong ones.
    expect(sqlite.totals).toEqual({ recommendations: 5, addressed: 1, supported: 3, supportedAddressed: 1 });
    expect(sqlite.asks).toEqual({ total: 4, addressed: 1, supported: 2, supportedAddressed: 1, confirmedGroups: 1 });
    expect(sqlite.byTheme.map((b) => b.key)).toEqual(['Administration of justice', 'Death penalty', 'death penalty', 'Detention', 'Right to life', 'Torture and other CID treatment']);
    expect(sqlite.bySdg.map((b) => [b.key, b.total])).toEqual([['5', 1], ['16', 2]]);
    expect(sqlite.weakActions).toEqual([{ actionId: 'a1', sectionId: 's1', title: 'Independent inspections of places of detention', problems: ['no_indicator', 'no_lead_agency', 'no_timeline'] }]);
    expect(sqlite.unaddressedSupported.map((r) => r.id)).toEqual(['r2', 'r4']);
  });
});

describe('browsing recommendations on both engines', () => {
  const page = (engine: Sql, q: Record<string, unknown>) => queryRecommendations(engine, 'p1', RecommendationQuerySchema.parse(q));
  const ids = async (engine: Sql, q: Record<string, unknown>) => (await page(engine, q)).items.map((r) => r.id);

  it.each([
    [{}, ['r1', 'r2', 'r3', 'r4', 'r5']],
    [{ theme: 'Death penalty' }, ['r1', 'r4']],
    [{ mechanism: 'CAT' }, ['r3']],
    [{ position: 'noted' }, ['r3']],
    [{ sdg: '16' }, ['r1', 'r2']],
    [{ sdg: '16.10' }, ['r2']],
    [{ unaddressed: 'true' }, ['r2', 'r3', 'r4', 'r5']],
    [{ state: 'France' }, ['r2']],
    // Undated first ascending, last descending, on both engines.
    [{ sort: 'date' }, ['r1', 'r3', 'r4', 'r5', 'r2']],
    [{ sort: 'date', order: 'desc' }, ['r2', 'r5', 'r4', 'r3', 'r1']],
    [{ sort: 'position' }, ['r1', 'r4', 'r2', 'r3', 'r5']],
    [{ limit: '2', offset: '2' }, ['r3', 'r4']],
    // The list for a section: what its actions cite, then what matches its title ("Torture prevention").
    [{ section: 's1', sort: 'relevance' }, ['r1', 'r2', 'r3', 'r4', 'r5']],
    [{ section: 's1', sort: 'relevance', theme: 'Torture and other CID treatment' }, ['r2']],
  ])('gives the same page for %j', async (q, expected) => {
    const sqlite = await page(engines.sqlite, q);
    expect(sqlite.items.map((r) => r.id)).toEqual(expected);
    expect(await page(engines.postgres, q)).toEqual(sqlite);
  });

  it.each([
    // r4 is in Russian, with the theme "Death penalty": themes are searched too.
    ['death pen', ['r1', 'r3', 'r4']],
    ['смертн', ['r4']],
    ['139.2', ['r2']],
    // A recommending State by the start of its name, beside the rows whose words match.
    ['fra', ['r2']],
    ['czech', ['r5']],
    // Nothing searchable: the whole list.
    ['"', ['r1', 'r2', 'r3', 'r4', 'r5']],
    ["o'brien (NEAR -x", []],
  ])('finds the same rows for the search %j', async (typed, expected) => {
    const found = async (engine: Sql) => (await ids(engine, { q: typed, sort: 'relevance' })).sort();
    expect(await found(engines.sqlite)).toEqual(expected);
    expect(await found(engines.postgres)).toEqual(expected);
    expect((await page(engines.postgres, { q: typed })).total).toBe(expected.length);
  });

  it('ranks a row whose text and themes match above rows whose themes alone do, on both', async () => {
    for (const engine of [engines.sqlite, engines.postgres]) {
      const found = await ids(engine, { q: 'death', sort: 'relevance' });
      expect(found[0], engine.engine).toBe('r1');
      expect(found.slice(1).sort(), engine.engine).toEqual(['r3', 'r4']);
    }
  });
});
