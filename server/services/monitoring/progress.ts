import { sql } from 'kysely';
import type { z } from 'zod';
import { visibleRecommendation } from '../recommendations.ts';
import { indicatorMeasure, yesNoAnswer } from '../../../shared/indicators/yesNo.ts';
import { col, rowShape } from '../../db/rows.ts';
import { jsonArrayTexts } from '../../db/sql/portable.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { notFound } from '../../errors.ts';
import { listRounds } from './rounds.ts';
import {
  actionGovernmentRating,
  countStatus,
  emptyCounts,
  isDisputed,
  isImplemented,
  recommendationGovernmentRating,
  type ProgressCounts,
} from '../../../shared/monitoring/ratings.ts';
import { numericValue } from '../../../shared/indicators/numericValue.ts';
import {
  AssessmentRatingSchema,
  AssessmentTargetSchema,
  ProgressStatusSchema,
  SideSchema,
  type Assessment,
  type AssessmentRating,
  type IndicatorSeries,
  type PlanProgress,
  type ProgressItem,
  type ProgressStatus,
  type Round,
} from '../../../shared/api/index.ts';

/**
 * Where the plan stands in a reporting round. Read with a fixed number of set-based queries (one
 * per kind of record, never one per action): a national plan has a thousand actions and several
 * thousand indicators, and the progress page is opened often.
 *
 * Written once for both engines on Sql (decision 0011).
 *
 * Ties are broken by id, not by SQLite's rowid (PostgreSQL has none): two reports of an action
 * submitted in the same millisecond, or two values of an indicator observed on the same day in the
 * same report, are told apart the same way on both engines.
 */

/** What an action's implementers last said in a round: its latest submitted, uncorrected report. */
export interface LatestReport {
  reportId: string;
  status: ProgressStatus;
  organisationId: string;
}

/**
 * Submitted reports nobody has corrected with a submitted correction: the ones that count. A
 * correction still in draft leaves the report it corrects in force.
 */
const IN_FORCE = sql`r.state = 'submitted'
  AND NOT EXISTS (SELECT 1 FROM progress_reports c WHERE c.corrects = r.id AND c.state = 'submitted')`;

const LatestReportRow = rowShape({ reportId: col.text, actionId: col.text, status: ProgressStatusSchema, organisationId: col.text });

const latestReportsQuery = (planId: string, roundId: string, actionId?: string) =>
  sql`SELECT r.id AS "reportId", r.action_id AS "actionId", r.status, r.author_organisation_id AS "organisationId"
        FROM progress_reports r
       WHERE r.plan_id = ${planId} AND r.round_id = ${roundId} ${actionId ? sql`AND r.action_id = ${actionId}` : sql``} AND ${IN_FORCE}
       ORDER BY r.submitted_at, r.id`;

// Later rows overwrite earlier ones: the last submitted wins.
const byAction = (rows: Array<z.output<typeof LatestReportRow>>): Map<string, LatestReport> =>
  new Map(rows.map((r) => [r.actionId, { reportId: r.reportId, status: r.status, organisationId: r.organisationId }]));

/** Each action's latest report in force in the round (actions without one are absent). */
export async function latestReportsInRound(db: Sql, planId: string, roundId: string, actionId?: string): Promise<Map<string, LatestReport>> {
  return byAction(await db.rows(LatestReportRow, latestReportsQuery(planId, roundId, actionId)));
}

/** An indicator's latest value in force, with the round whose report observed it. */
export interface LatestValue {
  value: number;
  date: string;
  roundId: string;
  roundName: string;
}

const LatestValueRow = rowShape({ indicatorId: col.text, value: col.num, date: col.text, roundId: col.text, roundName: col.text });

const latestValuesQuery = (planId: string) =>
  sql`SELECT v.indicator_id AS "indicatorId", v.value, v.observed_on AS date, rr.id AS "roundId", rr.name AS "roundName"
        FROM observed_values v JOIN progress_reports r ON r.id = v.report_id JOIN reporting_rounds rr ON rr.id = r.round_id
       WHERE r.plan_id = ${planId} AND ${IN_FORCE}
       ORDER BY v.observed_on, r.submitted_at, v.id`;

// Later rows overwrite earlier ones: the latest observation wins.
const byIndicator = (rows: Array<z.output<typeof LatestValueRow>>): Map<string, LatestValue> => new Map(rows.map(({ indicatorId, ...v }) => [indicatorId, v]));

