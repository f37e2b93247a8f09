import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { documentRefusal, openSectionStates } from '../services/sectionText.ts';
import { publicRecordState, publishPlan, unpublishPlan } from '../services/publicRecord/publications.ts';
import { PublishPlanSchema } from '../../shared/api/index.ts';

/**
 * Putting a plan on the public record (issue #16): any member sees what is published and when;
 * coordinators publish (a snapshot of the plan as it is now) and unpublish. The public pages
 * themselves are served by server/public/ without an account.
 */
export function publicRecordRoutes(deps: AppDeps): Router {
  const { events, sync } = deps;
  const q = sqlOf(deps);
  const router = Router();
  const announce = (planId: string) => events.emit('plan', planId, { type: 'publication' });

  router.get(
    '/plans/:planId/publication',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(q, req, planId, ANY_MEMBER);
      res.json(await publicRecordState(q, planId));
    }),
  );

  router.post(
    '/plans/:planId/publication',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(q, req, planId, COORDINATORS);
      const input = parse(PublishPlanSchema, req.body);
      // A consultation draft shows the text people see: open documents' stored states.
      let docStates: Map<string, Uint8Array>;
      try {
        docStates = await openSectionStates(q, sync, planId);
      } catch (err) {
        throw documentRefusal(err, 'published', 'the plan');
      }
      // Nothing may be awaited between reading the states and publishing but the publication's own reads (publishPlan).
      await publishPlan(q, planId, who, input, docStates);
      announce(planId);
      res.status(201).json(await publicRecordState(q, planId));
    }),
  );

  router.delete(
    '/plans/:planId/publication',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(q, req, planId, COORDINATORS);
      await unpublishPlan(q, planId, who);
      announce(planId);
      res.json(await publicRecordState(q, planId));
    }),
  );

  return router;
}
