import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { allAudit, auditCsv, itemHistory, queryAudit } from '../services/audit.ts';
import { AuditQuerySchema, HistoryQuerySchema, type ItemHistory } from '../../shared/api/index.ts';

/**
 * The plan's audit log: coordinators only, as JSON (paged) or as a CSV download (all matching
 * entries). The history of one item (an action, an indicator, a section…) comes from the same log
 * and is read by every member, observers included: they read the items themselves.
 */
export function auditRoutes(deps: AppDeps): Router {
  const sql = sqlOf(deps);
  const router = Router();

  router.get(
    '/plans/:planId/audit',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, COORDINATORS);
      res.json(await queryAudit(sql, planId, parse(AuditQuerySchema, req.query)));
    }),
  );

  router.get(
    '/plans/:planId/audit.csv',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, COORDINATORS);
      const { limit: _limit, offset: _offset, ...filters } = parse(AuditQuerySchema, req.query);
      const csv = auditCsv(await allAudit(sql, planId, filters));
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send('\uFEFF' + csv);
    }),
  );

  router.get(
    '/plans/:planId/history',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const { targetType, targetId, limit } = parse(HistoryQuerySchema, req.query);
      const body: ItemHistory = { targetType, targetId, items: await itemHistory(sql, planId, targetType, targetId, limit) };
      res.setHeader('Cache-Control', 'no-store');
      res.json(body);
    }),
  );

  return router;
}
