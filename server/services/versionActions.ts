import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape } from '../db/rows.ts';
import type { EventBus } from '../events.ts';
import { newId, nowIso } from '../ids.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import type { Acting } from './acting.ts';
import { listActions } from './actions.ts';
import { withdrawStaleSignatures } from './agreement.ts';
import { diffActions } from './diffActions.ts';
import { writeIndicator } from './indicators.ts';
import { ActionsSnapshotSchema, type ActionSnapshot, type ActionsRestore, type ActionsSnapshot } from '../../shared/api/index.ts';
import { visibleRecommendation } from './recommendations.ts';

/**
 * The actions part of a version (issue #13): what a version keeps of a section's actions, and how
 * a restore brings them back.
 *
 * A restore writes actions here rather than through services/actions.ts on purpose: it runs inside
 * the transaction of the text edit and its audit entry (one change, stored whole or not at all),
 * keeps ids, creators and creation times, and is recorded as one `version.restored` entry with
 * counts rather than as many separate action edits.
 */

// ---- Keeping -----------------------------------------------------------------------------------

const ActionCreated = rowShape({ id: col.text, createdBy: col.text, createdAt: col.text });
const IndicatorCreated = rowShape({ id: col.text, createdAt: col.text });
const Name = rowShape({ name: col.text });
const Actions = rowShape({ actions: col.nullableText });
const Id = rowShape({ id: col.text });

/** The section's actions as they are now, in the form a version keeps them. */
export function snapshotSectionActions(db: Db, planId: string, sectionId: string): ActionsSnapshot {
  const actions = listActions(db, planId, sectionId, false);
  const created = new Map(
    allRows(db.prepare('SELECT id, created_by AS createdBy, created_at AS createdAt FROM actions WHERE section_id = ?'), ActionCreated, sectionId).map((r) => [
      r.id,
      r,
    ]),
  );
  const indicatorCreated = new Map(
    allRows(
      db.prepare('SELECT i.id, i.created_at AS createdAt FROM indicators i JOIN actions a ON a.id = i.action_id WHERE a.section_id = ?'),
      IndicatorCreated,
      sectionId,
    ).map((r) => [r.id, r.createdAt]),
  );
  const orgIds = new Set<string>();
  const snapshot: ActionSnapshot[] = actions.map((a) => {
    for (const id of [a.leadAgencyId, a.proposedByOrganisationId, ...a.coImplementerIds, ...a.civilSocietyPartnerIds, ...a.indicators.map((i) => i.proposedByOrganisationId)]) {
      if (id) orgIds.add(id);
    }
    return {
      id: a.id,
      title: a.title,
      description: a.description,
      leadAgencyId: a.leadAgencyId,
      coImplementerIds: a.coImplementerIds,
      civilSocietyPartnerIds: a.civilSocietyPartnerIds,
      start: a.start,
      end: a.end,
      status: a.status,
      budgetAmount: a.budgetAmount,
      currency: a.currency,
      fundingSource: a.fundingSource,
      recommendations: a.recommendations.map((r) => ({ id: r.id, reference: r.reference })),
      proposedByOrganisationId: a.proposedByOrganisationId,
      indicators: a.indicators.map((i) => ({
        id: i.id,
        type: i.type,
        description: i.description,
        unit: i.unit,
        baselineValue: i.baselineValue,
        baselineYear: i.baselineYear,
        targetValue: i.targetValue,
        targetYear: i.targetYear,
        dataSource: i.dataSource,
        frequency: i.frequency,
        disaggregation: i.disaggregation,
        proposedByOrganisationId: i.proposedByOrganisationId,
        createdAt: indicatorCreated.get(i.id) ?? null,
      })),
      createdBy: created.get(a.id)?.createdBy ?? null,
      createdAt: created.get(a.id)?.createdAt ?? null,
    };
  });
  const name = db.prepare('SELECT name FROM organisations WHERE id = ?');
  const organisations: Record<string, string> = {};
  for (const id of orgIds) organisations[id] = oneRow(name, Name, id)?.name ?? id;
  return { format: 1, actions: snapshot, organisations };
}

/** A version's stored actions, or null for a version kept before versions held actions. */
export function parseActionsSnapshot(json: string | null): ActionsSnapshot | null {
  return json === null ? null : ActionsSnapshotSchema.parse(JSON.parse(json));
}

/** The stored actions of a version (null: text only). */
export function versionActions(db: Db, versionId: string): ActionsSnapshot | null {
  const row = oneRow(db.prepare('SELECT actions FROM versions WHERE id = ?'), Actions, versionId);
  return parseActionsSnapshot(row?.actions ?? null);
}

// ---- Restoring ---------------------------------------------------------------------------------

export type RestoredActions = Extract<ActionsRestore, { restored: true }> & {
  /** Anything written: live clients must reload the section's actions. */
  changed: boolean;
  /** Links to recommendations changed: recommendations show how many actions address them. */
  linksChanged: boolean;
};

