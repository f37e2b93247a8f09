import { sql } from 'kysely';
import type { z } from 'zod';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { forbidden, notFound, resetInvalid } from '../errors.ts';
import { hashToken, newId, newToken, nowIso } from '../ids.ts';
import { roleInPlan } from './access.ts';
import { forgetDevices } from '../auth/trustedDevices.ts';
import { notify } from './notifications.ts';
import { partyOf } from './sides.ts';
import { mayResetPasswordOf } from '../../shared/policy/passwordResets.ts';
import { Limits } from '../../shared/limits.ts';
import { PasswordResetInfoSchema, type CreatedPasswordReset, type PasswordResetInfo } from '../../shared/api/index.ts';

const NameRow = rowShape({ name: col.text });
const ValidReset = rowShape({ id: col.text, userId: col.text, planId: col.text, createdBy: col.text, expiresAt: col.text });
const ResetPersonRow = PasswordResetInfoSchema.omit({ expiresAt: true });
const SessionHashRow = rowShape({ h: col.text });
const MakerRow = rowShape({ name: col.text, organisation: col.text });
const PlanTitleRow = rowShape({ title: col.text });

/**
 * Password reset by a one-time link a coordinator makes and hands over themselves (the link is
 * never e-mailed; its owner is told it was made, in the app and by e-mail). A coordinator
 * may make one only for a member of a plan they coordinate; the link is shown to them once (only
 * its hash is stored), works once, for Limits.passwordResetHours, and only while its maker is
 * still a coordinator of that plan and the person still a member of it. A newer link replaces any
 * unused older one for the same person. Only for people of the coordinator's own organisation or
 * of a verified organisation of the same side (shared/policy/passwordResets.ts): a link is a way
 * into someone's account, and must never let one side sign as the other.
 */
export async function createPasswordReset(q: Sql, planId: string, userId: string, createdBy: string, publicUrl: string): Promise<CreatedPasswordReset> {
  return q.transaction(async (tx) => {
    // Someone outside the plan is not the coordinator's to reset: the same 404 as an unknown id.
    if (!(await roleInPlan(tx, planId, userId))) throw notFound('member');
    const { name } = await tx.theRow(NameRow, sql`SELECT name FROM users WHERE id = ${userId}`);
    const member = await partyOf(tx, planId, userId);
    if (!mayResetPasswordOf(await partyOf(tx, planId, createdBy), member)) {
      throw forbidden(
        `Only a coordinator of ${name}'s own organisation, or of a verified organisation on the same side, can make a reset link for them: the link lets whoever holds it sign in as them.`,
        'reset_other_side',
      );
    }
    const token = newToken();
    const expiresAt = new Date(Date.now() + Limits.passwordResetHours * 3_600_000).toISOString();
    await tx.run(sql`DELETE FROM password_resets WHERE user_id = ${userId} AND used_at IS NULL`);
    await tx.run(
      sql`INSERT INTO password_resets (id, token_hash, user_id, plan_id, created_by, created_at, expires_at)
       VALUES (${newId()}, ${hashToken(token)}, ${userId}, ${planId}, ${createdBy}, ${nowIso()}, ${expiresAt})`,
    );
    await tellOwnerOfReset(tx, 'password_reset_made', { planId, userId, createdBy, until: expiresAt });
    return { userId, name, url: `${publicUrl}/reset-password/${token}`, expiresAt };
  });
}

async function validReset(q: Sql, token: string): Promise<z.output<typeof ValidReset>> {
  if (token.length > 200) throw resetInvalid();
  const row = await q.row(
    ValidReset,
    sql`SELECT r.id, r.user_id AS "userId", r.plan_id AS "planId", r.created_by AS "createdBy", r.expires_at AS "expiresAt"
         FROM password_resets r
        WHERE r.token_hash = ${hashToken(token)} AND r.used_at IS NULL AND r.expires_at > ${nowIso()}
          AND EXISTS (SELECT 1 FROM plan_members m WHERE m.plan_id = r.plan_id AND m.user_id = r.created_by AND m.role = 'coordinator')
          AND EXISTS (SELECT 1 FROM plan_members m WHERE m.plan_id = r.plan_id AND m.user_id = r.user_id)`,
  );
  if (!row) throw resetInvalid();
  return row;
}

