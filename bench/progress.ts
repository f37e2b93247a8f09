/**
 * Progress summary benchmark (issue #15, item 4): a plan of 200 sections, 1,000 actions, 3,000
 * indicators and 2,000 recommendations after five reporting rounds — a submitted report for every
 * action in each round (a tenth of them corrected), an observed value for every indicator in each
 * round, and civil society's assessments of a third of the actions and recommendations in the
 * latest round. Measures GET /api/plans/:planId/progress through a real server (repeated, with
 * spread), the service alone (the SQL and the assembly without HTTP), and the answer's size,
 * against the same plan at a tenth of the size.
 *
 * The plan is written directly (services for the content, SQL for the monitoring records, which
 * have no bulk API): what is measured is reading it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSessionNow, SESSION_COOKIE } from '../server/auth/sessions.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase, type Db } from '../server/db/database.ts';
import { sqliteSql } from '../server/db/sql/sqliteSql.ts';
import { newId } from '../server/ids.ts';
import { principalOfNow } from '../server/services/audit.ts';
import { addIndicatorNow } from '../server/services/indicators.ts';
import { planProgress } from '../server/services/monitoring/progress.ts';
import { startServer } from '../server/server.ts';
import { ProgressReports } from '../server/export/progress/runner.ts';
import { generateExportPlan } from './export.ts';

export interface ProgressBenchResult {
  sections: number;
  actions: number;
  indicators: number;
  recommendations: number;
  rounds: number;
  reports: number;
  observedValues: number;
  assessments: number;
  responseKB: number;
  /** GET /progress over HTTP, after one warm-up request. */
  httpMs: { runs: number; min: number; p50: number; p95: number; max: number; mean: number; sd: number };
  /** planProgress() alone, same runs. */
  serviceMs: { runs: number; min: number; p50: number; p95: number; max: number; mean: number; sd: number };
  /** The latest round's progress report, built in its worker as the route builds it: time, file size, peak RSS of the process. */
  report: Array<{ format: 'docx' | 'pdf'; ms: ReturnType<typeof stats>; fileKB: number; peakRssMB: number; baseRssMB: number }>;
}

const ROUNDS = 5;
const STATUSES = ['not_started', 'in_progress', 'in_progress', 'completed', 'delayed'] as const;
const RATINGS = ['not_implemented', 'partially_implemented', 'fully_implemented', 'no_information'] as const;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  const sd = Math.sqrt(samples.reduce((s, x) => s + (x - mean) ** 2, 0) / samples.length);
  return { runs: samples.length, min: sorted[0]!, p50: at(50), p95: at(95), max: sorted.at(-1)!, mean, sd };
}

