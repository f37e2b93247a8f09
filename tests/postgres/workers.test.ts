import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../server/config.ts';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { migratePostgres } from '../../server/db/postgres/migrate.ts';
import { postgresSql } from '../../server/db/sql/postgresSql.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { workerDatabaseOf } from '../../server/db/sql/workerDatabase.ts';
import { EventBus } from '../../server/events.ts';
import { ExportJobs } from '../../server/export/jobs.ts';
import { ProgressReports } from '../../server/export/progress/runner.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { previewImportInWorker } from '../../server/services/importPreviewRunner.ts';
import type { ExportFormat } from '../../shared/api/agreement.ts';
import type { ImportPreview } from '../../shared/api/index.ts';
import { appendBlocks, DOC_SCHEMA_VERSION, sectionDocName } from '../../shared/doc/schema.ts';
import { exportText } from '../helpers/exportPlan.ts';
import { eventually } from '../helpers/server.ts';
import { beforeAllOrFail, freshSchema, namedIds, PLAN_ROWS, recommendationRow, type TestSchema } from '../helpers/postgres.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';

/**
 * The worker threads (a plan's export, a round's progress report, an import's preview) read the
 * database the services run on. The same rows are written into a SQLite file and a PostgreSQL
 * schema; each engine's server has its own data folder and SQLite file, as a server whose
 * services run on PostgreSQL keeps one (the documents being edited are there), but the
 * PostgreSQL server's file holds none of the plan. Each worker is started by the runner the route
 * uses, and what it made must be the same on both engines: the HTML and DOCX of the plan, the
 * report's DOCX and PDF, the preview's rows (one an update of a recommendation the plan has, one a
 * reference the plan already uses). A worker reading SQLite's file while the services are on
 * PostgreSQL finds no plan.
 */

const AT = '2026-05-04T10:00:00.000Z';
const EXPORTED_AT = '2027-06-01T10:00:00.000Z';

