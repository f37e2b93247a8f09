import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, DRAFTERS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { comparePlan, compareSection } from '../services/versionCompare.ts';
import { createPlanVersion, createVersion, listPlanVersionGroups, listVersions, restoreVersion, versionContent } from '../services/versions.ts';
import { CreateVersionSchema, IdSchema } from '../../shared/api/index.ts';

const CompareQuerySchema = z.object({
  from: IdSchema,
  to: z.union([z.literal('current'), IdSchema]).default('current'),
});

/**
 * Named versions of sections and of the whole plan, comparisons and restores. Reading and
 * comparing: any member. Keeping a version and restoring one: coordinators and drafters. Every
 * change announces `{type:'versions', sectionId}` (sectionId null for whole-plan versions).
 */
export function versionRoutes(deps: AppDeps): Router {
  const { db, events, sync, logger } = deps;
  const q = sqlOf(deps);
  const compare = { sql: q, sync };
  const router = Router();

  router.get(
    '/plans/:planId/sections/:sectionId/versions',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(q, req, planId, ANY_MEMBER);
      res.json(await listVersions(q, planId, idParam(req, 'sectionId')));
    }),
  );

  router.post(
    '/plans/:planId/sections/:sectionId/versions',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const actor = await requirePlanRole(q, req, planId, DRAFTERS);
      const sectionId = idParam(req, 'sectionId');
      const { name } = parse(CreateVersionSchema, req.body);
      const version = await createVersion(q, sync, { planId, sectionId, name, kind: 'manual', by: actor.principal }, actor);
      events.emit('plan', planId, { type: 'versions', sectionId });
      res.status(201).json(version);
    }),
  );

  router.get(
    '/plans/:planId/versions/:versionId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(q, req, planId, ANY_MEMBER);
      res.json(await versionContent(q, planId, idParam(req, 'versionId')));
    }),
  );

  router.get(
    '/plans/:planId/sections/:sectionId/compare',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(q, req, planId, ANY_MEMBER);
      const { from, to } = parse(CompareQuerySchema, req.query);
      res.json(await compareSection(compare, planId, idParam(req, 'sectionId'), from, to));
    }),
  );

  router.post(
    '/plans/:planId/versions/:versionId/restore',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const actor = await requirePlanRole(q, req, planId, DRAFTERS);
      const version = await restoreVersion({ db, sql: q, sync, events, logger }, { planId, versionId: idParam(req, 'versionId'), actor });
      res.status(201).json(version);
    }),
  );

  router.get(
    '/plans/:planId/versions',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(q, req, planId, ANY_MEMBER);
      res.json(await listPlanVersionGroups(q, planId));
    }),
  );

  router.post(
    '/plans/:planId/versions',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const actor = await requirePlanRole(q, req, planId, DRAFTERS);
      const { name } = parse(CreateVersionSchema, req.body);
      const group = await createPlanVersion(q, sync, { planId, name, by: actor.principal }, actor);
      events.emit('plan', planId, { type: 'versions', sectionId: null });
      res.status(201).json(group);
    }),
  );

  router.get(
    '/plans/:planId/compare',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(q, req, planId, ANY_MEMBER);
      const { from, to } = parse(CompareQuerySchema, req.query);
      res.json(await comparePlan(compare, planId, from, to));
    }),
  );

  return router;
}
