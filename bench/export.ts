/**
 * Export benchmark: a generated plan of 200 sections, 1,000 actions and 2,000 recommendations
 * (written directly through the services into a temporary database, by a child process of its
 * own), exported in every format through the real job machinery (worker thread with the
 * configured heap limit, read-only connection), against a baseline of the same plan at a tenth of
 * the size. Every export runs in a fresh child process that opens the database as the server does;
 * it reports wall time, the worker's heap/RSS at the end, its resident set when idle (after GC) and
 * the peak resident set of the whole process during the export (VmHWM, reset after the idle
 * reading): the memory an export costs a server is the peak minus the idle.
 *
 * `generateExportPlan` is also used by tests/integration/export-jobs.test.ts and export-fairness.test.ts.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../server/config.ts';
import { openDatabase, type Db } from '../server/db/database.ts';
import { sqliteSql } from '../server/db/sql/sqliteSql.ts';
import type { Sql } from '../server/db/sql/Sql.ts';
import { EventBus } from '../server/events.ts';
import { ExportJobs } from '../server/export/jobs.ts';
import { createOrganisation, createUser } from '../server/services/accounts.ts';
import { createAction } from '../server/services/actions.ts';
import { addIndicator } from '../server/services/indicators.ts';
import { principalOf } from '../server/services/audit.ts';
import { addPlanOrganisation } from '../server/services/planOrganisations.ts';
import { addChapter, addSection, createPlan } from '../server/services/plans.ts';
import { insertRecommendation } from '../server/services/recommendations.ts';
import { appendBlocks } from '../shared/doc/schema.ts';
import type { ExportFormat } from '../shared/api/agreement.ts';

const WORDS = 'право свобода суд закон justice freedom assembly association expression detention torture moratorium journalist defender disability'.split(' ');
const sentence = (seed: number, n: number) => Array.from({ length: n }, (_, i) => WORDS[(seed * 7 + i * 3) % WORDS.length]).join(' ') + '.';

export interface GeneratedPlan {
  planId: string;
  userId: string;
  sectionIds: string[];
  /** Characters of section text written (paragraphs and lists). */
  characters: number;
}

