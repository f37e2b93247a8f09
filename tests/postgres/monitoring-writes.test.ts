import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { HttpError } from '../../server/errors.ts';
import { principalOf } from '../../server/services/audit.ts';
import type { Actor } from '../../server/services/history.ts';
import { adoptPlan } from '../../server/services/monitoring/adoption.ts';
import { civilSocietyOrganisations, organisationNames, saveAssessment } from '../../server/services/monitoring/assessments.ts';
import { addEvidenceFile, addEvidenceLink, evidenceFile, removeEvidence, removeStoredFiles } from '../../server/services/monitoring/evidence.ts';
import { changeStage, setMonitoringBody } from '../../server/services/monitoring/lifecycle.ts';
import { checkReportsDue, noticeAssessmentDisputes, noticeReportSubmitted, noticeRoundOpened } from '../../server/services/monitoring/notices.ts';
import { getLifecycle } from '../../server/services/monitoring/planLifecycle.ts';
import { createReport, deleteReport, getReport, listReports, submitReport, updateReport } from '../../server/services/monitoring/reports.ts';
import { createRound, updateRound } from '../../server/services/monitoring/rounds.ts';
import type { DocumentAccess } from '../../server/sync/DocumentAccess.ts';
import type { Role } from '../../shared/api/index.ts';
import { sameRowsOnBothEngines } from '../helpers/postgres.ts';

/**
 * Monitoring's writes (adoption, the plan's stage and monitoring body, rounds, progress reports
 * and their corrections, evidence, civil society's assessments) and the notices that follow them
 * do the same on SQLite and PostgreSQL: one scenario is played on each engine from the same rows,
 * and what each call answered, what each refused, and every row left in monitoring's tables, the
 * audit log and the notices are compared (random ids and clock times are named by the order they
 * first appear in). The SQLite run is also checked against what should have happened.
 */

const AT = '2026-05-04T10:00:00.000Z';

// Ids as the API checks them (8 to 64 characters), so every answer passes its schema.
const ROWS = [
  `INSERT INTO organisations (id, name, side, color, created_at) VALUES
     ('org-justice', 'Ministry of Justice', 'government', '#123456', '${AT}'),
     ('org-viasna', 'Вясна', 'civil_society', '#222222', '${AT}'),
     ('org-education', 'Ministry of Education', 'government', '#333333', '${AT}');`,
  `INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES
     ('user-coordinator', 'coordinator@example.org', 'Coordinator', 'x', 'org-justice', '${AT}'),
     ('user-ales', 'ales@example.org', 'Алесь', 'x', 'org-viasna', '${AT}'),
     ('user-educator', 'educator@example.org', 'Educator', 'x', 'org-education', '${AT}'),
     ('user-reporter', 'reporter@example.org', 'Reporter', 'x', 'org-justice', '${AT}');`,
  `INSERT INTO plans (id, title, country, period_start, period_end, created_by, created_at)
     VALUES ('plan-0001', 'National Human Rights Plan', 'BY', 2026, 2030, 'user-coordinator', '${AT}');`,
  `INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES
     ('plan-0001', 'user-coordinator', 'coordinator', '${AT}'), ('plan-0001', 'user-ales', 'commenter', '${AT}'),
     ('plan-0001', 'user-educator', 'drafter', '${AT}'), ('plan-0001', 'user-reporter', 'drafter', '${AT}');`,
  `INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at)
     VALUES ('plan-0001', 'org-viasna', 'civil_society', 'user-coordinator', '${AT}');`,
  `INSERT INTO chapters (id, plan_id, title, position) VALUES ('chapter-1', 'plan-0001', 'Justice', 0), ('chapter-2', 'plan-0001', 'Education', 1);`,
  `INSERT INTO sections (id, plan_id, chapter_id, title, position, status, agreed_at, agreed_hash) VALUES
     ('section-1', 'plan-0001', 'chapter-1', 'Torture prevention', 0, 'agreed', '${AT}', 'hash-1'),
     ('section-2', 'plan-0001', 'chapter-2', 'Human rights education', 0, 'agreed', '${AT}', 'hash-2');`,
  `INSERT INTO actions (id, plan_id, section_id, position, title, status, lead_agency_id, created_by, created_at, updated_at) VALUES
     ('action-1', 'plan-0001', 'section-1', 0, 'Inspections of places of detention', 'planned', 'org-justice', 'user-coordinator', '${AT}', '${AT}'),
     ('action-2', 'plan-0001', 'section-2', 0, 'Teaching human rights in schools', 'planned', 'org-education', 'user-coordinator', '${AT}', '${AT}');`,
  `INSERT INTO indicators (id, action_id, position, type, description, unit, baseline_value, baseline_year, target_value, target_year, disaggregation, created_at, updated_at)
     VALUES ('indicator-1', 'action-1', 0, 'outcome', 'Inspections carried out', 'visits', '10', 2025, '40', 2030, '["sex"]', '${AT}', '${AT}');`,
  `INSERT INTO recommendations (id, plan_id, source_key, reference, sort_key, mechanism, state_under_review, text, language, position, themes, sdg_targets, created_at, updated_at)
     VALUES ('recommendation-1', 'plan-0001', 'upr:139.1', '139.1', '139.1', 'UPR', 'Belarus', 'Prevent torture in detention', 'en', 'supported', '[]', '[]', '${AT}', '${AT}');`,
  `INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ('action-1', 'recommendation-1');`,
].join('\n');

