import { type Request, Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, requirePlanRole, requirePrincipal, sqlOf } from '../http/context.ts';
import {
  addChapter,
  addSection,
  createPlan,
  listPlans,
  planOutline,
  planSummary,
  updateChapter,
  updatePlan,
  updateSection,
} from '../services/plans.ts';
import { countActionsUnder } from '../services/actions.ts';
import { binChapter, binSection } from '../services/bin.ts';
import type { Actor } from '../services/history.ts';
import {
  CreateChapterSchema,
  CreatePlanSchema,
  CreateSectionSchema,
  IdSchema,
  UpdateChapterSchema,
  UpdatePlanSchema,
  UpdateSectionSchema,
} from '../../shared/api/index.ts';

/** A route parameter validated as an id (400 when malformed, before any lookup). */
export function idParam(req: Request, name: string): string {
  return parse(IdSchema, req.params[name]);
}

/** Plans and their outline. Reads: any member. Outline and plan changes: coordinators. */
export function planRoutes(deps: AppDeps): Router {
  const { events } = deps;
  const sql = sqlOf(deps);
  const router = Router();

  router.get(
    '/plans',
    handler(async (req, res) => {
      res.json(await listPlans(sql, requirePrincipal(req).userId));
    }),
  );

  router.post(
    '/plans',
    handler(async (req, res) => {
      const { userId } = requirePrincipal(req);
      const body = parse(CreatePlanSchema, req.body);
      const planId = await createPlan(sql, userId, body);
      res.status(201).json(await planSummary(sql, planId, userId));
    }),
  );

  router.get(
    '/plans/:planId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal } = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await planOutline(sql, planId, principal.userId));
    }),
  );

  router.patch(
    '/plans/:planId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal } = await requirePlanRole(sql, req, planId, COORDINATORS);
      await updatePlan(sql, planId, parse(UpdatePlanSchema, req.body));
      events.emit('plan', planId, { type: 'outline' });
      res.json(await planOutline(sql, planId, principal.userId));
    }),
  );

  /** Runs one outline change as a coordinator, announces it and answers the new outline. */
  const outlineChange = (change: (planId: string, req: Request, who: Actor) => Promise<unknown>) =>
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      await change(planId, req, who);
      events.emit('plan', planId, { type: 'outline' });
      res.json(await planOutline(sql, planId, who.principal.userId));
    });

  router.post(
    '/plans/:planId/chapters',
    outlineChange((planId, req, who) => addChapter(sql, planId, parse(CreateChapterSchema, req.body).title, who)),
  );
  router.patch(
    '/plans/:planId/chapters/:chapterId',
    outlineChange((planId, req, who) => updateChapter(sql, planId, idParam(req, 'chapterId'), parse(UpdateChapterSchema, req.body), who)),
  );
  // Deleting moves to the bin (services/bin.ts): a coordinator can restore it whole.
  router.delete(
    '/plans/:planId/chapters/:chapterId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const actor = await requirePlanRole(sql, req, planId, COORDINATORS);
      const chapterId = idParam(req, 'chapterId');
      const hadActions = (await countActionsUnder(sql, { chapterId })) > 0;
      const binned = await binChapter(sql, planId, chapterId, actor);
      for (const sectionId of binned) events.emit('sectionDeleted', planId, sectionId);
      events.emit('plan', planId, { type: 'outline' });
      // Their actions left every listing with the sections: coverage and action counts changed.
      if (hadActions) events.emit('plan', planId, { type: 'recommendations' });
      res.json(await planOutline(sql, planId, actor.principal.userId));
    }),
  );

  router.post(
    '/plans/:planId/sections',
    outlineChange((planId, req, who) => {
      const { chapterId, title } = parse(CreateSectionSchema, req.body);
      return addSection(sql, planId, chapterId, title, undefined, who);
    }),
  );
  router.patch(
    '/plans/:planId/sections/:sectionId',
    outlineChange((planId, req, who) => updateSection(sql, planId, idParam(req, 'sectionId'), parse(UpdateSectionSchema, req.body), who)),
  );
  router.delete(
    '/plans/:planId/sections/:sectionId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const actor = await requirePlanRole(sql, req, planId, COORDINATORS);
      const sectionId = idParam(req, 'sectionId');
      const hadActions = (await countActionsUnder(sql, { sectionId })) > 0;
      await binSection(sql, planId, sectionId, actor);
      events.emit('sectionDeleted', planId, sectionId);
      events.emit('plan', planId, { type: 'outline' });
      if (hadActions) events.emit('plan', planId, { type: 'recommendations' });
      res.json(await planOutline(sql, planId, actor.principal.userId));
    }),
  );

  return router;
}
