import { sql } from 'kysely';
import type { Sql } from '../db/sql/Sql.ts';
import { col, rowShape } from '../db/rows.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { recordAudit } from './audit.ts';
import { notify, settleNotices } from './notifications.ts';
import { planOrganisations } from './planOrganisations.ts';
import type { Acting } from './acting.ts';
import { partyOf, requireMayActOnSide, sideHasOwnCoordinator } from './sides.ts';
import { mayActOnSide } from '../../shared/policy/sides.ts';
import { SideSchema, type Side } from '../../shared/api/index.ts';

const VerifiedRow = rowShape({ id: col.text, side: SideSchema });
const IdRow = rowShape({ id: col.text });

/**
 * Verified organisations. Anyone invited without a named organisation names their own, and could
 * claim to be a ministry or a well-known NGO; so a side counts for sign-off only once a coordinator
 * of the plan has vouched for the organisation. The plan creator's organisation is vouched for by
 * set-up; a coordinator cannot vouch for their own organisation (another coordinator must).
 */

const SIDE_WORDS: Record<Side, string> = {
  government: 'government',
  civil_society: 'civil society',
  independent: 'independent',
  international: 'international',
};

/** Ids of the organisations verified for the plan, with the side vouched for. */
export async function verifiedOrganisations(q: Sql, planId: string): Promise<Map<string, Side>> {
  return new Map((await q.rows(VerifiedRow, verifiedListQuery(planId))).map((r) => [r.id, r.side]));
}

const verifiedListQuery = (planId: string) =>
  sql`SELECT organisation_id AS id, side FROM organisation_verifications WHERE plan_id = ${planId} ORDER BY organisation_id`;

const verifiedQuery = (planId: string, organisationId: string) =>
  sql`SELECT 1 AS one FROM organisation_verifications WHERE plan_id = ${planId} AND organisation_id = ${organisationId}`;
const OneRow = rowShape({ one: col.int });

/** Whether a coordinator of the plan has vouched for the organisation (or set-up did). */
export async function isOrganisationVerified(q: Sql, planId: string, organisationId: string): Promise<boolean> {
  return (await q.row(OneRow, verifiedQuery(planId, organisationId))) !== undefined;
}

const creatorVerification = (planId: string, organisationId: string, side: Side) =>
  sql`INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at)
    VALUES (${planId}, ${organisationId}, ${side}, NULL, ${nowIso()}) ON CONFLICT DO NOTHING`;

/** The plan creator's organisation, vouched for by set-up (called when a plan is created). */
export async function verifyCreatorOrganisation(q: Sql, planId: string, organisationId: string, side: Side): Promise<void> {
  await q.run(creatorVerification(planId, organisationId, side));
}

async function requirePlanOrganisation(q: Sql, planId: string, organisationId: string) {
  const organisation = (await planOrganisations(q, planId)).find((o) => o.id === organisationId);
  if (!organisation) throw notFound('organisation');
  return organisation;
}

/** The plan's members of the organisation, in id order (their notices are written in that order on either engine). */
async function membersOf(q: Sql, planId: string, organisationId: string): Promise<string[]> {
  const rows = await q.rows(
    IdRow,
    sql`SELECT m.user_id AS id FROM plan_members m JOIN users u ON u.id = m.user_id
         WHERE m.plan_id = ${planId} AND u.organisation_id = ${organisationId} ORDER BY m.user_id`,
  );
  return rows.map((r) => r.id);
}

/** A coordinator vouches for an organisation and its side in this plan (audit `organisation.verified`). */
export async function verifyOrganisation(q: Sql, planId: string, who: Acting, organisationId: string): Promise<void> {
  if (who.role !== 'coordinator') throw forbidden('Only a coordinator can verify an organisation.', 'coordinator_only');
  await q.transaction(async (tx) => {
    const organisation = await requirePlanOrganisation(tx, planId, organisationId);
    if (organisation.verified) throw conflict('already_verified', `${organisation.name} is verified already.`);
    if (organisationId === who.principal.organisationId) {
      throw forbidden('You cannot verify your own organisation: another coordinator of the plan must vouch for it.', 'verify_own_organisation');
    }
    await requireMayActOnSide(tx, planId, who.principal.userId, organisation.side, `verify an organisation of ${SIDE_WORDS[organisation.side]}`);
    // Two coordinators verifying at once (PostgreSQL): the second finds the row there and is told so.
    const { changes } = await tx.run(
      sql`INSERT INTO organisation_verifications (plan_id, organisation_id, side, verified_by, verified_at)
        VALUES (${planId}, ${organisationId}, ${organisation.side}, ${who.principal.userId}, ${nowIso()}) ON CONFLICT DO NOTHING`,
    );
    if (changes !== 1) throw conflict('already_verified', `${organisation.name} is verified already.`);
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'organisation.verified',
      targetType: 'organisation',
      targetId: organisationId,
      summary: `${who.principal.name} verified ${organisation.name} as a ${SIDE_WORDS[organisation.side]} organisation`,
      details: { organisation: organisation.name, side: organisation.side },
    });
    await settleNotices(tx, planId, 'organisation_to_verify', 'organisation', organisation.name);
    for (const userId of await membersOf(tx, planId, organisationId)) {
      await notify(tx, {
        userId,
        planId,
        kind: 'organisation_verified',
        summary: `${who.principal.name} verified your organisation, ${organisation.name}: your signature now counts for the ${SIDE_WORDS[organisation.side]} side.`,
        text: { key: 'organisation_verified', params: { who: who.principal.name, organisation: organisation.name, side: organisation.side } },
        link: `/plans/${planId}/members`,
      });
    }
  });
}

