import { Router } from 'express';
import type { AppDeps } from '../../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, parsePatch, requirePlanRole, sqlOf } from '../../http/context.ts';
import { idParam } from '../plans.ts';
import { adoptPlan } from '../../services/monitoring/adoption.ts';
import { changeStage, setMonitoringBody } from '../../services/monitoring/lifecycle.ts';
import { getLifecycle } from '../../services/monitoring/planLifecycle.ts';
import { createRound, updateRound } from '../../services/monitoring/rounds.ts';
import { noticeRoundOpened } from '../../services/monitoring/notices.ts';
import { AdoptPlanSchema, ChangeStageSchema, CreateRoundSchema, SetMonitoringBodySchema, UpdateRoundSchema } from '../../../shared/api/index.ts';

/**
 * The plan's life after agreement: reading its stage, adoption, monitoring body and rounds (any
 * member); adopting it, moving its stage, naming its monitoring body and running its reporting
 * calendar (coordinators). Every change announces `{type:'lifecycle'}`.
 */
export function lifecycleRoutes(deps: AppDeps): Router {
  const { events, sync } = deps;
  const sql = sqlOf(deps);
  const router = Router();
  const announce = (planId: string) => events.emit('plan', planId, { type: 'lifecycle' });

  router.get(
    '/plans/:planId/lifecycle',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await getLifecycle(sql, planId));
    }),
  );

  router.post(
    '/plans/:planId/adoption',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      await adoptPlan({ sql, sync }, planId, who, parse(AdoptPlanSchema, req.body));
      announce(planId);
      res.json(await getLifecycle(sql, planId));
    }),
  );

  router.post(
    '/plans/:planId/stage',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const { stage, note } = parse(ChangeStageSchema, req.body);
      await changeStage(sql, planId, who, stage, note);
      announce(planId);
      res.json(await getLifecycle(sql, planId));
    }),
  );

  router.put(
    '/plans/:planId/monitoring-body',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      await setMonitoringBody(sql, planId, who, parse(SetMonitoringBodySchema, req.body).organisationId);
      announce(planId);
      res.json(await getLifecycle(sql, planId));
    }),
  );

  router.post(
    '/plans/:planId/rounds',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const round = await createRound(sql, planId, who, parse(CreateRoundSchema, req.body));
      if ((await noticeRoundOpened(sql, planId, who, round)) > 0) events.emit('plan', planId, { type: 'notifications' });
      announce(planId);
      res.status(201).json(round);
    }),
  );

  router.patch(
    '/plans/:planId/rounds/:roundId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const round = await updateRound(sql, planId, idParam(req, 'roundId'), who, parsePatch(UpdateRoundSchema, req.body));
      announce(planId);
      // Reports and assessments of the round open or close with it.
      events.emit('plan', planId, { type: 'progress', roundId: round.id });
      res.json(round);
    }),
  );

  return router;
}
