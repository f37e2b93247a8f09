import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { rowsNow } from '../db/sql/sqliteNow.ts';
import { badRequest } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { createOrganisation, organisationNamed } from './accounts.ts';
import { type Actor, byWhom, recordChange } from './history.ts';
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

/** Organisations that can lead, co-implement or partner in the plan's actions, by name (listPlanOrganisations on Sql). */
export async function planOrganisations(q: Sql, planId: string): Promise<PlanOrganisation[]> {
  return (await q.rows(AvailableRow, availableQuery(planId))).map((o) => ({ ...o, verified: o.verifiedAt !== null }));
}

/**
 * Adds an organisation to the plan, reusing an existing one with the same name (ignoring case) so
 * "Ministry of Justice" is one organisation across plans. Returns it and whether anything changed.
 * Recorded as `organisation.created` (a new organisation) or `organisation.added` (an existing one).
 */
export async function addPlanOrganisation(
  q: Sql,
  planId: string,
  who: Actor,
  input: { name: string; side: Side },
): Promise<{ organisation: PlanOrganisation; added: boolean }> {
  return q.transaction(async (tx) => {
    const existingId = await organisationNamed(tx, input.name);
    const id = existingId ?? (await createOrganisation(tx, input)).id;
    const known = (await planOrganisations(tx, planId)).find((o) => o.id === id);
    if (known) return { organisation: known, added: false };
    await tx.run(
      sql`INSERT INTO plan_organisations (plan_id, organisation_id, added_by, added_at) VALUES (${planId}, ${id}, ${who.principal.userId}, ${nowIso()})`,
    );
    const organisation = (await planOrganisations(tx, planId)).find((o) => o.id === id)!;
    await recordOrganisationEntered(tx, planId, who, organisation, existingId === undefined);
    return { organisation, added: true };
  });
}

/**
 * An organisation entered the plan: made new (by a drafter for an action, or by an invitee naming
 * their own), or an existing one added to the plan's organisations.
 */
export async function recordOrganisationEntered(
  tx: Sql,
  planId: string,
  who: Actor,
  organisation: { id: string; name: string; side: Side },
  created: boolean,
): Promise<void> {
  await recordChange(tx, {
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

type OrganisationIds = Record<string, Array<string | null | undefined>>;

/**
 * Refuses (400, naming the field and the id) any organisation id that is not available to the
 * plan. `ids` maps a field name (e.g. `coImplementerIds`) to the ids sent in it.
 */
export async function requirePlanOrganisations(q: Sql, planId: string, ids: OrganisationIds): Promise<void> {
  refuseUnavailable(new Set((await planOrganisations(q, planId)).map((o) => o.id)), ids);
}

/** requirePlanOrganisations for the action and indicator edits, still synchronous (decision 0011): the same query. */
export function requirePlanOrganisationsNow(db: Db, planId: string, ids: OrganisationIds): void {
  refuseUnavailable(new Set(listPlanOrganisations(db, planId).map((o) => o.id)), ids);
}

function refuseUnavailable(available: ReadonlySet<string>, ids: OrganisationIds): void {
  for (const [field, values] of Object.entries(ids)) {
    for (const id of values) {
      if (id === null || id === undefined || available.has(id)) continue;
      const message = `The organisation ${id} is not part of this plan. Add it to the plan's organisations first.`;
      throw badRequest(`The request is not valid. ${field}: ${message}`, { [field]: { code: 'not_in_plan' } });
    }
  }
}
