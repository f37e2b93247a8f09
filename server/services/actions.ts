import type { Db } from '../db/database.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { requirePlanOrganisations } from './planOrganisations.ts';
import type { Action, ActionInput, Indicator, IndicatorInput } from '../../shared/api/index.ts';

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
    throw badRequest(`The request is not valid. end: ${message}`, { end: message });
  }
}

// ---- Reading -----------------------------------------------------------------------------------

interface ActionRow {
  id: string;
  planId: string;
  sectionId: string;
  position: number;
  title: string;
  description: string;
  leadAgencyId: string | null;
  start: string | null;
  end: string | null;
  status: Action['status'];
  budgetAmount: number | null;
  currency: string | null;
  fundingSource: string | null;
  updatedAt: string;
}

interface IndicatorRow extends Omit<Indicator, 'disaggregation'> {
  disaggregation: string;
}

const ACTION_COLUMNS = `a.id, a.plan_id AS planId, a.section_id AS sectionId, a.position, a.title, a.description,
  a.lead_agency_id AS leadAgencyId, a.start_at AS start, a.end_at AS end, a.status, a.budget_amount AS budgetAmount,
  a.currency, a.funding_source AS fundingSource, a.updated_at AS updatedAt`;

const INDICATOR_COLUMNS = `i.id, i.action_id AS actionId, i.position, i.type, i.description, i.unit,
  i.baseline_value AS baselineValue, i.baseline_year AS baselineYear, i.target_value AS targetValue,
  i.target_year AS targetYear, i.data_source AS dataSource, i.frequency, i.disaggregation,
  i.proposed_by_organisation_id AS proposedByOrganisationId`;

const toIndicator = (row: IndicatorRow): Indicator => ({ ...row, disaggregation: JSON.parse(row.disaggregation) as string[] });

/** Assembles actions with their organisations, links and indicators in four queries, whatever their number. */
function assemble(db: Db, rows: ActionRow[], scope: { sql: string; param: string }): Action[] {
  const orgs = db
    .prepare(
      `SELECT ao.action_id AS actionId, ao.organisation_id AS id, ao.role FROM action_organisations ao
         JOIN actions a ON a.id = ao.action_id WHERE ${scope.sql} ORDER BY ao.position`,
    )
    .all(scope.param) as Array<{ actionId: string; id: string; role: 'co_implementer' | 'cso_partner' }>;
  const recs = db
    .prepare(
      `SELECT ar.action_id AS actionId, r.id, r.reference, r.text, r.position FROM action_recommendations ar
         JOIN actions a ON a.id = ar.action_id JOIN recommendations r ON r.id = ar.recommendation_id
        WHERE ${scope.sql} ORDER BY r.sort_key`,
    )
    .all(scope.param) as Array<{ actionId: string } & Action['recommendations'][number]>;
  const indicators = db
    .prepare(
      `SELECT ${INDICATOR_COLUMNS} FROM indicators i JOIN actions a ON a.id = i.action_id WHERE ${scope.sql}
        ORDER BY i.position, i.rowid`,
    )
    .all(scope.param) as IndicatorRow[];
  return rows.map((row) => {
    const linked = recs.filter((r) => r.actionId === row.id).map(({ actionId: _, ...r }) => r);
    return {
      ...row,
      coImplementerIds: orgs.filter((o) => o.actionId === row.id && o.role === 'co_implementer').map((o) => o.id),
      civilSocietyPartnerIds: orgs.filter((o) => o.actionId === row.id && o.role === 'cso_partner').map((o) => o.id),
      recommendationIds: linked.map((r) => r.id),
      recommendations: linked,
      indicators: indicators.filter((i) => i.actionId === row.id).map(toIndicator),
    };
  });
}

function requireSectionInPlan(db: Db, planId: string, sectionId: string): void {
  if (!db.prepare('SELECT 1 FROM sections WHERE id = ? AND plan_id = ? AND deleted_at IS NULL').get(sectionId, planId)) throw notFound('The section');
}

