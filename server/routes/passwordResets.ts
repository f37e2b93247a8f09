import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { COORDINATORS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { hashPassword } from '../auth/passwords.ts';
import { createPasswordReset, passwordResetInfo, usePasswordReset } from '../services/passwordResets.ts';
import { principalOf, recordAudit, userName } from '../services/audit.ts';
import { roleInPlan } from '../services/access.ts';
import { CreatePasswordResetSchema, UsePasswordResetSchema } from '../../shared/api/index.ts';

/**
 * Password reset links: made by a coordinator for a member of their plan; opened and used by
 * whoever holds the link (the person it was made for). Both are in the plan's audit log.
 */
export function passwordResetRoutes(deps: AppDeps): Router {
  const { events, config } = deps;
  const sql = sqlOf(deps);
  const router = Router();

  router.post(
    '/plans/:planId/members/:userId/password-reset',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const userId = idParam(req, 'userId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      parse(CreatePasswordResetSchema, req.body ?? {});
      const base = config.publicUrl ?? `${req.protocol}://${req.get('host')}`;
      const reset = await createPasswordReset(sql, planId, userId, who.principal.userId, base);
      await recordAudit(sql, {
        planId,
        actor: who.principal,
        role: who.role,
        action: 'password_reset.created',
        targetType: 'member',
        targetId: userId,
        summary: `${who.principal.name} made a password reset link for ${reset.name}`,
        details: { userId, name: reset.name, expiresAt: reset.expiresAt },
      });
      // The person is told at once (a notice, and an e-mail when Accord sends them).
      events.emit('plan', planId, { type: 'notifications' });
      res.setHeader('Cache-Control', 'no-store');
      res.status(201).json(reset);
    }),
  );

  router.get(
    '/password-resets/:token',
    handler(async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await passwordResetInfo(sql, String(req.params.token)));
    }),
  );

  router.post(
    '/password-resets/:token',
    handler(async (req, res) => {
      const token = String(req.params.token);
      const { password } = parse(UsePasswordResetSchema, req.body);
      // Checked before the (slow) hash, and again inside the transaction that uses the link.
      await passwordResetInfo(sql, token);
      const passwordHash = await hashPassword(password);
      const used = await usePasswordReset(sql, token, passwordHash);
      // Open sync sockets and event streams of every ended session close now.
      for (const hash of used.endedSessions) events.emit('sessionEnded', hash);
      events.emit('passwordReset', used.userId);
      events.emit('plan', used.planId, { type: 'notifications' });
      const person = await principalOf(sql, used.userId);
      const createdByName = await userName(sql, used.createdBy);
      await recordAudit(sql, {
        planId: used.planId,
        actor: person,
        role: await roleInPlan(sql, used.planId, used.userId),
        action: 'password_reset.used',
        targetType: 'member',
        targetId: used.userId,
        summary: `${person?.name ?? 'Someone'} set a new password with a reset link from ${createdByName}; ${used.endedSessions.length} session(s) ended`,
        details: { userId: used.userId, createdBy: used.createdBy, createdByName, endedSessions: used.endedSessions.length },
      });
      res.status(204).end();
    }),
  );

  return router;
}
