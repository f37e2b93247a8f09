import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, requirePlanRole } from '../http/context.ts';
import { idParam } from './plans.ts';
import { changeMemberRole, listMembers, removeMember } from '../services/members.ts';
import { UpdateMemberSchema } from '../../shared/api/index.ts';
import { recordAudit, userName } from '../services/audit.ts';
import { roleInPlan } from '../services/access.ts';

/** Plan members. List: any member. Role changes and removal: coordinators. */
export function memberRoutes({ db, events }: AppDeps): Router {
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
      const from = roleInPlan(db, planId, userId);
      if (changeMemberRole(db, planId, userId, role)) {
        const name = userName(db, userId);
        recordAudit(db, { planId, actor: who.principal, role: who.role, action: 'member.role_changed', targetType: 'member', targetId: userId,
          summary: `${who.principal.name} changed the role of ${name} from ${from} to ${role}`, details: { userId, name, from, to: role } });
        events.emit('access', planId, userId, role);
        events.emit('plan', planId, { type: 'members' });
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
      const from = roleInPlan(db, planId, userId);
      removeMember(db, planId, userId);
      const name = userName(db, userId);
      recordAudit(db, { planId, actor: who.principal, role: who.role, action: 'member.removed', targetType: 'member', targetId: userId,
        summary: `${who.principal.name} removed ${name} (${from}) from the plan`, details: { userId, name, role: from } });
      events.emit('access', planId, userId, null);
      events.emit('plan', planId, { type: 'members' });
      res.json(listMembers(db, planId, { userId: who.principal.userId, role: who.role }));
    }),
  );

  return router;
}