/** Whose password the link resets; 404 reset_invalid for any link that cannot be used. */
export async function passwordResetInfo(q: Sql, token: string): Promise<PasswordResetInfo> {
  const reset = await validReset(q, token);
  const row = await q.theRow(
    ResetPersonRow,
    sql`SELECT u.name, u.email, p.title AS "planTitle" FROM users u, plans p WHERE u.id = ${reset.userId} AND p.id = ${reset.planId}`,
  );
  return { ...row, expiresAt: reset.expiresAt };
}

/**
 * Sets the new password (already hashed) and uses the link, in one transaction: a link works
 * exactly once. Every session of the person ends; returns their token hashes so their open
 * connections can be closed too.
 */
export async function usePasswordReset(
  q: Sql,
  token: string,
  passwordHash: string,
): Promise<{ userId: string; planId: string; createdBy: string; endedSessions: string[] }> {
  return q.transaction(async (tx) => {
    const reset = await validReset(tx, token);
    const used = await tx.run(sql`UPDATE password_resets SET used_at = ${nowIso()} WHERE id = ${reset.id} AND used_at IS NULL`);
    if (used.changes !== 1) throw resetInvalid();
    await tx.run(sql`DELETE FROM password_resets WHERE user_id = ${reset.userId} AND used_at IS NULL`);
    await tx.run(sql`UPDATE users SET password_hash = ${passwordHash} WHERE id = ${reset.userId}`);
    const ended = await tx.rows(SessionHashRow, sql`DELETE FROM sessions WHERE user_id = ${reset.userId} RETURNING token_hash AS h`);
    // A reset is how an account is taken back after a break-in: no browser keeps the account's trust.
    await forgetDevices(tx, reset.userId);
    await tellOwnerOfReset(tx, 'password_reset_used', { planId: reset.planId, userId: reset.userId, createdBy: reset.createdBy });
    return { userId: reset.userId, planId: reset.planId, createdBy: reset.createdBy, endedSessions: ended.map((r) => r.h).sort() };
  });
}

/**
 * The account's owner is told, in the app and by e-mail, when a reset link is made for them and
 * when one is used: a link lets whoever holds it sign in as them, so nobody's account changes hands
 * without them knowing by whom. The notice says who made the link, through which plan, until when
 * it works, and what to do if they did not ask for it (changing their password cancels it).
 */
async function tellOwnerOfReset(
  tx: Sql,
  kind: 'password_reset_made' | 'password_reset_used',
  r: { planId: string; userId: string; createdBy: string; until?: string },
): Promise<void> {
  const maker = await tx.theRow(
    MakerRow,
    sql`SELECT u.name, o.name AS organisation FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ${r.createdBy}`,
  );
  const { title: plan } = await tx.theRow(PlanTitleRow, sql`SELECT title FROM plans WHERE id = ${r.planId}`);
  const who = { who: maker.name, organisation: maker.organisation, plan };
  if (kind === 'password_reset_made') {
    const until = r.until!;
    await notify(tx, {
      userId: r.userId,
      planId: r.planId,
      kind,
      summary: `${maker.name} (${maker.organisation}) made a link to set a new password for your account, through the plan “${plan}”. It works once, until ${until}. If you did not ask for it, change your password on your Account page: that cancels the link.`,
      text: { key: 'password_reset_made', params: { ...who, until } },
      link: '/account',
    });
  } else {
    await notify(tx, {
      userId: r.userId,
      planId: r.planId,
      kind,
      summary: `Your password was changed with a reset link made by ${maker.name} (${maker.organisation}) through the plan “${plan}”; every session of your account was signed out. If it was not you, ask a coordinator for a new link at once.`,
      text: { key: 'password_reset_used', params: who },
      link: '/account',
    });
  }
}
