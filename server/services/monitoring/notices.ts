import type { Logger } from 'pino';
import { z } from 'zod';
import { sql } from 'kysely';
import { oneAtATime } from '../../db/sql/locks.ts';
import { col, rowShape } from '../../db/rows.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import type { EventBus } from '../../events.ts';
import { byWhom, quoted, type Actor } from '../history.ts';
import { notify } from '../notifications.ts';
import { RATING_WORDS, type SavedAssessment } from './assessments.ts';
import { REPORTING_STAGES } from './lifecycle.ts';
import { latestReportsInRound, recommendationRatings } from './progress.ts';
import { actionGovernmentRating, isDisputed } from '../../../shared/monitoring/ratings.ts';
import type { NoticeText } from '../../../shared/api/index.ts';

/**
 * Monitoring's notices (the inbox): a report submitted, an assessment that disputes one's report,
 * and reports due soon or overdue. Each function returns how many notices it wrote, so the caller
 * emits the plan's `notifications` event only when there are some.
 *
 * On Sql (decision 0011): each reads who to tell and writes the notices in one transaction, so two
 * checks at once (the hourly one and a round's change) take turns rather than both send a notice.
 */

/** Where a notice about an item of a round leads: the progress page, on that round and item. */
export const progressLink = (planId: string, roundId: string, actionId?: string) =>
  `/plans/${planId}/progress?round=${roundId}${actionId ? `&action=${actionId}` : ''}`;

const IdRow = rowShape({ id: col.text });
const ReportContextRow = rowShape({ title: col.text, roundName: col.text });
const ReporterRow = rowShape({ userId: col.text, actions: col.int });
const DueReportRow = rowShape({
  planId: col.text,
  roundName: col.text,
  dueDate: col.text,
  title: col.text,
  userId: col.text,
  kind: z.enum(['report_due', 'report_overdue']),
  link: col.text,
});

/** Sends one notice to each person, except the one who did it. */
async function tell(
  tx: Sql,
  planId: string,
  userIds: Iterable<string>,
  except: string | null,
  notice: { kind: 'report_submitted' | 'assessment_disputes' | 'report_due'; summary: string; text: NoticeText; link: string },
): Promise<number> {
  let sent = 0;
  for (const userId of new Set(userIds)) {
    if (userId === except) continue;
    await notify(tx, { userId, planId, ...notice });
    sent += 1;
  }
  return sent;
}

/** A report was submitted: the plan's coordinators and the members of its monitoring body hear of it. */
export function noticeReportSubmitted(q: Sql, planId: string, who: Actor, report: { id: string; actionId: string; roundId: string; corrects?: string | null }): Promise<number> {
  return q.transaction(async (tx) => {
    const context = await tx.row(
      ReportContextRow,
      sql`SELECT a.title, rr.name AS "roundName" FROM actions a JOIN reporting_rounds rr ON rr.id = ${report.roundId}
           WHERE a.id = ${report.actionId} AND a.plan_id = ${planId} AND rr.plan_id = a.plan_id`,
    );
    if (!context) return 0;
    const people = (
      await tx.rows(
        IdRow,
        sql`SELECT m.user_id AS id FROM plan_members m JOIN users u ON u.id = m.user_id JOIN plans p ON p.id = m.plan_id
             WHERE m.plan_id = ${planId} AND (m.role = 'coordinator' OR u.organisation_id = p.monitoring_body_id)`,
      )
    ).map((r) => r.id);
    return tell(tx, planId, people, who.principal.userId, {
      kind: 'report_submitted',
      summary: report.corrects
        ? `${byWhom(who)} corrected the progress report on the action ${quoted(context.title)} for the round “${context.roundName}”.`
        : `${byWhom(who)} submitted the progress report on the action ${quoted(context.title)} for the round “${context.roundName}”.`,
      text: { key: report.corrects ? 'report_corrected' : 'report_submitted', params: { who: who.principal.name, title: context.title, round: context.roundName } },
      link: progressLink(planId, report.roundId, report.actionId),
    });
  });
}

/**
 * A saved assessment that disputes the government's rating (and did not before this save): the
 * members of each organisation whose report it disputes hear of it — for an action, the author's
 * organisation of its report in force; for a recommendation, those of its linked actions' reports.
 */
