import type { Db } from '../db/database.ts';
import { col, rowShape, theRow } from '../db/rows.ts';
import { forbidden } from '../errors.ts';
import { mayActOnSide, type Party } from '../../shared/policy/sides.ts';
import { SideSchema, type Side } from '../../shared/api/index.ts';

const PartyRow = rowShape({ organisationId: col.text, side: SideSchema, verifiedSide: SideSchema.nullable() });

/** A person as a party of the plan: their organisation and the side the plan vouched for. */
export function partyOf(db: Db, planId: string, userId: string): Party & { side: Side } {
  return theRow(
    db.prepare(
      `SELECT u.organisation_id AS organisationId, o.side, v.side AS verifiedSide
         FROM users u JOIN organisations o ON o.id = u.organisation_id
         LEFT JOIN organisation_verifications v ON v.plan_id = ? AND v.organisation_id = u.organisation_id
        WHERE u.id = ?`,
    ),
    PartyRow,
    planId,
    userId,
  );
}

/** Whether some coordinator of the plan belongs to a verified organisation of that side. */
export function sideHasOwnCoordinator(db: Db, planId: string, side: Side): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM plan_members m JOIN users u ON u.id = m.user_id
           JOIN organisation_verifications v ON v.plan_id = m.plan_id AND v.organisation_id = u.organisation_id
          WHERE m.plan_id = ? AND m.role = 'coordinator' AND v.side = ? LIMIT 1`,
      )
      .get(planId, side) !== undefined
  );
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
export function requireMayActOnSide(db: Db, planId: string, actorId: string, targetSide: Side, what: string): void {
  const actor = partyOf(db, planId, actorId);
  if (actor.verifiedSide === null) {
    throw forbidden(`Your organisation is not verified in this plan yet, so you cannot ${what}. Another coordinator must verify it first.`, 'actor_unverified');
  }
  if (!mayActOnSide(actor, targetSide, sideHasOwnCoordinator(db, planId, targetSide))) {
    throw forbidden(
      `Only a coordinator of ${SIDE_WORDS[targetSide]} can ${what}: each side answers for its own organisations and people once it has a verified coordinator.`,
      'other_side',
    );
  }
}
