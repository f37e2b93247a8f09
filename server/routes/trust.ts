import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, requirePlanRole, requirePrincipal, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { listNotifications, markNotificationsRead } from '../services/notifications.ts';
import { listPositions, recordPosition, withdrawPosition } from '../services/positions.ts';
import { planOrganisations } from '../services/planOrganisations.ts';
import { unverifyOrganisation, verifyOrganisation } from '../services/verification.ts';
import { CreateDissentSchema, MarkNotificationsReadSchema, NotificationsQuerySchema } from '../../shared/api/index.ts';

const UnverifySchema = z.object({ reason: z.string().trim().min(3, 'Say why the verification is withdrawn').max(2000) });

/**
 * What makes agreement trustworthy beyond signatures: coordinators verify organisations (only then
 * do their signatures count), organisations record dissenting positions, and people read the
 * notices addressed to them.
 */
export function trustRoutes(deps: AppDeps): Router {
  const { events } = deps;
  const sql = sqlOf(deps);
  const router = Router();
  const organisationsChanged = (planId: string, organisationId: string) => {
    // Committed: the carets of the organisation's people (in every process) show it.
    events.emit('organisationVerificationChanged', planId, organisationId);
    events.emit('plan', planId, { type: 'organisations' });
    events.emit('plan', planId, { type: 'members' });
    events.emit('plan', planId, { type: 'outline' });
    events.emit('plan', planId, { type: 'notifications' });
  };

  router.post(
    '/plans/:planId/organisations/:organisationId/verification',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const organisationId = idParam(req, 'organisationId');
      await verifyOrganisation(sql, planId, who, organisationId);
      organisationsChanged(planId, organisationId);
      res.status(201).json((await planOrganisations(sql, planId)).find((o) => o.id === organisationId));
    }),
  );

  // DELETE with a body: the reason is part of the record.
  router.delete(
    '/plans/:planId/organisations/:organisationId/verification',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const organisationId = idParam(req, 'organisationId');
      const { reason } = parse(UnverifySchema, req.body ?? {});
      await unverifyOrganisation(sql, planId, who, organisationId, reason);
      organisationsChanged(planId, organisationId);
      res.json((await planOrganisations(sql, planId)).find((o) => o.id === organisationId));
    }),
  );

  router.get(
    '/plans/:planId/sections/:sectionId/positions',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await listPositions(sql, planId, idParam(req, 'sectionId')));
    }),
  );

  router.post(
    '/plans/:planId/sections/:sectionId/positions',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, ['coordinator', 'drafter', 'commenter']);
      const sectionId = idParam(req, 'sectionId');
      const position = await recordPosition(sql, planId, sectionId, who, parse(CreateDissentSchema, req.body));
      events.emit('plan', planId, { type: 'positions', sectionId });
      res.status(201).json(position);
    }),
  );

  router.post(
    '/plans/:planId/positions/:positionId/withdraw',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, ['coordinator', 'drafter', 'commenter']);
      const position = await withdrawPosition(sql, planId, idParam(req, 'positionId'), who);
      events.emit('plan', planId, { type: 'positions', sectionId: position.sectionId });
      res.json(position);
    }),
  );

  router.get(
    '/notifications',
    handler(async (req, res) => {
      res.json(await listNotifications(sql, requirePrincipal(req).userId, parse(NotificationsQuerySchema, req.query).before));
    }),
  );

  router.post(
    '/notifications/read',
    handler(async (req, res) => {
      const principal = requirePrincipal(req);
      await markNotificationsRead(sql, principal.userId, parse(MarkNotificationsReadSchema, req.body ?? {}).ids);
      res.status(204).end();
    }),
  );

  return router;
}