export async function noticeAssessmentDisputes(q: Sql, planId: string, roundId: string, who: Actor, saved: SavedAssessment): Promise<number> {
  const { assessment, previousRating } = saved;
  if (previousRating === assessment.rating) return 0;
  return q.transaction(async (tx) => {
    const latest = await latestReportsInRound(tx, planId, roundId, assessment.targetType === 'action' ? assessment.targetId : undefined);
    let governmentRating;
    let reportingOrganisations: string[];
    if (assessment.targetType === 'action') {
      const report = latest.get(assessment.targetId);
      governmentRating = actionGovernmentRating(report?.status ?? null);
      reportingOrganisations = report ? [report.organisationId] : [];
    } else {
      governmentRating = (await recommendationRatings(tx, planId, latest, assessment.targetId)).get(assessment.targetId) ?? 'no_information';
      const linked = await tx.rows(IdRow, sql`SELECT action_id AS id FROM action_recommendations WHERE recommendation_id = ${assessment.targetId}`);
      reportingOrganisations = linked.flatMap((l) => {
        const report = latest.get(l.id);
        return report ? [report.organisationId] : [];
      });
    }
    if (!isDisputed(governmentRating, [assessment.rating]) || reportingOrganisations.length === 0) return 0;
    const userIds: string[] = [];
    for (const org of new Set(reportingOrganisations)) {
      const people = await tx.rows(
        IdRow,
        sql`SELECT m.user_id AS id FROM plan_members m JOIN users u ON u.id = m.user_id WHERE m.plan_id = ${planId} AND u.organisation_id = ${org}`,
      );
      userIds.push(...people.map((r) => r.id));
    }
    const what = assessment.targetType === 'action' ? `the action ${quoted(saved.title)}` : saved.title;
    return tell(tx, planId, userIds, who.principal.userId, {
      kind: 'assessment_disputes',
      summary: `${assessment.organisation.name} assessed ${what} as ${RATING_WORDS[assessment.rating]} in the round “${saved.roundName}”, which disputes the government's report (${RATING_WORDS[governmentRating]}).`,
      text: {
        key: 'assessment_disputes',
        params: { organisation: assessment.organisation.name, title: saved.title, round: saved.roundName, rating: assessment.rating, governmentRating },
      },
      link: progressLink(planId, roundId, assessment.targetType === 'action' ? assessment.targetId : undefined),
    });
  });
}

/**
 * A round was opened: each person who may report an action of the plan (a drafter or commenter of
 * its lead or co-implementing organisation) hears once, however many actions their organisation
 * answers for, so the round's calendar reaches them before the two-week reminders do.
 */
export function noticeRoundOpened(q: Sql, planId: string, who: Actor, round: { id: string; name: string; dueDate: string }): Promise<number> {
  return q.transaction(async (tx) => {
    const rows = await tx.rows(
      ReporterRow,
      sql`SELECT m.user_id AS "userId", COUNT(DISTINCT a.id) AS actions
            FROM plan_members m
            JOIN users u ON u.id = m.user_id
            JOIN actions a ON a.plan_id = m.plan_id
            JOIN sections s ON s.id = a.section_id AND s.deleted_at IS NULL
            JOIN chapters c ON c.id = s.chapter_id AND c.deleted_at IS NULL
           WHERE m.plan_id = ${planId} AND m.role IN ('drafter', 'commenter')
             AND (u.organisation_id = a.lead_agency_id OR EXISTS (
                   SELECT 1 FROM action_organisations ao WHERE ao.action_id = a.id AND ao.role = 'co_implementer' AND ao.organisation_id = u.organisation_id))
           GROUP BY m.user_id
           ORDER BY m.user_id`,
    );
    let sent = 0;
    for (const r of rows) {
      sent += await tell(tx, planId, [r.userId], who.principal.userId, {
        kind: 'report_due',
        summary: `${who.principal.name} opened the reporting round “${round.name}”: reports on ${r.actions} of your organisation's actions are due ${round.dueDate}.`,
        text: { key: 'round_opened', params: { who: who.principal.name, round: round.name, count: r.actions, due: round.dueDate } },
        link: progressLink(planId, round.id),
      });
    }
    return sent;
  });
}

