import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { systemClock } from '../services/autoVersions.ts';
import { changeMemberRole, listMembers, removeMember, restoreMember } from '../services/members.ts';
import { UpdateMemberSchema } from '../../shared/api/index.ts';

/** Plan members. List and leaving: any member. Role changes, removal and its undo: coordinators. */
export function memberRoutes(deps: AppDeps): Router {
  const { events, clock = systemClock } = deps;
  const sql = sqlOf(deps);
  const router = Router();

  router.get(
    '/plans/:planId/members',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal, role } = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await listMembers(sql, planId, { userId: principal.userId, role }));
    }),
  );

  router.patch(
    '/plans/:planId/members/:userId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const userId = idParam(req, 'userId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const { role } = parse(UpdateMemberSchema, req.body);
      if (await changeMemberRole(sql, planId, userId, role, who)) {
        events.emit('access', planId, userId, role);
        events.emit('plan', planId, { type: 'members' });
        events.emit('plan', planId, { type: 'notifications' });
      }
      res.json(await listMembers(sql, planId, { userId: who.principal.userId, role: who.role }));
    }),
  );

  router.delete(
    '/plans/:planId/members/:userId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const userId = idParam(req, 'userId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      await removeMember(sql, planId, userId, who);
      events.emit('access', planId, userId, null);
      events.emit('plan', planId, { type: 'members' });
      res.json(await listMembers(sql, planId, { userId: who.principal.userId, role: who.role }));
    }),
  );

  // Undoing a removal made by mistake, soon after it (services/members.ts restoreMember).
  router.post(
    '/plans/:planId/members/:userId/restore',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const userId = idParam(req, 'userId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const role = await restoreMember(sql, planId, userId, who, clock.now());
      events.emit('access', planId, userId, role);
      events.emit('plan', planId, { type: 'members' });
      events.emit('plan', planId, { type: 'notifications' });
      res.json(await listMembers(sql, planId, { userId: who.principal.userId, role: who.role }));
    }),
  );

  // Leaving is one's own decision: an organisation that withdraws from the consultation must not
  // stay listed as taking part until a coordinator of the other side sees fit to remove it. The
  // last coordinator stays (409 last_coordinator), as for a removal.
  router.post(
    '/plans/:planId/leave',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      await removeMember(sql, planId, who.principal.userId, who);
      events.emit('access', planId, who.principal.userId, null);
      events.emit('plan', planId, { type: 'members' });
      res.status(204).end();
    }),
  );

  return router;
}
