import { Router } from 'express';
import type { AppDeps } from '../../http/context.ts';
import { ANY_MEMBER, handler, parse, requirePlanRole, sqlOf } from '../../http/context.ts';
import { idParam } from '../plans.ts';
import { saveAssessment } from '../../services/monitoring/assessments.ts';
import { noticeAssessmentDisputes } from '../../services/monitoring/notices.ts';
import { assessmentsInRound } from '../../services/monitoring/progress.ts';
import { getRound } from '../../services/monitoring/rounds.ts';
import { SaveAssessmentSchema } from '../../../shared/api/index.ts';

/** Civil society's assessments per round: every member reads them; members of verified CSOs write their own. */
export function assessmentRoutes(deps: AppDeps): Router {
  const { events } = deps;
  const sql = sqlOf(deps);
  const router = Router();

  router.get(
    '/plans/:planId/rounds/:roundId/assessments',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const roundId = idParam(req, 'roundId');
      await getRound(sql, planId, roundId);
      res.json(await assessmentsInRound(sql, planId, roundId));
    }),
  );

  router.put(
    '/plans/:planId/rounds/:roundId/assessments',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      // Observers are refused here; whether the organisation may assess is the service's rule.
      const who = await requirePlanRole(sql, req, planId, ['coordinator', 'drafter', 'commenter']);
      const roundId = idParam(req, 'roundId');
      const saved = await saveAssessment(sql, planId, roundId, who, parse(SaveAssessmentSchema, req.body));
      events.emit('plan', planId, { type: 'progress', roundId });
      if ((await noticeAssessmentDisputes(sql, planId, roundId, who, saved)) > 0) events.emit('plan', planId, { type: 'notifications' });
      res.json(saved.assessment);
    }),
  );

  return router;
}
