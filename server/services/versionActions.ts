import { sql } from 'kysely';
import type { Logger } from 'pino';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { row, rows, run, stepsOn, type Steps } from '../db/sql/steps.ts';
import type { EventBus } from '../events.ts';
import { newId, nowIso } from '../ids.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import type { Acting } from './acting.ts';
import { insertActionLink, insertActionOrganisation, recommendationInPlan, sectionActions } from './actions.ts';
import { withdrawStaleSignatures } from './agreement.ts';
import { diffActions } from './diffActions.ts';
import { writeIndicator } from './indicators.ts';
import { ActionsSnapshotSchema, type ActionSnapshot, type ActionsRestore, type ActionsSnapshot } from '../../shared/api/index.ts';

/**
 * The actions part of a version (issue #13): what a version keeps of a section's actions, and how
 * a restore brings them back.
 *
 * A restore writes actions here rather than through services/actions.ts on purpose: it runs inside
 * the transaction of the text edit and its audit entry (one change, stored whole or not at all),
 * keeps ids, creators and creation times, and is recorded as one `version.restored` entry with
 * counts rather than as many separate action edits.
 *
 * Written once as steps (server/db/sql/steps.ts): a restore writes inside the sync server's
 * SQLite transaction that stores its text edit, synchronously, when the services use that database,
 * and on Sql otherwise (services/versions.ts, restoreVersion).
 */

// ---- Keeping -----------------------------------------------------------------------------------

const ActionCreated = rowShape({ id: col.text, createdBy: col.text, createdAt: col.text });
const IndicatorCreated = rowShape({ id: col.text, createdAt: col.text });
const Named = rowShape({ id: col.text, name: col.text });
const Id = rowShape({ id: col.text });
const One = rowShape({ one: col.int });

