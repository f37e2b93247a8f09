import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, DRAFTERS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import {
  confirmGroup,
  dismissGroup,
  getGroup,
  groupOfRecommendation,
  listGroups,
  proposeGroups,
  splitGroup,
} from '../services/recommendationGroups/store.ts';
import { RecommendationGroupQuerySchema, SplitRecommendationGroupSchema } from '../../shared/api/index.ts';

/**
 * Groups of recommendations that say the same thing. Reading: any member. Asking Accord for
 * proposals, confirming, splitting and dismissing: those who may edit recommendations
 * (coordinators and drafters). Every change announces `{type:'recommendations'}`.
 */
export function recommendationGroupRoutes(deps: AppDeps): Router {
  const { events } = deps;
  const sql = sqlOf(deps);
  const router = Router();
  const announce = (planId: string) => events.emit('plan', planId, { type: 'recommendations' });
  const base = '/plans/:planId/recommendation-groups';

  router.get(
    base,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await listGroups(sql, planId, parse(RecommendationGroupQuerySchema, req.query)));
    }),
  );

  router.post(
    `${base}/propose`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const result = await proposeGroups(sql, planId, who);
      announce(planId);
      res.json(result);
    }),
  );

  router.get(
    `${base}/:groupId`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await getGroup(sql, planId, idParam(req, 'groupId')));
    }),
  );

  router.post(
    `${base}/:groupId/confirm`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const group = await confirmGroup(sql, planId, idParam(req, 'groupId'), who);
      announce(planId);
      res.json(group);
    }),
  );

  router.post(
    `${base}/:groupId/split`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const { parts } = parse(SplitRecommendationGroupSchema, req.body ?? {});
      const groups = await splitGroup(sql, planId, idParam(req, 'groupId'), who, parts);
      announce(planId);
      res.json(groups);
    }),
  );

  router.post(
    `${base}/:groupId/dismiss`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      await dismissGroup(sql, planId, idParam(req, 'groupId'), who);
      announce(planId);
      res.status(204).end();
    }),
  );

  router.get(
    '/plans/:planId/recommendations/:recId/group',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json({ group: await groupOfRecommendation(sql, planId, idParam(req, 'recId')) });
    }),
  );

  return router;
}
