import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../http/context.ts';
import { ANY_MEMBER, handler, parse, requirePlanRole, sqlOf } from '../../http/context.ts';
import { HttpError } from '../../errors.ts';
import { idParam } from '../plans.ts';
import { addEvidenceFile, addEvidenceLink, evidenceFile, removeEvidence } from '../../services/monitoring/evidence.ts';
import { attachmentDisposition } from '../../fileNames.ts';
import { cleanFileName, evidenceType } from '../../services/monitoring/evidenceFiles.ts';
import { requireWritableDraft } from '../../services/monitoring/reports.ts';
import { AddEvidenceLinkSchema } from '../../../shared/api/index.ts';

const UploadQuerySchema = z.object({ name: z.string().trim().min(1, 'Name the file (?name=…)').max(255) });

const MB = 1024 * 1024;
const megabytes = (bytes: number) => (bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`);

/**
 * Evidence for draft progress reports: files (sent as application/octet-stream with ?name=) and
 * links, added and removed by whoever may change the draft; files served to any member of the
 * plan as downloads that a browser never runs or renders in Accord's origin.
 */
export function evidenceRoutes(appDeps: AppDeps): Router {
  const { events, config } = appDeps;
  const sql = sqlOf(appDeps);
  const router = Router();
  const announce = (planId: string, roundId: string) => events.emit('plan', planId, { type: 'progress', roundId });
  const deps = { sql, dataDir: config.dataDir };

  /** Raw bytes on the upload route only, and "too large" in words a person can act on. */
  const rawUpload = (req: Request, res: Response, next: NextFunction) =>
    express.raw({ type: 'application/octet-stream', limit: config.evidenceMaxBytes })(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
        return next(new HttpError(413, 'file_too_large', `The file is larger than ${megabytes(config.evidenceMaxBytes)}, the most Accord keeps as evidence.`));
      }
      next(err);
    });

  router.post(
    '/plans/:planId/reports/:reportId/evidence',
    // Who may change the draft is settled before the server reads up to the limit of bytes.
    (req, _res, next) => {
      const check = async () => {
        const planId = idParam(req, 'planId');
        await requireWritableDraft(sql, planId, idParam(req, 'reportId'), await requirePlanRole(sql, req, planId, ANY_MEMBER));
      };
      check().then(() => next(), next);
    },
    rawUpload,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const reportId = idParam(req, 'reportId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const name = cleanFileName(parse(UploadQuerySchema, req.query).name);
      const body: unknown = req.body;
      if (!Buffer.isBuffer(body)) {
        throw new HttpError(415, 'unsupported_media_type', 'Send the file itself as the request body, with Content-Type: application/octet-stream.');
      }
      if (body.length === 0) throw new HttpError(400, 'invalid_request', 'The file is empty.');
      const bytes = new Uint8Array(body);
      const mimeType = await evidenceType(name, bytes);
      // Checked again after the await: the draft may have been submitted or deleted meanwhile.
      const who = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const { evidence, roundId } = await addEvidenceFile(deps, planId, reportId, who, { name, mimeType, bytes });
      announce(planId, roundId);
      res.status(201).json(evidence);
    }),
  );

  router.post(
    '/plans/:planId/reports/:reportId/evidence-links',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const { evidence, roundId } = await addEvidenceLink(sql, planId, idParam(req, 'reportId'), who, parse(AddEvidenceLinkSchema, req.body));
      announce(planId, roundId);
      res.status(201).json(evidence);
    }),
  );

  router.delete(
    '/plans/:planId/evidence/:evidenceId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const { roundId } = await removeEvidence(deps, planId, idParam(req, 'evidenceId'), who);
      announce(planId, roundId);
      res.status(204).end();
    }),
  );

  router.get(
    '/plans/:planId/evidence/:evidenceId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const file = await evidenceFile(config.dataDir, sql, planId, idParam(req, 'evidenceId'));
      const type = file.mimeType.startsWith('text/') ? `${file.mimeType}; charset=utf-8` : file.mimeType;
      res.setHeader('Content-Type', type);
      res.setHeader('Content-Disposition', attachmentDisposition(file.name));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
      res.setHeader('Cache-Control', 'private, no-store');
      await new Promise<void>((resolve, reject) => {
        res.sendFile(file.path, { headers: { 'Content-Type': type }, dotfiles: 'deny' }, (err) => {
          if (!err) return resolve();
          if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !res.headersSent) {
            res.removeHeader('Content-Disposition');
            return reject(new HttpError(404, 'not_found', 'The evidence file is missing from storage.', undefined, { what: 'evidenceFile' }));
          }
          reject(err);
        });
      });
    }),
  );

  return router;
}