/** Five rounds of reports, values and (in the last) assessments for every action of the plan. */
export function writeMonitoring(db: Db, planId: string, userId: string) {
  const now = new Date().toISOString();
  const user = db.prepare('SELECT name, organisation_id AS org FROM users WHERE id = ?').get(userId) as { name: string; org: string };
  const actions = db.prepare('SELECT id, lead_agency_id AS lead FROM actions WHERE plan_id = ? ORDER BY rowid').all(planId) as Array<{ id: string; lead: string }>;
  const indicators = db.prepare('SELECT i.id, i.action_id AS actionId FROM indicators i JOIN actions a ON a.id = i.action_id WHERE a.plan_id = ?').all(planId) as Array<{
    id: string;
    actionId: string;
  }>;
  const indicatorsOf = new Map<string, string[]>();
  for (const i of indicators) indicatorsOf.set(i.actionId, [...(indicatorsOf.get(i.actionId) ?? []), i.id]);
  const csos = (
    db.prepare("SELECT o.id FROM plan_organisations p JOIN organisations o ON o.id = p.organisation_id WHERE p.plan_id = ? AND o.side = 'civil_society'").all(planId) as Array<{
      id: string;
    }>
  ).map((o) => o.id);
  const recs = (db.prepare('SELECT id FROM recommendations WHERE plan_id = ?').all(planId) as Array<{ id: string }>).map((r) => r.id);

  const round = db.prepare("INSERT INTO reporting_rounds (id, plan_id, name, due_date, state, created_by, created_at) VALUES (?, ?, ?, ?, 'open', ?, ?)");
  const report = db.prepare(
    `INSERT INTO progress_reports (id, plan_id, action_id, round_id, state, status, reason, narrative, spent_amount, currency, corrects,
       author_id, author_name, author_organisation_id, created_at, updated_at, submitted_at)
     VALUES (?, ?, ?, ?, 'submitted', ?, ?, 'Done as planned', 1000, 'BYN', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const value = db.prepare("INSERT INTO observed_values (id, report_id, indicator_id, value, observed_on, source) VALUES (?, ?, ?, ?, ?, 'Ministry statistics')");
  const assessment = db.prepare(
    `INSERT INTO assessments (id, plan_id, round_id, target_type, target_id, organisation_id, rating, justification, evidence_links, author_id, author_name, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'From our monitoring', '[]', ?, ?, ?, ?)`,
  );
  let reports = 0;
  let values = 0;
  let assessments = 0;
  db.transaction(() => {
    db.prepare("UPDATE plans SET stage = 'in_implementation' WHERE id = ?").run(planId);
    for (let r = 0; r < ROUNDS; r++) {
      const roundId = newId();
      round.run(roundId, planId, `Round ${r + 1}`, `${2027 + r}-06-30`, userId, now);
      const submitted = `${2027 + r}-06-01T00:00:00.000Z`;
      actions.forEach((a, n) => {
        const status = STATUSES[(n + r) % STATUSES.length]!;
        const reason = status === 'delayed' ? 'Funding arrived late' : '';
        const id = newId();
        report.run(id, planId, a.id, roundId, status, reason, null, userId, user.name, a.lead, now, now, submitted);
        reports++;
        let inForce = id;
        if (n % 10 === 0) {
          // A tenth corrected: the correction is what counts.
          inForce = newId();
          report.run(inForce, planId, a.id, roundId, 'in_progress', '', id, userId, user.name, a.lead, now, now, `${2027 + r}-06-02T00:00:00.000Z`);
          reports++;
        }
        for (const indicatorId of indicatorsOf.get(a.id) ?? []) {
          value.run(newId(), inForce, indicatorId, 10 + r * 3 + (n % 5), `${2027 + r}-05-31`);
          values++;
        }
        if (r === ROUNDS - 1 && n % 3 === 0) {
          assessment.run(newId(), planId, roundId, 'action', a.id, csos[n % csos.length]!, RATINGS[n % RATINGS.length]!, userId, user.name, now, now);
          assessments++;
        }
      });
      if (r === ROUNDS - 1) {
        recs.forEach((id, n) => {
          if (n % 3 !== 0) return;
          assessment.run(newId(), planId, roundId, 'recommendation', id, csos[n % csos.length]!, RATINGS[n % RATINGS.length]!, userId, user.name, now, now);
          assessments++;
        });
      }
    }
  })();
  return { reports, values, assessments };
}

export async function runProgressBench(sections: number, runs = 20, reportRuns = 3): Promise<ProgressBenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-bench-progress-'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' });
    const db = openDatabase(config.databaseFile);
    const recommendations = sections * 10;
    const { planId, userId } = await generateExportPlan(db, { sections, actionsPerSection: 5, recommendations, paragraphs: 2 });
    // A third indicator per action: 3,000 at 200 sections.
    const who = { principal: principalOfNow(db, userId)!, role: 'coordinator' as const };
    const actionIds = (db.prepare('SELECT id FROM actions WHERE plan_id = ?').all(planId) as Array<{ id: string }>).map((a) => a.id);
    db.transaction(() => {
      for (const actionId of actionIds) {
        addIndicatorNow(db, planId, actionId, who, {
          type: 'process',
          description: 'Officials trained',
          unit: 'people',
          baselineValue: '10',
          baselineYear: 2025,
          targetValue: '100',
          targetYear: 2030,
          dataSource: null,
          frequency: null,
          disaggregation: [],
          proposedByOrganisationId: null,
        });
      }
    })();
    const written = writeMonitoring(db, planId, userId);
    const indicators = (db.prepare('SELECT count(*) AS n FROM indicators i JOIN actions a ON a.id = i.action_id WHERE a.plan_id = ?').get(planId) as { n: number }).n;
    const token = createSessionNow(db, userId).token;
    db.close();

    const server = await startServer(config, { clientDir: join(dataDir, 'none') });
    try {
      const url = `${server.url}/api/plans/${planId}/progress`;
      const get = async () => {
        const res = await fetch(url, { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
        if (res.status !== 200) throw new Error(`GET /progress answered ${res.status}: ${await res.text()}`);
        return res.text();
      };
      const body = await get(); // warm-up: statement cache, page cache
      const http: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await get();
        http.push(performance.now() - t);
      }
      const service: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await planProgress(sqliteSql(server.db), planId, null);
        service.push(performance.now() - t);
      }
      // The progress report: every action's status, both sides' assessments, a chart per indicator.
      const roundId = (server.db.prepare('SELECT id FROM reporting_rounds WHERE plan_id = ? ORDER BY due_date DESC LIMIT 1').get(planId) as { id: string }).id;
      const report: ProgressBenchResult['report'] = [];
      for (const format of ['docx', 'pdf'] as const) {
        const times: number[] = [];
        let fileKB = 0;
        const baseRssMB = process.memoryUsage().rss / 2 ** 20;
        let peak = 0;
        for (let i = 0; i < reportRuns; i++) {
          const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
          const t = performance.now();
          const rendered = await new ProgressReports(config, sqliteSql(server.db)).render('bench', { planId, roundId, kind: { kind: 'government' }, format, language: 'en', exportedAt: new Date().toISOString() });
          times.push(performance.now() - t);
          clearInterval(sampler);
          fileKB = rendered.bytes / 1024;
          rmSync(rendered.file, { force: true });
        }
        report.push({ format, ms: stats(times), fileKB, peakRssMB: peak / 2 ** 20, baseRssMB });
      }
      return {
        report,
        sections,
        actions: actionIds.length,
        indicators,
        recommendations,
        rounds: ROUNDS,
        reports: written.reports,
        observedValues: written.values,
        assessments: written.assessments,
        responseKB: Buffer.byteLength(body) / 1024,
        httpMs: stats(http),
        serviceMs: stats(service),
      };
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
