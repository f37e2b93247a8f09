import { Router } from 'express';
import { createReadStream } from 'node:fs';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { conflict, notFound } from '../errors.ts';
import type { ErrorCode } from '../../shared/api/index.ts';
import { ExportJobs, type JobRecord } from '../export/jobs.ts';
import { recordAudit } from '../services/audit.ts';
import { idParam } from './plans.ts';
import { listPlanVersionGroups } from '../services/versions.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { CreateExportSchema, ExportRetentionSchema, type ExportJob } from '../../shared/api/index.ts';
import { exportRetentionDays, setExportRetentionDays } from '../export/pastExports.ts';

const toJob = ({ id, format, scope, language, versionGroupId, state, done, total, error, errorCode, filename, createdAt }: JobRecord): ExportJob => ({
  id,
  format,
  scope,
  language,
  versionGroupId,
  state,
  done,
  total,
  error,
  errorCode,
  filename,
  createdAt,
});

/** The plan's whole-plan version with this group id, or 404. */
async function versionGroup(q: Sql, planId: string, groupId: string) {
  const group = (await listPlanVersionGroups(q, planId)).find((g) => g.groupId === groupId);
  if (!group) throw notFound('versionGroup');
  return group;
}

/**
 * `attachment` named exactly as the export page and the past exports list name the file (the
 * plan title's ASCII slug and the date, model.ts fileStem), so a download again saves under the
 * name people saw and can search for. ASCII only, so no RFC 5987 `filename*` is needed.
 */
function contentDisposition(job: JobRecord): string {
  const filename = job.filename ?? `export-${job.id}`;
  return `attachment; filename="${filename.replace(/["\\]/g, '')}"`;
}

/**
 * Exports of the agreed draft (DOCX, PDF, HTML, Markdown, the implementation matrix by recommendation
 * as CSV/XLSX and as linked tables as XLSX/ZIP: docs/exports/implementation-matrix.md).
 * Policy: any member may export and download, observers too: the plan is meant to be a public
 * document and every member can already read all of its content. Each export is audited
 * (`export.created`). Exports are visible to every member of the plan and downloadable again until
 * the plan's retention period (set by a coordinator, audited) has passed.
 */
export function exportRoutes(deps: AppDeps): Router {
  const { config, db, events, logger, sync, othersRunning, workOwner } = deps;
  const q = sqlOf(deps);
  const router = Router();
  const jobs = new ExportJobs({ config, db, sql: q, events, sync, logger: logger.child({ module: 'export' }), othersRunning, owner: workOwner });

  router.post(
    '/plans/:planId/exports',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal, role } = await requirePlanRole(q, req, planId, ANY_MEMBER);
      const { format, scope, language, versionGroupId } = parse(CreateExportSchema, req.body ?? {});
      const version = versionGroupId === undefined ? null : await versionGroup(q, planId, versionGroupId);
      const job = await jobs.start(planId, principal.userId, format, scope, version?.groupId ?? null, version?.name ?? null, language);
      await recordAudit(q, {
        planId,
        actor: principal,
        role,
        action: 'export.created',
        targetType: 'export',
        targetId: job.id,
        summary: `${principal.name} exported the plan as ${format} (${scope === 'agreed' ? 'agreed sections' : 'current state'}${
          version ? `, version “${version.name}”` : ''
        })`,
        details: version ? { format, scope, language, versionGroupId: version.groupId, versionName: version.name } : { format, scope, language },
      });
      res.status(202).json(toJob(job));
    }),
  );

  router.get(
    '/plans/:planId/exports',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(q, req, planId, ANY_MEMBER);
      res.json(await jobs.list(planId, await exportRetentionDays(q, planId)));
    }),
  );

  // How long exports are kept: a coordinator's choice, as it decides what stays downloadable.
  router.put(
    '/plans/:planId/export-retention',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal, role } = await requirePlanRole(q, req, planId, COORDINATORS);
      const { days } = parse(ExportRetentionSchema, req.body ?? {});
      // The change and its audit entry commit together.
      await q.transaction(async (tx) => {
        const before = await exportRetentionDays(tx, planId);
        if (days === before) return;
        await setExportRetentionDays(tx, planId, days);
        await recordAudit(tx, {
          planId,
          actor: principal,
          role,
          action: 'export.retention_changed',
          targetType: 'plan',
          targetId: planId,
          summary: `${principal.name} set exports to be kept for ${days} days (was ${before})`,
          details: { days, before },
        });
      });
      res.json(await jobs.list(planId, days));
    }),
  );

  const requireJob = async (planId: string, exportId: string) => {
    const job = await jobs.get(planId, exportId);
    if (!job) throw notFound('export');
    return job;
  };

  router.get(
    '/plans/:planId/exports/:exportId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(q, req, planId, ANY_MEMBER);
      res.json(toJob(await requireJob(planId, idParam(req, 'exportId'))));
    }),
  );

  router.get(
    '/plans/:planId/exports/:exportId/file',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(q, req, planId, ANY_MEMBER);
      const job = await requireJob(planId, idParam(req, 'exportId'));
      if (job.state === 'running') throw conflict('export_running', 'The export is still being made.');
      if (job.state === 'failed') throw conflict('export_failed', `The export failed: ${job.error ?? 'unknown error'}`);
      res.setHeader('Content-Type', job.contentType);
      res.setHeader('Content-Disposition', contentDisposition(job));
      res.setHeader('Cache-Control', 'private, no-store');
      const stream = createReadStream(job.file);
      stream.on('error', () => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.removeHeader('Content-Disposition');
        res.status(410).json({ error: { code: 'gone' satisfies ErrorCode, message: 'The export file is no longer available.' } });
      });
      stream.pipe(res);
    }),
  );

  return router;
}
