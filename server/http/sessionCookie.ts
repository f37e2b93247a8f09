import type { Response } from 'express';
import { serialize } from 'cookie';
import type { Config } from '../config.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { Limits } from '../../shared/limits.ts';

// HttpOnly: scripts (and so an XSS) cannot read it. Lax: not sent on cross-site POSTs.
function attributes(config: Config, maxAge: number) {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: config.secureCookies, maxAge };
}

/** Sets the session cookie for a token, living as long as the session. */
export function setSessionCookie(res: Response, config: Config, token: string): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, token, attributes(config, Limits.sessionDays * 86_400)));
}

/** Tells the browser to forget the session cookie. */
export function clearSessionCookie(res: Response, config: Config): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, '', attributes(config, 0)));
}
