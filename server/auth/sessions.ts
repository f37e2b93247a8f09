import { parse as parseCookie } from 'cookie';
import type { Db } from '../db/database.ts';
import { hashToken, newToken, nowIso } from '../ids.ts';
import { Limits } from '../../shared/limits.ts';
import type { Language, Side } from '../../shared/api/index.ts';

export const SESSION_COOKIE = 'accord_session';

/** The signed-in person, as the server knows them: never taken from what a client claims. */
export interface Principal {
  userId: string;
  name: string;
  email: string;
  /** Null until the person chooses a language. */
  language: Language | null;
  organisationId: string;
  organisationName: string;
  side: Side;
  color: string;
}

export function createSession(db: Db, userId: string): { token: string; expiresAt: Date } {
  const token = newToken();
  const expiresAt = new Date(Date.now() + Limits.sessionDays * 86_400_000);
  db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
    hashToken(token),
    userId,
    nowIso(),
    expiresAt.toISOString(),
  );
  return { token, expiresAt };
}

export function deleteSession(db: Db, token: string): void {
  db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token));
}

/** Looks up an unexpired session token; null for anything unknown, expired or malformed. */
export function principalForToken(db: Db, token: string | undefined): Principal | null {
  if (!token || token.length > 200) return null;
  const row = db
    .prepare(
      `SELECT u.id AS userId, u.name, u.email, u.language, o.id AS organisationId, o.name AS organisationName,
              o.side, o.color, s.expires_at AS expiresAt
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation_id
        WHERE s.token_hash = ?`,
    )
    .get(hashToken(token)) as (Principal & { expiresAt: string }) | undefined;
  if (!row || row.expiresAt <= nowIso()) return null;
  const { expiresAt: _expired, ...principal } = row;
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