/** The section's actions as they are now, in the form a version keeps them. */
export function* sectionSnapshot(planId: string, sectionId: string): Steps<ActionsSnapshot> {
  const actions = yield* sectionActions(planId, sectionId, false);
  const created = new Map(
    (yield* rows(ActionCreated, sql`SELECT id, created_by AS "createdBy", created_at AS "createdAt" FROM actions WHERE section_id = ${sectionId}`)).map((r) => [r.id, r]),
  );
  const indicatorCreated = new Map(
    (yield* rows(
      IndicatorCreated,
      sql`SELECT i.id, i.created_at AS "createdAt" FROM indicators i JOIN actions a ON a.id = i.action_id WHERE a.section_id = ${sectionId}`,
    )).map((r) => [r.id, r.createdAt]),
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
  // Named in the order first met in the actions (a missing organisation keeps its id).
  const ids = [...orgIds];
  const names = new Map(ids.length === 0 ? [] : (yield* rows(Named, sql`SELECT id, name FROM organisations WHERE id IN (${sql.join(ids)})`)).map((r) => [r.id, r.name]));
  const organisations: Record<string, string> = {};
  for (const id of ids) organisations[id] = names.get(id) ?? id;
  return { format: 1, actions: snapshot, organisations };
}

export function snapshotSectionActions(q: Sql, planId: string, sectionId: string): Promise<ActionsSnapshot> {
  return stepsOn(q, sectionSnapshot(planId, sectionId));
}

/** A version's stored actions, or null for a version kept before versions held actions. */
export function parseActionsSnapshot(json: string | null): ActionsSnapshot | null {
  return json === null ? null : ActionsSnapshotSchema.parse(JSON.parse(json));
}

// ---- Restoring ---------------------------------------------------------------------------------

export type RestoredActions = Extract<ActionsRestore, { restored: true }> & {
  /** Anything written: live clients must reload the section's actions. */
  changed: boolean;
  /** Links to recommendations changed: recommendations show how many actions address them. */
  linksChanged: boolean;
};

const linkSet = (s: ActionsSnapshot) => new Set(s.actions.flatMap((a) => a.recommendations.map((r) => `${a.id} ${r.id}`)));

const TABLES = { actions: sql.raw('actions'), indicators: sql.raw('indicators'), users: sql.raw('users'), organisations: sql.raw('organisations') };

/**
 * Makes the section's actions what `target` holds: actions still in the section are updated in
 * place (same ids), ones deleted since are re-created with their original ids (a new id only if
 * the old one is taken), ones added since are deleted; the same for indicators within each action.
 * Links to recommendations and organisations that no longer exist are left out and reported.
 * Runs in the caller's transaction; the caller checks the section may change (not agreed).
 */
export function* restoringActions(planId: string, sectionId: string, target: ActionsSnapshot, actorId: string | null): Steps<RestoredActions> {
  const before = yield* sectionSnapshot(planId, sectionId);
  const { summary, changes } = diffActions(before, target);
  const at = nowIso();
  const changedIds = new Set(changes.filter((c) => c.change === 'changed').map((c) => c.actionId));
  const skippedRecommendations: RestoredActions['skippedRecommendations'] = [];
  const skippedOrganisations: RestoredActions['skippedOrganisations'] = [];

  function* exists(table: keyof typeof TABLES, id: string | null): Steps<boolean> {
    return id !== null && (yield* row(One, sql`SELECT 1 AS one FROM ${TABLES[table]} WHERE id = ${id}`)) !== undefined;
  }
  function* orgOrSkip(id: string | null, actionTitle: string): Steps<string | null> {
    if (id === null || (yield* exists('organisations', id))) return id;
    if (!skippedOrganisations.some((s) => s.id === id && s.actionTitle === actionTitle)) {
      skippedOrganisations.push({ id, name: target.organisations[id] ?? id, actionTitle });
    }
    return null;
  }
  function* orgsOrSkip(ids: string[], actionTitle: string): Steps<string[]> {
    const kept: string[] = [];
    for (const id of ids) {
      const org = yield* orgOrSkip(id, actionTitle);
      if (org !== null) kept.push(org);
    }
    return kept;
  }

  // Actions added since the version go, with their indicators and links (ON DELETE CASCADE).
  const keep = new Set(target.actions.map((a) => a.id));
  for (const a of before.actions) if (!keep.has(a.id)) yield* run(sql`DELETE FROM actions WHERE id = ${a.id}`);

  const inSection = new Set(before.actions.map((a) => a.id));
  for (const [position, a] of target.actions.entries()) {
    const lead = yield* orgOrSkip(a.leadAgencyId, a.title);
    // Who proposed it stays who proposed it; a version kept before actions had a proposer falls back to its creator's organisation.
    const proposer = a.proposedByOrganisationId && (yield* exists('organisations', a.proposedByOrganisationId)) ? a.proposedByOrganisationId : null;
    let id = a.id;
    if (inSection.has(a.id)) {
      const updatedAt = changedIds.has(a.id) ? sql`${at}` : sql`updated_at`;
      yield* run(
        sql`UPDATE actions SET position = ${position}, title = ${a.title}, description = ${a.description}, lead_agency_id = ${lead}, start_at = ${a.start},
              end_at = ${a.end}, status = ${a.status}, budget_amount = ${a.budgetAmount}, currency = ${a.currency}, funding_source = ${a.fundingSource},
              proposed_by_organisation_id = COALESCE(${proposer}, proposed_by_organisation_id), updated_at = ${updatedAt}
            WHERE id = ${a.id}`,
      );
    } else {
      // Deleted since: back with its id, so links to it (e.g. dissenting positions, audit entries) still name it.
      if (yield* exists('actions', id)) id = newId();
      const createdBy = a.createdBy && (yield* exists('users', a.createdBy)) ? a.createdBy : actorId;
      yield* run(
        sql`INSERT INTO actions (id, plan_id, section_id, position, title, description, lead_agency_id, start_at, end_at, status,
              budget_amount, currency, funding_source, created_by, created_at, updated_at, proposed_by_organisation_id)
            VALUES (${id}, ${planId}, ${sectionId}, ${position}, ${a.title}, ${a.description}, ${lead}, ${a.start}, ${a.end}, ${a.status},
              ${a.budgetAmount}, ${a.currency}, ${a.fundingSource}, ${createdBy}, ${a.createdAt ?? at}, ${at},
              COALESCE(${proposer}, (SELECT organisation_id FROM users WHERE id = ${createdBy})))`,
      );
    }

    yield* run(sql`DELETE FROM action_organisations WHERE action_id = ${id}`);
    for (const [i, org] of (yield* orgsOrSkip(a.coImplementerIds, a.title)).entries()) yield* run(insertActionOrganisation(id, org, 'co_implementer', i));
    for (const [i, org] of (yield* orgsOrSkip(a.civilSocietyPartnerIds, a.title)).entries()) yield* run(insertActionOrganisation(id, org, 'cso_partner', i));

    yield* run(sql`DELETE FROM action_recommendations WHERE action_id = ${id}`);
    for (const r of a.recommendations) {
      if (yield* recommendationInPlan(planId, r.id)) yield* run(insertActionLink(id, r.id));
      else skippedRecommendations.push({ id: r.id, name: r.reference, actionTitle: a.title });
    }

    const current = new Set((yield* rows(Id, sql`SELECT id FROM indicators WHERE action_id = ${id}`)).map((r) => r.id));
    const wanted = new Set(a.indicators.map((i) => i.id));
    for (const old of current) if (!wanted.has(old)) yield* run(sql`DELETE FROM indicators WHERE id = ${old}`);
    for (const [n, i] of a.indicators.entries()) {
      let indicatorId = i.id;
      if (!current.has(i.id)) {
        if (yield* exists('indicators', indicatorId)) indicatorId = newId();
        yield* run(
          sql`INSERT INTO indicators (id, action_id, position, type, description, created_at, updated_at)
              VALUES (${indicatorId}, ${id}, ${n}, ${i.type}, ${i.description}, ${i.createdAt ?? at}, ${at})`,
        );
      }
      // IS NOT DISTINCT FROM: equal, or both NULL (SQLite's IS), on both engines.
      const same = yield* row(
        One,
        sql`SELECT 1 AS one FROM indicators WHERE id = ${indicatorId} AND position = ${n} AND type = ${i.type} AND description = ${i.description}
              AND unit IS NOT DISTINCT FROM ${i.unit} AND baseline_value IS NOT DISTINCT FROM ${i.baselineValue}
              AND baseline_year IS NOT DISTINCT FROM ${i.baselineYear} AND target_value IS NOT DISTINCT FROM ${i.targetValue}
              AND target_year IS NOT DISTINCT FROM ${i.targetYear} AND data_source IS NOT DISTINCT FROM ${i.dataSource}
              AND frequency IS NOT DISTINCT FROM ${i.frequency} AND disaggregation = ${JSON.stringify(i.disaggregation)}
              AND proposed_by_organisation_id IS NOT DISTINCT FROM ${i.proposedByOrganisationId}`,
      );
      if (same) continue;
      yield* writeIndicator(indicatorId, { ...i, proposedByOrganisationId: yield* orgOrSkip(i.proposedByOrganisationId, a.title) }, { position: n, at });
    }
  }

  const after = yield* sectionSnapshot(planId, sectionId);
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
export async function announceRestore(
  deps: { sql: Sql; sync: DocumentAccess; events: EventBus; logger?: Logger },
  planId: string,
  sectionId: string,
  restored: RestoredActions | null,
  actor: Acting | null,
): Promise<void> {
  const { sync, events } = deps;
  if (restored?.changed) events.emit('plan', planId, { type: 'actions', sectionId });
  if (restored?.linksChanged) events.emit('plan', planId, { type: 'recommendations' });
  if (!actor) return;
  const editors = [{ userId: actor.principal.userId, name: actor.principal.name }];
  try {
    if ((await withdrawStaleSignatures({ sql: deps.sql, sync }, planId, sectionId, editors)) > 0) {
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