const P = 'plan-0001';
const both = sameRowsOnBothEngines(ROWS);

/** A DocumentAccess with no stored documents: the adopted whole-plan version then keeps no section. */
const noDocuments: DocumentAccess = {
  readDocument: async () => null,
  readLiveDocument: async () => null,
  storeQueued: async () => {},
  openStoredStates: async () => new Map(),
  editDocument: () => {
    throw new Error('not in this test');
  },
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** What a call was refused with (status, code, fields), or that it was not. */
async function refusal(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
    return 'not refused';
  } catch (err) {
    if (err instanceof HttpError) return { status: err.status, code: err.code, fields: err.fields ?? null };
    throw err;
  }
}

const AnyRow = z.record(z.string(), z.unknown());
const TABLES = ['plans', 'plan_adoptions', 'action_numbers', 'reporting_rounds', 'progress_reports', 'observed_values', 'evidence', 'assessments', 'audit_log', 'notifications'];

/** Every row of monitoring's tables, the audit log and the notices. */
async function tables(q: Sql): Promise<Record<string, Array<Record<string, unknown>>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {};
  for (const table of TABLES) out[table] = await q.rows(AnyRow, sql`SELECT * FROM ${sql.table(table)}`);
  return out;
}

const PDF = new TextEncoder().encode('%PDF-1.4\n% evidence\n');

