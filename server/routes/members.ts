import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, requirePlanRole } from '../http/context.ts';
import { idParam } from './plans.ts';
import { systemClock } from '../services/autoVersions.ts';
import { changeMemberRole, listMembers, removeMember, restoreMember } from '../services/members.ts';
import { UpdateMemberSchema } from '../../shared/api/index.ts';

/** Plan members. List and leaving: any member. Role changes, removal and its undo: coordinators. */
export function memberRoutes({ db, events, clock = systemClock }: AppDeps): Router {
  const router = Router();

  router.get(
    '/plans/:planId/members',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const { principal, role } = requirePlanRole(db, req, planId, ANY_MEMBER);
      res.json(listMembers(db, planId, { userId: principal.userId, role }));
    }),
  );

  router.patch(
    '/plans/:planId/members/:userId',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const userId = idParam(req, 'userId');
      const who = requirePlanRole(db, req, planId, COORDINATORS);
      const { role } = parse(UpdateMemberSchema, req.body);
      if (changeMemberRole(db, planId, userId, role, who)) {
        events.emit('access', planId, userId, role);
        events.emit('plan', planId, { type: 'members' });
        events.emit('plan', planId, { type: 'notifications' });
      }
      res.json(listMembers(db, planId, { userId: who.principal.userId, role: who.role }));
    }),
  );

  router.delete(
    '/plans/:planId/members/:userId',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const userId = idParam(req, 'userId');
      const who = requirePlanRole(db, req, planId, COORDINATORS);
      removeMember(db, planId, userId, who);
      events.emit('access', planId, userId, null);
      events.emit('plan', planId, { type: 'members' });
      res.json(listMembers(db, planId, { userId: who.principal.userId, role: who.role }));
    }),
  );

  // Undoing a removal made by mistake, soon after it (services/members.ts restoreMember).
  router.post(
    '/plans/:planId/members/:userId/restore',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const userId = idParam(req, 'userId');
      const who = requirePlanRole(db, req, planId, COORDINATORS);
      const role = restoreMember(db, planId, userId, who, clock.now());
      events.emit('access', planId, userId, role);
      events.emit('plan', planId, { type: 'members' });
      events.emit('plan', planId, { type: 'notifications' });
      res.json(listMembers(db, planId, { userId: who.principal.userId, role: who.role }));
    }),
  );

  // Leaving is one's own decision: an organisation that withdraws from the consultation must not
  // stay listed as taking part until a coordinator of the other side sees fit to remove it. The
  // last coordinator stays (409 last_coordinator), as for a removal.
  router.post(
    '/plans/:planId/leave',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const who = requirePlanRole(db, req, planId, ANY_MEMBER);
      removeMember(db, planId, who.principal.userId, who);
      events.emit('access', planId, who.principal.userId, null);
      events.emit('plan', planId, { type: 'members' });
      res.status(204).end();
    }),
  );

  return router;
}
