import { parse as parseCookie } from 'cookie';
import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import { col, oneRow, rowShape } from '../db/rows.ts';
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

/**
 * A new session for the person. `userAgent` (the browser's User-Agent header) is kept so the
 * person can tell their sessions apart on their Account page ("Firefox on Windows").
 */
export function createSession(db: Db, userId: string, userAgent?: string | null): { token: string; expiresAt: Date } {
  const token = newToken();
  const expiresAt = new Date(Date.now() + Limits.sessionDays * 86_400_000);
  const now = nowIso();
  db.prepare(
    'INSERT INTO sessions (token_hash, id, user_id, user_agent, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(hashToken(token), newId(), userId, userAgent ? userAgent.slice(0, USER_AGENT_LENGTH) : null, now, now, expiresAt.toISOString());
  return { token, expiresAt };
}

export function deleteSession(db: Db, token: string): void {
  db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token));
}

/** Looks up an unexpired session token; null for anything unknown, expired or malformed. */
export function principalForToken(db: Db, token: string | undefined): Principal | null {
  if (!token || token.length > 200) return null;
  const row = oneRow(
    db.prepare(
      `SELECT u.id AS userId, u.name, u.email, u.language, o.id AS organisationId, o.name AS organisationName,
              o.side, o.color, s.expires_at AS expiresAt, s.last_used_at AS lastUsedAt
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation_id
        WHERE s.token_hash = ?`,
    ),
    SessionRow,
    hashToken(token),
  );
  if (!row || row.expiresAt <= nowIso()) return null;
  const { expiresAt: _expired, lastUsedAt, ...principal } = row;
  // "Last used" on the Account page: written when it is more than a few minutes old.
  if (!lastUsedAt || Date.parse(lastUsedAt) < Date.now() - TOUCH_EVERY_MS) {
    db.prepare('UPDATE sessions SET last_used_at = ? WHERE token_hash = ?').run(nowIso(), hashToken(token));
  }
  return principal;
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
