import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, DRAFTERS, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { HttpError } from '../errors.ts';
import { recordAudit } from '../services/audit.ts';
import { idParam } from './plans.ts';
import { draftersUpload, uploadedBytes } from './recommendations.ts';
import { announceActions } from './actions.ts';
import { MatrixFileError, readMatrixFile } from '../import/matrixWorkbook.ts';
import { blankMatrixTablesXlsx } from '../export/render/matrixTables.ts';
import { commitMatrixImport, listMatrixImports, previewMatrixImport, undoMatrixImport } from '../services/matrixImport.ts';
import { MatrixImportPreviewQuerySchema, MatrixTemplateQuerySchema } from '../../shared/api/index.ts';

/**
 * Re-importing the implementation matrix (services/matrixImport.ts). Whoever may edit actions
 * (coordinators and drafters) previews, commits and undoes, since an import and its undo are edits
 * of actions; every member may download the blank template and see the imports made.
 */
export function matrixImportRoutes(deps: AppDeps): Router {
  const sql = sqlOf(deps);
  const router = Router();
  const announce = async (planId: string, sections: Array<{ sectionId: string; linksChanged: boolean }>, editorId: string) => {
    for (const s of sections) await announceActions({ ...deps, sql }, planId, s.sectionId, s.linksChanged, editorId);
  };

  router.get(
    '/plans/:planId/matrix-imports/template',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      const { language } = parse(MatrixTemplateQuerySchema, req.query);
      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', 'attachment; filename="implementation-matrix-template.xlsx"');
      res.send(await blankMatrixTablesXlsx(language));
    }),
  );

  router.post(
    '/plans/:planId/matrix-imports/preview',
    ...draftersUpload(sql),
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const { principal } = await requirePlanRole(sql, req, planId, DRAFTERS);
      const { filename } = parse(MatrixImportPreviewQuerySchema, req.query);
      const body = uploadedBytes(req);
      let file;
      try {
        file = await readMatrixFile(new Uint8Array(body));
      } catch (err) {
        if (err instanceof MatrixFileError) throw new HttpError(400, 'matrix_file_invalid', err.message, undefined, { problem: err.code, ...err.params });
        throw err;
      }
      res.json(await previewMatrixImport(sql, planId, principal.userId, file, filename, deps.previews?.matrix));
    }),
  );

  router.post(
    '/plans/:planId/matrix-imports/:previewId/commit',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const previewId = parse(z.string().min(1).max(100), req.params.previewId);
      const { record, sections } = await commitMatrixImport(sql, planId, who, previewId, deps.previews?.matrix);
      await recordAudit(sql, { planId, actor: who.principal, role: who.role, action: 'matrix_import.committed', targetType: 'import', targetId: record.id,
        summary: `${who.principal.name} imported actions from the matrix ${record.filename}: ${record.created} created, ${record.updated} updated`,
        details: { filename: record.filename, created: record.created, updated: record.updated } });
      await announce(planId, sections, who.principal.userId);
      res.status(201).json(record);
    }),
  );

  router.get(
    '/plans/:planId/matrix-imports',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await listMatrixImports(sql, planId));
    }),
  );

  router.post(
    '/plans/:planId/matrix-imports/:importId/undo',
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const who = await requirePlanRole(sql, req, planId, DRAFTERS);
      const { record, sections } = await undoMatrixImport(sql, planId, idParam(req, 'importId'), who);
      const kept = record.kept > 0 ? `; ${record.kept} actions and indicators it created were kept, since people built on them after the import` : '';
      const keptEdits = record.keptEdits > 0 ? `; ${record.keptEdits} actions and indicators kept values edited by hand since the import` : '';
      await recordAudit(sql, { planId, actor: who.principal, role: who.role, action: 'matrix_import.undone', targetType: 'import', targetId: record.id,
        summary: `${who.principal.name} undid the import of the matrix ${record.filename}${kept}${keptEdits}`,
        details: { filename: record.filename, kept: record.kept, keptByReason: record.keptByReason, keptItems: record.keptItems,
          keptEdits: record.keptEdits, keptEditItems: record.keptEditItems } });
      await announce(planId, sections, who.principal.userId);
      res.json(record);
    }),
  );

  return router;
}
