import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../http/context.ts';
import { ANY_MEMBER, handler, parse, requirePlanRole, sqlOf } from '../../http/context.ts';
import { idParam } from '../plans.ts';
import { planProgress } from '../../services/monitoring/progress.ts';
import { IdSchema } from '../../../shared/api/index.ts';

const ProgressQuerySchema = z.object({ roundId: IdSchema.optional() });

/** Where the plan stands in a round (the latest when none is named): any member reads it. */
export function progressRoutes(deps: AppDeps): Router {
  const sql = sqlOf(deps);
  const router = Router();
  router.get(
    '/plans/:planId/progress',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const { roundId } = parse(ProgressQuerySchema, req.query);
      res.json(await planProgress(sql, planId, roundId ?? null));
    }),
  );
  return router;
}
