import { sql } from 'kysely';
import type { z } from 'zod';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { badRequest, conflict, inviteInvalid, unauthenticated } from '../errors.ts';
import { hashToken, newId, nowIso } from '../ids.ts';
import { inviteToken } from '../auth/linkKey.ts';
import { createOrganisation, createUser, findOrganisation } from './accounts.ts';
import { recordOrganisationEntered, requirePlanOrganisations } from './planOrganisations.ts';
import { addMember } from './members.ts';
import { principalOf } from './audit.ts';
import { recordChange } from './history.ts';
import { noticeOrganisationToVerify } from './verification.ts';
import { partyOf, requireMayActOnSide, sideHasOwnCoordinator } from './sides.ts';
import { mayInviteInto } from '../../shared/policy/sides.ts';
import { Limits } from '../../shared/limits.ts';
import {
  InviteInfoSchema,
  InviteSchema,
  RoleSchema,
  type CreatedInvite,
  type InviteInfo,
  type Role,
  type Side,
} from '../../shared/api/index.ts';

type Invite = Omit<CreatedInvite, 'token' | 'url'> & { url: string | null };

const NameRow = rowShape({ name: col.text });
const PendingInviteRow = InviteSchema.pick({ id: true, role: true, note: true, createdBy: true, createdAt: true, expiresAt: true }).extend({
  createdById: col.text,
  organisationId: col.nullableText,
  tokenHash: col.text,
});
const RevokedInviteRow = rowShape({ note: col.text, role: RoleSchema, createdBy: col.text, organisationId: col.nullableText });
const ValidInvite = rowShape({ id: col.text, planId: col.text, role: RoleSchema, createdBy: col.text, organisationId: col.nullableText });
const InviteInfoRow = InviteInfoSchema.pick({ planTitle: true, country: true, invitedBy: true, invitedByOrganisation: true });

/** Where invite links point, and the key their tokens are derived from (server/auth/linkKey.ts). */
export interface InviteLinks {
  publicUrl: string;
  key: Buffer;
}

const inviteUrl = (links: InviteLinks, token: string) => `${links.publicUrl}/invite/${token}`;

/**
 * Creates a one-time invite link. Only the token's hash is stored, so a copy of the database
 * cannot be used to join a plan; the token is derived from the invite's id with the server's link
 * key, so coordinators can copy a pending invite's link again until it is used, expires or is revoked.
 */
export async function createInvite(
  q: Sql,
  planId: string,
  role: Role,
  createdBy: string,
  links: InviteLinks,
  organisationId: string | null = null,
  note = '',
): Promise<CreatedInvite> {
  const id = newId();
  const token = inviteToken(links.key, id);
  const createdAt = nowIso();
  const expiresAt = new Date(Date.now() + Limits.inviteDays * 86_400_000).toISOString();
  if (organisationId !== null) {
    await requirePlanOrganisations(q, planId, { organisationId: [organisationId] });
    await refuseInviteForOtherSide(q, planId, createdBy, organisationId);
  }
  await q.run(
    sql`INSERT INTO invites (id, token_hash, plan_id, role, created_by, created_at, expires_at, organisation_id, note)
     VALUES (${id}, ${hashToken(token)}, ${planId}, ${role}, ${createdBy}, ${createdAt}, ${expiresAt}, ${organisationId}, ${note})`,
  );
  const creator = await q.theRow(NameRow, sql`SELECT name FROM users WHERE id = ${createdBy}`);
  const organisation = organisationId ? await findOrganisation(q, organisationId) : null;
  return { id, role, note, organisation, createdBy: creator.name, createdAt, expiresAt, token, url: inviteUrl(links, token) };
}

/**
 * Whoever accepts an invite naming an organisation speaks for it, and a verified organisation's
 * people sign for their side: so naming one is the same as managing that side's people (403
 * `actor_unverified` / `other_side`). Else a civil-society coordinator, or one whose organisation
 * nobody has verified, could bring in a "ministry" coordinator who then demotes the real one.
 * One's own organisation is always open: inviting into it gives it no standing it lacks.
 */
async function refuseInviteForOtherSide(q: Sql, planId: string, createdBy: string, organisationId: string): Promise<void> {
  const organisation = await findOrganisation(q, organisationId);
  if (!organisation || (await partyOf(q, planId, createdBy)).organisationId === organisationId) return;
  await requireMayActOnSide(q, planId, createdBy, organisation.side, 'invite someone in the name of an organisation of that side');
}

