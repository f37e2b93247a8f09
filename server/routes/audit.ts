import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { COORDINATORS, handler, parse, requirePlanRole } from '../http/context.ts';
import { idParam } from './plans.ts';
import { allAudit, auditCsv, queryAudit } from '../services/audit.ts';
import { AuditQuerySchema } from '../../shared/api/index.ts';

/** The plan's audit log: coordinators only, as JSON (paged) or as a CSV download (all matching entries). */
export function auditRoutes({ db }: AppDeps): Router {
  const router = Router();

  router.get(
    '/plans/:planId/audit',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      requirePlanRole(db, req, planId, COORDINATORS);
      res.json(queryAudit(db, planId, parse(AuditQuerySchema, req.query)));
    }),
  );

  router.get(
    '/plans/:planId/audit.csv',
    handler((req, res) => {
      const planId = idParam(req, 'planId');
      requirePlanRole(db, req, planId, COORDINATORS);
      const { limit: _limit, offset: _offset, ...filters } = parse(AuditQuerySchema, req.query);
      const csv = auditCsv(allAudit(db, planId, filters));
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send('\uFEFF' + csv);
    }),
  );

  return router;
}
