import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { inTransaction, inTransactionNow, row, rows, run, step, stepsOn, type Steps } from '../db/sql/steps.ts';
import { col, rowShape } from '../db/rows.ts';
import { badRequest, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { actionInPlan, indicatorColumns, IndicatorRow, sectionNotAgreed, toIndicator, touch } from './actions.ts';
import { recordIndicatorCreated, recordIndicatorDeleted, recordIndicatorUpdated } from './actionHistory.ts';
import type { Actor } from './history.ts';
import { requirePlanOrganisations, requirePlanOrganisationsNow } from './planOrganisations.ts';
import { proposerOf, refuseReattribution, requireRemovalReason } from './proposals.ts';
import type { Indicator, IndicatorInput } from '../../shared/api/index.ts';

/**
 * Indicators of actions: how progress is measured. Every change is recorded (actionHistory.ts).
 * Written once as steps (server/db/sql/steps.ts): `foo(q, …)` on either engine; `addIndicatorNow`
 * for fixtures still building plans inside their own `db.transaction()`.
 */

function* requireIndicatorFields(planId: string, i: IndicatorInput): Steps<void> {
  const ids = { proposedByOrganisationId: [i.proposedByOrganisationId] };
  yield* step({ now: (db) => requirePlanOrganisationsNow(db, planId, ids), on: (tx) => requirePlanOrganisations(tx, planId, ids) });
  if (i.baselineYear !== null && i.targetYear !== null && i.targetYear < i.baselineYear) {
    const message = 'The target year is before the baseline year.';
    throw badRequest(`The request is not valid. targetYear: ${message}`, { targetYear: { code: 'target_before_baseline' } });
  }
}

const IdRow = rowShape({ id: col.text });
const IndicatorInSection = IndicatorRow.extend({ sectionId: col.text });
type Found = Indicator & { sectionId: string };

/** The indicator with this id in the plan, with its action's section; not found in the bin. */
function* indicatorInPlan(planId: string, indicatorId: string): Steps<Found> {
  const found = yield* row(
    IndicatorInSection,
    sql`SELECT ${indicatorColumns}, a.section_id AS "sectionId" FROM indicators i JOIN actions a ON a.id = i.action_id
          JOIN sections s ON s.id = a.section_id
         WHERE i.id = ${indicatorId} AND a.plan_id = ${planId} AND s.deleted_at IS NULL`,
  );
  if (!found) throw notFound('indicator');
  const { sectionId, ...indicator } = found;
  return { ...toIndicator(indicator), sectionId };
}

export function findIndicator(q: Sql, planId: string, indicatorId: string): Promise<Found> {
  return stepsOn(q, indicatorInPlan(planId, indicatorId));
}

/**
 * Writes an indicator's fields (and, when given, its place in the action's list). Shared by
 * editing and by restoring a version, so both write the same columns the same way.
 */
export function writeIndicator(id: string, i: IndicatorInput, options: { position?: number; at?: string } = {}): Steps<{ changes: number }> {
  return run(
    sql`UPDATE indicators SET position = COALESCE(${options.position ?? null}, position), type = ${i.type}, description = ${i.description},
          unit = ${i.unit}, baseline_value = ${i.baselineValue}, baseline_year = ${i.baselineYear}, target_value = ${i.targetValue},
          target_year = ${i.targetYear}, data_source = ${i.dataSource}, frequency = ${i.frequency}, disaggregation = ${JSON.stringify(i.disaggregation)},
          proposed_by_organisation_id = ${i.proposedByOrganisationId}, updated_at = ${options.at ?? nowIso()}
        WHERE id = ${id}`,
  );
}

type Written = { indicator: Indicator; sectionId: string };

function* adding(planId: string, actionId: string, who: Actor, input: IndicatorInput): Steps<Written> {
  const action = yield* actionInPlan(planId, actionId);
  yield* sectionNotAgreed(action.sectionId);
  yield* requireIndicatorFields(planId, input);
  const id = newId();
  const at = nowIso();
  yield* run(
    sql`INSERT INTO indicators (id, action_id, position, type, description, created_at, updated_at)
        VALUES (${id}, ${actionId}, ${action.indicators.length}, ${input.type}, ${input.description}, ${at}, ${at})`,
  );
  yield* writeIndicator(id, input);
  yield* touch(actionId);
  const { sectionId, ...indicator } = yield* indicatorInPlan(planId, id);
  yield* recordIndicatorCreated(planId, who, action, indicator);
  return { indicator, sectionId };
}

/** Adds an indicator at the end of an action's list. Returns it with the action's section. */
export function addIndicator(q: Sql, planId: string, actionId: string, who: Actor, input: IndicatorInput): Promise<Written> {
  return inTransaction(q, () => adding(planId, actionId, who, input));
}

/** addIndicator synchronously, for fixtures that build plans inside a `db.transaction()` (benches). */
export function addIndicatorNow(db: Db, planId: string, actionId: string, who: Actor, input: IndicatorInput): Written {
  return inTransactionNow(db, () => adding(planId, actionId, who, input));
}

function* updating(planId: string, indicatorId: string, who: Actor, changes: Partial<IndicatorInput>): Steps<Written> {
  const { sectionId, ...before } = yield* indicatorInPlan(planId, indicatorId);
  const { id, actionId, position: _position, ...current } = before;
  yield* sectionNotAgreed(sectionId);
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<IndicatorInput>;
  refuseReattribution(yield* proposerOf(current.proposedByOrganisationId), defined.proposedByOrganisationId, who, 'This indicator');
  const next: IndicatorInput = { ...current, ...defined };
  yield* requireIndicatorFields(planId, next);
  yield* writeIndicator(id, next);
  yield* touch(actionId);
  const { sectionId: _, ...indicator } = yield* indicatorInPlan(planId, id);
  yield* recordIndicatorUpdated(planId, who, yield* actionInPlan(planId, actionId), before, indicator);
  return { indicator, sectionId };
}

/** Changes some fields of an indicator. Only its proposing organisation may say another proposed it. */
export function updateIndicator(q: Sql, planId: string, indicatorId: string, who: Actor, changes: Partial<IndicatorInput>): Promise<Written> {
  return inTransaction(q, () => updating(planId, indicatorId, who, changes));
}

function* deleting(planId: string, indicatorId: string, who: Actor, reason?: string): Steps<{ sectionId: string; actionId: string }> {
  const { sectionId, ...indicator } = yield* indicatorInPlan(planId, indicatorId);
  const { actionId } = indicator;
  yield* sectionNotAgreed(sectionId);
  const why = requireRemovalReason([yield* proposerOf(indicator.proposedByOrganisationId)], who, reason, 'This indicator');
  yield* run(sql`DELETE FROM indicators WHERE id = ${indicatorId}`);
  const ids = yield* rows(IdRow, sql`SELECT id FROM indicators WHERE action_id = ${actionId} ORDER BY position, id`);
  for (const [i, { id }] of ids.entries()) yield* run(sql`UPDATE indicators SET position = ${i} WHERE id = ${id}`);
  yield* touch(actionId);
  yield* recordIndicatorDeleted(planId, who, yield* actionInPlan(planId, actionId), indicator, why);
  return { sectionId, actionId };
}

/**
 * Deletes an indicator, renumbering the rest of its action's list. Another organisation's proposal
 * needs a `reason`. Returns the action's section.
 */
export function deleteIndicator(q: Sql, planId: string, indicatorId: string, who: Actor, reason?: string): Promise<{ sectionId: string; actionId: string }> {
  return inTransaction(q, () => deleting(planId, indicatorId, who, reason));
}
