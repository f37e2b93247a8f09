import { type Request, Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, requirePlanRole, requirePrincipal } from '../http/context.ts';
import {
  addChapter,
  addSection,
  createPlan,
  deleteChapter,
  deleteSection,
  listPlans,
  planOutline,
  planSummary,
  updateChapter,
  updatePlan,
  updateSection,
} from '../services/plans.ts';
import { countActionsUnder } from '../services/actions.ts';
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
export function planRoutes({ db, events }: AppDeps): Router {
  const router = Router();

  router.get(
    '/plans',
    handler((req, res) => {
      res.json(listPlans(db, requirePrincipal(req).userId));
    }),
  );

  router.post(
    '/plans',
    handler((req, res) => {
      const { userId } = requirePrincipal(req);
      const body = parse(CreatePlanSchema, req.body);
      const planId = createPlan(db, userId, body);
      res.status(201).json(planSummary(db, planId, userId));
    }),
  );

  router.get(
    '/plans/:planId',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const { principal } = requirePlanRole(db, req, planId, ANY_MEMBER);
      res.json(planOutline(db, planId, principal.userId));
    }),
  );

  router.patch(
    '/plans/:planId',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const { principal } = requirePlanRole(db, req, planId, COORDINATORS);
      updatePlan(db, planId, parse(UpdatePlanSchema, req.body));
      events.emit('plan', planId, { type: 'outline' });
      res.json(planOutline(db, planId, principal.userId));
    }),
  );

  /** Runs one outline change as a coordinator, announces it and answers the new outline. */
  const outlineChange = (change: (planId: string, req: Request) => void) =>
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const { principal } = requirePlanRole(db, req, planId, COORDINATORS);
      change(planId, req);
      events.emit('plan', planId, { type: 'outline' });
      res.json(planOutline(db, planId, principal.userId));
    });

  router.post(
    '/plans/:planId/chapters',
    outlineChange((planId, req) => {
      addChapter(db, planId, parse(CreateChapterSchema, req.body).title);
    }),
  );
  router.patch(
    '/plans/:planId/chapters/:chapterId',
    outlineChange((planId, req) => {
      updateChapter(db, planId, idParam(req, 'chapterId'), parse(UpdateChapterSchema, req.body));
    }),
  );
  router.delete(
    '/plans/:planId/chapters/:chapterId',
    outlineChange((planId, req) => {
      const chapterId = idParam(req, 'chapterId');
      const hadActions = countActionsUnder(db, { chapterId }) > 0;
      const deleted = deleteChapter(db, planId, chapterId);
      for (const sectionId of deleted) events.emit('sectionDeleted', planId, sectionId);
      // Their actions went with the sections: coverage and action counts changed.
      if (hadActions) events.emit('plan', planId, { type: 'recommendations' });
    }),
  );

  router.post(
    '/plans/:planId/sections',
    outlineChange((planId, req) => {
      const { chapterId, title } = parse(CreateSectionSchema, req.body);
      addSection(db, planId, chapterId, title);
    }),
  );
  router.patch(
    '/plans/:planId/sections/:sectionId',
    outlineChange((planId, req) => {
      updateSection(db, planId, idParam(req, 'sectionId'), parse(UpdateSectionSchema, req.body));
    }),
  );
  router.delete(
    '/plans/:planId/sections/:sectionId',
    outlineChange((planId, req) => {
      const sectionId = idParam(req, 'sectionId');
      const hadActions = countActionsUnder(db, { sectionId }) > 0;
      deleteSection(db, planId, sectionId);
      events.emit('sectionDeleted', planId, sectionId);
      if (hadActions) events.emit('plan', planId, { type: 'recommendations' });
    }),
  );

  return router;
}