/**
 * Each indicator's latest value in force across all rounds, in one query: the last by observation
 * date, then by submission, the order the indicator series puts them in (indicators without a
 * value in force are absent).
 */
export async function latestObservedValues(db: Sql, planId: string): Promise<Map<string, LatestValue>> {
  return byIndicator(await db.rows(LatestValueRow, latestValuesQuery(planId)));
}

const ActionStatusRow = rowShape({ actionId: col.text, status: ProgressStatusSchema });

/** Each action's latest status in force across all rounds (rounds in calendar order). */
async function latestStatusEver(db: Sql, planId: string): Promise<Map<string, ProgressStatus>> {
  const rows = await db.rows(
    ActionStatusRow,
    sql`SELECT r.action_id AS "actionId", r.status
          FROM progress_reports r JOIN reporting_rounds rr ON rr.id = r.round_id
         WHERE r.plan_id = ${planId} AND ${IN_FORCE}
         ORDER BY rr.due_date, rr.created_at, rr.id, r.submitted_at, r.id`,
  );
  return new Map(rows.map((r) => [r.actionId, r.status]));
}

/** An assessment as read with its organisation (evidence links still JSON). */
export const AssessmentRow = rowShape({
  id: col.text,
  roundId: col.text,
  targetType: AssessmentTargetSchema,
  targetId: col.text,
  organisationId: col.text,
  organisationName: col.text,
  side: SideSchema,
  rating: AssessmentRatingSchema,
  justification: col.text,
  evidenceLinks: col.text,
  author: col.text,
  updatedAt: col.text,
});
type AssessmentRow = z.output<typeof AssessmentRow>;

export const toAssessment = (r: AssessmentRow): Assessment => ({
  id: r.id,
  roundId: r.roundId,
  targetType: r.targetType,
  targetId: r.targetId,
  organisation: { id: r.organisationId, name: r.organisationName, side: r.side },
  rating: r.rating,
  justification: r.justification,
  evidenceLinks: JSON.parse(r.evidenceLinks) as string[],
  author: r.author,
  updatedAt: r.updatedAt,
});

type AssessmentTarget = { targetType: string; targetId: string } | null;

const assessmentsQuery = (planId: string, roundId: string, where: AssessmentTarget) =>
  sql`SELECT a.id, a.round_id AS "roundId", a.target_type AS "targetType", a.target_id AS "targetId", a.organisation_id AS "organisationId",
             o.name AS "organisationName", coalesce(v.side, o.side) AS side, a.rating, a.justification, a.evidence_links AS "evidenceLinks",
             a.author_name AS author, a.updated_at AS "updatedAt"
        FROM assessments a JOIN organisations o ON o.id = a.organisation_id
        LEFT JOIN organisation_verifications v ON v.plan_id = a.plan_id AND v.organisation_id = a.organisation_id
       WHERE a.plan_id = ${planId} AND a.round_id = ${roundId} ${where ? sql`AND a.target_type = ${where.targetType} AND a.target_id = ${where.targetId}` : sql``}
       ORDER BY a.target_type, a.target_id, lower(o.name), o.name`;

/** The round's assessments, by organisation name within each target; `where` narrows them. */
export async function assessmentsInRound(db: Sql, planId: string, roundId: string, where: AssessmentTarget = null): Promise<Assessment[]> {
  return (await db.rows(AssessmentRow, assessmentsQuery(planId, roundId, where))).map(toAssessment);
}

const LiveActionRow = rowShape({ id: col.text, title: col.text, endAt: col.nullableText, chapterId: col.text });
type LiveAction = z.output<typeof LiveActionRow>;

/** Live actions (not in the bin) in outline order, with their chapter and end date. */
function liveActions(db: Sql, planId: string): Promise<LiveAction[]> {
  return db.rows(
    LiveActionRow,
    sql`SELECT a.id, a.title, a.end_at AS "endAt", c.id AS "chapterId"
          FROM actions a JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
         WHERE a.plan_id = ${planId} AND s.deleted_at IS NULL AND c.deleted_at IS NULL
         ORDER BY c.position, s.position, a.position`,
  );
}

const LinkRow = rowShape({ recommendationId: col.text, actionId: col.text });

