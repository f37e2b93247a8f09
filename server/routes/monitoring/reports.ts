import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../http/context.ts';
import { ANY_MEMBER, handler, parse, requirePlanRole, sqlOf } from '../../http/context.ts';
import { idParam } from '../plans.ts';
import { removeStoredFiles } from '../../services/monitoring/evidence.ts';
import { getRound } from '../../services/monitoring/rounds.ts';
import { noticeReportSubmitted } from '../../services/monitoring/notices.ts';
import { createReport, deleteReport, listReports, submitReport, updateReport } from '../../services/monitoring/reports.ts';
import { CreateReportSchema, IdSchema, UpdateReportSchema } from '../../../shared/api/index.ts';

const ReportsQuerySchema = z.object({ actionId: IdSchema.optional() });

/**
 * Progress reports. Reading: any member. Writing: coordinators, and drafters and commenters of the
 * action's lead agency or co-implementers (services/monitoring/reporters.ts decides; others 403).
 * Every change announces `{type:'progress', roundId}`.
 */
export function reportRoutes(deps: AppDeps): Router {
  const { events, config } = deps;
  const sql = sqlOf(deps);
  const router = Router();
  const announce = (planId: string, roundId: string) => events.emit('plan', planId, { type: 'progress', roundId });

  router.get(
    '/plans/:planId/rounds/:roundId/reports',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const roundId = idParam(req, 'roundId');
      await getRound(sql, planId, roundId);
      const { actionId } = parse(ReportsQuerySchema, req.query);
      res.json(await listReports(sql, planId, roundId, actionId));
    }),
  );

  router.post(
    '/plans/:planId/rounds/:roundId/actions/:actionId/reports',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const roundId = idParam(req, 'roundId');
      const report = await createReport(sql, planId, roundId, idParam(req, 'actionId'), who, parse(CreateReportSchema, req.body));
      announce(planId, roundId);
      res.status(201).json(report);
    }),
  );

  router.patch(
    '/plans/:planId/reports/:reportId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const report = await updateReport(sql, planId, idParam(req, 'reportId'), who, parse(UpdateReportSchema, req.body));
      announce(planId, report.roundId);
      res.json(report);
    }),
  );

  router.post(
    '/plans/:planId/reports/:reportId/submit',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const report = await submitReport(sql, planId, idParam(req, 'reportId'), who);
      announce(planId, report.roundId);
      // The coordinators and the monitoring body hear of it (services/monitoring/notices.ts).
      if ((await noticeReportSubmitted(sql, planId, who, report)) > 0) events.emit('plan', planId, { type: 'notifications' });
      res.json(report);
    }),
  );

  router.delete(
    '/plans/:planId/reports/:reportId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const { roundId, storageKeys } = await deleteReport(sql, planId, idParam(req, 'reportId'), who);
      await removeStoredFiles(sql, config.dataDir, planId, storageKeys);
      announce(planId, roundId);
      res.status(204).end();
    }),
  );

  return router;
}
