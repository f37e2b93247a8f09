import { sql } from 'kysely';
import { lockRowsForChange } from '../db/sql/locks.ts';
import { col, rowShape } from '../db/rows.ts';
import { flag } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { partyOf, requireMayActOnSide } from './sides.ts';
import { notify } from './notifications.ts';
import { conflict, notFound } from '../errors.ts';
import { Limits } from '../../shared/limits.ts';
import { nowIso } from '../ids.ts';
import { roleInPlan } from './access.ts';
import { type Actor, recordChange } from './history.ts';
import { RoleSchema, SideSchema, type Member, type Role } from '../../shared/api/index.ts';

const MemberRow = rowShape({
  userId: col.text,
  name: col.text,
  email: col.text,
  role: RoleSchema,
  joinedAt: col.text,
  orgId: col.text,
  orgName: col.text,
  side: SideSchema,
  color: col.text,
  verified: col.bool,
});
const CountRow = rowShape({ n: col.int });
const PlanTitleRow = rowShape({ title: col.text });
const MemberFactsRow = rowShape({ name: col.text, organisation: col.text, organisationId: col.text });
const LastMembershipRow = rowShape({ action: col.text, at: col.text, actorId: col.nullableText, details: col.text });
const RemovedDetails = rowShape({ role: RoleSchema });

/**
 * Members of a plan with their organisations, coordinators first, then by name, as `viewer` may
 * see them: e-mail addresses go only to coordinators (who invite and reset passwords) and to each
 * person themself. People from the ministry and from NGOs draft side by side; an address is not
 * theirs to hand round.
 */
export async function listMembers(q: Sql, planId: string, viewer: { userId: string; role: Role }): Promise<Member[]> {
  // By name ignoring case (ASCII on SQLite, as COLLATE NOCASE did), then by id.
  const rows = await q.rows(
    MemberRow,
    sql`SELECT m.user_id AS "userId", u.name, u.email, m.role, m.joined_at AS "joinedAt",
              o.id AS "orgId", o.name AS "orgName", o.side, o.color, ${flag(sql`v.organisation_id IS NOT NULL`)} AS verified
         FROM plan_members m JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = u.organisation_id
         LEFT JOIN organisation_verifications v ON v.plan_id = m.plan_id AND v.organisation_id = o.id
        WHERE m.plan_id = ${planId}
        ORDER BY CASE m.role WHEN 'coordinator' THEN 0 WHEN 'drafter' THEN 1 WHEN 'commenter' THEN 2 ELSE 3 END,
                 lower(u.name), m.user_id`,
  );
  return rows.map((r) => ({
    userId: r.userId,
    name: r.name,
    email: viewer.role === 'coordinator' || viewer.userId === r.userId ? r.email : null,
    role: r.role,
    joinedAt: r.joinedAt,
    organisation: { id: r.orgId, name: r.orgName, side: r.side, color: r.color },
    organisationVerified: r.verified,
  }));
}

/** Adds a member; someone already in the plan is a 409 (their role is changed on the members page). */
export async function addMember(q: Sql, planId: string, userId: string, role: Role): Promise<void> {
  if (await roleInPlan(q, planId, userId)) {
    throw conflict('already_member', 'You are already a member of this plan.');
  }
  await q.run(memberInsert(planId, userId, role));
}

const memberInsert = (planId: string, userId: string, role: Role) =>
  sql`INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES (${planId}, ${userId}, ${role}, ${nowIso()})`;
const planTitle = async (q: Sql, planId: string) => (await q.theRow(PlanTitleRow, sql`SELECT title FROM plans WHERE id = ${planId}`)).title;

