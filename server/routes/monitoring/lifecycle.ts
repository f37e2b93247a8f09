import { Router } from 'express';
import type { AppDeps } from '../../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, parsePatch, requirePlanRole } from '../../http/context.ts';
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
export function lifecycleRoutes({ db, events, sync }: AppDeps): Router {
  const router = Router();
  const announce = (planId: string) => events.emit('plan', planId, { type: 'lifecycle' });

  router.get(
    '/plans/:planId/lifecycle',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      requirePlanRole(db, req, planId, ANY_MEMBER);
      res.json(getLifecycle(db, planId));
    }),
  );

  router.post(
    '/plans/:planId/adoption',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const who = requirePlanRole(db, req, planId, COORDINATORS);
      adoptPlan({ db, sync }, planId, who, parse(AdoptPlanSchema, req.body));
      announce(planId);
      res.json(getLifecycle(db, planId));
    }),
  );

  router.post(
    '/plans/:planId/stage',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const who = requirePlanRole(db, req, planId, COORDINATORS);
      const { stage, note } = parse(ChangeStageSchema, req.body);
      changeStage(db, planId, who, stage, note);
      announce(planId);
      res.json(getLifecycle(db, planId));
    }),
  );

  router.put(
    '/plans/:planId/monitoring-body',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const who = requirePlanRole(db, req, planId, COORDINATORS);
      setMonitoringBody(db, planId, who, parse(SetMonitoringBodySchema, req.body).organisationId);
      announce(planId);
      res.json(getLifecycle(db, planId));
    }),
  );

  router.post(
    '/plans/:planId/rounds',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const who = requirePlanRole(db, req, planId, COORDINATORS);
      const round = createRound(db, planId, who, parse(CreateRoundSchema, req.body));
      if (noticeRoundOpened(db, planId, who, round) > 0) events.emit('plan', planId, { type: 'notifications' });
      announce(planId);
      res.status(201).json(round);
    }),
  );

  router.patch(
    '/plans/:planId/rounds/:roundId',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      const who = requirePlanRole(db, req, planId, COORDINATORS);
      const round = updateRound(db, planId, idParam(req, 'roundId'), who, parsePatch(UpdateRoundSchema, req.body));
      announce(planId);
      // Reports and assessments of the round open or close with it.
      events.emit('plan', planId, { type: 'progress', roundId: round.id });
      res.json(round);
    }),
  );

  return router;
}
