import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape, theRow } from '../db/rows.ts';
import { badRequest, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { requirePlanOrganisationsNow } from './planOrganisations.ts';
import { requireSectionNotAgreed } from './sectionAgreed.ts';
import type { Actor } from './history.ts';
import { recordActionChanges, recordActionCreated, recordActionDeleted } from './actionHistory.ts';
import { findProposerNow, refuseReattribution, requireRemovalReason } from './proposals.ts';
import { planActionNumbers } from './actionNumbers.ts';
import type { Action, ActionInput, ActionUpdate, Indicator } from '../../shared/api/index.ts';
import { ActionStatusSchema, IndicatorTypeSchema, PositionSchema } from '../../shared/api/index.ts';
import { confirmedGroupMemberIds } from './recommendationGroups/store.ts';
import { visibleRecommendation } from './recommendations.ts';

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

/** A row of ACTION_COLUMNS. */
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

/** A row of INDICATOR_COLUMNS: the indicator with its disaggregation as stored (a JSON array). */
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

const ACTION_COLUMNS = `a.id, a.plan_id AS planId, a.section_id AS sectionId, a.position, a.title, a.description,
  a.lead_agency_id AS leadAgencyId, a.start_at AS start, a.end_at AS end, a.status, a.budget_amount AS budgetAmount,
  a.currency, a.funding_source AS fundingSource, a.proposed_by_organisation_id AS proposedByOrganisationId, a.updated_at AS updatedAt`;

export const INDICATOR_COLUMNS = `i.id, i.action_id AS actionId, i.position, i.type, i.description, i.unit,
  i.baseline_value AS baselineValue, i.baseline_year AS baselineYear, i.target_value AS targetValue,
  i.target_year AS targetYear, i.data_source AS dataSource, i.frequency, i.disaggregation,
  i.proposed_by_organisation_id AS proposedByOrganisationId`;

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
 * their number: `scope` selects the same actions as `rows` (one section's, one action, or a whole
 * plan's), and the rows are grouped per action in one pass so a plan of thousands stays linear.
 */
/**
 * `numbered`: give each action its plan-wide number (one query over the plan's actions). Readers
 * that do not show numbers (the signed content's hash, version snapshots) pass false and get null,
 * so a loop over a plan's sections does not number the whole plan once per section.
 */
function assemble(db: Db, rows: ActionRow[], scope: { sql: string; params: string[] }, numbered = true): Action[] {
  const orgs = byAction(
    allRows(
      db.prepare(
        `SELECT ao.action_id AS actionId, ao.organisation_id AS id, ao.role FROM action_organisations ao
           JOIN actions a ON a.id = ao.action_id WHERE ${scope.sql} ORDER BY ao.position`,
      ),
      ActionOrganisation,
      ...scope.params,
    ),
  );
  const recs = byAction(
    allRows(
      db.prepare(
        `SELECT ar.action_id AS actionId, r.id, r.reference, r.text, r.position FROM action_recommendations ar
           JOIN actions a ON a.id = ar.action_id JOIN recommendations r ON r.id = ar.recommendation_id
          WHERE ${scope.sql} ORDER BY r.sort_key`,
      ),
      ActionRecommendation,
      ...scope.params,
    ),
  );
  const indicators = byAction(
    allRows(
      db.prepare(
        `SELECT ${INDICATOR_COLUMNS} FROM indicators i JOIN actions a ON a.id = i.action_id WHERE ${scope.sql}
          ORDER BY i.position, i.rowid`,
      ),
      IndicatorRow,
      ...scope.params,
    ),
  );
  // Plan-wide numbers: one query over the plan's actions, whatever the scope (a section, one action).
  const numbers = numbered && rows.length > 0 ? planActionNumbers(db, rows[0]!.planId) : new Map<string, number>();
  return rows.map((row) => {
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

export function requireSectionInPlan(db: Db, planId: string, sectionId: string): void {
  if (!db.prepare('SELECT 1 FROM sections WHERE id = ? AND plan_id = ? AND deleted_at IS NULL').get(sectionId, planId)) throw notFound('section');
}

/**
 * A section's actions in order, each with organisations, linked recommendations and indicators;
 * with their plan-wide numbers unless `numbered` is false (see assemble).
 */
export function listActions(db: Db, planId: string, sectionId: string, numbered = true): Action[] {
  requireSectionInPlan(db, planId, sectionId);
  const rows = allRows(db.prepare(`SELECT ${ACTION_COLUMNS} FROM actions a WHERE a.section_id = ? ORDER BY a.position, a.rowid`), ActionRow, sectionId);
  return assemble(db, rows, { sql: 'a.section_id = ?', params: [sectionId] }, numbered);
}

/**
 * Every action of the plan's live sections (none in the bin), in outline order (chapter, section,
 * action), each exactly as `listActions` gives it: what the progress page needs in one request
 * rather than one per section.
 */
export function listPlanActions(db: Db, planId: string): Action[] {
  const live = `a.plan_id = ? AND EXISTS (SELECT 1 FROM sections s JOIN chapters c ON c.id = s.chapter_id
    WHERE s.id = a.section_id AND s.deleted_at IS NULL AND c.deleted_at IS NULL)`;
  const rows = allRows(
    db.prepare(
      `SELECT ${ACTION_COLUMNS} FROM actions a JOIN sections s ON s.id = a.section_id JOIN chapters c ON c.id = s.chapter_id
        WHERE ${live} ORDER BY c.position, c.rowid, s.position, s.rowid, a.position, a.rowid`,
    ),
    ActionRow,
    planId,
  );
  return assemble(db, rows, { sql: live, params: [planId] });
}

/** One action of the plan (404 when it is not in this plan, or its section is in the bin). */
export function getAction(db: Db, planId: string, actionId: string): Action {
  const row = oneRow(
    db.prepare(
      `SELECT ${ACTION_COLUMNS} FROM actions a JOIN sections s ON s.id = a.section_id
        WHERE a.id = ? AND a.plan_id = ? AND s.deleted_at IS NULL`,
    ),
    ActionRow,
    actionId,
    planId,
  );
  if (!row) throw notFound('action');
  return assemble(db, [row], { sql: 'a.id = ?', params: [actionId] })[0]!;
}

// ---- Writing -----------------------------------------------------------------------------------
// Every change is recorded (actionHistory.ts) in the transaction that makes it.

/** Refuses ids that are not recommendations of this plan, naming the first. */
function requirePlanRecommendations(db: Db, planId: string, ids: string[]): void {
  const check = db.prepare(`SELECT 1 FROM recommendations r WHERE id = ? AND plan_id = ? AND ${visibleRecommendation()}`);
  for (const id of ids) {
    if (!check.get(id, planId)) {
      const message = `The recommendation ${id} is not part of this plan.`;
      throw badRequest(`The request is not valid. recommendationIds: ${message}`, { recommendationIds: { code: 'not_in_plan' } });
    }
  }
}

function writeOrganisations(db: Db, actionId: string, coImplementerIds: string[], partnerIds: string[]): void {
  db.prepare('DELETE FROM action_organisations WHERE action_id = ?').run(actionId);
  const insert = db.prepare('INSERT OR IGNORE INTO action_organisations (action_id, organisation_id, role, position) VALUES (?, ?, ?, ?)');
  coImplementerIds.forEach((id, i) => insert.run(actionId, id, 'co_implementer', i));
  partnerIds.forEach((id, i) => insert.run(actionId, id, 'cso_partner', i));
}

function writeRecommendationLinks(db: Db, actionId: string, ids: string[]): void {
  db.prepare('DELETE FROM action_recommendations WHERE action_id = ?').run(actionId);
  const insert = db.prepare('INSERT OR IGNORE INTO action_recommendations (action_id, recommendation_id) VALUES (?, ?)');
  for (const id of ids) insert.run(actionId, id);
}

function validate(db: Db, planId: string, a: ActionInput): void {
  requireTimeline(a.start, a.end);
  requirePlanOrganisationsNow(db, planId, {
    leadAgencyId: [a.leadAgencyId],
    coImplementerIds: a.coImplementerIds,
    civilSocietyPartnerIds: a.civilSocietyPartnerIds,
    proposedByOrganisationId: [a.proposedByOrganisationId],
  });
  requirePlanRecommendations(db, planId, a.recommendationIds);
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Adds an action at the end of a section. Without `proposedByOrganisationId` it is the creator's
 * organisation's proposal.
 */
export function createAction(db: Db, planId: string, sectionId: string, who: Actor, input: ActionInput): Action {
  const id = newId();
  return db.transaction(() => {
    requireSectionInPlan(db, planId, sectionId);
    requireSectionNotAgreed(db, sectionId);
    const proposedBy = input.proposedByOrganisationId === undefined ? who.principal.organisationId : input.proposedByOrganisationId;
    validate(db, planId, { ...input, proposedByOrganisationId: proposedBy });
    const { n } = theRow(db.prepare('SELECT count(*) AS n FROM actions WHERE section_id = ?'), Count, sectionId);
    const at = nowIso();
    db.prepare(
      `INSERT INTO actions (id, plan_id, section_id, position, title, description, lead_agency_id, start_at, end_at, status,
         budget_amount, currency, funding_source, proposed_by_organisation_id, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      planId,
      sectionId,
      n,
      input.title,
      input.description,
      input.leadAgencyId,
      input.start,
      input.end,
      input.status,
      input.budgetAmount,
      input.currency,
      input.fundingSource,
      proposedBy,
      who.principal.userId,
      at,
      at,
    );
    writeOrganisations(db, id, input.coImplementerIds, input.civilSocietyPartnerIds);
    writeRecommendationLinks(db, id, input.recommendationIds);
    const action = getAction(db, planId, id);
    recordActionCreated(db, planId, who, action);
    return action;
  })();
}

const actionIdsOf = (db: Db, sectionId: string) =>
  allRows(db.prepare('SELECT id FROM actions WHERE section_id = ? ORDER BY position, rowid'), Id, sectionId).map((r) => r.id);

function renumberActions(db: Db, sectionId: string, ids: string[]): void {
  const stmt = db.prepare('UPDATE actions SET position = ?, section_id = ? WHERE id = ?');
  ids.forEach((id, i) => stmt.run(i, sectionId, id));
}

/**
 * Moves an action to `position` (clamped; the end when absent) in `to`, its own section or another
 * live, not agreed section of the plan. A dissenting position on the action moves with it.
 */
function moveAction(db: Db, planId: string, action: Action, to: string, position: number | undefined): void {
  if (to !== action.sectionId) {
    requireSectionInPlan(db, planId, to);
    requireSectionNotAgreed(db, to);
  }
  const target = actionIdsOf(db, to).filter((id) => id !== action.id);
  target.splice(Math.min(position ?? target.length, target.length), 0, action.id);
  if (to !== action.sectionId) {
    renumberActions(db, action.sectionId, actionIdsOf(db, action.sectionId).filter((id) => id !== action.id));
    db.prepare('UPDATE dissenting_positions SET section_id = ? WHERE action_id = ?').run(to, action.id);
  }
  renumberActions(db, to, target);
}

/**
 * Changes some fields of an action, and/or moves it (`sectionId`, `position`); the result is
 * validated as a whole (an end sent alone is checked against the stored start). `linksChanged`
 * tells the caller to announce recommendations; `fromSectionId` is set when it left a section.
 */
export function updateAction(
  db: Db,
  planId: string,
  actionId: string,
  who: Actor,
  changes: Partial<ActionUpdate>,
): { action: Action; linksChanged: boolean; fromSectionId: string | null } {
  return db.transaction(() => {
    const current = getAction(db, planId, actionId);
    requireSectionNotAgreed(db, current.sectionId);
    const { sectionId: to, position, ...fields } = changes;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<ActionInput>;
    refuseReattribution(findProposerNow(db, current.proposedByOrganisationId), defined.proposedByOrganisationId, who, 'This action');
    const next: ActionInput = { ...current, ...defined };
    validate(db, planId, next);
    db.prepare(
      `UPDATE actions SET title = ?, description = ?, lead_agency_id = ?, start_at = ?, end_at = ?, status = ?,
         budget_amount = ?, currency = ?, funding_source = ?, proposed_by_organisation_id = ?, updated_at = ? WHERE id = ?`,
    ).run(
      next.title,
      next.description,
      next.leadAgencyId,
      next.start,
      next.end,
      next.status,
      next.budgetAmount,
      next.currency,
      next.fundingSource,
      next.proposedByOrganisationId ?? null,
      nowIso(),
      actionId,
    );
    if (defined.coImplementerIds || defined.civilSocietyPartnerIds) {
      writeOrganisations(db, actionId, next.coImplementerIds, next.civilSocietyPartnerIds);
    }
    const linksChanged = defined.recommendationIds !== undefined && !sameSet(defined.recommendationIds, current.recommendationIds);
    if (linksChanged) writeRecommendationLinks(db, actionId, next.recommendationIds);
    if (to !== undefined || position !== undefined) moveAction(db, planId, current, to ?? current.sectionId, position);
    const action = getAction(db, planId, actionId);
    recordActionChanges(db, planId, who, current, action);
    return { action, linksChanged, fromSectionId: action.sectionId !== current.sectionId ? current.sectionId : null };
  })();
}

/**
 * Puts an action at `position` (0-based) among its section's actions, the others keeping their
 * order: what dragging a card or "Move up"/"Move down" asks for. Unlike a PATCH with `position`
 * (which clamps), a place outside the section is refused, so a page showing a stale list cannot
 * silently put the action somewhere the person did not see. The order is part of what is signed
 * (canonical lines number the actions), so an agreed section refuses it like any other edit.
 * Returns the section's actions in their new order and whether anything moved.
 */
export function reorderAction(
  db: Db,
  planId: string,
  sectionId: string,
  actionId: string,
  who: Actor,
  position: number,
): { actions: Action[]; moved: boolean } {
  return db.transaction(() => {
    requireSectionInPlan(db, planId, sectionId);
    const current = getAction(db, planId, actionId);
    // An action of another section is not found here: the path names the section it is moved in.
    if (current.sectionId !== sectionId) throw notFound('action');
    requireSectionNotAgreed(db, sectionId);
    const order = actionIdsOf(db, sectionId);
    if (position >= order.length) {
      const message = `The section has ${order.length} action${order.length === 1 ? '' : 's'}: a place from 0 to ${order.length - 1}.`;
      throw badRequest(`The request is not valid. position: ${message}`, { position: { code: 'position_out_of_range', params: { max: order.length - 1 } } });
    }
    if (order.indexOf(actionId) === position) return { actions: listActions(db, planId, sectionId), moved: false };
    moveAction(db, planId, current, sectionId, position);
    recordActionChanges(db, planId, who, current, getAction(db, planId, actionId));
    return { actions: listActions(db, planId, sectionId), moved: true };
  })();
}

/**
 * Deletes an action (its indicators and links go with it) and closes the gap in its section. When
 * it, or one of its indicators, is another organisation's proposal, `reason` is required.
 */
export function deleteAction(db: Db, planId: string, actionId: string, who: Actor, reason?: string): { sectionId: string; hadLinks: boolean } {
  return db.transaction(() => {
    const action = getAction(db, planId, actionId);
    requireSectionNotAgreed(db, action.sectionId);
    const proposers = [action.proposedByOrganisationId, ...action.indicators.map((i) => i.proposedByOrganisationId)].map((id) => findProposerNow(db, id));
    const why = requireRemovalReason(proposers, who, reason, 'This action or one of its indicators');
    db.prepare('DELETE FROM actions WHERE id = ?').run(actionId);
    renumberActions(db, action.sectionId, actionIdsOf(db, action.sectionId));
    recordActionDeleted(db, planId, who, action, why);
    return { sectionId: action.sectionId, hadLinks: action.recommendationIds.length > 0 };
  })();
}

export const touch = (db: Db, actionId: string) => db.prepare('UPDATE actions SET updated_at = ? WHERE id = ?').run(nowIso(), actionId);

/** Changes an action's links inside a transaction, recording what changed. */
function changeLinks(db: Db, planId: string, actionId: string, who: Actor, write: () => void): Action {
  return db.transaction(() => {
    const before = getAction(db, planId, actionId);
    requireSectionNotAgreed(db, before.sectionId);
    write();
    touch(db, actionId);
    const after = getAction(db, planId, actionId);
    recordActionChanges(db, planId, who, before, after);
    return after;
  })();
}

/** Replaces the recommendations an action implements. */
export function setActionRecommendations(db: Db, planId: string, actionId: string, who: Actor, recommendationIds: string[]): Action {
  return changeLinks(db, planId, actionId, who, () => {
    requirePlanRecommendations(db, planId, recommendationIds);
    writeRecommendationLinks(db, actionId, recommendationIds);
  });
}

/** Links one recommendation to an action (idempotent: linking twice is not an error, nor recorded twice). */
export function linkRecommendation(db: Db, planId: string, actionId: string, who: Actor, recommendationId: string): Action {
  return changeLinks(db, planId, actionId, who, () => {
    if (!db.prepare(`SELECT 1 FROM recommendations r WHERE id = ? AND plan_id = ? AND ${visibleRecommendation()}`).get(recommendationId, planId)) {
      throw notFound('recommendation');
    }
    db.prepare('INSERT OR IGNORE INTO action_recommendations (action_id, recommendation_id) VALUES (?, ?)').run(actionId, recommendationId);
  });
}

/**
 * Links every member of a confirmed group to an action: the group is one ask, so the action
 * addresses all who made it. Each new link is on the record like any other (idempotent).
 */
export function linkRecommendationGroup(db: Db, planId: string, actionId: string, who: Actor, groupId: string): Action {
  return changeLinks(db, planId, actionId, who, () => {
    const link = db.prepare('INSERT OR IGNORE INTO action_recommendations (action_id, recommendation_id) VALUES (?, ?)');
    for (const recommendationId of confirmedGroupMemberIds(db, planId, groupId)) link.run(actionId, recommendationId);
  });
}

/** Unlinks one recommendation from an action (idempotent). */
export function unlinkRecommendation(db: Db, planId: string, actionId: string, who: Actor, recommendationId: string): Action {
  return changeLinks(db, planId, actionId, who, () => {
    db.prepare('DELETE FROM action_recommendations WHERE action_id = ? AND recommendation_id = ?').run(actionId, recommendationId);
  });
}

/**
 * How many actions a chapter's or a section's sections hold: asked before deleting them, since
 * deleting actions changes which recommendations are addressed.
 */
export function countActionsUnder(db: Db, where: { chapterId: string } | { sectionId: string }): number {
  const [sql, id] =
    'chapterId' in where
      ? ['SELECT count(*) AS n FROM actions a JOIN sections s ON s.id = a.section_id WHERE s.chapter_id = ? AND s.deleted_at IS NULL', where.chapterId]
      : ['SELECT count(*) AS n FROM actions WHERE section_id = ?', where.sectionId];
  return theRow(db.prepare(sql), Count, id).n;
}