// A plan without a coordinator could never be restructured or invite anyone again.
async function refuseIfLastCoordinator(q: Sql, planId: string, current: Role, next: Role | null): Promise<void> {
  if (current !== 'coordinator' || next === 'coordinator') return;
  // Two coordinators stepping down at once would each count the other still there (PostgreSQL):
  // the plan's row makes them take turns, and the second counts after the first has committed.
  await lockRowsForChange(q, 'plans', [planId]);
  const { n } = await q.theRow(CountRow, sql`SELECT count(*) AS n FROM plan_members WHERE plan_id = ${planId} AND role = 'coordinator'`);
  if (n <= 1) {
    throw conflict('last_coordinator', 'A plan needs at least one coordinator. Make someone else coordinator first.');
  }
}

/**
 * Each side manages its own people once it has a verified coordinator (shared/policy/sides.ts):
 * a government coordinator cannot demote or remove the NGOs' coordinator or members, nor the
 * reverse. Anyone may change their own role or leave (the last-coordinator rule still holds).
 */
async function refuseIfOtherSide(q: Sql, planId: string, userId: string, who: Actor, what: string): Promise<void> {
  if (userId === who.principal.userId) return;
  const member = await partyOf(q, planId, userId);
  await requireMayActOnSide(q, planId, who.principal.userId, member.verifiedSide ?? member.side, what);
}

/** Who a member is, as the record keeps it (names stay true after people leave or move). */
async function memberFacts(q: Sql, userId: string): Promise<{ name: string; organisation: string; organisationId: string }> {
  const row = await q.row(
    MemberFactsRow,
    sql`SELECT u.name, o.name AS organisation, o.id AS "organisationId" FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ${userId}`,
  );
  return row ?? { name: 'someone', organisation: '', organisationId: '' };
}

/**
 * Changes a member's role (audit `member.role_changed`, with the role before and after). Returns
 * false when the role was already that (nothing to announce or record).
 */
export async function changeMemberRole(q: Sql, planId: string, userId: string, role: Role, who: Actor): Promise<boolean> {
  return q.transaction(async (tx) => {
    const current = await roleInPlan(tx, planId, userId);
    if (!current) throw notFound('member');
    if (current === role) return false;
    await refuseIfOtherSide(tx, planId, userId, who, 'change the role of a member of that side');
    await refuseIfLastCoordinator(tx, planId, current, role);
    // Only from the role checked: of two coordinators changing one role at once (PostgreSQL), the
    // second changes nothing and records nothing; the list it gets back shows the role as it is.
    const { changes } = await tx.run(sql`UPDATE plan_members SET role = ${role} WHERE plan_id = ${planId} AND user_id = ${userId} AND role = ${current}`);
    if (changes !== 1) return false;
    const m = await memberFacts(tx, userId);
    await recordChange(tx, {
      planId,
      who,
      action: 'member.role_changed',
      targetType: 'member',
      targetId: userId,
      summary: `${who.principal.name} changed the role of ${m.name} from ${current} to ${role}`,
      before: { name: m.name, organisation: m.organisation, role: current },
      after: { name: m.name, organisation: m.organisation, role },
      changed: ['role'],
      details: { userId, name: m.name, from: current, to: role },
    });
    // Nobody's role changes behind their back.
    if (userId !== who.principal.userId) {
      await notify(tx, {
        userId,
        planId,
        kind: 'role_changed',
        summary: `${who.principal.name} (${who.principal.organisationName}) changed your role in this plan from ${current} to ${role}.`,
        text: { key: 'role_changed', params: { who: who.principal.name, from: current, to: role } },
        link: `/plans/${planId}/members`,
      });
    }
    return true;
  });
}