const linksQuery = (planId: string, recommendationId?: string) =>
  sql`SELECT ar.recommendation_id AS "recommendationId", ar.action_id AS "actionId"
        FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id JOIN sections s ON s.id = a.section_id
        JOIN chapters c ON c.id = s.chapter_id
       WHERE a.plan_id = ${planId} AND s.deleted_at IS NULL AND c.deleted_at IS NULL
             ${recommendationId ? sql`AND ar.recommendation_id = ${recommendationId}` : sql``}`;

function ratingsFrom(links: Array<z.output<typeof LinkRow>>, latest: Map<string, LatestReport>): Map<string, AssessmentRating> {
  const byRecommendation = new Map<string, AssessmentRating[]>();
  for (const l of links) {
    const list = byRecommendation.get(l.recommendationId) ?? [];
    list.push(actionGovernmentRating(latest.get(l.actionId)?.status ?? null));
    byRecommendation.set(l.recommendationId, list);
  }
  return new Map([...byRecommendation].map(([id, ratings]) => [id, recommendationGovernmentRating(ratings)]));
}

/** The government's rating of each recommendation linked to a live action, from the round's reports. */
export async function recommendationRatings(
  db: Sql,
  planId: string,
  latest: Map<string, LatestReport>,
  recommendationId?: string,
): Promise<Map<string, AssessmentRating>> {
  return ratingsFrom(await db.rows(LinkRow, linksQuery(planId, recommendationId)), latest);
}

/** The last day of a TimePoint: a year ends on 31 December, a quarter on its last day. */
export function endOfPeriod(point: string): string {
  const year = /^(\d{4})$/.exec(point);
  if (year) return `${year[1]}-12-31`;
  const quarter = /^(\d{4})-Q([1-4])$/.exec(point);
  if (quarter) return `${quarter[1]}-${['03-31', '06-30', '09-30', '12-31'][Number(quarter[2]) - 1]}`;
  return point;
}

const shorten = (text: string, max = 200) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const ChapterRow = rowShape({ id: col.text, title: col.text });
const KeyedActionRow = rowShape({ actionId: col.text, key: col.text });
const RecommendationRow = rowShape({ id: col.text, reference: col.text, text: col.text });

const byName = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => a.localeCompare(b));

// Rows of an import still being written are not in the plan yet (visibleRecommendation).
const VISIBLE = sql.raw(visibleRecommendation());

const CountRow = rowShape({ n: col.int });
const recommendationCount = async (db: Sql, planId: string) =>
  (await db.row(CountRow, sql`SELECT count(*) AS n FROM recommendations r WHERE r.plan_id = ${planId} AND ${VISIBLE}`))?.n ?? 0;

function emptyProgress(round: Round | null, inPlan: number): PlanProgress {
  return {
    round,
    byChapter: [],
    byTheme: [],
    byMechanism: [],
    recommendations: { total: 0, inPlan, implementedByGovernment: 0, implementedByCivilSociety: 0, disputed: 0 },
    actions: [],
    recommendationItems: [],
    indicators: [],
    overdueActions: [],
    reportsDue: [],
  };
}

/**
 * Where the plan stands in a round (the latest when none is named): counts by chapter, theme and
 * mechanism, each action and recommendation with both sides' view, indicator series across all
 * rounds, overdue actions and the reports still due. `today` is a date (2027-05-31). Read from one
 * snapshot, so the counts add up to the items beside them on either engine.
 */
export function planProgress(db: Sql, planId: string, roundId: string | null, today = new Date().toISOString().slice(0, 10)): Promise<PlanProgress> {
  return db.transaction((tx) => progressIn(tx, planId, roundId, today), { snapshot: true });
}

