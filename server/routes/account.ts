import { Router, type Request } from 'express';
import type { AppDeps } from '../http/context.ts';
import { handler, parse, requirePrincipal, sqlOf } from '../http/context.ts';
import { clearSessionCookie } from '../http/sessionCookie.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { accountKey, passwordChangeKey, retryAfterSeconds, signInThrottled, type SignInCounters } from '../auth/signInLimiter.ts';
import { findUserByEmail } from '../services/accounts.ts';
import { changePassword, endOtherSessions, endSession, forgetTrustedBrowser, listSessions, listTrustedBrowsers } from '../services/accountSecurity.ts';
import { unauthenticated, wrongCurrentPassword } from '../errors.ts';
import { hashToken } from '../ids.ts';
import { idParam } from './plans.ts';
import { ChangePasswordSchema } from '../../shared/api/index.ts';

/**
 * The signed-in person's own account: their password, their sessions, the browsers trusted for
 * it. Every route acts on the caller's account only (taken from the session, never from the
 * request), so nobody can see or end another person's sessions.
 */
export function accountRoutes(deps: AppDeps, throttle: SignInCounters): Router {
  const { config, events } = deps;
  const sql = sqlOf(deps);
  const router = Router();

  router.get(
    '/auth/sessions',
    handler(async (req, res) => {
      const { userId } = requirePrincipal(req);
      res.setHeader('Cache-Control', 'no-store');
      res.json({ sessions: await listSessions(sql, userId, sessionHash(req)) });
    }),
  );

  router.delete(
    '/auth/sessions/:sessionId',
    handler(async (req, res) => {
      const { userId } = requirePrincipal(req);
      const ended = await endSession(sql, userId, idParam(req, 'sessionId'));
      // Its open sync sockets and event streams close now, not at their next reconnect.
      events.emit('sessionEnded', ended);
      if (ended === sessionHash(req)) clearSessionCookie(res, config);
      res.status(204).end();
    }),
  );

  router.post(
    '/auth/sessions/end-others',
    handler(async (req, res) => {
      const { userId } = requirePrincipal(req);
      const ended = await endOtherSessions(sql, userId, ownSessionHash(req));
      for (const hash of ended) events.emit('sessionEnded', hash);
      res.json({ ended: ended.length });
    }),
  );

  router.get(
    '/auth/trusted-browsers',
    handler(async (req, res) => {
      const { userId } = requirePrincipal(req);
      res.setHeader('Cache-Control', 'no-store');
      res.json({ browsers: await listTrustedBrowsers(sql, userId, sessionHash(req)) });
    }),
  );

  router.delete(
    '/auth/trusted-browsers/:browserId',
    handler(async (req, res) => {
      const { userId } = requirePrincipal(req);
      await forgetTrustedBrowser(sql, userId, idParam(req, 'browserId'));
      res.status(204).end();
    }),
  );

  /**
   * Wrong current passwords are slowed the way wrong sign-ins are (the same growing waits), on a
   * counter of their own: someone at an unlocked laptop cannot guess the password here faster than
   * at the sign-in page, and their guesses do not slow the owner's sign-ins elsewhere.
   */
  router.post(
    '/auth/password',
    handler(async (req, res) => {
      const principal = requirePrincipal(req);
      const { currentPassword, newPassword } = parse(ChangePasswordSchema, req.body);
      const keys = [passwordChangeKey(principal.userId)];
      const { waitMs, undo } = await throttle.begin(keys);
      if (waitMs > 0) {
        res.setHeader('Retry-After', String(retryAfterSeconds(waitMs)));
        throw signInThrottled(waitMs);
      }
      const user = await findUserByEmail(sql, principal.email);
      if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) throw wrongCurrentPassword();
      await undo();
      await throttle.clear(keys[0]!);
      // The owner proved who they are: their account's sign-in waits end, as after a reset.
      await throttle.clear(accountKey(principal.email));
      const passwordHash = await hashPassword(newPassword);
      const ended = await changePassword(sql, principal.userId, passwordHash, ownSessionHash(req));
      for (const hash of ended) events.emit('sessionEnded', hash);
      res.json({ endedSessions: ended.length });
    }),
  );

  return router;
}

/** The token hash of the session making the request, if it has one. */
function sessionHash(req: Request): string | null {
  const token = (req as Request & { cookies?: Record<string, string | undefined> }).cookies?.[SESSION_COOKIE];
  return token ? hashToken(token) : null;
}

function ownSessionHash(req: Request): string {
  const hash = sessionHash(req);
  if (!hash) throw unauthenticated();
  return hash;
}