/** Actions of an agreed section are frozen with its text (409 until a coordinator reopens it). */
function requireNotAgreed(db: Db, sectionId: string): void {
  const row = db.prepare('SELECT status FROM sections WHERE id = ?').get(sectionId) as { status: string } | undefined;
  if (row?.status === 'agreed') {
    throw conflict('section_agreed', 'This section is agreed and cannot be changed. A coordinator must reopen it first.');
  }
}

/** A section's actions in order, each with organisations, linked recommendations and indicators. */
export function listActions(db: Db, planId: string, sectionId: string): Action[] {
  requireSectionInPlan(db, planId, sectionId);
  const rows = db
    .prepare(`SELECT ${ACTION_COLUMNS} FROM actions a WHERE a.section_id = ? ORDER BY a.position, a.rowid`)
    .all(sectionId) as ActionRow[];
  return assemble(db, rows, { sql: 'a.section_id = ?', param: sectionId });
}

/** One action of the plan (404 when it is not in this plan, or its section is in the bin). */
export function getAction(db: Db, planId: string, actionId: string): Action {
  const row = db
    .prepare(
      `SELECT ${ACTION_COLUMNS} FROM actions a JOIN sections s ON s.id = a.section_id
        WHERE a.id = ? AND a.plan_id = ? AND s.deleted_at IS NULL`,
    )
    .get(actionId, planId) as
    | ActionRow
    | undefined;
  if (!row) throw notFound('The action');
  return assemble(db, [row], { sql: 'a.id = ?', param: actionId })[0]!;
}

// ---- Writing -----------------------------------------------------------------------------------