async function progressIn(db: Sql, planId: string, roundId: string | null, today: string): Promise<PlanProgress> {
  const rounds = await listRounds(db, planId);
  const round = roundId === null ? (rounds.at(-1) ?? null) : rounds.find((r) => r.id === roundId);
  if (round === undefined) throw notFound('round');
  if (round === null) return emptyProgress(null, await recommendationCount(db, planId));

  const actions = await liveActions(db, planId);
  const latest = await latestReportsInRound(db, planId, round.id);
  const assessments = await assessmentsInRound(db, planId, round.id);
  const assessmentsOf = new Map<string, Assessment[]>();
  for (const a of assessments) {
    const key = `${a.targetType}:${a.targetId}`;
    assessmentsOf.set(key, [...(assessmentsOf.get(key) ?? []), a]);
  }
  const item = (targetType: ProgressItem['targetType'], targetId: string, title: string, reportedStatus: ProgressStatus | null, governmentRating: AssessmentRating): ProgressItem => {
    const own = assessmentsOf.get(`${targetType}:${targetId}`) ?? [];
    return { targetType, targetId, title, reportedStatus, governmentRating, assessments: own, disputed: isDisputed(governmentRating, own.map((a) => a.rating)) };
  };

  // Counts by chapter (every live chapter, in order, even without actions).
  const chapters = await db.rows(ChapterRow, sql`SELECT id, title FROM chapters WHERE plan_id = ${planId} AND deleted_at IS NULL ORDER BY position`);
  const chapterCounts = new Map(chapters.map((c) => [c.id, emptyCounts()]));
  const statusOf = (actionId: string) => latest.get(actionId)?.status ?? null;
  for (const a of actions) {
    const counts = chapterCounts.get(a.chapterId);
    if (counts) countStatus(counts, statusOf(a.id));
  }

  // An action counts once under each theme and each mechanism of its linked recommendations.
  const live = new Set(actions.map((a) => a.id));
  const tally = (rows: Array<{ actionId: string; key: string }>) => {
    const out = new Map<string, ProgressCounts>();
    for (const r of rows) {
      if (!live.has(r.actionId)) continue;
      const counts = out.get(r.key) ?? emptyCounts();
      countStatus(counts, statusOf(r.actionId));
      out.set(r.key, counts);
    }
    return out;
  };
  // GROUP BY rather than DISTINCT: one row per action and theme, however many of its recommendations name it.
  const themes = tally(
    await db.rows(
      KeyedActionRow,
      sql`SELECT ar.action_id AS "actionId", t.value AS key
            FROM action_recommendations ar JOIN recommendations r ON r.id = ar.recommendation_id
            CROSS JOIN ${jsonArrayTexts(db.engine, sql`r.themes`, 't')}
           WHERE r.plan_id = ${planId}
           GROUP BY ar.action_id, t.value`,
    ),
  );
  const mechanisms = tally(
    await db.rows(
      KeyedActionRow,
      sql`SELECT ar.action_id AS "actionId", r.mechanism AS key
            FROM action_recommendations ar JOIN recommendations r ON r.id = ar.recommendation_id WHERE r.plan_id = ${planId}
           GROUP BY ar.action_id, r.mechanism`,
    ),
  );

  const actionItems = actions.map((a) => item('action', a.id, a.title, statusOf(a.id), actionGovernmentRating(statusOf(a.id))));

  // Recommendations the plan answers (linked to a live action) or that civil society assessed.
  const governmentRatings = await recommendationRatings(db, planId, latest);
  const assessedRecommendations = new Set(assessments.filter((a) => a.targetType === 'recommendation').map((a) => a.targetId));
  // Only the start of the text: the item's title is shortened anyway, and a plan has thousands.
  const inPlan = await db.rows(
    RecommendationRow,
    sql`SELECT r.id, r.reference, substr(r.text, 1, 400) AS text FROM recommendations r WHERE r.plan_id = ${planId} AND ${VISIBLE} ORDER BY r.sort_key, r.seq`,
  );
  const recommendations = inPlan.filter((r) => governmentRatings.has(r.id) || assessedRecommendations.has(r.id));
  const recommendationItems = recommendations.map((r) =>
    item('recommendation', r.id, shorten(`${r.reference} ${r.text}`), null, governmentRatings.get(r.id) ?? 'no_information'),
  );
  // Civil society considers a recommendation implemented when every organisation that assessed it
  // with information rates it fully implemented.
  const civilSocietySaysImplemented = (i: ProgressItem) => {
    const informed = i.assessments.filter((a) => a.rating !== 'no_information');
    return informed.length > 0 && informed.every((a) => isImplemented(a.rating));
  };

  return {
    round,
    byChapter: chapters.map((c) => ({ id: c.id, title: c.title, actions: chapterCounts.get(c.id)! })),
    byTheme: byName(themes).map(([theme, actions]) => ({ theme, actions })),
    byMechanism: byName(mechanisms).map(([mechanism, actions]) => ({ mechanism, actions })),
    recommendations: {
      total: recommendationItems.length,
      inPlan: inPlan.length,
      implementedByGovernment: recommendationItems.filter((i) => isImplemented(i.governmentRating)).length,
      implementedByCivilSociety: recommendationItems.filter(civilSocietySaysImplemented).length,
      disputed: recommendationItems.filter((i) => i.disputed).length,
    },
    actions: actionItems,
    recommendationItems,
    indicators: await indicatorSeries(db, planId, live),
    overdueActions: await overdueActions(db, planId, actions, today),
    reportsDue: actions
      .filter((a) => !hasSubmitted(latest, a.id))
      .map((a) => ({ actionId: a.id, title: a.title, dueDate: round.dueDate })),
  };
}