async function scenario(q: Sql): Promise<{ answers: Record<string, unknown>; rows: Record<string, Array<Record<string, unknown>>>; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-monitoring-'));
  dirs.push(dataDir);
  const as = async (userId: string, role: Role): Promise<Actor> => ({ principal: (await principalOf(q, userId))!, role });
  const coordinator = await as('user-coordinator', 'coordinator');
  const reporter = await as('user-reporter', 'drafter');
  const educator = await as('user-educator', 'drafter');
  const assessor = await as('user-ales', 'commenter');
  const deps = { db: both.db, sql: q, sync: noDocuments };
  const act = { title: 'Decree on the plan', number: '12', date: '2026-06-01', url: null };
  const a: Record<string, unknown> = {};

  a.roundBeforeAdoption = await refusal(createRound(q, P, coordinator, { name: 'Too early', dueDate: '2026-12-31' }));
  a.bodyNotOfPlan = await refusal(adoptPlan(deps, P, coordinator, { act, leftOut: [], monitoringBodyId: 'nobody' }));
  a.adoption = await adoptPlan(deps, P, coordinator, { act, leftOut: [], monitoringBodyId: 'org-viasna' });
  a.adoptedAgain = await refusal(adoptPlan(deps, P, coordinator, { act, leftOut: [], monitoringBodyId: null }));
  await setMonitoringBody(q, P, coordinator, 'org-justice');
  await setMonitoringBody(q, P, coordinator, 'org-justice');
  a.dueBeforeAct = await refusal(createRound(q, P, coordinator, { name: 'Before the act', dueDate: '2026-01-01' }));

  const round = await createRound(q, P, coordinator, { name: 'Second half of 2026', dueDate: '2026-12-31' });
  a.roundOpened = await noticeRoundOpened(q, P, coordinator, round);
  a.renamed = await updateRound(q, P, round.id, coordinator, { name: '2026, second half' });
  a.unchanged = await updateRound(q, P, round.id, coordinator, { name: '2026, second half' });

  const values = [
    { indicatorId: 'indicator-1', value: 3, date: '2026-09-01', source: 'Registry', disaggregated: [{ dimension: 'Sex', group: 'women', value: 1 }] },
    { indicatorId: 'indicator-1', value: 4.5, date: '2026-09-01', source: 'Registry', disaggregated: [] },
  ];
  const input = { status: 'in_progress' as const, reason: '', narrative: 'Visits began', spentAmount: 1200.5, values };
  a.notImplementer = await refusal(createReport(q, P, round.id, 'action-1', educator, { ...input, corrects: null }));
  a.notDimension = await refusal(
    createReport(q, P, round.id, 'action-1', reporter, { ...input, values: [{ ...values[0]!, disaggregated: [{ dimension: 'age', group: '18+', value: 1 }] }], corrects: null }),
  );
  const report = await createReport(q, P, round.id, 'action-1', reporter, { ...input, corrects: null });
  a.report = report;
  a.link = await addEvidenceLink(q, P, report.id, reporter, { url: 'https://example.org/visits', label: 'Visit log' });
  a.file = await addEvidenceFile({ sql: q, dataDir }, P, report.id, reporter, { name: 'visits.pdf', mimeType: 'application/pdf', bytes: PDF });
  a.updated = await updateReport(q, P, report.id, reporter, { ...input, narrative: 'Visits began in March', values: [...values].reverse() });
  a.submitted = await submitReport(q, P, report.id, reporter);
  a.submittedNotice = await noticeReportSubmitted(q, P, reporter, a.submitted as { id: string; actionId: string; roundId: string });
  a.editSubmitted = await refusal(updateReport(q, P, report.id, reporter, input));
  a.correctionOfNothing = await refusal(createReport(q, P, round.id, 'action-2', educator, { ...input, values: [], corrects: report.id }));

  const correction = await createReport(q, P, round.id, 'action-1', coordinator, { ...input, status: 'delayed', reason: 'Funds came late', values: [], corrects: report.id });
  a.correction = correction;
  a.secondCorrection = await refusal(createReport(q, P, round.id, 'action-1', coordinator, { ...input, values: [], corrects: report.id }));
  const carriedLink = correction.evidence.find((e) => e.kind === 'link')!;
  a.linkRemoved = await removeEvidence({ sql: q, dataDir }, P, carriedLink.id, coordinator);
  a.correctionSubmitted = await submitReport(q, P, correction.id, coordinator);
  a.correctionNotice = await noticeReportSubmitted(q, P, coordinator, { ...correction, corrects: report.id });

  const draft = await createReport(q, P, round.id, 'action-2', educator, { ...input, spentAmount: null, values: [], corrects: null });
  await addEvidenceFile({ sql: q, dataDir }, P, draft.id, educator, { name: 'lessons.pdf', mimeType: 'application/pdf', bytes: PDF });
  a.otherOrganisationDeletes = await refusal(deleteReport(q, P, draft.id, reporter));
  const deleted = await deleteReport(q, P, draft.id, educator);
  a.deleted = deleted;
  await removeStoredFiles(q, dataDir, P, deleted.storageKeys);
  a.fileOfOriginal = await evidenceFile(dataDir, q, P, (a.file as { evidence: { id: string } }).evidence.id);

  const save = (who: Actor, targetType: 'action' | 'recommendation', targetId: string, rating: 'not_implemented' | 'fully_implemented' | 'partially_implemented') =>
    saveAssessment(q, P, round.id, who, { targetType, targetId, rating, justification: 'Seen on visits', evidenceLinks: ['https://example.org/report'] });
  a.notAssessor = await refusal(save(reporter, 'action', 'action-1', 'not_implemented'));
  a.notOfPlan = await refusal(save(assessor, 'action', 'nothing', 'not_implemented'));
  const onAction = await save(assessor, 'action', 'action-1', 'fully_implemented');
  a.onAction = onAction;
  a.onActionNotice = await noticeAssessmentDisputes(q, P, round.id, assessor, onAction);
  const revised = await save(assessor, 'action', 'action-1', 'not_implemented');
  a.revised = revised;
  a.revisedNotice = await noticeAssessmentDisputes(q, P, round.id, assessor, revised);
  const sameAgain = await save(assessor, 'action', 'action-1', 'not_implemented');
  a.sameAgain = sameAgain;
  a.sameAgainNotice = await noticeAssessmentDisputes(q, P, round.id, assessor, sameAgain);
  const onRecommendation = await save(assessor, 'recommendation', 'recommendation-1', 'fully_implemented');
  a.onRecommendation = onRecommendation;
  a.onRecommendationNotice = await noticeAssessmentDisputes(q, P, round.id, assessor, onRecommendation);

  a.due = [...(await checkReportsDue(q, '2026-12-20'))];
  a.dueAgain = [...(await checkReportsDue(q, '2026-12-20'))];
  await changeStage(q, P, coordinator, 'in_implementation', 'Decree in force');
  a.backwards = await refusal(changeStage(q, P, coordinator, 'adopted', ''));
  await updateRound(q, P, round.id, coordinator, { state: 'closed' });
  a.closedRound = await refusal(createReport(q, P, round.id, 'action-2', educator, { ...input, values: [], corrects: null }));

  a.lifecycle = await getLifecycle(q, P);
  a.reports = await listReports(q, P, round.id);
  a.reportsOfA2 = await listReports(q, P, round.id, 'action-2');
  a.report = await getReport(q, P, report.id);
  a.civilSociety = [...(await civilSocietyOrganisations(q, ['org-justice', 'org-viasna', 'nobody']))];
  a.names = await organisationNames(q, ['org-viasna', 'nobody', 'org-justice']);
  a.files = readdirSync(join(dataDir, 'evidence', P)).length;
  return { answers: a, rows: await tables(q), dataDir };
}