/** Refuses ids that are not recommendations of this plan, naming the first. */
function requirePlanRecommendations(db: Db, planId: string, ids: string[]): void {
  const check = db.prepare('SELECT 1 FROM recommendations WHERE id = ? AND plan_id = ?');
  for (const id of ids) {
    if (!check.get(id, planId)) {
      const message = `The recommendation ${id} is not part of this plan.`;
      throw badRequest(`The request is not valid. recommendationIds: ${message}`, { recommendationIds: message });
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
  requirePlanOrganisations(db, planId, {
    leadAgencyId: [a.leadAgencyId],
    coImplementerIds: a.coImplementerIds,
    civilSocietyPartnerIds: a.civilSocietyPartnerIds,
  });
  requirePlanRecommendations(db, planId, a.recommendationIds);
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Adds an action at the end of a section. */
export function createAction(db: Db, planId: string, sectionId: string, userId: string, input: ActionInput): Action {
  const id = newId();
  db.transaction(() => {
    requireSectionInPlan(db, planId, sectionId);
    requireNotAgreed(db, sectionId);
    validate(db, planId, input);
    const { n } = db.prepare('SELECT count(*) AS n FROM actions WHERE section_id = ?').get(sectionId) as { n: number };
    const at = nowIso();
    db.prepare(
      `INSERT INTO actions (id, plan_id, section_id, position, title, description, lead_agency_id, start_at, end_at, status,
         budget_amount, currency, funding_source, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      userId,
      at,
      at,
    );
    writeOrganisations(db, id, input.coImplementerIds, input.civilSocietyPartnerIds);
    writeRecommendationLinks(db, id, input.recommendationIds);
  })();
  return getAction(db, planId, id);
}

/**
 * Changes some fields of an action; the result is validated as a whole (an end sent alone is
 * checked against the stored start). `linksChanged` tells the caller to announce recommendations.
 */
export function updateAction(
  db: Db,
  planId: string,
  actionId: string,
  changes: Partial<ActionInput>,
): { action: Action; linksChanged: boolean } {
  return db.transaction(() => {
    const current = getAction(db, planId, actionId);
    requireNotAgreed(db, current.sectionId);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<ActionInput>;
    const next: ActionInput = { ...current, ...defined };
    validate(db, planId, next);
    db.prepare(
      `UPDATE actions SET title = ?, description = ?, lead_agency_id = ?, start_at = ?, end_at = ?, status = ?,
         budget_amount = ?, currency = ?, funding_source = ?, updated_at = ? WHERE id = ?`,
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
      nowIso(),
      actionId,
    );
    if (defined.coImplementerIds || defined.civilSocietyPartnerIds) {
      writeOrganisations(db, actionId, next.coImplementerIds, next.civilSocietyPartnerIds);
    }
    const linksChanged = defined.recommendationIds !== undefined && !sameSet(defined.recommendationIds, current.recommendationIds);
    if (linksChanged) writeRecommendationLinks(db, actionId, next.recommendationIds);
    return { action: getAction(db, planId, actionId), linksChanged };
  })();
}

/** Deletes an action (its indicators and links go with it) and closes the gap in its section. */
export function deleteAction(db: Db, planId: string, actionId: string): { sectionId: string; hadLinks: boolean } {
  return db.transaction(() => {
    const action = getAction(db, planId, actionId);
    requireNotAgreed(db, action.sectionId);
    db.prepare('DELETE FROM actions WHERE id = ?').run(actionId);
    const ids = db.prepare('SELECT id FROM actions WHERE section_id = ? ORDER BY position, rowid').all(action.sectionId) as Array<{
      id: string;
    }>;
    const renumber = db.prepare('UPDATE actions SET position = ? WHERE id = ?');
    ids.forEach(({ id }, i) => renumber.run(i, id));
    return { sectionId: action.sectionId, hadLinks: action.recommendationIds.length > 0 };
  })();
}

const touch = (db: Db, actionId: string) => db.prepare('UPDATE actions SET updated_at = ? WHERE id = ?').run(nowIso(), actionId);

/** Replaces the recommendations an action implements. */
export function setActionRecommendations(db: Db, planId: string, actionId: string, recommendationIds: string[]): Action {
  return db.transaction(() => {
    requireNotAgreed(db, getAction(db, planId, actionId).sectionId);
    requirePlanRecommendations(db, planId, recommendationIds);
    writeRecommendationLinks(db, actionId, recommendationIds);
    touch(db, actionId);
    return getAction(db, planId, actionId);
  })();
}

/** Links one recommendation to an action (idempotent: linking twice is not an error). */
export function linkRecommendation(db: Db, planId: string, actionId: string, recommendationId: string): Action {
  return db.transaction(() => {
    requireNotAgreed(db, getAction(db, planId, actionId).sectionId);
    if (!db.prepare('SELECT 1 FROM recommendations WHERE id = ? AND plan_id = ?').get(recommendationId, planId)) {
      throw notFound('The recommendation');
    }
    db.prepare('INSERT OR IGNORE INTO action_recommendations (action_id, recommendation_id) VALUES (?, ?)').run(
      actionId,
      recommendationId,
    );
    touch(db, actionId);
    return getAction(db, planId, actionId);
  })();
}

/** Unlinks one recommendation from an action (idempotent). */
export function unlinkRecommendation(db: Db, planId: string, actionId: string, recommendationId: string): Action {
  return db.transaction(() => {
    requireNotAgreed(db, getAction(db, planId, actionId).sectionId);
    db.prepare('DELETE FROM action_recommendations WHERE action_id = ? AND recommendation_id = ?').run(actionId, recommendationId);
    touch(db, actionId);
    return getAction(db, planId, actionId);
  })();
}

// ---- Indicators --------------------------------------------------------------------------------

function requireIndicatorFields(db: Db, planId: string, i: IndicatorInput): void {
  requirePlanOrganisations(db, planId, { proposedByOrganisationId: [i.proposedByOrganisationId] });
  if (i.baselineYear !== null && i.targetYear !== null && i.targetYear < i.baselineYear) {
    const message = 'The target year is before the baseline year.';
    throw badRequest(`The request is not valid. targetYear: ${message}`, { targetYear: message });
  }
}

function findIndicator(db: Db, planId: string, indicatorId: string): Indicator & { sectionId: string } {
  const row = db
    .prepare(
      `SELECT ${INDICATOR_COLUMNS}, a.section_id AS sectionId FROM indicators i JOIN actions a ON a.id = i.action_id
         JOIN sections s ON s.id = a.section_id
        WHERE i.id = ? AND a.plan_id = ? AND s.deleted_at IS NULL`,
    )
    .get(indicatorId, planId) as (IndicatorRow & { sectionId: string }) | undefined;
  if (!row) throw notFound('The indicator');
  const { sectionId, ...indicator } = row;
  return { ...toIndicator(indicator), sectionId };
}

function writeIndicator(db: Db, id: string, i: IndicatorInput): void {
  db.prepare(
    `UPDATE indicators SET type = ?, description = ?, unit = ?, baseline_value = ?, baseline_year = ?, target_value = ?,
       target_year = ?, data_source = ?, frequency = ?, disaggregation = ?, proposed_by_organisation_id = ?, updated_at = ?
     WHERE id = ?`,
  ).run(
    i.type,
    i.description,
    i.unit,
    i.baselineValue,
    i.baselineYear,
    i.targetValue,
    i.targetYear,
    i.dataSource,
    i.frequency,
    JSON.stringify(i.disaggregation),
    i.proposedByOrganisationId,
    nowIso(),
    id,
  );
}

/** Adds an indicator at the end of an action's list. Returns it with the action's section. */
export function addIndicator(db: Db, planId: string, actionId: string, input: IndicatorInput): { indicator: Indicator; sectionId: string } {
  return db.transaction(() => {
    const action = getAction(db, planId, actionId);
    requireNotAgreed(db, action.sectionId);
    requireIndicatorFields(db, planId, input);
    const id = newId();
    const at = nowIso();
    db.prepare('INSERT INTO indicators (id, action_id, position, type, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      id,
      actionId,
      action.indicators.length,
      input.type,
      input.description,
      at,
      at,
    );
    writeIndicator(db, id, input);
    touch(db, actionId);
    const { sectionId, ...indicator } = findIndicator(db, planId, id);
    return { indicator, sectionId };
  })();
}

/** Changes some fields of an indicator. */
export function updateIndicator(
  db: Db,
  planId: string,
  indicatorId: string,
  changes: Partial<IndicatorInput>,
): { indicator: Indicator; sectionId: string } {
  return db.transaction(() => {
    const { sectionId, id, actionId, position, ...current } = findIndicator(db, planId, indicatorId);
    requireNotAgreed(db, sectionId);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<IndicatorInput>;
    const next: IndicatorInput = { ...current, ...defined };
    requireIndicatorFields(db, planId, next);
    writeIndicator(db, id, next);
    touch(db, actionId);
    const { sectionId: _, ...indicator } = findIndicator(db, planId, id);
    return { indicator, sectionId };
  })();
}

/** Deletes an indicator, renumbering the rest of its action's list. Returns the action's section. */
export function deleteIndicator(db: Db, planId: string, indicatorId: string): { sectionId: string; actionId: string } {
  return db.transaction(() => {
    const { sectionId, actionId } = findIndicator(db, planId, indicatorId);
    requireNotAgreed(db, sectionId);
    db.prepare('DELETE FROM indicators WHERE id = ?').run(indicatorId);
    const ids = db.prepare('SELECT id FROM indicators WHERE action_id = ? ORDER BY position, rowid').all(actionId) as Array<{ id: string }>;
    const renumber = db.prepare('UPDATE indicators SET position = ? WHERE id = ?');
    ids.forEach(({ id }, i) => renumber.run(i, id));
    touch(db, actionId);
    return { sectionId, actionId };
  })();
}

/**
 * How many actions a chapter's or a section's sections hold: asked before deleting them, since
 * deleting actions changes which recommendations are addressed.
 */
export function countActionsUnder(db: Db, where: { chapterId: string } | { sectionId: string }): number {
  const row =
    'chapterId' in where
      ? db.prepare('SELECT count(*) AS n FROM actions a JOIN sections s ON s.id = a.section_id WHERE s.chapter_id = ? AND s.deleted_at IS NULL').get(where.chapterId)
      : db.prepare('SELECT count(*) AS n FROM actions WHERE section_id = ?').get(where.sectionId);
  return (row as { n: number }).n;
}