const hasSubmitted = (latest: Map<string, LatestReport>, actionId: string) => latest.has(actionId);

/** Actions past the end of their period whose latest status (any round) is not completed or cancelled. */
async function overdueActions(db: Sql, planId: string, actions: LiveAction[], today: string): Promise<PlanProgress['overdueActions']> {
  const status = await latestStatusEver(db, planId);
  return actions
    .filter((a) => a.endAt !== null && endOfPeriod(a.endAt) < today)
    .filter((a) => {
      const s = status.get(a.id);
      return s !== 'completed' && s !== 'cancelled';
    })
    .map((a) => ({ actionId: a.id, title: a.title, end: a.endAt! }))
    .sort((x, y) => endOfPeriod(x.end).localeCompare(endOfPeriod(y.end)));
}

const IndicatorRow = rowShape({
  id: col.text,
  actionId: col.text,
  description: col.text,
  unit: col.nullableText,
  baselineValue: col.nullableText,
  baselineYear: col.nullableInt,
  targetValue: col.nullableText,
  targetYear: col.nullableInt,
});
const SeriesValueRow = rowShape({ indicatorId: col.text, roundId: col.text, date: col.text, value: col.num, submittedAt: col.text });

/** Every live indicator with baseline, target and the values in force across all rounds, in date order. */
async function indicatorSeries(db: Sql, planId: string, live: Set<string>): Promise<IndicatorSeries[]> {
  const indicators = await db.rows(
    IndicatorRow,
    sql`SELECT i.id, i.action_id AS "actionId", i.description, i.unit, i.baseline_value AS "baselineValue", i.baseline_year AS "baselineYear",
               i.target_value AS "targetValue", i.target_year AS "targetYear"
          FROM indicators i JOIN actions a ON a.id = i.action_id JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
         WHERE a.plan_id = ${planId}
         ORDER BY c.position, s.position, a.position, i.position`,
  );
  // Ordered by id only so that values equal in date and submission come in the same order on both
  // engines; the date order itself is sorted per indicator below.
  const values = await db.rows(
    SeriesValueRow,
    sql`SELECT v.indicator_id AS "indicatorId", r.round_id AS "roundId", v.observed_on AS date, v.value, r.submitted_at AS "submittedAt"
          FROM observed_values v JOIN progress_reports r ON r.id = v.report_id
         WHERE r.plan_id = ${planId} AND ${IN_FORCE}
         ORDER BY v.id`,
  );
  // Sorted per indicator (a handful of values each) rather than all of them in SQL.
  const byIndicator = new Map<string, typeof values>();
  for (const v of values) {
    const list = byIndicator.get(v.indicatorId);
    if (list) list.push(v);
    else byIndicator.set(v.indicatorId, [v]);
  }
  const valuesOf = new Map<string, IndicatorSeries['values']>();
  for (const [id, list] of byIndicator) {
    list.sort((a, b) => a.date.localeCompare(b.date) || a.submittedAt.localeCompare(b.submittedAt));
    valuesOf.set(id, list.map((v) => ({ roundId: v.roundId, date: v.date, value: v.value })));
  }
  return indicators
    .filter((i) => live.has(i.actionId))
    .map((i) => ({
      indicatorId: i.id,
      actionId: i.actionId,
      description: i.description,
      unit: i.unit,
      measure: indicatorMeasure(i),
      baseline: { value: numericValue(i.baselineValue) ?? yesNoAnswer(i.baselineValue), year: i.baselineYear },
      target: { value: numericValue(i.targetValue) ?? yesNoAnswer(i.targetValue), year: i.targetYear },
      values: valuesOf.get(i.id) ?? [],
    }));
}