const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;
// newId and idSequence give 22 characters, evidence's storage keys 32.
const RANDOM = /(?<![A-Za-z0-9_-])(?:[A-Za-z0-9_-]{22}|[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])/g;

/**
 * Random ids and keys, and times taken from the clock, named by where they first appear in the
 * answers (then `?` in rows, which are sorted after naming): the same scenario on both engines
 * then reads the same.
 */
function normalise(run: { answers: Record<string, unknown>; rows: Record<string, Array<Record<string, unknown>>>; dataDir: string }) {
  const names = new Map<string, string>();
  const name = (found: string, fresh: boolean) => {
    if (!names.has(found)) {
      if (!fresh) return '?';
      names.set(found, `#${names.size + 1}`);
    }
    return names.get(found)!;
  };
  const walk = (value: unknown, fresh: boolean): unknown => {
    if (typeof value === 'string') {
      return value
        .replaceAll(run.dataDir, '<dataDir>')
        .replace(ISO_TIME, (t) => (t === AT ? t : '<now>'))
        .replace(RANDOM, (id) => name(id, fresh));
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, fresh));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, fresh)]));
    return value;
  };
  const answers = walk(run.answers, true);
  const rows = Object.fromEntries(
    Object.entries(run.rows).map(([table, list]) => [table, list.map((r) => walk(r, false)).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1))]),
  );
  return { answers, rows };
}

