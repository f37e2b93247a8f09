import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { forbidden } from '../errors.ts';
import { mayActOnSide, type Party } from '../../shared/policy/sides.ts';
import { SideSchema, type Side } from '../../shared/api/index.ts';

const PartyRow = rowShape({ organisationId: col.text, side: SideSchema, verifiedSide: SideSchema.nullable() });

const OneRow = rowShape({ one: col.int });

/** A person as a party of the plan: their organisation and the side the plan vouched for. */
export async function partyOf(q: Sql, planId: string, userId: string): Promise<Party & { side: Side }> {
  return q.theRow(
    PartyRow,
    sql`SELECT u.organisation_id AS "organisationId", o.side, v.side AS "verifiedSide"
         FROM users u JOIN organisations o ON o.id = u.organisation_id
         LEFT JOIN organisation_verifications v ON v.plan_id = ${planId} AND v.organisation_id = u.organisation_id
        WHERE u.id = ${userId}`,
  );
}

/** Whether some coordinator of the plan belongs to a verified organisation of that side. */
export async function sideHasOwnCoordinator(q: Sql, planId: string, side: Side): Promise<boolean> {
  const found = await q.row(
    OneRow,
    sql`SELECT 1 AS one FROM plan_members m JOIN users u ON u.id = m.user_id
         JOIN organisation_verifications v ON v.plan_id = m.plan_id AND v.organisation_id = u.organisation_id
        WHERE m.plan_id = ${planId} AND m.role = 'coordinator' AND v.side = ${side} LIMIT 1`,
  );
  return found !== undefined;
}

const SIDE_WORDS: Record<Side, string> = {
  government: 'government',
  civil_society: 'civil society',
  independent: 'independent institutions',
  international: 'international partners',
};

/**
 * Refuses (403 other_side) a coordinator acting on a side that is not theirs once that side has a
 * coordinator of its own (shared/policy/sides.ts), with words saying who can.
 */
export async function requireMayActOnSide(q: Sql, planId: string, actorId: string, targetSide: Side, what: string): Promise<void> {
  const actor = await partyOf(q, planId, actorId);
  if (actor.verifiedSide === null) {
    throw forbidden(`Your organisation is not verified in this plan yet, so you cannot ${what}. Another coordinator must verify it first.`, 'actor_unverified');
  }
  if (!mayActOnSide(actor, targetSide, await sideHasOwnCoordinator(q, planId, targetSide))) {
    throw forbidden(
      `Only a coordinator of ${SIDE_WORDS[targetSide]} can ${what}: each side answers for its own organisations and people once it has a verified coordinator.`,
      'other_side',
    );
  }
}
