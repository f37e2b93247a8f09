import type { Sql } from '../db/sql/Sql.ts';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, COORDINATORS, DRAFTERS, handler, parse, parsePatch, requirePlanRole, sqlOf } from '../http/context.ts';
import { HttpError } from '../errors.ts';
import { idParam } from './plans.ts';
import { ImportFileError, MAX_IMPORT_BYTES, toAccordCsv, toAccordJson } from '../import/index.ts';
import { commitImport, listImports, undoImport } from '../services/imports.ts';
import { previewImportInWorker } from '../services/importPreviewRunner.ts';
import { workerDatabaseOf } from '../db/sql/workerDatabase.ts';
import { recordAudit } from '../services/audit.ts';
import { planSummary } from '../services/plans.ts';
import {
  allRecommendations,
  createRecommendation,
  deleteRecommendation,
  getRecommendation,
  storedFields,
  updateRecommendation,
} from '../services/recommendations.ts';
import { queryRecommendations } from '../services/recommendationBrowse.ts';
import {
  CommitImportSchema,
  CreateRecommendationSchema,
  ImportPreviewQuerySchema,
  RecommendationQuerySchema,
  UpdateRecommendationSchema,
} from '../../shared/api/index.ts';

const ExportQuerySchema = z.object({ format: z.enum(['accord-csv', 'accord-json']).default('accord-csv') });

const MB = 1024 * 1024;

/**
 * Reads the upload as raw bytes on this route only (everywhere else bodies are JSON), and turns
 * "too large" into a message the person can act on.
 */
const rawUpload = (req: Request, res: Response, next: NextFunction) =>
  express.raw({ type: 'application/octet-stream', limit: MAX_IMPORT_BYTES })(req, res, (err?: unknown) => {
    if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
      return next(
        new HttpError(413, 'file_too_large', `The file is larger than ${MAX_IMPORT_BYTES / MB} MB, the most Accord imports at once. Split it, or export fewer rows.`),
      );
    }
    next(err);
  });

/**
 * An upload route's guards: the plan role first (nobody outside the plan gets to make the server
 * read a large body), then the raw body.
 */
export const draftersUpload = (sql: Sql) => [
  (req: Request, _res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => requirePlanRole(sql, req, idParam(req, 'planId'), DRAFTERS))
      .then(() => next(), next);
  },
  rawUpload,
];

/** The uploaded file's bytes; an empty upload is an empty file (its parser says so), anything but raw bytes a 415. */
export function uploadedBytes(req: Request): Buffer {
  const body: unknown = req.body ?? (req.is('application/octet-stream') ? Buffer.alloc(0) : undefined);
  if (!Buffer.isBuffer(body)) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the file itself as the request body, with Content-Type: application/octet-stream.');
  }
  return body;
}

/**
 * Recommendations and their imports. Reading: any member. Importing, entering and editing:
 * coordinators and drafters. Deleting a recommendation and undoing an import: coordinators.
 */
/** Rows of a preview sent to the browser; enough for a UN report (a few hundred recommendations). */
const PREVIEW_ROWS_SHOWN = 1000;
/** Progress events of one import at most this often (a 40,000-row commit takes ~2,000 chunks), and always the last. */
const PROGRESS_EVERY_MS = 100;

