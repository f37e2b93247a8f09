import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { countActionsUnder } from '../services/actions.ts';
import { binnedSection, listBin, restoreChapter, restoreSection } from '../services/bin.ts';
import { planOutline } from '../services/plans.ts';
import { RestoreFromBinSchema } from '../../shared/api/index.ts';

/**
 * The bin (services/bin.ts). Coordinators list and restore what was deleted; any member may ask
 * who moved a section they had open to the bin, so their page can say so.
 */
export function binRoutes(deps: AppDeps): Router {
  const { events } = deps;
  const sql = sqlOf(deps);
  const router = Router();

  router.get(
    '/plans/:planId/bin',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, COORDINATORS);
      res.json(await listBin(sql, planId));
    }),
  );

  router.get(
    '/plans/:planId/bin/sections/:sectionId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await binnedSection(sql, planId, idParam(req, 'sectionId')));
    }),
  );

  router.post(
    '/plans/:planId/bin/sections/:sectionId/restore',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const actor = await requirePlanRole(sql, req, planId, COORDINATORS);
      const sectionId = idParam(req, 'sectionId');
      parse(RestoreFromBinSchema, req.body ?? {});
      await restoreSection(sql, planId, sectionId, actor);
      events.emit('plan', planId, { type: 'outline' });
      if ((await countActionsUnder(sql, { sectionId })) > 0) events.emit('plan', planId, { type: 'recommendations' });
      res.json(await planOutline(sql, planId, actor.principal.userId));
    }),
  );

  router.post(
    '/plans/:planId/bin/chapters/:chapterId/restore',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const actor = await requirePlanRole(sql, req, planId, COORDINATORS);
      const chapterId = idParam(req, 'chapterId');
      parse(RestoreFromBinSchema, req.body ?? {});
      await restoreChapter(sql, planId, chapterId, actor);
      events.emit('plan', planId, { type: 'outline' });
      if ((await countActionsUnder(sql, { chapterId })) > 0) events.emit('plan', planId, { type: 'recommendations' });
      res.json(await planOutline(sql, planId, actor.principal.userId));
    }),
  );

  return router;
}
