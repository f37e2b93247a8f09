import type { Db } from '../db/database.ts';
import { allRows, col, rowShape } from '../db/rows.ts';
import { notFound } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { Limits } from '../../shared/limits.ts';
import { AccountSessionSchema, TrustedBrowserSchema, type AccountSession, type TrustedBrowser } from '../../shared/api/index.ts';
import { principalOfNow, recordAuditNow } from './audit.ts';
import type { AuditAction, Role } from '../../shared/api/index.ts';
import { RoleSchema } from '../../shared/api/index.ts';
import { deviceInEnglish } from '../../shared/browserName.ts';

/**
 * A person's own account security: their signed-in sessions, the browsers Accord trusts for their
 * account, and changing their password. Everything here acts only on the account of `userId`,
 * which routes take from the session, never from the request: another account's session or
 * browser is "not found", the same as one that does not exist.
 */

const SessionRow = AccountSessionSchema.omit({ current: true }).extend({ tokenHash: col.text });
const HashRow = rowShape({ h: col.text });
const EndedSessionRow = rowShape({ h: col.text, userAgent: col.nullableText });
const TrustedDeviceRow = rowShape({ userAgent: col.nullableText });
const TrustedBrowserRow = TrustedBrowserSchema.extend({ current: col.bool });
const MembershipRow = rowShape({ planId: col.text, role: RoleSchema });

/** The account's unexpired sessions, the most recently used first; `currentHash` is the asking one's. */
export function listSessions(db: Db, userId: string, currentHash: string | null): AccountSession[] {
  return allRows(
    db.prepare(
      `SELECT id, token_hash AS tokenHash, created_at AS createdAt, last_used_at AS lastUsedAt, user_agent AS userAgent
         FROM sessions WHERE user_id = ? AND expires_at > ?
        ORDER BY coalesce(last_used_at, created_at) DESC, created_at DESC`,
    ),
    SessionRow,
    userId,
    nowIso(),
  ).map(({ tokenHash, ...s }) => ({ ...s, current: tokenHash === currentHash }));
}

/**
 * Ends one of the account's sessions; returns its token hash, so its open connections close. 404
 * if not theirs. Recorded in the audit log of each plan they are in, naming the browser, since a
 * session ended (perhaps not by its owner, at an unlocked laptop) is someone shut out of the plan.
 */
export function endSession(db: Db, userId: string, sessionId: string): string {
  return db.transaction(() => {
    const [row] = allRows(
      db.prepare('SELECT token_hash AS h, user_agent AS userAgent FROM sessions WHERE id = ? AND user_id = ?'),
      EndedSessionRow,
      sessionId,
      userId,
    );
    if (!row) throw notFound('session');
    db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(row.h);
    recordInEveryPlan(db, userId, 'account.session_ended', (name) => `${name} signed out their session on ${deviceInEnglish(row.userAgent)}`, {
      userId,
      sessionId,
      userAgent: row.userAgent,
    });
    return row.h;
  })();
}

/**
 * Ends every session of the account but `keepHash` (the asking one); returns the ended ones' token
 * hashes. Recorded, with how many ended, in each plan they are in, when any did.
 */
export function endOtherSessions(db: Db, userId: string, keepHash: string): string[] {
  return db.transaction(() => {
    const ended = endSessionsBut(db, userId, keepHash);
    if (ended.length > 0) {
      recordInEveryPlan(db, userId, 'account.other_sessions_ended', (name) => `${name} signed out everywhere else; ${ended.length} other session(s) ended`, {
        userId,
        endedSessions: ended.length,
      });
    }
    return ended;
  })();
}

/** Deletes every session of the account but `keepHash`; returns their token hashes. */
function endSessionsBut(db: Db, userId: string, keepHash: string): string[] {
  const hashes = allRows(db.prepare('SELECT token_hash AS h FROM sessions WHERE user_id = ? AND token_hash <> ?'), HashRow, userId, keepHash).map((r) => r.h);
  db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?').run(userId, keepHash);
  return hashes;
}

/**
 * The browsers trusted for the account now (see server/auth/trustedDevices.ts), the most recently
 * used first; the one the asking session (`currentHash`) was signed in from is marked.
 */
export function listTrustedBrowsers(db: Db, userId: string, currentHash: string | null): TrustedBrowser[] {
  const cutoff = new Date(Date.now() - Limits.trustedDeviceDays * 86_400_000).toISOString();
  return allRows(
    db.prepare(
      `SELECT id, created_at AS createdAt, last_used_at AS lastUsedAt, user_agent AS userAgent,
              coalesce(token_hash = (SELECT device_hash FROM sessions WHERE token_hash = ?), 0) AS current
         FROM trusted_devices WHERE user_id = ? AND last_used_at > ? ORDER BY last_used_at DESC, created_at DESC`,
    ),
    TrustedBrowserRow,
    currentHash,
    userId,
    cutoff,
  );
}

/**
 * Withdraws the account's trust in one browser: its sign-ins are again slowed by others' guesses.
 * 404 if not theirs. Recorded, naming the browser, in each plan the person is in.
 */
export function forgetTrustedBrowser(db: Db, userId: string, browserId: string): void {
  db.transaction(() => {
    const [row] = allRows(db.prepare('SELECT user_agent AS userAgent FROM trusted_devices WHERE id = ? AND user_id = ?'), TrustedDeviceRow, browserId, userId);
    if (!row) throw notFound('trustedBrowser');
    db.prepare('DELETE FROM trusted_devices WHERE id = ? AND user_id = ?').run(browserId, userId);
    recordInEveryPlan(db, userId, 'account.trusted_browser_forgotten', (name) => `${name} had Accord forget their browser ${deviceInEnglish(row.userAgent)}`, {
      userId,
      browserId,
      userAgent: row.userAgent,
    });
  })();
}

/**
 * Sets the person's new password (already hashed, after the current one was checked) in one
 * transaction: every other session of theirs ends (whoever signed in with the old password is out),
 * this one stays; any unused reset link for them stops working (if they did not ask for one, this
 * is how they cancel it). Recorded in the audit log of every plan they are in, since each plan's
 * members rely on who can sign in as them. Returns the ended sessions' token hashes.
 */
export function changePassword(db: Db, userId: string, passwordHash: string, keepHash: string): string[] {
  return db.transaction(() => {
    db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
    const ended = endSessionsBut(db, userId, keepHash);
    const cancelledResets = db.prepare('DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL').run(userId).changes;
    recordInEveryPlan(db, userId, 'account.password_changed', (name) => `${name} changed their password; ${ended.length} other session(s) ended`, {
      userId,
      endedSessions: ended.length,
      cancelledResets,
    });
    return ended;
  })();
}

/**
 * One entry in the audit log of every plan the person is in, as them (with their role there): what
 * they do to their own account matters to each plan whose members rely on who can act as them.
 */
function recordInEveryPlan(db: Db, userId: string, action: AuditAction, summary: (name: string) => string, details: Record<string, unknown>): void {
  const person = principalOfNow(db, userId);
  for (const { planId, role } of memberships(db, userId)) {
    recordAuditNow(db, { planId, actor: person, role, action, targetType: 'member', targetId: userId, summary: summary(person?.name ?? 'Someone'), details });
  }
}

function memberships(db: Db, userId: string): Array<{ planId: string; role: Role }> {
  return allRows(db.prepare('SELECT plan_id AS planId, role FROM plan_members WHERE user_id = ?'), MembershipRow, userId);
}