/** Wraps a progress callback so it passes the first call, then one per PROGRESS_EVERY_MS, and the last (done = total). */
function throttledProgress(emit: (done: number, total: number) => void): (done: number, total: number) => void {
  let last = -Infinity;
  return (done, total) => {
    const now = performance.now();
    if (done < total && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    emit(done, total);
  };
}

export function recommendationRoutes(deps: AppDeps): Router {
  const { config, events, previews, workOwner } = deps;
  const sql = sqlOf(deps);
  const router = Router();
  const announce = (planId: string, sectionIds: string[] = []) => {
    events.emit('plan', planId, { type: 'recommendations' });
    for (const sectionId of sectionIds) events.emit('plan', planId, { type: 'actions', sectionId });
  };

  // ---- Imports ----

  router.post(
    '/plans/:planId/imports/preview',
    // Membership first: nobody outside the plan gets to make the server read 20 MB.
    ...draftersUpload(sql),
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal } = await requirePlanRole(sql, req, planId, DRAFTERS);
      const { filename, format, encoding, documentSymbol, progressId } = parse(ImportPreviewQuerySchema, req.query);
      const body = uploadedBytes(req);
      let preview;
      try {
        // Read and checked in a worker thread: nobody else's request waits for a large file.
        preview = await previewImportInWorker({
          database: workerDatabaseOf(sql, config.databaseFile),
          planId,
          userId: principal.userId,
          filename,
          store: previews?.recommendations,
          bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
          format,
          encoding,
          // A plan is one State's: a report that does not name the State reviewed is read as the plan's.
          defaults: { stateUnderReview: (await planSummary(sql, planId, principal.userId))?.country, ...(documentSymbol ? { documentSymbol } : {}) },
          // The browser names its upload, so the person sees the reading of their own file.
          ...(progressId
            ? { onProgress: throttledProgress((done, total) => events.emit('plan', planId, { type: 'import-progress', phase: 'reading', previewId: progressId, done, total })) }
            : {}),
        });
      } catch (err) {
        if (err instanceof ImportFileError) {
          // `problem` and its values let the reader's browser say what is wrong in their language.
          throw new HttpError(400, 'import_file_invalid', err.message, undefined, { problem: err.code, ...err.params });
        }
        throw err;
      }
      // The whole preview stays on the server for the commit; the person sees the counts, every
      // rejected row and the first rows (a 40,000-row file would otherwise be a 20 MB answer).
      res.json({ ...preview, rows: preview.rows.slice(0, PREVIEW_ROWS_SHOWN) });
    }),
  );

  router.post(
    '/plans/:planId/imports/:previewId/commit',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal, role } = await requirePlanRole(sql, req, planId, DRAFTERS);
      const previewId = parse(z.string().min(1).max(100), req.params.previewId);
      const { positionOverrides, sameAsPlan } = parse(CommitImportSchema, req.body ?? {});
      const record = await commitImport(sql, planId, principal.userId, previewId, {
        positionOverrides,
        sameAsPlan,
        store: previews?.recommendations,
        onProgress: throttledProgress((done, total) => events.emit('plan', planId, { type: 'import-progress', phase: 'writing', previewId, done, total })),
        owner: workOwner,
      });
      await recordAudit(sql, { planId, actor: principal, role, action: 'import.committed', targetType: 'import', targetId: record.id,
        summary:
          `${principal.name} imported ${record.filename}: ${record.created} created, ${record.updated} updated` +
          (record.recognised > 0 ? `; ${record.recognised} recognised as already in the plan, ${record.filled} of them filled in` : ''),
        details: { filename: record.filename, format: record.format, created: record.created, updated: record.updated,
          recognised: record.recognised, filled: record.filled, sameAsPlan } });
      announce(planId);
      res.status(201).json(record);
    }),
  );

  router.get(
    '/plans/:planId/imports',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await listImports(sql, planId));
    }),
  );

  router.post(
    '/plans/:planId/imports/:importId/undo',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const importId = idParam(req, 'importId');
      const result = await undoImport(sql, planId, importId, {
        owner: workOwner,
        onProgress: throttledProgress((done, total) => events.emit('plan', planId, { type: 'import-progress', phase: 'undoing', previewId: importId, done, total })),
      });
      const kept = result.kept > 0 ? `; ${result.kept} recommendations it created were kept, still in use` : '';
      const released = result.released > 0 ? `; ${result.released} it held were removed` : '';
      const filled = result.filled > 0 ? `; ${result.filled} recommendations it filled in got their earlier values back` : '';
      const keptEdits = result.keptEdits > 0 ? `; ${result.keptEdits} recommendations kept values edited by hand since the import` : '';
      await recordAudit(sql, { planId, actor: who.principal, role: who.role, action: 'import.undone', targetType: 'import', targetId: result.id,
        summary: `${who.principal.name} undid the import of ${result.filename}${filled}${keptEdits}${kept}${released}`,
        details: { filename: result.filename, kept: result.kept, keptByReason: result.keptByReason, heldBy: result.heldBy, released: result.released,
          recognised: result.recognised, filled: result.filled, keptEdits: result.keptEdits,
          keptEditReferences: result.keptEditRecommendations.map((r) => r.reference) } });
      // Nothing linked to an action is deleted (it is kept), so no section's actions change.
      announce(planId);
      res.json(result);
    }),
  );

  // ---- Recommendations ----

  router.get(
    '/plans/:planId/recommendations',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const raw = { ...(req.query as Record<string, unknown>) };
      // A search without an explicit sort is ordered by relevance: what a search box promises. So
      // is a list asked for one section (a picker opening on what that section is about).
      const searching = typeof raw.q === 'string' && raw.q.trim() !== '';
      if ((searching || typeof raw.section === 'string') && raw.sort === undefined) raw.sort = 'relevance';
      res.json(await queryRecommendations(sql, planId, parse(RecommendationQuerySchema, raw)));
    }),
  );

  router.get(
    '/plans/:planId/recommendations/export',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const { format } = parse(ExportQuerySchema, req.query);
      // Only the input fields: the file is meant to be edited and imported again.
      const recommendations = (await allRecommendations(sql, planId)).map(storedFields);
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === 'accord-json') {
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="recommendations-${stamp}.json"`);
        res.send(toAccordJson(recommendations));
      } else {
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="recommendations-${stamp}.csv"`);
        res.send(toAccordCsv(recommendations));
      }
    }),
  );

  router.post(
    '/plans/:planId/recommendations',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const created = await createRecommendation(sql, planId, parse(CreateRecommendationSchema, req.body), who);
      announce(planId);
      res.status(201).json(created);
    }),
  );

  router.get(
    '/plans/:planId/recommendations/:recId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await getRecommendation(sql, planId, idParam(req, 'recId')));
    }),
  );

  router.patch(
    '/plans/:planId/recommendations/:recId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const recId = idParam(req, 'recId');
      await updateRecommendation(sql, planId, recId, parsePatch(UpdateRecommendationSchema, req.body), who);
      announce(planId);
      res.json(await getRecommendation(sql, planId, recId));
    }),
  );

  router.delete(
    '/plans/:planId/recommendations/:recId',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, COORDINATORS);
      const sectionIds = await deleteRecommendation(sql, planId, idParam(req, 'recId'), who);
      announce(planId, sectionIds);
      res.status(204).end();
    }),
  );

  return router;
}