/** How close a due date must be for a "report due" notice. */
export const DUE_SOON_DAYS = 14;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Reports due within two weeks, or overdue: each person who may report an action (a member of its
 * lead or co-implementing organisation, not an observer) without a submitted report in an open
 * round hears once per round, action and kind. The notice's link names the round and the action,
 * so an earlier identical notice is how a repeat is recognised. Returns the plans notified.
 */
export function checkReportsDue(q: Sql, today = new Date().toISOString().slice(0, 10)): Promise<Map<string, number>> {
  const soon = addDays(today, DUE_SOON_DAYS);
  return q.transaction(async (tx) => {
    // Every server runs this check; one at a time, each later one sees the notices the earlier wrote.
    await oneAtATime(tx, 'reports-due');
    const rows = await tx.rows(
      DueReportRow,
      sql`WITH due AS (
            SELECT rr.plan_id AS "planId", rr.id AS "roundId", rr.name AS "roundName", rr.due_date AS "dueDate", a.id AS "actionId", a.title, m.user_id AS "userId",
                   CASE WHEN rr.due_date < ${today} THEN 'report_overdue' ELSE 'report_due' END AS kind,
                   '/plans/' || rr.plan_id || '/progress?round=' || rr.id || '&action=' || a.id AS link
              FROM reporting_rounds rr
              JOIN plans p ON p.id = rr.plan_id AND p.stage IN (${sql.join([...REPORTING_STAGES])})
              JOIN actions a ON a.plan_id = rr.plan_id
              JOIN sections s ON s.id = a.section_id AND s.deleted_at IS NULL
              JOIN chapters c ON c.id = s.chapter_id AND c.deleted_at IS NULL
              JOIN plan_members m ON m.plan_id = rr.plan_id AND m.role IN ('coordinator', 'drafter', 'commenter')
              JOIN users u ON u.id = m.user_id
             WHERE rr.state = 'open' AND rr.due_date <= ${soon}
               AND (u.organisation_id = a.lead_agency_id OR EXISTS (
                     SELECT 1 FROM action_organisations ao WHERE ao.action_id = a.id AND ao.role = 'co_implementer' AND ao.organisation_id = u.organisation_id))
               AND NOT EXISTS (SELECT 1 FROM progress_reports r WHERE r.round_id = rr.id AND r.action_id = a.id AND r.state = 'submitted'))
          SELECT d."planId", d."roundName", d."dueDate", d.title, d."userId", d.kind, d.link FROM due d
           WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = d."userId" AND n.plan_id = d."planId" AND n.kind = d.kind AND n.link = d.link)
           ORDER BY d."planId", d."dueDate", d."roundId", d."actionId", d."userId", d.kind`,
    );
    const perPlan = new Map<string, number>();
    for (const r of rows) {
      const summary =
        r.kind === 'report_overdue'
          ? `The progress report on the action ${quoted(r.title)} for the round “${r.roundName}” is overdue: it was due on ${r.dueDate}.`
          : `The progress report on the action ${quoted(r.title)} for the round “${r.roundName}” is due on ${r.dueDate}.`;
      const text = { key: r.kind, params: { title: r.title, round: r.roundName, due: r.dueDate } };
      await notify(tx, { userId: r.userId, planId: r.planId, kind: r.kind, summary, text, link: r.link });
      perPlan.set(r.planId, (perPlan.get(r.planId) ?? 0) + 1);
    }
    return perPlan;
  });
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Runs the due/overdue check at start, every hour, and whenever a plan's lifecycle changes (a round
 * opened, its due date moved, the plan adopted), so a round due next week is announced at once.
 * Registered where the app is composed (server/server.ts); returns the stop function.
 */
export function registerReportReminders(deps: { sql: Sql; events: EventBus; logger?: Logger }): () => void {
  const run = () => {
    checkReportsDue(deps.sql).then(
      (perPlan) => {
        for (const planId of perPlan.keys()) deps.events.emit('plan', planId, { type: 'notifications' });
      },
      (err: unknown) => deps.logger?.warn({ err }, 'checking reports due failed'),
    );
  };
  const onPlanEvent = (_planId: string, event: { type: string }) => {
    if (event.type === 'lifecycle') run();
  };
  run();
  const timer = setInterval(run, HOUR_MS);
  timer.unref();
  deps.events.on('plan', onPlanEvent);
  return () => {
    clearInterval(timer);
    deps.events.off('plan', onPlanEvent);
  };
}