/**
 * Whether `viewerId` may see, copy and revoke a pending invite: its link is as good as making it,
 * so one naming an organisation is for the coordinator who made it and for those who may invite
 * into that organisation, never for another side's coordinator (who could otherwise open it and
 * join as the ministry). One naming no organisation is any coordinator's.
 */
async function inviteIsTheirs(q: Sql, planId: string, viewerId: string, invite: { createdBy: string; organisationId: string | null }): Promise<boolean> {
  if (invite.organisationId === null || invite.createdBy === viewerId) return true;
  const organisation = await findOrganisation(q, invite.organisationId);
  if (!organisation) return true;
  return mayInviteInto(await partyOf(q, planId, viewerId), organisation, await sideHasOwnCoordinator(q, planId, organisation.side));
}

/**
 * An invite speaks for the coordinator who made it: once they are removed or no longer a
 * coordinator, their unused links stop working (else a removed coordinator could let themselves
 * back in through a link they made earlier).
 */
const CREATOR_STILL_COORDINATOR = sql`EXISTS (SELECT 1 FROM plan_members m
  WHERE m.plan_id = i.plan_id AND m.user_id = i.created_by AND m.role = 'coordinator')`;

/**
 * Invites not yet used, not expired, and still backed by a coordinator, newest first, each with
 * its link (null for an invite whose token was random, made before links were derived).
 */
export async function listPendingInvites(q: Sql, planId: string, links: InviteLinks, viewerId: string): Promise<Invite[]> {
  return q.transaction(
    async (tx) => {
      const rows = await tx.rows(
        PendingInviteRow,
        sql`SELECT i.id, i.role, i.note, u.name AS "createdBy", i.created_by AS "createdById", i.created_at AS "createdAt", i.expires_at AS "expiresAt",
                i.organisation_id AS "organisationId", i.token_hash AS "tokenHash"
           FROM invites i JOIN users u ON u.id = i.created_by
          WHERE i.plan_id = ${planId} AND i.used_at IS NULL AND i.expires_at > ${nowIso()} AND ${CREATOR_STILL_COORDINATOR}
          ORDER BY i.created_at DESC, i.id`,
      );
      const invites: Invite[] = [];
      for (const { organisationId, tokenHash, createdById, ...invite } of rows) {
        if (!(await inviteIsTheirs(tx, planId, viewerId, { createdBy: createdById, organisationId }))) continue;
        const token = inviteToken(links.key, invite.id);
        invites.push({
          ...invite,
          url: hashToken(token) === tokenHash ? inviteUrl(links, token) : null,
          organisation: organisationId ? await findOrganisation(tx, organisationId) : null,
        });
      }
      return invites;
    },
    // Whose invites are theirs is read from the sides as they were when the list was.
    { snapshot: true },
  );
}

/**
 * Revokes an unused invite by deleting it; its link then answers like any unknown link. Returns its
 * note. Another side's invite is not found, as it is not listed (inviteIsTheirs).
 */
export async function revokeInvite(q: Sql, planId: string, inviteId: string, actorId: string): Promise<{ note: string; role: Role }> {
  return q.transaction(async (tx) => {
    const row = await tx.row(
      RevokedInviteRow,
      sql`SELECT note, role, created_by AS "createdBy", organisation_id AS "organisationId" FROM invites WHERE id = ${inviteId} AND plan_id = ${planId} AND used_at IS NULL`,
    );
    if (!row || !(await inviteIsTheirs(tx, planId, actorId, row))) throw inviteInvalid();
    // Not if it was used or revoked meanwhile (PostgreSQL): one revocation on the record, none of a used link.
    const { changes } = await tx.run(sql`DELETE FROM invites WHERE id = ${inviteId} AND used_at IS NULL`);
    if (changes !== 1) throw inviteInvalid();
    return { note: row.note, role: row.role };
  });
}

async function validInvite(q: Sql, token: string): Promise<z.output<typeof ValidInvite>> {
  if (token.length > 200) throw inviteInvalid();
  const row = await q.row(
    ValidInvite,
    sql`SELECT id, plan_id AS "planId", role, created_by AS "createdBy", organisation_id AS "organisationId" FROM invites i
        WHERE token_hash = ${hashToken(token)} AND used_at IS NULL AND expires_at > ${nowIso()} AND ${CREATOR_STILL_COORDINATOR}`,
  );
  if (!row) throw inviteInvalid();
  return row;
}

