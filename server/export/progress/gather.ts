/**
 * Reads what a round's progress report needs from the database, through the same monitoring
 * services the progress page uses, so the report and the page never disagree.
 *
 * Monitoring (the round, lifecycle, progress and reports) is read on Sql; the plan's actions,
 * recommendations and indicators still on the connection itself. Both are the worker's one SQLite
 * connection, and the caller reads them in one transaction (reportWorker.ts), so they come from the
 * same moment.
 */
import type { Db } from '../../db/database.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { allRows, col, oneRow, rowShape } from '../../db/rows.ts';
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
  recs: col.text,
});
const RecommendationRow = rowShape({ id: col.text, reference: col.text, kind: RecommendationKindSchema, text: col.text });
const IndicatorRow = rowShape({ id: col.text, actionId: col.text, description: col.text });

/** Natural order of references: 97.2 before 97.10. */
const byReference = (a: ReportRecommendation, b: ReportRecommendation) => a.reference.localeCompare(b.reference, 'en', { numeric: true });

/** `sql` is `db` as Sql, inside the transaction the caller reads in. */
export async function gatherProgressReport(db: Db, sql: Sql, planId: string, roundId: string, exportedAt: string): Promise<ProgressReportInput> {
  const plan = oneRow(db.prepare('SELECT title, country, period_start AS periodStart, period_end AS periodEnd FROM plans WHERE id = ?'), PlanRow, planId);
  if (!plan) throw new Error('No such plan');
  const round = await getRound(sql, planId, roundId);
  const progress = await planProgress(sql, planId, roundId);
  const rows = allRows(
    db.prepare(
      `SELECT a.id, a.title, o.name AS leadAgency, a.end_at AS "end", a.currency, a.budget_amount AS budgetAmount,
              (SELECT json_group_array(ar.recommendation_id) FROM action_recommendations ar WHERE ar.action_id = a.id) AS recs
         FROM actions a JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
         LEFT JOIN organisations o ON o.id = a.lead_agency_id
        WHERE a.plan_id = ? AND s.deleted_at IS NULL AND c.deleted_at IS NULL
        ORDER BY c.position, s.position, a.position`,
    ),
    ActionRow,
    planId,
  );
  const actions: ReportAction[] = rows.map(({ recs, ...a }) => ({ ...a, recommendationIds: JSON.parse(recs) as string[] }));
  const recommendationIds = new Set(progress.recommendationItems.map((r) => r.targetId));
  const recommendations = allRows(db.prepare('SELECT id, reference, kind, text FROM recommendations WHERE plan_id = ?'), RecommendationRow, planId)
    .filter((r) => recommendationIds.has(r.id))
    .sort(byReference);
  const indicators: ReportIndicator[] = allRows(
    db.prepare(
      `SELECT i.id, i.action_id AS actionId, i.description FROM indicators i JOIN actions a ON a.id = i.action_id
        WHERE a.plan_id = ? ORDER BY i.action_id, i.position`,
    ),
    IndicatorRow,
    planId,
  );
  return {
    plan,
    lifecycle: await getLifecycle(sql, planId),
    round,
    progress,
    reports: await listReports(sql, planId, roundId),
    actions,
    recommendations,
    indicators,
    exportedAt,
  };
}
