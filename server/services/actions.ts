import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { lockRowsForChange, lockRowsToReferTo } from '../db/sql/locks.ts';
import { inTransaction, inTransactionNow, row, rows, run, step, stepsOn, theRow, type Steps } from '../db/sql/steps.ts';
import { badRequest, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { requirePlanOrganisations, requirePlanOrganisationsNow } from './planOrganisations.ts';
import { requireSectionNotAgreed, requireSectionNotAgreedNow } from './sectionAgreed.ts';
import type { Actor } from './history.ts';
import { recordActionChanges, recordActionCreated, recordActionDeleted } from './actionHistory.ts';
import { proposerOf, refuseReattribution, requireRemovalReason, type Proposer } from './proposals.ts';
import { planActionNumbers } from './actionNumbers.ts';
import type { Action, ActionInput, ActionUpdate, Indicator } from '../../shared/api/index.ts';
import { ActionStatusSchema, IndicatorTypeSchema, PositionSchema } from '../../shared/api/index.ts';
import { confirmedGroupMemberIds } from './recommendationGroups/store.ts';
import { visibleRecommendation } from './recommendations.ts';

/*
 * Actions, their organisations and links, on Sql (decision 0011). The reads and edits are written
 * once as steps (server/db/sql/steps.ts): `foo(q, …)` runs them on either engine, inside a
 * transaction of their own for an edit; `fooNow(db, …)` runs the same queries synchronously for
 * the callers still inside a `db.transaction()` of their own (versions, agreement's signed content,
 * the bin, fixtures of tests and benches).
 */

// ---- Time points -------------------------------------------------------------------------------

/** The first day a time point (2027, 2027-Q2, 2027-05-31) covers, as YYYY-MM-DD. */
export function firstDay(point: string): string {
  const [year, rest] = [point.slice(0, 4), point.slice(5)];
  if (rest === '') return `${year}-01-01`;
  if (rest.startsWith('Q')) return `${year}-${String((Number(rest[1]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  return point;
}

/** The last day a time point covers, as YYYY-MM-DD. */
export function lastDay(point: string): string {
  const [year, rest] = [point.slice(0, 4), point.slice(5)];
  if (rest === '') return `${year}-12-31`;
  if (rest.startsWith('Q')) return `${year}-${['03-31', '06-30', '09-30', '12-31'][Number(rest[1]) - 1]!}`;
  return point;
}

/**
 * An action may end in the same period it starts ("start 2027, end 2027-Q1" is fine); it may not
 * end entirely before it starts.
 */
function requireTimeline(start: string | null, end: string | null): void {
  if (start === null || end === null) return;
  if (lastDay(end) < firstDay(start)) {
    const message = `The action ends (${end}) before it starts (${start}).`;
    throw badRequest(`The request is not valid. end: ${message}`, { end: { code: 'end_before_start' } });
  }
}

// ---- Reading -----------------------------------------------------------------------------------

/** A row of actionColumns. */
const ActionRow = rowShape({
  id: col.text,
  planId: col.text,
  sectionId: col.text,
  position: col.int,
  title: col.text,
  description: col.text,
  leadAgencyId: col.nullableText,
  start: col.nullableText,
  end: col.nullableText,
  status: ActionStatusSchema,
  budgetAmount: col.nullableNum,
  currency: col.nullableText,
  fundingSource: col.nullableText,
  proposedByOrganisationId: col.nullableText,
  updatedAt: col.text,
});
type ActionRow = z.output<typeof ActionRow>;

/** A row of indicatorColumns: the indicator with its disaggregation as stored (a JSON array). */
export const IndicatorRow = rowShape({
  id: col.text,
  actionId: col.text,
  position: col.int,
  type: IndicatorTypeSchema,
  description: col.text,
  unit: col.nullableText,
  baselineValue: col.nullableText,
  baselineYear: col.nullableInt,
  targetValue: col.nullableText,
  targetYear: col.nullableInt,
  dataSource: col.nullableText,
  frequency: col.nullableText,
  disaggregation: col.text,
  proposedByOrganisationId: col.nullableText,
});
export type IndicatorRow = z.output<typeof IndicatorRow>;

const ActionOrganisation = rowShape({ actionId: col.text, id: col.text, role: z.enum(['co_implementer', 'cso_partner']) });
const ActionRecommendation = rowShape({ actionId: col.text, id: col.text, reference: col.text, text: col.text, position: PositionSchema });
const Id = rowShape({ id: col.text });
const Count = rowShape({ n: col.int });
const One = rowShape({ one: col.int });

// `start` and `end` quoted like every alias: END is a reserved word of PostgreSQL.
const actionColumns = sql`a.id, a.plan_id AS "planId", a.section_id AS "sectionId", a.position, a.title, a.description,
  a.lead_agency_id AS "leadAgencyId", a.start_at AS "start", a.end_at AS "end", a.status, a.budget_amount AS "budgetAmount",
  a.currency, a.funding_source AS "fundingSource", a.proposed_by_organisation_id AS "proposedByOrganisationId", a.updated_at AS "updatedAt"`;

export const indicatorColumns = sql`i.id, i.action_id AS "actionId", i.position, i.type, i.description, i.unit,
  i.baseline_value AS "baselineValue", i.baseline_year AS "baselineYear", i.target_value AS "targetValue",
  i.target_year AS "targetYear", i.data_source AS "dataSource", i.frequency, i.disaggregation,
  i.proposed_by_organisation_id AS "proposedByOrganisationId"`;

export const toIndicator = (row: IndicatorRow): Indicator => ({ ...row, disaggregation: JSON.parse(row.disaggregation) as string[] });

/** Rows grouped by the action they belong to, in the order the query returned them. */
function byAction<T extends { actionId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.actionId);
    if (group) group.push(row);
    else groups.set(row.actionId, [row]);
  }
  return groups;
}

/**
 * Assembles actions with their organisations, links and indicators in three queries, whatever
 * their number: `scope` selects the same actions as `found` (one section's, one action, or a whole
 * plan's), and the rows are grouped per action in one pass so a plan of thousands stays linear.
 *
 * `numbered`: give each action its plan-wide number (one query over the plan's actions). Readers
 * that do not show numbers (the signed content's hash, version snapshots) pass false and get null,
 * so a loop over a plan's sections does not number the whole plan once per section.
 *
 * Ties of order (which the services do not make) go by id, the same way on both engines.
 */
function* assemble(found: ActionRow[], scope: RawBuilder<unknown>, numbered = true): Steps<Action[]> {
  const orgs = byAction(
    yield* rows(
      ActionOrganisation,
      sql`SELECT ao.action_id AS "actionId", ao.organisation_id AS id, ao.role FROM action_organisations ao
            JOIN actions a ON a.id = ao.action_id WHERE ${scope} ORDER BY ao.position, ao.organisation_id`,
    ),
  );
  const recs = byAction(
    yield* rows(
      ActionRecommendation,
      sql`SELECT ar.action_id AS "actionId", r.id, r.reference, r.text, r.position FROM action_recommendations ar
            JOIN actions a ON a.id = ar.action_id JOIN recommendations r ON r.id = ar.recommendation_id
           WHERE ${scope} ORDER BY r.sort_key, r.id`,
    ),
  );
  const indicators = byAction(
    yield* rows(IndicatorRow, sql`SELECT ${indicatorColumns} FROM indicators i JOIN actions a ON a.id = i.action_id WHERE ${scope} ORDER BY i.position, i.id`),
  );
  // Plan-wide numbers: one query over the plan's actions, whatever the scope (a section, one action).
  const numbers = numbered && found.length > 0 ? yield* planActionNumbers(found[0]!.planId) : new Map<string, number>();
  return found.map((row) => {
    const own = orgs.get(row.id) ?? [];
    const linked = (recs.get(row.id) ?? []).map(({ actionId: _, ...r }) => r);
    return {
      ...row,
      coImplementerIds: own.filter((o) => o.role === 'co_implementer').map((o) => o.id),
      civilSocietyPartnerIds: own.filter((o) => o.role === 'cso_partner').map((o) => o.id),
      recommendationIds: linked.map((r) => r.id),
      recommendations: linked,
      indicators: (indicators.get(row.id) ?? []).map(toIndicator),
      number: numbers.get(row.id) ?? null,
    };
  });
}

function* requireSectionInPlan(planId: string, sectionId: string): Steps<void> {
  const found = yield* row(One, sql`SELECT 1 AS one FROM sections WHERE id = ${sectionId} AND plan_id = ${planId} AND deleted_at IS NULL`);
  if (!found) throw notFound('section');
}

/**
 * Before an edit of a section's actions or indicators: the section, refused when agreed. On
 * PostgreSQL its row is locked first (FOR NO KEY UPDATE, as PgDocumentStore locks a document), so
 * edits of one section take turns: two actions added at once cannot take one place, and no edit
 * is checked against a state another is changing. SQLite's write transactions take turns already.
 */
export function* sectionNotAgreed(sectionId: string, message?: string): Steps<void> {
  yield* lockSections([sectionId]);
  yield* step({ now: (db) => requireSectionNotAgreedNow(db, sectionId, message), on: (tx) => requireSectionNotAgreed(tx, sectionId, message) });
}

/** Locks sections' rows on PostgreSQL, in id order (locks.ts); nothing on SQLite. */
const lockSections = (sectionIds: string[]) => step({ now: () => undefined, on: (tx) => lockRowsForChange(tx, 'sections', sectionIds) });

/** The other services' checks an edit makes inside its transaction, as steps of both forms. */
const planOrganisationsOnly = (planId: string, ids: Record<string, Array<string | null | undefined>>) =>
  step({ now: (db) => requirePlanOrganisationsNow(db, planId, ids), on: (tx) => requirePlanOrganisations(tx, planId, ids) });

/**
 * A section's actions in order, each with organisations, linked recommendations and indicators;
 * with their plan-wide numbers unless `numbered` is false (see assemble).
 */
export function* sectionActions(planId: string, sectionId: string, numbered = true): Steps<Action[]> {
  yield* requireSectionInPlan(planId, sectionId);
  const found = yield* rows(ActionRow, sql`SELECT ${actionColumns} FROM actions a WHERE a.section_id = ${sectionId} ORDER BY a.position, a.id`);
  return yield* assemble(found, sql`a.section_id = ${sectionId}`, numbered);
}

export function listActions(q: Sql, planId: string, sectionId: string, numbered = true): Promise<Action[]> {
  return stepsOn(q, sectionActions(planId, sectionId, numbered));
}

/**
 * Every action of the plan's live sections (none in the bin), in outline order (chapter, section,
 * action), each exactly as `listActions` gives it: what the progress page needs in one request
 * rather than one per section.
 */
function* planActions(planId: string): Steps<Action[]> {
  const live = sql`a.plan_id = ${planId} AND EXISTS (SELECT 1 FROM sections s JOIN chapters c ON c.id = s.chapter_id
    WHERE s.id = a.section_id AND s.deleted_at IS NULL AND c.deleted_at IS NULL)`;
  const found = yield* rows(
    ActionRow,
    sql`SELECT ${actionColumns} FROM actions a JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
         WHERE ${live} ORDER BY c.position, c.id, s.position, s.id, a.position, a.id`,
  );
  return yield* assemble(found, live);
}

export function listPlanActions(q: Sql, planId: string): Promise<Action[]> {
  return stepsOn(q, planActions(planId));
}

/** One action of the plan (404 when it is not in this plan, or its section is in the bin). */
export function* actionInPlan(planId: string, actionId: string): Steps<Action> {
  const found = yield* row(
    ActionRow,
    sql`SELECT ${actionColumns} FROM actions a JOIN sections s ON s.id = a.section_id
         WHERE a.id = ${actionId} AND a.plan_id = ${planId} AND s.deleted_at IS NULL`,
  );
  if (!found) throw notFound('action');
  return (yield* assemble([found], sql`a.id = ${actionId}`))[0]!;
}

export function getAction(q: Sql, planId: string, actionId: string): Promise<Action> {
  return stepsOn(q, actionInPlan(planId, actionId));
}

// ---- Writing -----------------------------------------------------------------------------------
// Every change is recorded (actionHistory.ts) in the transaction that makes it.

/**
 * Whether the recommendation is one of the plan's, and not in an import being written or undone.
 * Asked before linking it: on PostgreSQL its row is locked first (locks.ts, `lockRowsToReferTo`),
 * so one being deleted at that moment is waited for and then not found, as on SQLite.
 */
export function* recommendationInPlan(planId: string, recommendationId: string): Steps<boolean> {
  yield* step({ now: () => undefined, on: (tx) => lockRowsToReferTo(tx, 'recommendations', [recommendationId]) });
  const found = yield* row(
    One,
    sql`SELECT 1 AS one FROM recommendations r WHERE r.id = ${recommendationId} AND r.plan_id = ${planId} AND ${sql.raw(visibleRecommendation())}`,
  );
  return found !== undefined;
}

/** Refuses ids that are not recommendations of this plan, naming the first. */
function* requirePlanRecommendations(planId: string, ids: string[]): Steps<void> {
  for (const id of ids) {
    if (!(yield* recommendationInPlan(planId, id))) {
      const message = `The recommendation ${id} is not part of this plan.`;
      throw badRequest(`The request is not valid. recommendationIds: ${message}`, { recommendationIds: { code: 'not_in_plan' } });
    }
  }
}

export const insertActionOrganisation = (actionId: string, organisationId: string, role: 'co_implementer' | 'cso_partner', position: number) =>
  sql`INSERT INTO action_organisations (action_id, organisation_id, role, position) VALUES (${actionId}, ${organisationId}, ${role}, ${position})
      ON CONFLICT DO NOTHING`;
export const insertActionLink = (actionId: string, recommendationId: string) =>
  sql`INSERT INTO action_recommendations (action_id, recommendation_id) VALUES (${actionId}, ${recommendationId}) ON CONFLICT DO NOTHING`;

function* writeOrganisations(actionId: string, coImplementerIds: string[], partnerIds: string[]): Steps<void> {
  yield* run(sql`DELETE FROM action_organisations WHERE action_id = ${actionId}`);
  for (const [i, id] of coImplementerIds.entries()) yield* run(insertActionOrganisation(actionId, id, 'co_implementer', i));
  for (const [i, id] of partnerIds.entries()) yield* run(insertActionOrganisation(actionId, id, 'cso_partner', i));
}

function* writeRecommendationLinks(actionId: string, ids: string[]): Steps<void> {
  yield* run(sql`DELETE FROM action_recommendations WHERE action_id = ${actionId}`);
  for (const id of ids) yield* run(insertActionLink(actionId, id));
}

function* validate(planId: string, a: ActionInput): Steps<void> {
  requireTimeline(a.start, a.end);
  yield* planOrganisationsOnly(planId, {
    leadAgencyId: [a.leadAgencyId],
    coImplementerIds: a.coImplementerIds,
    civilSocietyPartnerIds: a.civilSocietyPartnerIds,
    proposedByOrganisationId: [a.proposedByOrganisationId],
  });
  yield* requirePlanRecommendations(planId, a.recommendationIds);
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

function* creating(planId: string, sectionId: string, who: Actor, input: ActionInput): Steps<Action> {
  const id = newId();
  yield* requireSectionInPlan(planId, sectionId);
  yield* sectionNotAgreed(sectionId);
  const proposedBy = input.proposedByOrganisationId === undefined ? who.principal.organisationId : input.proposedByOrganisationId;
  yield* validate(planId, { ...input, proposedByOrganisationId: proposedBy });
  const { n } = yield* theRow(Count, sql`SELECT count(*) AS n FROM actions WHERE section_id = ${sectionId}`);
  const at = nowIso();
  yield* run(
    sql`INSERT INTO actions (id, plan_id, section_id, position, title, description, lead_agency_id, start_at, end_at, status,
          budget_amount, currency, funding_source, proposed_by_organisation_id, created_by, created_at, updated_at)
        VALUES (${id}, ${planId}, ${sectionId}, ${n}, ${input.title}, ${input.description}, ${input.leadAgencyId}, ${input.start}, ${input.end},
          ${input.status}, ${input.budgetAmount}, ${input.currency}, ${input.fundingSource}, ${proposedBy}, ${who.principal.userId}, ${at}, ${at})`,
  );
  yield* writeOrganisations(id, input.coImplementerIds, input.civilSocietyPartnerIds);
  yield* writeRecommendationLinks(id, input.recommendationIds);
  const action = yield* actionInPlan(planId, id);
  yield* recordActionCreated(planId, who, action);
  return action;
}

/**
 * Adds an action at the end of a section. Without `proposedByOrganisationId` it is the creator's
 * organisation's proposal.
 */
export function createAction(q: Sql, planId: string, sectionId: string, who: Actor, input: ActionInput): Promise<Action> {
  return inTransaction(q, () => creating(planId, sectionId, who, input));
}

/** createAction synchronously, for fixtures that build plans inside a `db.transaction()` (tests, benches). */
export function createActionNow(db: Db, planId: string, sectionId: string, who: Actor, input: ActionInput): Action {
  return inTransactionNow(db, () => creating(planId, sectionId, who, input));
}

function* actionIdsOf(sectionId: string): Steps<string[]> {
  return (yield* rows(Id, sql`SELECT id FROM actions WHERE section_id = ${sectionId} ORDER BY position, id`)).map((r) => r.id);
}

function* renumberActions(sectionId: string, ids: string[]): Steps<void> {
  for (const [i, id] of ids.entries()) yield* run(sql`UPDATE actions SET position = ${i}, section_id = ${sectionId} WHERE id = ${id}`);
}

/**
 * Moves an action to `position` (clamped; the end when absent) in `to`, its own section or another
 * live, not agreed section of the plan. A dissenting position on the action moves with it.
 */
function* moveAction(planId: string, action: Action, to: string, position: number | undefined): Steps<void> {
  if (to !== action.sectionId) {
    yield* requireSectionInPlan(planId, to);
    yield* sectionNotAgreed(to);
  }
  const target = (yield* actionIdsOf(to)).filter((id) => id !== action.id);
  target.splice(Math.min(position ?? target.length, target.length), 0, action.id);
  if (to !== action.sectionId) {
    yield* renumberActions(action.sectionId, (yield* actionIdsOf(action.sectionId)).filter((id) => id !== action.id));
    yield* run(sql`UPDATE dissenting_positions SET section_id = ${to} WHERE action_id = ${action.id}`);
  }
  yield* renumberActions(to, target);
}

type Updated = { action: Action; linksChanged: boolean; fromSectionId: string | null };

function* updating(planId: string, actionId: string, who: Actor, changes: Partial<ActionUpdate>): Steps<Updated> {
  const current = yield* actionInPlan(planId, actionId);
  const { sectionId: to, position, ...fields } = changes;
  // A move locks both sections before either: two actions moved the opposite ways at once would
  // otherwise each hold the section the other waits for.
  if (to !== undefined && to !== current.sectionId) yield* lockSections([current.sectionId, to]);
  yield* sectionNotAgreed(current.sectionId);
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<ActionInput>;
  refuseReattribution(yield* proposerOf(current.proposedByOrganisationId), defined.proposedByOrganisationId, who, 'This action');
  const next: ActionInput = { ...current, ...defined };
  yield* validate(planId, next);
  yield* run(
    sql`UPDATE actions SET title = ${next.title}, description = ${next.description}, lead_agency_id = ${next.leadAgencyId}, start_at = ${next.start},
          end_at = ${next.end}, status = ${next.status}, budget_amount = ${next.budgetAmount}, currency = ${next.currency},
          funding_source = ${next.fundingSource}, proposed_by_organisation_id = ${next.proposedByOrganisationId ?? null}, updated_at = ${nowIso()}
        WHERE id = ${actionId}`,
  );
  if (defined.coImplementerIds || defined.civilSocietyPartnerIds) {
    yield* writeOrganisations(actionId, next.coImplementerIds, next.civilSocietyPartnerIds);
  }
  const linksChanged = defined.recommendationIds !== undefined && !sameSet(defined.recommendationIds, current.recommendationIds);
  if (linksChanged) yield* writeRecommendationLinks(actionId, next.recommendationIds);
  if (to !== undefined || position !== undefined) yield* moveAction(planId, current, to ?? current.sectionId, position);
  const action = yield* actionInPlan(planId, actionId);
  yield* recordActionChanges(planId, who, current, action);
  return { action, linksChanged, fromSectionId: action.sectionId !== current.sectionId ? current.sectionId : null };
}

/**
 * Changes some fields of an action, and/or moves it (`sectionId`, `position`); the result is
 * validated as a whole (an end sent alone is checked against the stored start). `linksChanged`
 * tells the caller to announce recommendations; `fromSectionId` is set when it left a section.
 */
export function updateAction(q: Sql, planId: string, actionId: string, who: Actor, changes: Partial<ActionUpdate>): Promise<Updated> {
  return inTransaction(q, () => updating(planId, actionId, who, changes));
}

/**
 * Puts an action at `position` (0-based) among its section's actions, the others keeping their
 * order: what dragging a card or "Move up"/"Move down" asks for. Unlike a PATCH with `position`
 * (which clamps), a place outside the section is refused, so a page showing a stale list cannot
 * silently put the action somewhere the person did not see. The order is part of what is signed
 * (canonical lines number the actions), so an agreed section refuses it like any other edit.
 * Returns the section's actions in their new order and whether anything moved.
 */
export function reorderAction(q: Sql, planId: string, sectionId: string, actionId: string, who: Actor, position: number): Promise<{ actions: Action[]; moved: boolean }> {
  return inTransaction(q, function* () {
    yield* requireSectionInPlan(planId, sectionId);
    const current = yield* actionInPlan(planId, actionId);
    // An action of another section is not found here: the path names the section it is moved in.
    if (current.sectionId !== sectionId) throw notFound('action');
    yield* sectionNotAgreed(sectionId);
    const order = yield* actionIdsOf(sectionId);
    if (position >= order.length) {
      const message = `The section has ${order.length} action${order.length === 1 ? '' : 's'}: a place from 0 to ${order.length - 1}.`;
      throw badRequest(`The request is not valid. position: ${message}`, { position: { code: 'position_out_of_range', params: { max: order.length - 1 } } });
    }
    if (order.indexOf(actionId) === position) return { actions: yield* sectionActions(planId, sectionId), moved: false };
    yield* moveAction(planId, current, sectionId, position);
    yield* recordActionChanges(planId, who, current, yield* actionInPlan(planId, actionId));
    return { actions: yield* sectionActions(planId, sectionId), moved: true };
  });
}

function* deleting(planId: string, actionId: string, who: Actor, reason?: string): Steps<{ sectionId: string; hadLinks: boolean }> {
  const action = yield* actionInPlan(planId, actionId);
  yield* sectionNotAgreed(action.sectionId);
  const proposers: Array<Proposer | null> = [];
  for (const id of [action.proposedByOrganisationId, ...action.indicators.map((i) => i.proposedByOrganisationId)]) proposers.push(yield* proposerOf(id));
  const why = requireRemovalReason(proposers, who, reason, 'This action or one of its indicators');
  yield* run(sql`DELETE FROM actions WHERE id = ${actionId}`);
  yield* renumberActions(action.sectionId, yield* actionIdsOf(action.sectionId));
  yield* recordActionDeleted(planId, who, action, why);
  return { sectionId: action.sectionId, hadLinks: action.recommendationIds.length > 0 };
}

/**
 * Deletes an action (its indicators and links go with it) and closes the gap in its section. When
 * it, or one of its indicators, is another organisation's proposal, `reason` is required.
 */
export function deleteAction(q: Sql, planId: string, actionId: string, who: Actor, reason?: string): Promise<{ sectionId: string; hadLinks: boolean }> {
  return inTransaction(q, () => deleting(planId, actionId, who, reason));
}

export const touch = (actionId: string): Steps<{ changes: number }> => run(sql`UPDATE actions SET updated_at = ${nowIso()} WHERE id = ${actionId}`);

/** Before a change of links: the action as it is, refused in an agreed section. */
function* linksBefore(planId: string, actionId: string): Steps<Action> {
  const before = yield* actionInPlan(planId, actionId);
  yield* sectionNotAgreed(before.sectionId);
  return before;
}

/** After a change of links: what changed, recorded. */
function* linksAfter(planId: string, actionId: string, who: Actor, before: Action): Steps<Action> {
  yield* touch(actionId);
  const after = yield* actionInPlan(planId, actionId);
  yield* recordActionChanges(planId, who, before, after);
  return after;
}

/** Changes an action's links inside a transaction, recording what changed. */
function changeLinks(q: Sql, planId: string, actionId: string, who: Actor, write: () => Steps<void>): Promise<Action> {
  return inTransaction(q, function* () {
    const before = yield* linksBefore(planId, actionId);
    yield* write();
    return yield* linksAfter(planId, actionId, who, before);
  });
}

/** Replaces the recommendations an action implements. */
export function setActionRecommendations(q: Sql, planId: string, actionId: string, who: Actor, recommendationIds: string[]): Promise<Action> {
  return changeLinks(q, planId, actionId, who, function* () {
    yield* requirePlanRecommendations(planId, recommendationIds);
    yield* writeRecommendationLinks(actionId, recommendationIds);
  });
}

/** Links one recommendation to an action (idempotent: linking twice is not an error, nor recorded twice). */
export function linkRecommendation(q: Sql, planId: string, actionId: string, who: Actor, recommendationId: string): Promise<Action> {
  return changeLinks(q, planId, actionId, who, function* () {
    if (!(yield* recommendationInPlan(planId, recommendationId))) throw notFound('recommendation');
    yield* run(insertActionLink(actionId, recommendationId));
  });
}

/**
 * Links every member of a confirmed group to an action: the group is one ask, so the action
 * addresses all who made it. Each new link is on the record like any other (idempotent).
 */
export function linkRecommendationGroup(q: Sql, planId: string, actionId: string, who: Actor, groupId: string): Promise<Action> {
  return q.transaction(async (tx) => {
    const before = await stepsOn(tx, linksBefore(planId, actionId));
    for (const recommendationId of await confirmedGroupMemberIds(tx, planId, groupId)) await tx.run(insertActionLink(actionId, recommendationId));
    return stepsOn(tx, linksAfter(planId, actionId, who, before));
  });
}

/** Unlinks one recommendation from an action (idempotent). */
export function unlinkRecommendation(q: Sql, planId: string, actionId: string, who: Actor, recommendationId: string): Promise<Action> {
  return changeLinks(q, planId, actionId, who, function* () {
    yield* run(sql`DELETE FROM action_recommendations WHERE action_id = ${actionId} AND recommendation_id = ${recommendationId}`);
  });
}

/**
 * How many actions a chapter's or a section's sections hold: asked before deleting them and after
 * restoring them from the bin, since that changes which recommendations are addressed.
 */
export async function countActionsUnder(q: Sql, where: { chapterId: string } | { sectionId: string }): Promise<number> {
  const query =
    'chapterId' in where
      ? sql`SELECT count(*) AS n FROM actions a JOIN sections s ON s.id = a.section_id WHERE s.chapter_id = ${where.chapterId} AND s.deleted_at IS NULL`
      : sql`SELECT count(*) AS n FROM actions WHERE section_id = ${where.sectionId}`;
  return (await q.theRow(Count, query)).n;
}