/** What the invite page shows before accepting; 404 invite_invalid for any link that cannot be used. */
export async function inviteInfo(q: Sql, token: string): Promise<InviteInfo> {
  const invite = await validInvite(q, token);
  const row = await q.theRow(
    InviteInfoRow,
    sql`SELECT p.title AS "planTitle", p.country, u.name AS "invitedBy", o.name AS "invitedByOrganisation"
         FROM plans p, users u JOIN organisations o ON o.id = u.organisation_id
        WHERE p.id = ${invite.planId} AND u.id = ${invite.createdBy}`,
  );
  const organisation = invite.organisationId ? await findOrganisation(q, invite.organisationId) : null;
  return { ...row, role: invite.role, organisation, organisations: [] };
}

export interface NewAccount {
  name: string;
  email: string;
  /** Already hashed with argon2id (see passwords.ts). */
  passwordHash: string;
  organisation?: { id: string } | { name: string; side: Side } | undefined;
}

/**
 * Uses an invite: creates the account when one is given (else joins as `signedInUserId`), adds
 * the membership and marks the invite used, all in one transaction, so a link works exactly once
 * even when two people open it at the same moment.
 */
export async function acceptInvite(
  q: Sql,
  token: string,
  who: { account: NewAccount } | { userId: string | undefined },
): Promise<{ planId: string; userId: string; role: Role; created: boolean; noticesSent: number }> {
  return q.transaction(async (tx) => {
    const invite = await validInvite(tx, token);
    let userId: string;
    let created = false;
    let newOrganisation: { id: string; name: string; side: Side } | null = null;
    if ('account' in who) {
      const { account } = who;
      let organisationId: string;
      if (invite.organisationId) {
        // The coordinator decided the affiliation; whatever the form says is not asked for.
        organisationId = invite.organisationId;
      } else if (!account.organisation) {
        throw badRequest('Name your organisation and its side.', { 'account.organisation.name': { code: 'required' } });
      } else if ('id' in account.organisation) {
        // Joining an existing organisation (and later signing in its name) takes an invitation
        // that names it; otherwise anyone could claim to speak for a ministry.
        const message = 'Ask the coordinator for an invitation as a member of that organisation.';
        throw badRequest(`The request is not valid. account.organisation.id: ${message}`, { 'account.organisation.id': { code: 'organisation_invitation_needed' } });
      } else {
        newOrganisation = await createOrganisation(tx, account.organisation);
        organisationId = newOrganisation.id;
      }
      userId = (await createUser(tx, { ...account, organisationId })).id;
      created = true;
    } else {
      if (!who.userId) throw unauthenticated();
      userId = who.userId;
      // An invitation naming an organisation is a seat for it. Someone signed in as a member of
      // another organisation would take the seat in their own organisation's name, which is not
      // what the coordinator decided; the link stays usable by the person it was meant for.
      if (invite.organisationId && (await principalOf(tx, userId))?.organisationId !== invite.organisationId) {
        throw conflict('invite_other_organisation', 'This invitation is for a member of another organisation. Sign out and create an account from the link, or ask for an invitation for your own organisation.');
      }
    }
    // The link is taken first: of two people opening it at once (PostgreSQL), the second waits for
    // the first's commit here and finds it used, before anything else is written.
    const used = await tx.run(sql`UPDATE invites SET used_by = ${userId}, used_at = ${nowIso()} WHERE id = ${invite.id} AND used_at IS NULL`);
    if (used.changes !== 1) throw inviteInvalid();
    await addMember(tx, invite.planId, userId, invite.role);
    // On the record in the same transaction, in the newcomer's own name.
    const joined = { principal: (await principalOf(tx, userId))!, role: invite.role };
    const { principal } = joined;
    let noticesSent = 0;
    if (newOrganisation) {
      await recordOrganisationEntered(tx, invite.planId, joined, newOrganisation, true);
      noticesSent = await noticeOrganisationToVerify(tx, invite.planId, newOrganisation, { userId, name: principal.name });
    }
    // Who let them in, as the record keeps names: an observer reading "joined" asks whose invitation it was.
    const inviter = await principalOf(tx, invite.createdBy);
    await recordChange(tx, {
      planId: invite.planId,
      who: joined,
      action: 'member.joined',
      targetType: 'member',
      targetId: userId,
      summary: `${principal.name} (${principal.organisationName}) joined the plan as ${invite.role}, invited by ${inviter?.name ?? 'a coordinator'}`,
      before: null,
      after: { name: principal.name, organisation: principal.organisationName, role: invite.role },
      details: {
        role: invite.role,
        newAccount: created,
        organisationId: principal.organisationId,
        inviteId: invite.id,
        invitedBy: invite.createdBy,
        invitedByName: inviter?.name ?? null,
        invitedByOrganisation: inviter?.organisationName ?? null,
      },
    });
    return { planId: invite.planId, userId, role: invite.role, created, noticesSent };
  });
}
