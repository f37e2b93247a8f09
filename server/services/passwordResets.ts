import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape, theRow } from '../db/rows.ts';
import { forbidden, notFound, resetInvalid } from '../errors.ts';
import { hashToken, newId, newToken, nowIso } from '../ids.ts';
import { roleInPlanNow } from './access.ts';
import { forgetDevices } from '../auth/trustedDevices.ts';
import { notifyNow } from './notifications.ts';
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
export function createPasswordReset(db: Db, planId: string, userId: string, createdBy: string, publicUrl: string): CreatedPasswordReset {
  return db.transaction(() => {
    // Someone outside the plan is not the coordinator's to reset: the same 404 as an unknown id.
    if (!roleInPlanNow(db, planId, userId)) throw notFound('member');
    const { name } = theRow(db.prepare('SELECT name FROM users WHERE id = ?'), NameRow, userId);
    const member = partyOf(db, planId, userId);
    if (!mayResetPasswordOf(partyOf(db, planId, createdBy), member)) {
      throw forbidden(
        `Only a coordinator of ${name}'s own organisation, or of a verified organisation on the same side, can make a reset link for them: the link lets whoever holds it sign in as them.`,
        'reset_other_side',
      );
    }
    const token = newToken();
    const expiresAt = new Date(Date.now() + Limits.passwordResetHours * 3_600_000).toISOString();
    db.prepare('DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL').run(userId);
    db.prepare(
      `INSERT INTO password_resets (id, token_hash, user_id, plan_id, created_by, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(newId(), hashToken(token), userId, planId, createdBy, nowIso(), expiresAt);
    tellOwnerOfReset(db, 'password_reset_made', { planId, userId, createdBy, until: expiresAt });
    return { userId, name, url: `${publicUrl}/reset-password/${token}`, expiresAt };
  })();
}

function validReset(db: Db, token: string): z.output<typeof ValidReset> {
  if (token.length > 200) throw resetInvalid();
  const row = oneRow(
    db.prepare(
      `SELECT r.id, r.user_id AS userId, r.plan_id AS planId, r.created_by AS createdBy, r.expires_at AS expiresAt
         FROM password_resets r
        WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ?
          AND EXISTS (SELECT 1 FROM plan_members m WHERE m.plan_id = r.plan_id AND m.user_id = r.created_by AND m.role = 'coordinator')
          AND EXISTS (SELECT 1 FROM plan_members m WHERE m.plan_id = r.plan_id AND m.user_id = r.user_id)`,
    ),
    ValidReset,
    hashToken(token),
    nowIso(),
  );
  if (!row) throw resetInvalid();
  return row;
}

/** Whose password the link resets; 404 reset_invalid for any link that cannot be used. */
export function passwordResetInfo(db: Db, token: string): PasswordResetInfo {
  const reset = validReset(db, token);
  const stmt = db.prepare('SELECT u.name, u.email, p.title AS planTitle FROM users u, plans p WHERE u.id = ? AND p.id = ?');
  const row = theRow(stmt, ResetPersonRow, reset.userId, reset.planId);
  return { ...row, expiresAt: reset.expiresAt };
}

/**
 * Sets the new password (already hashed) and uses the link, in one transaction: a link works
 * exactly once. Every session of the person ends; returns their token hashes so their open
 * connections can be closed too.
 */
export function usePasswordReset(
  db: Db,
  token: string,
  passwordHash: string,
): { userId: string; planId: string; createdBy: string; endedSessions: string[] } {
  return db.transaction(() => {
    const reset = validReset(db, token);
    const used = db.prepare('UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL').run(nowIso(), reset.id);
    if (used.changes !== 1) throw resetInvalid();
    db.prepare('DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL').run(reset.userId);
    db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, reset.userId);
    const sessions = allRows(db.prepare('SELECT token_hash AS h FROM sessions WHERE user_id = ?'), SessionHashRow, reset.userId).map((r) => r.h);
    db.prepare('DELETE FROM sessions WHERE user_id = ?').run(reset.userId);
    // A reset is how an account is taken back after a break-in: no browser keeps the account's trust.
    forgetDevices(db, reset.userId);
    tellOwnerOfReset(db, 'password_reset_used', { planId: reset.planId, userId: reset.userId, createdBy: reset.createdBy });
    return { userId: reset.userId, planId: reset.planId, createdBy: reset.createdBy, endedSessions: sessions };
  })();
}

/**
 * The account's owner is told, in the app and by e-mail, when a reset link is made for them and
 * when one is used: a link lets whoever holds it sign in as them, so nobody's account changes hands
 * without them knowing by whom. The notice says who made the link, through which plan, until when
 * it works, and what to do if they did not ask for it (changing their password cancels it).
 */
function tellOwnerOfReset(
  db: Db,
  kind: 'password_reset_made' | 'password_reset_used',
  r: { planId: string; userId: string; createdBy: string; until?: string },
): void {
  const maker = theRow(
    db.prepare('SELECT u.name, o.name AS organisation FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ?'),
    MakerRow,
    r.createdBy,
  );
  const { title: plan } = theRow(db.prepare('SELECT title FROM plans WHERE id = ?'), PlanTitleRow, r.planId);
  const who = { who: maker.name, organisation: maker.organisation, plan };
  if (kind === 'password_reset_made') {
    const until = r.until!;
    notifyNow(db, {
      userId: r.userId,
      planId: r.planId,
      kind,
      summary: `${maker.name} (${maker.organisation}) made a link to set a new password for your account, through the plan “${plan}”. It works once, until ${until}. If you did not ask for it, change your password on your Account page: that cancels the link.`,
      text: { key: 'password_reset_made', params: { ...who, until } },
      link: '/account',
    });
  } else {
    notifyNow(db, {
      userId: r.userId,
      planId: r.planId,
      kind,
      summary: `Your password was changed with a reset link made by ${maker.name} (${maker.organisation}) through the plan “${plan}”; every session of your account was signed out. If it was not you, ask a coordinator for a new link at once.`,
      text: { key: 'password_reset_used', params: who },
      link: '/account',
    });
  }
}