describe('monitoring’s writes on SQLite and PostgreSQL', () => {
  it('answer, refuse and write the same on both engines, and the right things', async () => {
    const onSqlite = await scenario(both.sqlite);
    const onPostgres = await scenario(both.postgres);
    const sqlite = normalise(onSqlite);
    const postgres = normalise(onPostgres);
    expect(postgres.answers).toEqual(sqlite.answers);
    for (const table of TABLES) expect({ table, rows: postgres.rows[table] }).toEqual({ table, rows: sqlite.rows[table] });

    // What should have happened (read on SQLite).
    const a = onSqlite.answers;
    expect(a.roundBeforeAdoption).toMatchObject({ status: 409, code: 'not_adopted' });
    expect(a.bodyNotOfPlan).toMatchObject({ status: 400, fields: { organisationId: { code: 'not_in_plan' } } });
    expect(a.adoptedAgain).toMatchObject({ status: 409, code: 'already_adopted' });
    expect(a.dueBeforeAct).toMatchObject({ status: 400, fields: { dueDate: { code: 'adopted_before' } } });
    // The reporter (lead agency) and the educator (the other action's) hear of the round; the coordinator opened it.
    expect(a.roundOpened).toBe(2);
    expect(a.notImplementer).toMatchObject({ status: 403, code: 'not_implementer' });
    expect(a.notDimension).toMatchObject({ status: 400 });
    // Two values observed the same day keep the order they were given in.
    expect((a.updated as { values: Array<{ value: number }> }).values.map((v) => v.value)).toEqual([4.5, 3]);
    expect(a.submittedNotice).toBe(1);
    expect(a.editSubmitted).toMatchObject({ status: 409, code: 'report_submitted' });
    expect(a.correctionOfNothing).toMatchObject({ status: 400, fields: { corrects: { code: 'correction_target' } } });
    expect(a.secondCorrection).toMatchObject({ status: 409, code: 'already_corrected' });
    // The correction started with the corrected report's link and file, in that order.
    expect((a.correction as { evidence: Array<{ kind: string }> }).evidence.map((e) => e.kind)).toEqual(['link', 'file']);
    expect(a.otherOrganisationDeletes).toMatchObject({ status: 403, code: 'not_implementer' });
    expect((a.deleted as { storageKeys: string[] }).storageKeys).toHaveLength(1);
    // The deleted draft's file went; the one shared by the report and its correction stays.
    expect(a.files).toBe(1);
    expect(a.notAssessor).toMatchObject({ status: 403, code: 'not_assessor' });
    expect(a.notOfPlan).toMatchObject({ status: 400, fields: { targetId: { code: 'not_in_plan' } } });
    // "Fully implemented" against the government's "delayed" disputes it: the reporting ministry's two people hear.
    expect(a.onActionNotice).toBe(2);
    // Revised to another rating that still disputes it: heard again; saved unchanged: not.
    expect(a.revisedNotice).toBe(2);
    expect(a.sameAgainNotice).toBe(0);
    expect(a.onRecommendationNotice).toBe(2);
    expect(a.due).toEqual([[P, 1]]);
    expect(a.dueAgain).toEqual([]);
    expect(a.backwards).toMatchObject({ status: 409, code: 'stage_invalid' });
    expect(a.closedRound).toMatchObject({ status: 409, code: 'round_closed' });
    expect(a.civilSociety).toEqual(['org-viasna']);
    expect(a.names).toEqual(['Вясна', 'Ministry of Justice']);
    expect(onSqlite.rows.action_numbers!.map((r) => [r.action_id, r.number]).sort()).toEqual([
      ['action-1', 1],
      ['action-2', 2],
    ]);
    expect(onSqlite.rows.audit_log!.sort((x, y) => Number(x.id) - Number(y.id)).map((r) => r.action)).toEqual([
      'plan.adopted',
      'plan.monitoring_body_set',
      'round.created',
      'round.updated',
      'report.created',
      'evidence.added',
      'evidence.added',
      'report.updated',
      'report.submitted',
      'report.created',
      'evidence.removed',
      'report.submitted',
      'report.created',
      'evidence.added',
      'report.deleted',
      'assessment.saved',
      'assessment.saved',
      'assessment.saved',
      'plan.stage_changed',
      'round.updated',
    ]);
  });
});