/** Writes a plan of `sections` sections, `actionsPerSection` actions each and `recommendations` recommendations. */
export async function generateExportPlan(
  database: Db | Sql,
  opts: { sections: number; actionsPerSection: number; recommendations: number; paragraphs?: number; userId?: string },
): Promise<GeneratedPlan> {
  // A SQLite connection (benches) or the server's Sql on either engine (tests, TEST_ENGINE).
  const q = 'engine' in database ? database : sqliteSql(database);
  const tag = Math.random().toString(36).slice(2, 8);
  let userId = opts.userId;
  if (!userId) {
    const org = await createOrganisation(q, { name: `Ministry of Foreign Affairs ${tag}`, side: 'government' });
    userId = (await createUser(q, { name: 'Bench Coordinator', email: `bench-${tag}@example.org`, passwordHash: 'x', organisationId: org.id })).id;
  }
  const planId = await createPlan(q, userId, { title: `Национальный план по правам человека ${tag}`, country: 'Belarus', periodStart: 2026, periodEnd: 2030 }, 'empty');
  // Everything below is on the record in the coordinator's name, as through the API.
  const who = { principal: (await principalOf(q, userId))!, role: 'coordinator' as const };
  const orgs: string[] = [];
  for (let i = 0; i < 20; i++) {
    const input = { name: `${i % 2 ? 'Грамадская арганізацыя' : 'Ministry'} ${tag} ${i}`, side: i % 2 ? ('civil_society' as const) : ('government' as const) };
    orgs.push((await addPlanOrganisation(q, planId, who, input)).organisation.id);
  }
  const recIds: string[] = [];
  await q.transaction(async (tx) => {
    for (let i = 0; i < opts.recommendations; i++) {
      const reference = `BLR-C1-${97 + (i % 3)}.${i}`;
      recIds.push(
        await insertRecommendation(
          tx,
          planId,
          {
            sourceKey: `bench:${i}`,
            reference,
            mechanism: 'UPR',
            documentSymbol: 'A/HRC/15/16',
            paragraph: `${97 + (i % 3)}.${i}`,
            cycle: 1,
            session: '8',
            date: '2010-05-12',
            stateUnderReview: 'Belarus',
            recommendingStates: ['France', 'Germany'].slice(0, 1 + (i % 2)),
            text: `${sentence(i, 40)} ${sentence(i + 1, 30)}`,
            language: 'en',
            position: (['supported', 'supported_in_part', 'noted', 'pending'] as const)[i % 4]!,
            kind: 'recommendation',
            positionSource: null,
            themes: ['Death penalty'],
            affectedPersons: [],
            sdgTargets: [],
            actionCategory: null,
            notes: null,
          },
        ),
      );
    }
  });
  const sectionIds: string[] = [];
  const chapters = Math.max(1, Math.round(opts.sections / 10));
  const chapterIds: string[] = [];
  for (let i = 0; i < chapters; i++) chapterIds.push(await addChapter(q, planId, `Глава ${i + 1}: ${sentence(i, 4)}`));
  let a = 0;
  let characters = 0;
  for (let s = 0; s < opts.sections; s++) {
    const paragraphs = Array.from({ length: opts.paragraphs ?? 12 }, (_, p) => `${sentence(s + p, 60)} ${sentence(p, 40)}`);
    const items = [sentence(s, 8), sentence(s + 1, 8), sentence(s + 2, 8)];
    characters += [...paragraphs, ...items].reduce((n, t) => n + t.length, 0);
    const sectionId = await addSection(q, planId, chapterIds[s % chapters]!, `Section ${s + 1} ${sentence(s, 3)}`, (doc) =>
      appendBlocks(doc, [
        { type: 'heading', level: 2, text: `Situation analysis ${s + 1}` },
        ...paragraphs.map((text) => ({ type: 'paragraph' as const, text })),
        { type: 'bulletList', items },
      ]),
    );
    sectionIds.push(sectionId);
    await q.transaction(async (tx) => {
      for (let k = 0; k < opts.actionsPerSection; k++, a++) {
        const action = await createAction(tx, planId, sectionId, who, {
          title: `Action ${a + 1}: ${sentence(a, 6)}`,
          description: sentence(a, 30),
          leadAgencyId: orgs[a % orgs.length]!,
          coImplementerIds: [orgs[(a + 2) % orgs.length]!],
          civilSocietyPartnerIds: [orgs[(a + 1) % orgs.length]!],
          start: '2027',
          end: '2028-Q4',
          status: 'planned',
          budgetAmount: 10_000 + a,
          currency: 'BYN',
          fundingSource: 'State budget',
          recommendationIds: recIds.length ? [recIds[(a * 2) % recIds.length]!, recIds[(a * 2 + 1) % recIds.length]!] : [],
        });
        for (const type of ['structural', 'outcome'] as const) {
          await addIndicator(tx, planId, action.id, who, {
            type,
            description: sentence(a, 10),
            unit: 'cases',
            baselineValue: String(a % 7),
            baselineYear: 2024,
            targetValue: '0',
            targetYear: 2030,
            dataSource: 'Ministry statistics',
            frequency: 'yearly',
            disaggregation: [],
            proposedByOrganisationId: null,
          });
        }
      }
    });
  }
  return { planId, userId, sectionIds, characters };
}

const FORMATS: ExportFormat[] = ['docx', 'pdf', 'html', 'md', 'matrix-csv', 'matrix-xlsx', 'matrix-tables-xlsx', 'matrix-tables-zip'];

export interface ExportBenchRow {
  format: ExportFormat;
  sections: number;
  /** Which run of this format and size (1-based). */
  run: number;
  ms: number;
  fileMB: number;
  workerHeapMB: number;
  workerRssMB: number;
  /** Resident set of the exporting process before the export: database open, export code loaded, after GC. */
  idleRssMB: number;
  /** Peak resident set of the whole process during the export (main + worker threads share it). */
  peakRssMB: number;
}

