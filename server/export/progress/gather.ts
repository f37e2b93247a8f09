/**
 * Reads what a round's progress report needs from the database, through the same monitoring
 * services the progress page uses, so the report and the page never disagree.
 *
 * Everything is read through Sql, on either engine; the caller reads it in one snapshot
 * transaction (reportWorker.ts), so the plan's actions, recommendations and indicators come from
 * the same moment as monitoring's rounds, progress and reports.
 */
import { sql } from 'kysely';
import type { Sql } from '../../db/sql/Sql.ts';
import { col, rowShape } from '../../db/rows.ts';
import { getLifecycle } from '../../services/monitoring/planLifecycle.ts';
import { planProgress } from '../../services/monitoring/progress.ts';
import { listReports } from '../../services/monitoring/reports.ts';
import { getRound } from '../../services/monitoring/rounds.ts';
import { RecommendationKindSchema } from '../../../shared/api/recommendations.ts';
import type { ProgressReportInput, ReportAction, ReportIndicator, ReportRecommendation } from './reportModel.ts';

// Shapes of the rows reportModel.ts's types are made from, columns in the order selected.
const PlanRow = rowShape({ title: col.text, country: col.text, periodStart: col.int, periodEnd: col.int });
const ActionRow = rowShape({
  id: col.text,
  title: col.text,
  leadAgency: col.nullableText,
  end: col.nullableText,
  currency: col.nullableText,
  budgetAmount: col.nullableNum,
});
const LinkRow = rowShape({ actionId: col.text, recommendationId: col.text });
const RecommendationRow = rowShape({ id: col.text, reference: col.text, kind: RecommendationKindSchema, text: col.text });
const IndicatorRow = rowShape({ id: col.text, actionId: col.text, description: col.text });

/** Natural order of references: 97.2 before 97.10. */
const byReference = (a: ReportRecommendation, b: ReportRecommendation) => a.reference.localeCompare(b.reference, 'en', { numeric: true });

/** `q` is the transaction the caller reads in. */
export async function gatherProgressReport(q: Sql, planId: string, roundId: string, exportedAt: string): Promise<ProgressReportInput> {
  const plan = await q.row(PlanRow, sql`SELECT title, country, period_start AS "periodStart", period_end AS "periodEnd" FROM plans WHERE id = ${planId}`);
  if (!plan) throw new Error('No such plan');
  const round = await getRound(q, planId, roundId);
  const progress = await planProgress(q, planId, roundId);
  const rows = await q.rows(
    ActionRow,
    sql`SELECT a.id, a.title, o.name AS "leadAgency", a.end_at AS "end", a.currency, a.budget_amount AS "budgetAmount"
          FROM actions a JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
          LEFT JOIN organisations o ON o.id = a.lead_agency_id
         WHERE a.plan_id = ${planId} AND s.deleted_at IS NULL AND c.deleted_at IS NULL
         ORDER BY c.position, s.position, a.position, a.id`,
  );
  // Each action's recommendations in the order of their ids, as SQLite's json_group_array over the
  // table's key gave them before (no JSON aggregate is spelled the same on both engines).
  const links = await q.rows(
    LinkRow,
    sql`SELECT ar.action_id AS "actionId", ar.recommendation_id AS "recommendationId"
          FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
         WHERE a.plan_id = ${planId} ORDER BY ar.action_id, ar.recommendation_id`,
  );
  const recommendationsOf = new Map<string, string[]>();
  for (const { actionId, recommendationId } of links) {
    const ids = recommendationsOf.get(actionId);
    if (ids) ids.push(recommendationId);
    else recommendationsOf.set(actionId, [recommendationId]);
  }
  const actions: ReportAction[] = rows.map((a) => ({ ...a, recommendationIds: recommendationsOf.get(a.id) ?? [] }));
  const recommendationIds = new Set(progress.recommendationItems.map((r) => r.targetId));
  const recommendations = (await q.rows(RecommendationRow, sql`SELECT id, reference, kind, text FROM recommendations WHERE plan_id = ${planId} ORDER BY id`))
    .filter((r) => recommendationIds.has(r.id))
    .sort(byReference);
  const indicators: ReportIndicator[] = await q.rows(
    IndicatorRow,
    sql`SELECT i.id, i.action_id AS "actionId", i.description FROM indicators i JOIN actions a ON a.id = i.action_id
         WHERE a.plan_id = ${planId} ORDER BY i.action_id, i.position, i.id`,
  );
  return {
    plan,
    lifecycle: await getLifecycle(q, planId),
    round,
    progress,
    reports: await listReports(q, planId, roundId),
    actions,
    recommendations,
    indicators,
    exportedAt,
  };
}
