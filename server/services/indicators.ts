import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape } from '../db/rows.ts';
import { badRequest, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import { getAction, INDICATOR_COLUMNS, IndicatorRow, toIndicator, touch } from './actions.ts';
import { requireSectionNotAgreed } from './sectionAgreed.ts';
import { recordIndicatorCreated, recordIndicatorDeleted, recordIndicatorUpdated } from './actionHistory.ts';
import type { Actor } from './history.ts';
import { requirePlanOrganisationsNow } from './planOrganisations.ts';
import { findProposerNow, refuseReattribution, requireRemovalReason } from './proposals.ts';
import type { Indicator, IndicatorInput } from '../../shared/api/index.ts';

/** Indicators of actions: how progress is measured. Every change is recorded (actionHistory.ts). */

function requireIndicatorFields(db: Db, planId: string, i: IndicatorInput): void {
  requirePlanOrganisationsNow(db, planId, { proposedByOrganisationId: [i.proposedByOrganisationId] });
  if (i.baselineYear !== null && i.targetYear !== null && i.targetYear < i.baselineYear) {
    const message = 'The target year is before the baseline year.';
    throw badRequest(`The request is not valid. targetYear: ${message}`, { targetYear: { code: 'target_before_baseline' } });
  }
}

const IdRow = rowShape({ id: col.text });
const IndicatorInSection = IndicatorRow.extend({ sectionId: col.text });

/** The indicator with this id in the plan, with its action's section; not found in the bin. */
export function findIndicator(db: Db, planId: string, indicatorId: string): Indicator & { sectionId: string } {
  const row = oneRow(
    db.prepare(
      `SELECT ${INDICATOR_COLUMNS}, a.section_id AS sectionId FROM indicators i JOIN actions a ON a.id = i.action_id
         JOIN sections s ON s.id = a.section_id
        WHERE i.id = ? AND a.plan_id = ? AND s.deleted_at IS NULL`,
    ),
    IndicatorInSection,
    indicatorId,
    planId,
  );
  if (!row) throw notFound('indicator');
  const { sectionId, ...indicator } = row;
  return { ...toIndicator(indicator), sectionId };
}

/**
 * Writes an indicator's fields (and, when given, its place in the action's list). Shared by
 * editing and by restoring a version, so both write the same columns the same way.
 */
export function writeIndicator(db: Db, id: string, i: IndicatorInput, options: { position?: number; at?: string } = {}): void {
  db.prepare(
    `UPDATE indicators SET position = COALESCE(?, position), type = ?, description = ?, unit = ?, baseline_value = ?, baseline_year = ?,
       target_value = ?, target_year = ?, data_source = ?, frequency = ?, disaggregation = ?, proposed_by_organisation_id = ?, updated_at = ?
     WHERE id = ?`,
  ).run(
    options.position ?? null,
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
    options.at ?? nowIso(),
    id,
  );
}

/** Adds an indicator at the end of an action's list. Returns it with the action's section. */
export function addIndicator(db: Db, planId: string, actionId: string, who: Actor, input: IndicatorInput): { indicator: Indicator; sectionId: string } {
  return db.transaction(() => {
    const action = getAction(db, planId, actionId);
    requireSectionNotAgreed(db, action.sectionId);
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
    recordIndicatorCreated(db, planId, who, action, indicator);
    return { indicator, sectionId };
  })();
}

/** Changes some fields of an indicator. Only its proposing organisation may say another proposed it. */
export function updateIndicator(
  db: Db,
  planId: string,
  indicatorId: string,
  who: Actor,
  changes: Partial<IndicatorInput>,
): { indicator: Indicator; sectionId: string } {
  return db.transaction(() => {
    const { sectionId, ...before } = findIndicator(db, planId, indicatorId);
    const { id, actionId, position: _position, ...current } = before;
    requireSectionNotAgreed(db, sectionId);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<IndicatorInput>;
    refuseReattribution(findProposerNow(db, current.proposedByOrganisationId), defined.proposedByOrganisationId, who, 'This indicator');
    const next: IndicatorInput = { ...current, ...defined };
    requireIndicatorFields(db, planId, next);
    writeIndicator(db, id, next);
    touch(db, actionId);
    const { sectionId: _, ...indicator } = findIndicator(db, planId, id);
    recordIndicatorUpdated(db, planId, who, getAction(db, planId, actionId), before, indicator);
    return { indicator, sectionId };
  })();
}

/**
 * Deletes an indicator, renumbering the rest of its action's list. Another organisation's proposal
 * needs a `reason`. Returns the action's section.
 */
export function deleteIndicator(db: Db, planId: string, indicatorId: string, who: Actor, reason?: string): { sectionId: string; actionId: string } {
  return db.transaction(() => {
    const { sectionId, ...indicator } = findIndicator(db, planId, indicatorId);
    const { actionId } = indicator;
    requireSectionNotAgreed(db, sectionId);
    const why = requireRemovalReason([findProposerNow(db, indicator.proposedByOrganisationId)], who, reason, 'This indicator');
    db.prepare('DELETE FROM indicators WHERE id = ?').run(indicatorId);
    const ids = allRows(db.prepare('SELECT id FROM indicators WHERE action_id = ? ORDER BY position, rowid'), IdRow, actionId);
    const renumber = db.prepare('UPDATE indicators SET position = ? WHERE id = ?');
    ids.forEach(({ id }, i) => renumber.run(i, id));
    touch(db, actionId);
    recordIndicatorDeleted(db, planId, who, getAction(db, planId, actionId), indicator, why);
    return { sectionId, actionId };
  })();
}
