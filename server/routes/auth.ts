import { hashToken } from '../ids.ts';
import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { handler, parse, requirePrincipal, sqlOf } from '../http/context.ts';
import { clearSessionCookie, setSessionCookie } from '../http/sessionCookie.ts';
import { createSession, deleteSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { accountKey, addressKey, deviceKey, localSignInCounters, retryAfterSeconds, SignInThrottle, signInThrottled } from '../auth/signInLimiter.ts';
import { presentedDevice, trustedDevice, trustThisBrowser } from '../auth/trustedDevices.ts';
import { systemClock } from '../services/autoVersions.ts';
import { invalidCredentials } from '../errors.ts';
import { countUsers, findUserByEmail, meForPrincipal, meForUser, rememberBrowserLanguage, setUserLanguage, userEmail } from '../services/accounts.ts';
import { accountRoutes } from './account.ts';
import { importSampleRecommendations, readSample } from '../services/samplePlan.ts';
import { alreadySetUp, setUp } from '../services/setUp.ts';
import { LanguageRequestSchema, SetupRequestSchema, SignInRequestSchema } from '../../shared/api/index.ts';

/** First-start setup: GET /setup/status, POST /setup. */
export function setupRoutes(deps: AppDeps): Router {
  const { config, clock = systemClock } = deps;
  const sql = sqlOf(deps);
  const router = Router();

  router.get(
    '/setup/status',
    handler(async (_req, res) => {
      res.json({ needsSetup: (await countUsers(sql)) === 0 });
    }),
  );

  router.post(
    '/setup',
    handler(async (req, res) => {
      const body = parse(SetupRequestSchema, req.body);
      if ((await countUsers(sql)) > 0) throw alreadySetUp();
      const passwordHash = await hashPassword(body.password);
      const sample = body.loadSample ? readSample() : null;
      const { userId, token } = await setUp(sql, {
        name: body.name,
        email: body.email,
        passwordHash,
        organisation: body.organisation,
        acceptLanguage: req.get('accept-language'),
        userAgent: req.get('user-agent'),
        sample: sample && {
          language: body.language,
          recommendations: sample.recommendations,
          registry: (tx, planId, id) => importSampleRecommendations(tx, sample.file, planId, id),
        },
      });
      setSessionCookie(res, config, token);
      await trustThisBrowser(req, res, { sql, config, clock }, userId, token);
      res.status(201).json(await meForUser(sql, userId));
    }),
  );
  return router;
}

/** Sign-in, sign-out and the current person. */
export function authRoutes(deps: AppDeps): Router {
  const { config, events, logger, clock = systemClock, signInCounters } = deps;
  const sql = sqlOf(deps);
  const router = Router();
  const throttle = signInCounters ?? localSignInCounters(new SignInThrottle(clock));
  // The person's own password and sessions: a wrong current password waits like a wrong sign-in.
  router.use(accountRoutes(deps, throttle));
  // A password set with a reset link proves the owner: the account's waits end at once.
  events.onEverywhere('passwordReset', (userId) => {
    // Never thrown into the event's emitter: with Redis (or the database) unreachable, the waits simply run out.
    userEmail(sql, userId)
      .then((email) => (email === null ? undefined : throttle.clear(accountKey(email))))
      .catch((err: Error) => logger.warn({ err: err.message }, 'ending sign-in waits after a password reset failed'));
  });

  /**
   * Failed sign-ins slow further ones, never lock: see README "Sign-in throttling". A browser the
   * owner signed in with before is judged only by its own failures; any other attempt by its
   * address's and the account's, so guesses from elsewhere slow the guesser, not the owner.
   */
  router.post(
    '/auth/sign-in',
    handler(async (req, res) => {
      const { email, password } = parse(SignInRequestSchema, req.body);
      const user = await findUserByEmail(sql, email);
      const device = user ? await trustedDevice(sql, clock, presentedDevice(req), user.id) : null;
      const keys = device ? [deviceKey(device)] : [addressKey(req.ip ?? 'unknown'), accountKey(email)];
      // Counted before the (slow) password check, so concurrent guesses cannot all slip in
      // before the first failure is recorded; a success takes it back.
      const { waitMs, undo } = await throttle.begin(keys);
      if (waitMs > 0) {
        res.setHeader('Retry-After', String(retryAfterSeconds(waitMs)));
        throw signInThrottled(waitMs);
      }
      const ok = await verifyPassword(user?.passwordHash, password);
      if (!user || !ok) throw invalidCredentials();
      await undo();
      // The right password from this browser: its own counter, or the account's, starts afresh.
      // The address's is only spared this attempt, or a guesser could reset it with an account of their own.
      await throttle.clear(keys.length === 1 ? keys[0]! : accountKey(email));
      // Until they choose a language, they are written to in the one this browser asks for.
      await rememberBrowserLanguage(sql, user.id, req.get('accept-language'));
      const { token } = await createSession(sql, user.id, req.get('user-agent'));
      setSessionCookie(res, config, token);
      await trustThisBrowser(req, res, { sql, config, clock }, user.id, token);
      res.json(await meForUser(sql, user.id));
    }),
  );

  router.post(
    '/auth/sign-out',
    handler(async (req, res) => {
      const token = (req as typeof req & { cookies?: Record<string, string | undefined> }).cookies?.[SESSION_COOKIE];
      if (token) {
        await deleteSession(sql, token);
        // Open sync sockets and event streams of this session end now, not at their next reconnect.
        events.emit('sessionEnded', hashToken(token));
      }
      clearSessionCookie(res, config);
      res.status(204).end();
    }),
  );

  // The browser's first question on every page: a signed-out visitor (an invite link, the sign-in
  // page) is answered like anyone else, so nothing is logged as a failed request.
  router.get(
    '/auth/session',
    handler(async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ needsSetup: (await countUsers(sql)) === 0, me: req.principal ? meForPrincipal(req.principal) : null });
    }),
  );

  router.get(
    '/auth/me',
    handler((req, res) => {
      res.json(meForPrincipal(requirePrincipal(req)));
    }),
  );

  // Only ever the caller's own language: the person is taken from the session, never the body.
  router.put(
    '/auth/me/language',
    handler(async (req, res) => {
      const principal = requirePrincipal(req);
      const { language } = parse(LanguageRequestSchema, req.body);
      await setUserLanguage(sql, principal.userId, language);
      res.json(await meForUser(sql, principal.userId));
    }),
  );
  return router;
}
