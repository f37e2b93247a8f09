import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import { flag } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { notFound } from '../errors.ts';
import { nowIso } from '../ids.ts';
import { Limits } from '../../shared/limits.ts';
import { AccountSessionSchema, TrustedBrowserSchema, type AccountSession, type TrustedBrowser } from '../../shared/api/index.ts';
import { principalOf, recordAudit } from './audit.ts';
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
export async function listSessions(q: Sql, userId: string, currentHash: string | null): Promise<AccountSession[]> {
  const rows = await q.rows(
    SessionRow,
    sql`SELECT id, token_hash AS "tokenHash", created_at AS "createdAt", last_used_at AS "lastUsedAt", user_agent AS "userAgent"
         FROM sessions WHERE user_id = ${userId} AND expires_at > ${nowIso()}
        ORDER BY coalesce(last_used_at, created_at) DESC, created_at DESC, id`,
  );
  return rows.map(({ tokenHash, ...s }) => ({ ...s, current: tokenHash === currentHash }));
}

/**
 * Ends one of the account's sessions; returns its token hash, so its open connections close. 404
 * if not theirs. Recorded in the audit log of each plan they are in, naming the browser, since a
 * session ended (perhaps not by its owner, at an unlocked laptop) is someone shut out of the plan.
 */
export async function endSession(q: Sql, userId: string, sessionId: string): Promise<string> {
  return q.transaction(async (tx) => {
    const row = await tx.row(EndedSessionRow, sql`SELECT token_hash AS h, user_agent AS "userAgent" FROM sessions WHERE id = ${sessionId} AND user_id = ${userId}`);
    if (!row) throw notFound('session');
    // Only the transaction that deleted it records it: two tabs ending one session leave one entry.
    const { changes } = await tx.run(sql`DELETE FROM sessions WHERE token_hash = ${row.h}`);
    if (changes === 0) throw notFound('session');
    await recordInEveryPlan(tx, userId, 'account.session_ended', (name) => `${name} signed out their session on ${deviceInEnglish(row.userAgent)}`, {
      userId,
      sessionId,
      userAgent: row.userAgent,
    });
    return row.h;
  });
}

/**
 * Ends every session of the account but `keepHash` (the asking one); returns the ended ones' token
 * hashes. Recorded, with how many ended, in each plan they are in, when any did.
 */
export async function endOtherSessions(q: Sql, userId: string, keepHash: string): Promise<string[]> {
  return q.transaction(async (tx) => {
    const ended = await endSessionsBut(tx, userId, keepHash);
    if (ended.length > 0) {
      await recordInEveryPlan(tx, userId, 'account.other_sessions_ended', (name) => `${name} signed out everywhere else; ${ended.length} other session(s) ended`, {
        userId,
        endedSessions: ended.length,
      });
    }
    return ended;
  });
}

/** Deletes every session of the account but `keepHash`; returns their token hashes (the ones this call deleted). */
async function endSessionsBut(tx: Sql, userId: string, keepHash: string): Promise<string[]> {
  const rows = await tx.rows(HashRow, sql`DELETE FROM sessions WHERE user_id = ${userId} AND token_hash <> ${keepHash} RETURNING token_hash AS h`);
  return rows.map((r) => r.h).sort();
}

/**
 * The browsers trusted for the account now (see server/auth/trustedDevices.ts), the most recently
 * used first; the one the asking session (`currentHash`) was signed in from is marked.
 */
export async function listTrustedBrowsers(q: Sql, userId: string, currentHash: string | null): Promise<TrustedBrowser[]> {
  const cutoff = new Date(Date.now() - Limits.trustedDeviceDays * 86_400_000).toISOString();
  return q.rows(
    TrustedBrowserRow,
    sql`SELECT id, created_at AS "createdAt", last_used_at AS "lastUsedAt", user_agent AS "userAgent",
              ${flag(sql`token_hash = (SELECT device_hash FROM sessions WHERE token_hash = ${currentHash})`)} AS current
         FROM trusted_devices WHERE user_id = ${userId} AND last_used_at > ${cutoff} ORDER BY last_used_at DESC, created_at DESC, id`,
  );
}

/**
 * Withdraws the account's trust in one browser: its sign-ins are again slowed by others' guesses.
 * 404 if not theirs. Recorded, naming the browser, in each plan the person is in.
 */
export async function forgetTrustedBrowser(q: Sql, userId: string, browserId: string): Promise<void> {
  await q.transaction(async (tx) => {
    const row = await tx.row(TrustedDeviceRow, sql`SELECT user_agent AS "userAgent" FROM trusted_devices WHERE id = ${browserId} AND user_id = ${userId}`);
    if (!row) throw notFound('trustedBrowser');
    const { changes } = await tx.run(sql`DELETE FROM trusted_devices WHERE id = ${browserId} AND user_id = ${userId}`);
    if (changes === 0) throw notFound('trustedBrowser');
    await recordInEveryPlan(tx, userId, 'account.trusted_browser_forgotten', (name) => `${name} had Accord forget their browser ${deviceInEnglish(row.userAgent)}`, {
      userId,
      browserId,
      userAgent: row.userAgent,
    });
  });
}

/**
 * Sets the person's new password (already hashed, after the current one was checked) in one
 * transaction: every other session of theirs ends (whoever signed in with the old password is out),
 * this one stays; any unused reset link for them stops working (if they did not ask for one, this
 * is how they cancel it). Recorded in the audit log of every plan they are in, since each plan's
 * members rely on who can sign in as them. Returns the ended sessions' token hashes.
 */
export async function changePassword(q: Sql, userId: string, passwordHash: string, keepHash: string): Promise<string[]> {
  return q.transaction(async (tx) => {
    await tx.run(sql`UPDATE users SET password_hash = ${passwordHash} WHERE id = ${userId}`);
    const ended = await endSessionsBut(tx, userId, keepHash);
    const cancelledResets = (await tx.run(sql`DELETE FROM password_resets WHERE user_id = ${userId} AND used_at IS NULL`)).changes;
    await recordInEveryPlan(tx, userId, 'account.password_changed', (name) => `${name} changed their password; ${ended.length} other session(s) ended`, {
      userId,
      endedSessions: ended.length,
      cancelledResets,
    });
    return ended;
  });
}

/**
 * One entry in the audit log of every plan the person is in, as them (with their role there): what
 * they do to their own account matters to each plan whose members rely on who can act as them.
 * Plans in id order, so the entries are written in the same order on either engine.
 */
async function recordInEveryPlan(tx: Sql, userId: string, action: AuditAction, summary: (name: string) => string, details: Record<string, unknown>): Promise<void> {
  const person = await principalOf(tx, userId);
  for (const { planId, role } of await memberships(tx, userId)) {
    await recordAudit(tx, { planId, actor: person, role, action, targetType: 'member', targetId: userId, summary: summary(person?.name ?? 'Someone'), details });
  }
}

function memberships(q: Sql, userId: string): Promise<Array<{ planId: string; role: Role }>> {
  return q.rows(MembershipRow, sql`SELECT plan_id AS "planId", role FROM plan_members WHERE user_id = ${userId} ORDER BY plan_id`);
}
