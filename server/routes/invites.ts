import { type Request, Router } from 'express';
import { loadLinkKey } from '../auth/linkKey.ts';
import type { AppDeps } from '../http/context.ts';
import { COORDINATORS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { setSessionCookie } from '../http/sessionCookie.ts';
import { createSession } from '../auth/sessions.ts';
import { trustThisBrowser } from '../auth/trustedDevices.ts';
import { systemClock } from '../services/autoVersions.ts';
import { hashPassword } from '../auth/passwords.ts';
import { acceptInvite, createInvite, inviteInfo, listPendingInvites, revokeInvite } from '../services/invites.ts';
import { AcceptInviteSchema, CreateInviteSchema } from '../../shared/api/index.ts';
import { recordAudit } from '../services/audit.ts';
import { rememberBrowserLanguage } from '../services/accounts.ts';

/** Invites: managed by coordinators; opened and accepted by anyone holding the link. */
export function inviteRoutes(deps: AppDeps): Router {
  const { events, config, clock = systemClock } = deps;
  const sql = sqlOf(deps);
  const router = Router();
  const key = loadLinkKey(config.dataDir);
  // startServer fills publicUrl in once listening, so it is set by the time requests arrive.
  const links = (req: Request) => ({ publicUrl: config.publicUrl ?? `${req.protocol}://${req.get('host')}`, key });

  router.post(
    '/plans/:planId/invites',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal } = await requirePlanRole(sql, req, planId, COORDINATORS);
      const { role, organisationId, note } = parse(CreateInviteSchema, req.body);
      const invite = await createInvite(sql, planId, role, principal.userId, links(req), organisationId ?? null, note);
      await recordAudit(sql, { planId, actor: principal, role: 'coordinator', action: 'invite.created', targetType: 'invite', targetId: invite.id,
        summary: `${principal.name} created an invite link for ${article(role)} ${role}${note ? ` (“${note}”)` : ''}`,
        details: { role, note, organisationId: organisationId ?? null, expiresAt: invite.expiresAt } });
      res.status(201).json(invite);
    }),
  );

  router.get(
    '/plans/:planId/invites',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal } = await requirePlanRole(sql, req, planId, COORDINATORS);
      res.setHeader('Cache-Control', 'no-store');
      res.json(await listPendingInvites(sql, planId, links(req), principal.userId));
    }),
  );

  router.delete(
    '/plans/:planId/invites/:inviteId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const inviteId = idParam(req, 'inviteId');
      const { note, role } = await revokeInvite(sql, planId, inviteId, who.principal.userId);
      await recordAudit(sql, { planId, actor: who.principal, role: who.role, action: 'invite.revoked', targetType: 'invite', targetId: inviteId,
        summary: `${who.principal.name} revoked an invite link for ${article(role)} ${role}${note ? ` (“${note}”)` : ''}`, details: { role, note } });
      res.status(204).end();
    }),
  );

  router.get(
    '/invites/:token',
    handler(async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await inviteInfo(sql, String(req.params.token)));
    }),
  );

  router.post(
    '/invites/:token/accept',
    handler(async (req, res) => {
      const token = String(req.params.token);
      const { account } = parse(AcceptInviteSchema, req.body);
      // Hash before the transaction: a transaction awaits nothing but its own queries (decision 0011).
      let who: Parameters<typeof acceptInvite>[2];
      if (account) {
        const { password, ...rest } = account;
        who = { account: { ...rest, passwordHash: await hashPassword(password) } };
      } else {
        who = { userId: req.principal?.userId };
      }
      const accepted = await acceptInvite(sql, token, who);
      // Until they choose a language, they are written to in the one this browser asks for.
      await rememberBrowserLanguage(sql, accepted.userId, req.get('accept-language'));
      if (accepted.created) {
        const { token } = await createSession(sql, accepted.userId, req.get('user-agent'));
        setSessionCookie(res, config, token);
        // The account was made in this browser: it is the owner's from the start.
        await trustThisBrowser(req, res, { sql, config, clock }, accepted.userId, token);
      }
      events.emit('plan', accepted.planId, { type: 'members' });
      if (accepted.noticesSent > 0) events.emit('plan', accepted.planId, { type: 'notifications' });
      res.json({ planId: accepted.planId });
    }),
  );

  return router;
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');