const ROWS = [
  PLAN_ROWS,
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES ('o2', 'Вясна', 'civil_society', '#222222', '${AT}');`,
  `INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES ('p1', 'u1', 'coordinator', '${AT}');`,
  `INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at) VALUES ('p1', 'o2', 'civil_society', 'u1', '${AT}');`,
  `UPDATE actions SET lead_agency_id = 'o1', end_at = '2027', budget_amount = 25000, currency = 'EUR' WHERE id = 'a1';`,
  `INSERT INTO chapters (id, plan_id, title, position) VALUES ('c2', 'p1', 'Education', 1);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position) VALUES ('s2', 'p1', 'c2', 'Human rights education', 0);`,
  `INSERT INTO actions (id, plan_id, section_id, position, title, status, lead_agency_id, created_by, created_at, updated_at) VALUES
     ('a2', 'p1', 's1', 1, 'Training of judges', 'planned', NULL, 'u1', '${AT}', '${AT}'),
     ('a3', 'p1', 's2', 0, 'Teaching human rights in schools', 'in_progress', 'o1', 'u1', '${AT}', '${AT}');`,
  `INSERT INTO indicators (id, action_id, position, type, description, unit, baseline_value, baseline_year, target_value, target_year, disaggregation,
       created_at, updated_at) VALUES
     ('i1', 'a1', 0, 'outcome', 'Inspections carried out', 'visits', '10', 2025, '40', 2030, '[]', '${AT}', '${AT}'),
     ('i2', 'a3', 0, 'outcome', 'Schools teaching the course', '%', '5', 2025, '80', 2030, '[]', '${AT}', '${AT}');`,
  recommendationRow('r1', '139.1', 'Prevent torture in detention', 'en', { themes: '["Torture","Detention"]' }),
  recommendationRow('r2', '139.2', 'Ratify OP-CAT', 'en', { themes: '["Detention"]' }),
  recommendationRow('r3', '139.3', 'Ввести курс прав человека в школах', 'ru'),
  // The file previewed below brings test:1 again: the preview finds it in the plan.
  `UPDATE recommendations SET source_key = 'test:1' WHERE id = 'r1';`,
  `INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ('a1', 'r2'), ('a1', 'r1'), ('a3', 'r3');`,
  `UPDATE recommendations SET action_count = 1 WHERE id IN ('r1', 'r2', 'r3');`,
  `INSERT INTO reporting_rounds (id, plan_id, name, due_date, state, created_by, created_at) VALUES
     ('round-01', 'p1', '2027', '2027-06-30', 'open', 'u1', '2027-01-10T00:00:00.000Z');`,
  `INSERT INTO progress_reports (id, plan_id, action_id, round_id, state, status, narrative, spent_amount, currency, author_name, author_organisation_id,
       created_at, updated_at, submitted_at) VALUES
     ('rep1', 'p1', 'a1', 'round-01', 'submitted', 'in_progress', 'Twelve visits this year', 1500.5, 'EUR', 'Reporter', 'o1', '${AT}', '${AT}', '2027-04-03T10:00:00.000Z'),
     ('rep2', 'p1', 'a3', 'round-01', 'submitted', 'completed', 'The course is taught', NULL, NULL, 'Reporter', 'o1', '${AT}', '${AT}', '2027-04-04T10:00:00.000Z');`,
  `INSERT INTO observed_values (id, report_id, indicator_id, value, observed_on) VALUES ('v1', 'rep1', 'i1', 22, '2027-03-31'), ('v2', 'rep2', 'i2', 30, '2027-03-01');`,
  `INSERT INTO assessments (id, plan_id, round_id, target_type, target_id, organisation_id, rating, justification, evidence_links, author_name, created_at, updated_at)
     VALUES ('as1', 'p1', 'round-01', 'action', 'a1', 'o2', 'not_implemented', 'Not seen on our visits', '[]', 'Алесь', '${AT}', '2027-05-01T09:00:00.000Z');`,
].join('\n');

/** Section s1's stored text: its document and one update in the log, read by the worker. */
async function storeDocument(q: Sql): Promise<void> {
  const doc = new Y.Doc();
  appendBlocks(doc, [
    { type: 'heading', level: 2, text: 'Inspections' },
    { type: 'paragraph', text: 'Places of detention are inspected without notice.' },
    { type: 'bulletList', items: ['Prisons', 'Police cells'] },
  ]);
  await q.run(sql`INSERT INTO documents (name, schema_version, created_at) VALUES (${sectionDocName('s1')}, ${DOC_SCHEMA_VERSION}, ${AT})`);
  await q.run(sql`INSERT INTO document_updates (document_name, seq, data, created_at) VALUES (${sectionDocName('s1')}, 1, ${Buffer.from(Y.encodeStateAsUpdate(doc))}, ${AT})`);
}

/** One engine's server as the workers' runners see it: its config (data folder, SQLite file), its SQLite connection and the services' Sql. */
interface Server {
  config: Config;
  db: Db;
  sql: Sql;
}

const dirs: string[] = [];
function serverFolder(): { config: Config; db: Db } {
  const dir = mkdtempSync(join(tmpdir(), 'accord-workers-'));
  dirs.push(dir);
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
  return { config, db: openDatabase(config.databaseFile) };
}

let onSqlite: Server | undefined;
let onPostgres: Server | undefined;
let schema: TestSchema | undefined;

beforeAllOrFail(async () => {
  const sqliteServer = serverFolder();
  sqliteServer.db.exec(ROWS);
  onSqlite = { ...sqliteServer, sql: sqliteSql(sqliteServer.db) };
  await storeDocument(onSqlite.sql);
  schema = await freshSchema();
  const pool = schema.pool({ max: 4 });
  await migratePostgres(pool);
  await pool.query(ROWS);
  // Its SQLite file is migrated and empty: the plan is on PostgreSQL only.
  onPostgres = { ...serverFolder(), sql: postgresSql(pool) };
  await storeDocument(onPostgres.sql);
});
afterAll(async () => {
  onSqlite?.db.close();
  onPostgres?.db.close();
  await schema?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const servers = (): [Server, Server] => {
  if (!onSqlite || !onPostgres) throw new Error('The engines are not set up yet');
  return [onSqlite, onPostgres];
};

/** The plan exported by the export worker, as ExportJobs runs it for the route; the file's text. */
async function exported(server: Server, format: ExportFormat): Promise<{ state: string; error: string | null; text: string }> {
  const jobs = new ExportJobs({
    config: server.config,
    db: server.db,
    sql: server.sql,
    events: new EventBus(),
    sync: undefined,
    logger: pino({ level: 'silent' }),
    now: () => Date.parse(EXPORTED_AT),
  });
  try {
    const started = await jobs.start('p1', 'u1', format, 'current', null, null, 'en');
    const job = await jobs.whenFinished(started.id);
    return { state: job.state, error: job.error, text: job.state === 'done' ? await exportText(format as 'html' | 'docx', readFileSync(job.file)) : '' };
  } finally {
    jobs.close();
  }
}

/** The round's progress report made by the report worker, as the route has it made; the file's text. */
async function reported(server: Server, format: 'docx' | 'pdf'): Promise<string> {
  const reports = new ProgressReports(server.config, server.sql);
  const report = await reports.render('u1', { planId: 'p1', roundId: 'round-01', kind: { kind: 'government' }, format, language: 'en', exportedAt: EXPORTED_AT });
  try {
    return await exportText(format, readFileSync(report.file));
  } finally {
    rmSync(report.file, { force: true });
  }
}

/** A file of three recommendations previewed by the import worker, as the route has it previewed. */
async function previewed(server: Server): Promise<ImportPreview> {
  const file = toAccordJson([
    // The plan has test:1 (r1, 139.1): an update.
    sampleRecommendation(1, { reference: '139.1' }),
    // A new one under a reference the plan already uses (r2): refused.
    sampleRecommendation(2, { reference: '139.2' }),
    sampleRecommendation(3),
  ]);
  return previewImportInWorker({
    database: workerDatabaseOf(server.sql, server.config.databaseFile),
    planId: 'p1',
    userId: 'u1',
    filename: 'recommendations.json',
    bytes: new TextEncoder().encode(file),
    defaults: { stateUnderReview: 'BY' },
    store: { put: async () => {}, take: async () => null },
  });
}

describe('the worker threads on both engines', () => {
  it('an export reads the plan where the services keep it: the same HTML and DOCX', async () => {
    const [sqlite, postgres] = servers();
    for (const format of ['html', 'docx'] as const) {
      const [a, b] = [await exported(sqlite, format), await exported(postgres, format)];
      expect(a.state, a.error ?? '').toBe('done');
      expect(b.state, b.error ?? '').toBe('done');
      expect(b.text).toBe(a.text);
      // What only the database holds: the stored text, actions, indicators, recommendations, monitoring.
      for (const seen of ['Places of detention are inspected without notice.', 'Police cells', 'Training of judges', 'Inspections carried out', 'Ratify OP-CAT', 'Ввести курс прав человека в школах']) {
        expect(a.text, `${format}: ${seen}`).toContain(seen);
      }
    }
  });

  it('a progress report reads the round where the services keep it: the same DOCX and PDF text', async () => {
    const [sqlite, postgres] = servers();
    for (const format of ['docx', 'pdf'] as const) {
      const a = await reported(sqlite, format);
      expect(await reported(postgres, format)).toBe(a);
      for (const seen of ['Twelve visits this year', 'Teaching human rights in schools', 'Inspections carried out', 'Not seen on our visits', 'Prevent torture in detention']) {
        expect(a.replace(/\s+/g, ' '), `${format}: ${seen}`).toContain(seen);
      }
    }
  });

  it('an import preview classifies the file against the plan where the services keep it: the same preview', async () => {
    const [sqlite, postgres] = servers();
    const a = await previewed(sqlite);
    const b = await previewed(postgres);
    expect(namedIds(b)).toEqual(namedIds(a));
    expect(a.rows.map((r) => [r.recommendation.sourceKey, r.action, r.reference])).toEqual([
      ['test:1', 'update', '139.1'],
      ['test:3', 'create', 'UPR-S8-001'],
    ]);
    expect(a.rejected.map((r) => [r.row, r.code, r.params])).toEqual([[2, 'reference_taken', { reference: '139.2' }]]);
  });

  it('an export is announced finished only once its row says so, so a page reloading the list on the news finds it done', async () => {
    const [, server] = servers();
    const events = new EventBus();
    const jobs = new ExportJobs({ config: server.config, db: server.db, sql: server.sql, events, sync: undefined, logger: pino({ level: 'silent' }), now: () => Date.parse(EXPORTED_AT) });
    const holder = schema!.pool({ max: 2 });
    const lock = await holder.connect();
    try {
      const heard: string[] = [];
      events.on('plan', (_planId, event) => {
        if (event.type === 'export-progress' && event.state !== 'running') heard.push(event.state);
      });
      const started = await jobs.start('p1', 'u1', 'html', 'current', null, null, 'en');
      // Another connection holds the export's row: recording the end waits for it.
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM exports WHERE id = $1 FOR UPDATE', [started.id]);
      expect((await jobs.whenFinished(started.id)).state).toBe('done');
      const { rows } = await lock.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const held = rows[0]!.pid;
      await eventually(async () => {
        const blocked = await holder.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1::int = ANY (pg_blocking_pids(pid))', [held]);
        expect(blocked.rows[0]!.n).toBe(1);
      });
      // The file is made but the row still says "running": nobody has been told yet.
      expect(heard).toEqual([]);
      await lock.query('COMMIT');
      await eventually(() => expect(heard).toEqual(['done']));
      expect((await jobs.list('p1', 30)).items.find((e) => e.id === started.id)?.state).toBe('done');
    } finally {
      lock.release();
      await holder.end();
      jobs.close();
    }
  });
});

