import { createReadStream, rmSync } from 'node:fs';
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../http/context.ts';
import { ANY_MEMBER, handler, parse, requirePlanRole, sqlOf } from '../../http/context.ts';
import { idParam } from '../plans.ts';
import { badRequest } from '../../errors.ts';
import { recordAudit } from '../../services/audit.ts';
import { civilSocietyOrganisations, organisationNames } from '../../services/monitoring/assessments.ts';
import { getRound } from '../../services/monitoring/rounds.ts';
import { attachmentDisposition, shortTitle } from '../../fileNames.ts';
import { ProgressReports } from '../../export/progress/runner.ts';
import { FORMAT_INFO } from '../../export/render/index.ts';
import { ExportLanguageSchema, IdSchema } from '../../../shared/api/index.ts';

const ReportQuerySchema = z.object({
  format: z.enum(['docx', 'pdf']),
  /** The language of the report's own words (the client sends its interface language); English when absent. */
  language: ExportLanguageSchema.default('en'),
  /** Civil society's assessment report of these organisations; without them, the round's progress report. */
  organisationId: z.union([IdSchema, z.array(IdSchema).min(1).max(50)]).optional(),
});

/**
 * A round's progress report (the shape of a State's voluntary UPR mid-term report, with civil
 * society's assessments beside the government's) or civil society's assessment report, as DOCX
 * or PDF. Any member may download either: every member can already read all of it. Reports wait
 * their turn and have the same per-person and per-plan caps, time and memory limits as plan exports.
 */
export function progressReportRoutes(deps: AppDeps): Router {
  const { config, logger } = deps;
  const sql = sqlOf(deps);
  const router = Router();
  const reports = new ProgressReports(config, sql, logger.child({ module: 'progress-report' }));
  router.get(
    '/plans/:planId/rounds/:roundId/progress-report',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal, role } = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const roundId = idParam(req, 'roundId');
      const round = await getRound(sql, planId, roundId);
      const query = parse(ReportQuerySchema, req.query);
      const organisationIds = query.organisationId === undefined ? [] : [query.organisationId].flat();
      const civilSociety = await civilSocietyOrganisations(sql, organisationIds);
      const notCso = organisationIds.filter((id) => !civilSociety.has(id));
      if (notCso.length > 0) throw badRequest('An assessment report is made of civil-society organisations only.', { organisationId: { code: 'not_cso' } });
      const kind = organisationIds.length > 0 ? { kind: 'civil_society' as const, organisationIds } : { kind: 'government' as const };

      const report = await reports.render(principal.userId, { planId, roundId, kind, format: query.format, language: query.language, exportedAt: new Date().toISOString() });
      await recordAudit(sql, {
        planId,
        actor: principal,
        role,
        action: 'export.created',
        targetType: 'round',
        targetId: roundId,
        summary: `${principal.name} exported ${kind.kind === 'government' ? 'the progress report' : "civil society's assessment report"} of “${round.name}” as ${query.format}`,
        details: { format: query.format, language: query.language, report: kind.kind, roundId, roundName: round.name, organisationIds },
      });
      res.setHeader('Content-Type', FORMAT_INFO[query.format].contentType);
      res.setHeader('Content-Disposition', attachmentDisposition(`${shortTitle(report.planTitle)} - ${report.title}${kind.kind === 'civil_society' ? ` - ${shortTitle((await organisationNames(sql, kind.organisationIds)).join(', '), 80)}` : ''}.${query.format}`));
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      const stream = createReadStream(report.file);
      const cleanUp = () => rmSync(report.file, { force: true });
      stream.on('close', cleanUp);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    }),
  );
  return router;
}
