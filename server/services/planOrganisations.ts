import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { rowsNow } from '../db/sql/sqliteNow.ts';
import { col, scalar } from '../db/rows.ts';
import { badRequest } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { createOrganisation } from './accounts.ts';
import { type Actor, byWhom, recordChangeNow } from './history.ts';
import { PlanOrganisationSchema, type PlanOrganisation, type Side } from '../../shared/api/index.ts';

/** `verified` is worked out from `verifiedAt` once read. */
const AvailableRow = PlanOrganisationSchema.omit({ verified: true });

// Members' organisations plus the ones added to the plan for actions: a lead agency may have no
// member in Accord yet, and still be the one responsible for an action. Ordered by name ignoring
// case (ASCII on SQLite, as COLLATE NOCASE did), then by id.
const availableQuery = (planId: string) =>
  sql`SELECT o.id, o.name, o.side, o.color, v.verified_at AS "verifiedAt",
        CASE WHEN v.organisation_id IS NULL THEN NULL ELSE coalesce(vu.name, 'set-up') END AS "verifiedBy"
        FROM organisations o
        LEFT JOIN organisation_verifications v ON v.organisation_id = o.id AND v.plan_id = ${planId}
        LEFT JOIN users vu ON vu.id = v.verified_by
       WHERE o.id IN (SELECT u.organisation_id FROM plan_members m JOIN users u ON u.id = m.user_id WHERE m.plan_id = ${planId})
          OR o.id IN (SELECT organisation_id FROM plan_organisations WHERE plan_id = ${planId})
       ORDER BY lower(o.name), o.id`;

/** Organisations that can lead, co-implement or partner in the plan's actions, by name. */
export function listPlanOrganisations(db: Db, planId: string): PlanOrganisation[] {
  return rowsNow(db, AvailableRow, availableQuery(planId)).map((o) => ({ ...o, verified: o.verifiedAt !== null }));
}

/** listPlanOrganisations on Sql, for the services moved to it (monitoring's lifecycle and adoption). */
export async function planOrganisations(q: Sql, planId: string): Promise<PlanOrganisation[]> {
  return (await q.rows(AvailableRow, availableQuery(planId))).map((o) => ({ ...o, verified: o.verifiedAt !== null }));
}

/**
 * Adds an organisation to the plan, reusing an existing one with the same name (ignoring case) so
 * "Ministry of Justice" is one organisation across plans. Returns it and whether anything changed.
 * Recorded as `organisation.created` (a new organisation) or `organisation.added` (an existing one).
 */
export function addPlanOrganisation(
  db: Db,
  planId: string,
  who: Actor,
  input: { name: string; side: Side },
): { organisation: PlanOrganisation; added: boolean } {
  return db.transaction(() => {
    const existingId = scalar(db.prepare('SELECT id FROM organisations WHERE lower(name) = lower(?)'), col.text, input.name);
    const id = existingId ?? createOrganisation(db, input).id;
    const known = listPlanOrganisations(db, planId).find((o) => o.id === id);
    if (known) return { organisation: known, added: false };
    db.prepare('INSERT INTO plan_organisations (plan_id, organisation_id, added_by, added_at) VALUES (?, ?, ?, ?)').run(
      planId,
      id,
      who.principal.userId,
      nowIso(),
    );
    const organisation = listPlanOrganisations(db, planId).find((o) => o.id === id)!;
    recordOrganisationEntered(db, planId, who, organisation, existingId === undefined);
    return { organisation, added: true };
  })();
}

/**
 * An organisation entered the plan: made new (by a drafter for an action, or by an invitee naming
 * their own), or an existing one added to the plan's organisations.
 */
export function recordOrganisationEntered(
  db: Db,
  planId: string,
  who: Actor,
  organisation: { id: string; name: string; side: Side },
  created: boolean,
): void {
  recordChangeNow(db, {
    planId,
    who,
    action: created ? 'organisation.created' : 'organisation.added',
    targetType: 'organisation',
    targetId: organisation.id,
    summary: created
      ? `${byWhom(who)} created the organisation ${organisation.name} (${organisation.side.replace('_', ' ')})`
      : `${byWhom(who)} added ${organisation.name} (${organisation.side.replace('_', ' ')}) to the plan's organisations`,
    before: null,
    after: { name: organisation.name, side: organisation.side },
  });
}

/**
 * Refuses (400, naming the field and the id) any organisation id that is not available to the
 * plan. `ids` maps a field name (e.g. `coImplementerIds`) to the ids sent in it.
 */
export function requirePlanOrganisations(db: Db, planId: string, ids: Record<string, Array<string | null | undefined>>): void {
  refuseUnavailable(new Set(listPlanOrganisations(db, planId).map((o) => o.id)), ids);
}

/** requirePlanOrganisations on Sql, for the action and indicator edits (inside their transaction, `tx`). */
export async function requirePlanOrganisationsOn(q: Sql, planId: string, ids: Record<string, Array<string | null | undefined>>): Promise<void> {
  refuseUnavailable(new Set((await planOrganisations(q, planId)).map((o) => o.id)), ids);
}

function refuseUnavailable(available: ReadonlySet<string>, ids: Record<string, Array<string | null | undefined>>): void {
  for (const [field, values] of Object.entries(ids)) {
    for (const id of values) {
      if (id === null || id === undefined || available.has(id)) continue;
      const message = `The organisation ${id} is not part of this plan. Add it to the plan's organisations first.`;
      throw badRequest(`The request is not valid. ${field}: ${message}`, { [field]: { code: 'not_in_plan' } });
    }
  }
}