/**
 * Someone accepted an invite naming an organisation Accord did not know: it counts for nothing
 * until a coordinator vouches for it, and nobody would know to unless told. The coordinators who
 * may verify it (its own side's, once that side has a verified coordinator: shared/policy/sides.ts)
 * get a notice leading to the members page, where organisations are verified. Returns how many
 * were told.
 */
export async function noticeOrganisationToVerify(
  tx: Sql,
  planId: string,
  organisation: { name: string; side: Side },
  joined: { userId: string; name: string },
): Promise<number> {
  const coordinators = await tx.rows(
    IdRow,
    sql`SELECT user_id AS id FROM plan_members WHERE plan_id = ${planId} AND role = 'coordinator' AND user_id <> ${joined.userId} ORDER BY user_id`,
  );
  const ownCoordinator = await sideHasOwnCoordinator(tx, planId, organisation.side);
  const told: string[] = [];
  for (const { id } of coordinators) {
    if (mayActOnSide(await partyOf(tx, planId, id), organisation.side, ownCoordinator)) told.push(id);
  }
  for (const id of told) {
    await notify(tx, {
      userId: id,
      planId,
      kind: 'organisation_to_verify',
      summary: `${joined.name} joined the plan with a new organisation, ${organisation.name} (${SIDE_WORDS[organisation.side]}). Verify it once you know it is who it says it is: until then its signatures do not count.`,
      text: { key: 'organisation_to_verify', params: { who: joined.name, organisation: organisation.name, side: organisation.side } },
      link: `/plans/${planId}/members`,
    });
  }
  return told.length;
}

/**
 * A coordinator withdraws the verification (audit `organisation.unverified`). Signatures of its
 * members stop counting; sections already agreed stay agreed (a coordinator may reopen them).
 */
export async function unverifyOrganisation(q: Sql, planId: string, who: Acting, organisationId: string, reason: string): Promise<void> {
  if (who.role !== 'coordinator') throw forbidden('Only a coordinator can withdraw a verification.', 'coordinator_only');
  await q.transaction(async (tx) => {
    const organisation = await requirePlanOrganisation(tx, planId, organisationId);
    if (!organisation.verified) throw conflict('not_verified', `${organisation.name} is not verified.`);
    if (organisationId === who.principal.organisationId) {
      throw forbidden('You cannot withdraw your own organisation’s verification: another coordinator must.', 'unverify_own_organisation');
    }
    await requireMayActOnSide(tx, planId, who.principal.userId, organisation.side, `withdraw the verification of an organisation of ${SIDE_WORDS[organisation.side]}`);
    const { changes } = await tx.run(sql`DELETE FROM organisation_verifications WHERE plan_id = ${planId} AND organisation_id = ${organisationId}`);
    if (changes !== 1) throw conflict('not_verified', `${organisation.name} is not verified.`);
    await recordAudit(tx, {
      planId,
      actor: who.principal,
      role: who.role,
      action: 'organisation.unverified',
      targetType: 'organisation',
      targetId: organisationId,
      summary: `${who.principal.name} withdrew the verification of ${organisation.name}: ${reason}`,
      details: { organisation: organisation.name, side: organisation.side, reason },
    });
    for (const userId of await membersOf(tx, planId, organisationId)) {
      await notify(tx, {
        userId,
        planId,
        kind: 'organisation_unverified',
        summary: `${who.principal.name} withdrew the verification of your organisation, ${organisation.name}: ${reason}`,
        text: { key: 'organisation_unverified', params: { who: who.principal.name, organisation: organisation.name, reason } },
        link: `/plans/${planId}/members`,
      });
    }
  });
}