const linkSet = (s: ActionsSnapshot) => new Set(s.actions.flatMap((a) => a.recommendations.map((r) => `${a.id} ${r.id}`)));

/**
 * Makes the section's actions what `target` holds: actions still in the section are updated in
 * place (same ids), ones deleted since are re-created with their original ids (a new id only if
 * the old one is taken), ones added since are deleted; the same for indicators within each action.
 * Links to recommendations and organisations that no longer exist are left out and reported.
 * Runs in the caller's transaction; the caller checks the section may change (not agreed).
 */
export function restoreSectionActions(db: Db, planId: string, sectionId: string, target: ActionsSnapshot, actorId: string | null): RestoredActions {
  const before = snapshotSectionActions(db, planId, sectionId);
  const { summary, changes } = diffActions(before, target);
  const at = nowIso();
  const changedIds = new Set(changes.filter((c) => c.change === 'changed').map((c) => c.actionId));
  const skippedRecommendations: RestoredActions['skippedRecommendations'] = [];
  const skippedOrganisations: RestoredActions['skippedOrganisations'] = [];

  const exists = (table: 'actions' | 'indicators' | 'users' | 'organisations', id: string | null) =>
    id !== null && db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
  const orgOrSkip = (id: string | null, actionTitle: string): string | null => {
    if (id === null || exists('organisations', id)) return id;
    if (!skippedOrganisations.some((s) => s.id === id && s.actionTitle === actionTitle)) {
      skippedOrganisations.push({ id, name: target.organisations[id] ?? id, actionTitle });
    }
    return null;
  };
  const orgsOrSkip = (ids: string[], actionTitle: string) => ids.map((id) => orgOrSkip(id, actionTitle)).filter((id): id is string => id !== null);

  // Actions added since the version go, with their indicators and links (ON DELETE CASCADE).
  const keep = new Set(target.actions.map((a) => a.id));
  for (const a of before.actions) if (!keep.has(a.id)) db.prepare('DELETE FROM actions WHERE id = ?').run(a.id);

  const inSection = new Set(before.actions.map((a) => a.id));
  target.actions.forEach((a, position) => {
    const lead = orgOrSkip(a.leadAgencyId, a.title);
    // Who proposed it stays who proposed it; a version kept before actions had a proposer falls back to its creator's organisation.
    const proposer = a.proposedByOrganisationId && exists('organisations', a.proposedByOrganisationId) ? a.proposedByOrganisationId : null;
    let id = a.id;
    if (inSection.has(a.id)) {
      db.prepare(
        `UPDATE actions SET position = ?, title = ?, description = ?, lead_agency_id = ?, start_at = ?, end_at = ?, status = ?,
           budget_amount = ?, currency = ?, funding_source = ?, proposed_by_organisation_id = COALESCE(?, proposed_by_organisation_id),
           updated_at = CASE WHEN ? THEN ? ELSE updated_at END WHERE id = ?`,
      ).run(position, a.title, a.description, lead, a.start, a.end, a.status, a.budgetAmount, a.currency, a.fundingSource, proposer, changedIds.has(a.id) ? 1 : 0, at, a.id);
    } else {
      // Deleted since: back with its id, so links to it (e.g. dissenting positions, audit entries) still name it.
      if (exists('actions', id)) id = newId();
      const createdBy = a.createdBy && exists('users', a.createdBy) ? a.createdBy : actorId;
      db.prepare(
        `INSERT INTO actions (id, plan_id, section_id, position, title, description, lead_agency_id, start_at, end_at, status,
           budget_amount, currency, funding_source, created_by, created_at, updated_at, proposed_by_organisation_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, (SELECT organisation_id FROM users WHERE id = ?)))`,
      ).run(id, planId, sectionId, position, a.title, a.description, lead, a.start, a.end, a.status, a.budgetAmount, a.currency, a.fundingSource, createdBy, a.createdAt ?? at, at, proposer, createdBy);
    }

    db.prepare('DELETE FROM action_organisations WHERE action_id = ?').run(id);
    const addOrg = db.prepare('INSERT OR IGNORE INTO action_organisations (action_id, organisation_id, role, position) VALUES (?, ?, ?, ?)');
    orgsOrSkip(a.coImplementerIds, a.title).forEach((org, i) => addOrg.run(id, org, 'co_implementer', i));
    orgsOrSkip(a.civilSocietyPartnerIds, a.title).forEach((org, i) => addOrg.run(id, org, 'cso_partner', i));

    db.prepare('DELETE FROM action_recommendations WHERE action_id = ?').run(id);
    const addLink = db.prepare('INSERT OR IGNORE INTO action_recommendations (action_id, recommendation_id) VALUES (?, ?)');
    const recommendationInPlan = db.prepare(`SELECT 1 FROM recommendations r WHERE id = ? AND plan_id = ? AND ${visibleRecommendation()}`);
    for (const r of a.recommendations) {
      if (recommendationInPlan.get(r.id, planId)) addLink.run(id, r.id);
      else skippedRecommendations.push({ id: r.id, name: r.reference, actionTitle: a.title });
    }

    const current = new Set(allRows(db.prepare('SELECT id FROM indicators WHERE action_id = ?'), Id, id).map((r) => r.id));
    const wanted = new Set(a.indicators.map((i) => i.id));
    for (const old of current) if (!wanted.has(old)) db.prepare('DELETE FROM indicators WHERE id = ?').run(old);
    a.indicators.forEach((i, n) => {
      let indicatorId = i.id;
      if (!current.has(i.id)) {
        if (exists('indicators', indicatorId)) indicatorId = newId();
        db.prepare('INSERT INTO indicators (id, action_id, position, type, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
          indicatorId,
          id,
          n,
          i.type,
          i.description,
          i.createdAt ?? at,
          at,
        );
      }
      const same = db
        .prepare(
          `SELECT 1 FROM indicators WHERE id = ? AND position = ? AND type = ? AND description = ? AND unit IS ? AND baseline_value IS ?
             AND baseline_year IS ? AND target_value IS ? AND target_year IS ? AND data_source IS ? AND frequency IS ?
             AND disaggregation = ? AND proposed_by_organisation_id IS ?`,
        )
        .get(indicatorId, n, i.type, i.description, i.unit, i.baselineValue, i.baselineYear, i.targetValue, i.targetYear, i.dataSource, i.frequency, JSON.stringify(i.disaggregation), i.proposedByOrganisationId);
      if (same) return;
      writeIndicator(db, indicatorId, { ...i, proposedByOrganisationId: orgOrSkip(i.proposedByOrganisationId, a.title) }, { position: n, at });
    });
  });

  const after = snapshotSectionActions(db, planId, sectionId);
  const beforeLinks = linkSet(before);
  const afterLinks = linkSet(after);
  const linksChanged = beforeLinks.size !== afterLinks.size || [...afterLinks].some((l) => !beforeLinks.has(l));
  return { restored: true, summary, skippedRecommendations, skippedOrganisations, changed: changes.length > 0, linksChanged };
}