/** Removes a member from a plan (audit `member.removed`, with who they were). */
export async function removeMember(q: Sql, planId: string, userId: string, who: Actor): Promise<void> {
  await q.transaction(async (tx) => {
    const current = await roleInPlan(tx, planId, userId);
    if (!current) throw notFound('member');
    await refuseIfOtherSide(tx, planId, userId, who, 'remove a member of that side');
    await refuseIfLastCoordinator(tx, planId, current, null);
    // Removed by whoever's delete found them: two at once leave one removal on the record.
    const { changes } = await tx.run(sql`DELETE FROM plan_members WHERE plan_id = ${planId} AND user_id = ${userId}`);
    if (changes !== 1) throw notFound('member');
    const m = await memberFacts(tx, userId);
    // Nobody is shut out without being told by whom; one who leaves knows.
    if (userId !== who.principal.userId) {
      const plan = await planTitle(tx, planId);
      await notify(tx, {
        userId,
        planId,
        kind: 'removed_from_plan',
        summary: `${who.principal.name} (${who.principal.organisationName}) removed you from the plan “${plan}”. Its pages are no longer open to you; what you did in it stays attributed to you.`,
        text: { key: 'removed_from_plan', params: { who: who.principal.name, organisation: who.principal.organisationName, plan } },
        link: null,
      });
    }
    await recordChange(tx, {
      planId,
      who,
      action: 'member.removed',
      targetType: 'member',
      targetId: userId,
      summary: userId === who.principal.userId ? `${m.name} (${current}) left the plan` : `${who.principal.name} removed ${m.name} (${current}) from the plan`,
      before: { name: m.name, organisation: m.organisation, role: current },
      after: null,
      details: { userId, name: m.name, role: current },
    });
  });
}

/**
 * Undoes a removal made by mistake: the person is back in the role they had, told by whom, and the
 * record says so (`member.restored`). Only the latest thing that happened to their membership can
 * be undone, only a removal by someone else (who left decided so themselves), only by a coordinator
 * who may manage that side, and only within Limits.memberRestoreMinutes: after that, an invitation
 * the person accepts is the way back. Returns the role restored.
 */
export async function restoreMember(q: Sql, planId: string, userId: string, who: Actor, now = Date.now()): Promise<Role> {
  return q.transaction(async (tx) => {
    if (await roleInPlan(tx, planId, userId)) throw conflict('restore_not_removed', 'This person is a member of the plan again already.');
    const last = await tx.row(
      LastMembershipRow,
      sql`SELECT action, at, actor_id AS "actorId", details FROM audit_log
          WHERE plan_id = ${planId} AND target_type = 'member' AND target_id = ${userId}
            AND action IN ('member.joined', 'member.removed', 'member.restored', 'member.role_changed')
          ORDER BY id DESC LIMIT 1`,
    );
    if (!last || last.action !== 'member.removed' || last.actorId === userId) {
      throw conflict('restore_not_removed', 'There is no removal of this person to undo: they left themselves, or something has happened to their membership since.');
    }
    if (now - Date.parse(last.at) > Limits.memberRestoreMinutes * 60_000) {
      throw conflict('restore_too_late', `A removal can be undone for ${Limits.memberRestoreMinutes} minutes; invite the person again instead.`);
    }
    await refuseIfOtherSide(tx, planId, userId, who, 'bring back a member of that side');
    const { role } = RemovedDetails.parse(JSON.parse(last.details));
    // Two coordinators undoing one removal at once: the second finds the member back (the key refuses a second row).
    const { changes } = await tx.run(
      sql`INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES (${planId}, ${userId}, ${role}, ${nowIso()}) ON CONFLICT DO NOTHING`,
    );
    if (changes !== 1) throw conflict('restore_not_removed', 'This person is a member of the plan again already.');
    const m = await memberFacts(tx, userId);
    const plan = await planTitle(tx, planId);
    await notify(tx, {
      userId,
      planId,
      kind: 'restored_to_plan',
      summary: `${who.principal.name} (${who.principal.organisationName}) undid your removal from the plan “${plan}”: you are back as ${role}.`,
      text: { key: 'restored_to_plan', params: { who: who.principal.name, organisation: who.principal.organisationName, plan, role } },
      link: `/plans/${planId}`,
    });
    await recordChange(tx, {
      planId,
      who,
      action: 'member.restored',
      targetType: 'member',
      targetId: userId,
      summary: `${who.principal.name} undid the removal of ${m.name} (${role}) from the plan`,
      before: null,
      after: { name: m.name, organisation: m.organisation, role },
      details: { userId, name: m.name, role },
    });
    return role;
  });
}
