import type { Request, Response } from 'express';
import { serialize } from 'cookie';
import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import type { Config } from '../config.ts';
import { hashToken, newId, newToken } from '../ids.ts';
import { Limits } from '../../shared/limits.ts';
import type { Clock } from '../services/autoVersions.ts';

/**
 * The device cookie of sign-in throttling (OWASP "device cookies"): a browser that signed in to an
 * account carries a token naming that account, and its sign-in attempts for that account are
 * judged only by its own failures, not by the account's or the address's.
 *
 * A random token stored hashed in the database rather than an HMAC-signed cookie: a password
 * reset can withdraw every browser's trust in the account at once (after a break-in the
 * intruder's browser must not keep it), trust expires on the server whatever the browser keeps,
 * and there is no extra server secret to keep, back up and rotate. The cost is one indexed lookup
 * per sign-in. Like sessions, only the hash is stored: a copy of the database is no cookie.
 */
export const DEVICE_COOKIE = 'accord_device';

/** A browser keeps trust this many of its latest per account; older ones are dropped. */
const DEVICES_PER_ACCOUNT = 10;

const iso = (ms: number) => new Date(ms).toISOString();
const trustCutoff = (clock: Clock) => iso(clock.now() - Limits.trustedDeviceDays * 86_400_000);

const OneRow = rowShape({ one: col.int });
const agentOf = (userAgent: string | null | undefined) => (userAgent ? userAgent.slice(0, 400) : null);

/** The hash of the presented device token when it is trusted for this account, else null. */
export async function trustedDevice(q: Sql, clock: Clock, token: string | undefined, userId: string): Promise<string | null> {
  if (!token) return null;
  const hash = hashToken(token);
  const row = await q.row(
    OneRow,
    sql`SELECT 1 AS one FROM trusted_devices WHERE token_hash = ${hash} AND user_id = ${userId} AND last_used_at > ${trustCutoff(clock)}`,
  );
  return row ? hash : null;
}

/**
 * After a successful sign-in: keeps the presented token's trust fresh, or trusts this browser
 * with a new token. Returns the token for the cookie.
 */
export async function rememberDevice(q: Sql, clock: Clock, userId: string, presented: string | undefined, userAgent?: string | null): Promise<string> {
  const now = iso(clock.now());
  return q.transaction(async (tx) => {
    if (presented && (await trustedDevice(tx, clock, presented, userId))) {
      await tx.run(
        sql`UPDATE trusted_devices SET last_used_at = ${now}, user_agent = coalesce(${agentOf(userAgent)}, user_agent) WHERE token_hash = ${hashToken(presented)}`,
      );
      return presented;
    }
    const token = newToken();
    await tx.run(
      sql`INSERT INTO trusted_devices (token_hash, id, user_id, user_agent, created_at, last_used_at)
        VALUES (${hashToken(token)}, ${newId()}, ${userId}, ${agentOf(userAgent)}, ${now}, ${now})`,
    );
    await tx.run(
      sql`DELETE FROM trusted_devices WHERE user_id = ${userId} AND (last_used_at <= ${trustCutoff(clock)} OR token_hash NOT IN (
         SELECT token_hash FROM trusted_devices WHERE user_id = ${userId} ORDER BY last_used_at DESC, created_at DESC, token_hash LIMIT ${DEVICES_PER_ACCOUNT}))`,
    );
    return token;
  });
}

/** Every browser loses its trust in this account (a password reset). */
export async function forgetDevices(q: Sql, userId: string): Promise<void> {
  await q.run(sql`DELETE FROM trusted_devices WHERE user_id = ${userId}`);
}

/** The device token this browser presented, if any. */
export function presentedDevice(req: Request): string | undefined {
  return (req as Request & { cookies?: Record<string, string | undefined> }).cookies?.[DEVICE_COOKIE];
}

/**
 * This browser just proved it is the person's (a right password, or an account made here from an
 * invite or at setup): from now on it is trusted for their account.
 */
export async function trustThisBrowser(
  req: Request,
  res: Response,
  deps: { sql: Sql; config: Config; clock: Clock },
  userId: string,
  sessionToken: string,
): Promise<void> {
  const device = await rememberDevice(deps.sql, deps.clock, userId, presentedDevice(req), req.get('user-agent'));
  setDeviceCookie(res, deps.config, device);
  // The session just made here knows its browser: the Account page marks that one "this browser".
  await deps.sql.run(sql`UPDATE sessions SET device_hash = ${hashToken(device)} WHERE token_hash = ${hashToken(sessionToken)}`);
}

// Sent only to the sign-in route: nothing else needs it, and it never travels with other requests.
function setDeviceCookie(res: Response, config: Config, token: string): void {
  res.append(
    'Set-Cookie',
    serialize(DEVICE_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/api/auth/sign-in',
      secure: config.secureCookies,
      maxAge: Limits.trustedDeviceDays * 86_400,
    }),
  );
}