/** "actions: 1 re-added, 1 removed, 1 changed; indicators: 1 re-added" — for the audit summary. */
export function describeActionsRestore(r: ActionsRestore): string {
  if (!r.restored) return 'text only: the version was kept before versions held actions, so the actions were left as they are';
  const part = (label: string, added: number, removed: number, changed: number) => {
    const bits = [added ? `${added} re-added` : '', removed ? `${removed} removed` : '', changed ? `${changed} changed` : ''].filter(Boolean);
    return bits.length ? `${label}: ${bits.join(', ')}` : '';
  };
  const s = r.summary;
  const parts = [part('actions', s.actionsAdded, s.actionsRemoved, s.actionsChanged), part('indicators', s.indicatorsAdded, s.indicatorsRemoved, s.indicatorsChanged)].filter(Boolean);
  const skipped = r.skippedRecommendations.length ? `; ${r.skippedRecommendations.length} link(s) to deleted recommendations left out` : '';
  return (parts.length ? parts.join('; ') : 'actions unchanged') + skipped;
}

/**
 * After a restore is stored: what an action change through the action routes triggers. Live
 * clients reload the section's actions (and recommendations when links changed), and signatures
 * on content that is no longer there are withdrawn at once, in the restorer's name, visibly.
 */
export function announceRestore(
  deps: { db: Db; sync: DocumentAccess; events: EventBus; logger?: Logger },
  planId: string,
  sectionId: string,
  restored: RestoredActions | null,
  actor: Acting | null,
): void {
  const { db, sync, events } = deps;
  if (restored?.changed) events.emit('plan', planId, { type: 'actions', sectionId });
  if (restored?.linksChanged) events.emit('plan', planId, { type: 'recommendations' });
  if (!actor) return;
  const editors = [{ userId: actor.principal.userId, name: actor.principal.name }];
  try {
    if (withdrawStaleSignatures({ db, sync }, planId, sectionId, editors) > 0) {
      events.emit('plan', planId, { type: 'agreement', sectionId });
      events.emit('plan', planId, { type: 'outline' });
      events.emit('plan', planId, { type: 'notifications' });
    }
  } catch (err) {
    // The restore is stored; it must not be reported as failed. E.g. someone's typing is not stored
    // yet (503 unsaved_edits): the signature watch, woken by the restore's text edit, and the next
    // read of the section's agreement withdraw what is stale.
    deps.logger?.warn({ err, planId, sectionId }, 'withdrawing signatures after a restore failed');
  }
}
