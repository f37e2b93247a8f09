import { parse as parseCookie } from 'cookie';
import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import { runNow } from '../db/sql/sqliteNow.ts';
import type { Query, Sql } from '../db/sql/Sql.ts';
import { hashToken, newId, newToken, nowIso } from '../ids.ts';
import { Limits } from '../../shared/limits.ts';
import { LanguageSchema, SideSchema } from '../../shared/api/index.ts';

export const SESSION_COOKIE = 'accord_session';

/** A person joined with their organisation, as read for a session or an audit entry. */
export const PrincipalShape = rowShape({
  userId: col.text,
  name: col.text,
  email: col.text,
  /** Null until the person chooses a language. */
  language: LanguageSchema.nullable(),
  organisationId: col.text,
  organisationName: col.text,
  side: SideSchema,
  color: col.text,
});
const SessionRow = PrincipalShape.extend({ expiresAt: col.text, lastUsedAt: col.nullableText });

/** A session's last use is written at most this often: not a database write on every request. */
const TOUCH_EVERY_MS = 5 * 60_000;
/** Enough of a User-Agent to tell the browser and system; the rest is not kept. */
const USER_AGENT_LENGTH = 400;

/** The signed-in person, as the server knows them: never taken from what a client claims. */
export type Principal = z.output<typeof PrincipalShape>;

function sessionInsert(userId: string, userAgent: string | null | undefined): { token: string; expiresAt: Date; query: Query } {
  const token = newToken();
  const expiresAt = new Date(Date.now() + Limits.sessionDays * 86_400_000);
  const now = nowIso();
  const agent = userAgent ? userAgent.slice(0, USER_AGENT_LENGTH) : null;
  const query = sql`INSERT INTO sessions (token_hash, id, user_id, user_agent, created_at, last_used_at, expires_at)
    VALUES (${hashToken(token)}, ${newId()}, ${userId}, ${agent}, ${now}, ${now}, ${expiresAt.toISOString()})`;
  return { token, expiresAt, query };
}

/**
 * A new session for the person. `userAgent` (the browser's User-Agent header) is kept so the
 * person can tell their sessions apart on their Account page ("Firefox on Windows").
 */
export async function createSession(q: Sql, userId: string, userAgent?: string | null): Promise<{ token: string; expiresAt: Date }> {
  const { token, expiresAt, query } = sessionInsert(userId, userAgent);
  await q.run(query);
  return { token, expiresAt };
}

/** createSession for synchronous callers (decision 0011): the same statement. */
export function createSessionNow(db: Db, userId: string, userAgent?: string | null): { token: string; expiresAt: Date } {
  const { token, expiresAt, query } = sessionInsert(userId, userAgent);
  runNow(db, query);
  return { token, expiresAt };
}

export async function deleteSession(q: Sql, token: string): Promise<void> {
  await q.run(sql`DELETE FROM sessions WHERE token_hash = ${hashToken(token)}`);
}

const sessionQuery = (tokenHash: string) =>
  sql`SELECT u.id AS "userId", u.name, u.email, u.language, o.id AS "organisationId", o.name AS "organisationName",
        o.side, o.color, s.expires_at AS "expiresAt", s.last_used_at AS "lastUsedAt"
      FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation_id
      WHERE s.token_hash = ${tokenHash}`;
const touchQuery = (tokenHash: string) => sql`UPDATE sessions SET last_used_at = ${nowIso()} WHERE token_hash = ${tokenHash}`;

/** The person of an unexpired session, and whether its "last used" is old enough to be written again. */
function sessionPrincipal(row: z.output<typeof SessionRow> | undefined): { principal: Principal; touch: boolean } | null {
  if (!row || row.expiresAt <= nowIso()) return null;
  const { expiresAt: _expired, lastUsedAt, ...principal } = row;
  // "Last used" on the Account page: written when it is more than a few minutes old.
  return { principal, touch: !lastUsedAt || Date.parse(lastUsedAt) < Date.now() - TOUCH_EVERY_MS };
}

/** Looks up an unexpired session token; null for anything unknown, expired or malformed. */
export async function principalForToken(q: Sql, token: string | undefined): Promise<Principal | null> {
  if (!token || token.length > 200) return null;
  const tokenHash = hashToken(token);
  const found = sessionPrincipal(await q.row(SessionRow, sessionQuery(tokenHash)));
  if (!found) return null;
  if (found.touch) await q.run(touchQuery(tokenHash));
  return found.principal;
}

/** The session token from a Cookie header, if any. */
export function sessionTokenFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return parseCookie(header)[SESSION_COOKIE];
  } catch {
    return undefined;
  }
}