const MB = (b: number) => b / 2 ** 20;
const statusKB = (field: string) => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : NaN;
};
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** Writes the plan into a fresh data directory (in a child of its own, so its memory is gone before any export). */
async function generateInDir(dataDir: string, sections: number): Promise<{ planId: string; userId: string }> {
  const child = fork(fileURLToPath(import.meta.url), ['--generate', dataDir, String(sections)], { execArgv: ['--import', 'tsx'], stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  let result: { planId: string; userId: string } | { error: string } | null = null;
  child.on('message', (m: typeof result) => (result = m));
  await once(child, 'exit');
  const r = result as { planId: string; userId: string } | { error: string } | null;
  if (!r || 'error' in r) throw new Error(`export bench: generating ${sections} sections: ${r ? r.error : 'no result'}`);
  return r;
}

/**
 * One export in this process (a child): open the database as the server does, measure the idle
 * resident set, then export and take the peak (VmHWM, reset after the idle reading).
 */
async function runOne(format: ExportFormat, dataDir: string, planId: string, userId: string): Promise<Omit<ExportBenchRow, 'sections' | 'run'>> {
  // The server's EXPORT_* limits apply as configured (e.g. EXPORT_WORKER_OLD_GENERATION_MB=256 npm run bench export).
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const db = openDatabase(config.databaseFile);
  const jobs = new ExportJobs({ config, db, sql: sqliteSql(db), events: new EventBus(), sync: undefined, logger: pino({ level: 'silent' }) });
  gc();
  gc();
  // Writing 5 to clear_refs resets VmHWM to the current resident set, so the peak is this export's.
  writeFileSync('/proc/self/clear_refs', '5');
  const idleRssMB = MB(process.memoryUsage().rss);
  const started = performance.now();
  const job = await jobs.start(planId, userId, format, 'current');
  const done = await jobs.whenFinished(job.id);
  const ms = performance.now() - started;
  if (done.state !== 'done') throw new Error(`${format}: ${done.error}`);
  const row = {
    format,
    ms,
    fileMB: MB(statSync(done.file).size),
    workerHeapMB: MB(done.memory?.heapUsed ?? NaN),
    workerRssMB: MB(done.memory?.rss ?? NaN),
    idleRssMB,
    peakRssMB: statusKB('VmHWM') / 1024,
  };
  jobs.close();
  db.close();
  return row;
}

/** Every format (or those given) of a generated plan at each size, `repeats` times each, every export in its own process. */
export async function runExportBench(sizes = [20, 200], formats = FORMATS, repeats = 1): Promise<ExportBenchRow[]> {
  const rows: ExportBenchRow[] = [];
  for (const sections of sizes) {
    const dataDir = mkdtempSync(join(tmpdir(), 'accord-bench-export-'));
    try {
      const { planId, userId } = await generateInDir(dataDir, sections);
      for (let run = 1; run <= repeats; run++) {
        for (const format of formats) {
          const child = fork(fileURLToPath(import.meta.url), ['--child', format, dataDir, planId, userId], {
            execArgv: ['--import', 'tsx', '--expose-gc'],
            stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
          });
          let result: ExportBenchRow | { error: string } | null = null;
          child.on('message', (m: ExportBenchRow | { error: string }) => (result = m));
          await once(child, 'exit');
          const r = result as ExportBenchRow | { error: string } | null;
          if (!r || 'error' in r) throw new Error(`export bench ${format}@${sections}: ${r ? r.error : 'no result'}`);
          rows.push({ ...r, sections, run });
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return rows;
}

const reply = (work: () => Promise<unknown>) =>
  work()
    .then((row) => process.send!(row))
    .catch((err: unknown) => process.send!({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }))
    .finally(() => process.disconnect());

if (process.argv[2] === '--generate') {
  const [dataDir, sections] = [process.argv[3]!, Number(process.argv[4])];
  reply(async () => {
    const db = openDatabase(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }).databaseFile);
    const { planId, userId } = await generateExportPlan(db, { sections, actionsPerSection: 5, recommendations: sections * 10 });
    db.close();
    return { planId, userId };
  });
}
if (process.argv[2] === '--child') {
  const [format, dataDir, planId, userId] = process.argv.slice(3) as [ExportFormat, string, string, string];
  reply(() => runOne(format, dataDir, planId, userId));
}
