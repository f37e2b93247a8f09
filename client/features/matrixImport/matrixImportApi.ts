import { z } from 'zod';
import { request, upload } from '../../api/http.ts';
import { MatrixImportPreviewSchema, MatrixImportRecordSchema, MatrixUndoResultSchema, type ExportLanguage } from '../../../shared/api/index.ts';

const enc = encodeURIComponent;

/** The implementation matrix's re-import (server/routes/matrixImports.ts). */
export const matrixImportApi = {
  templateUrl: (planId: string, language: ExportLanguage) => `/api/plans/${enc(planId)}/matrix-imports/template?language=${language}`,
  preview: (planId: string, file: File) =>
    upload(`/plans/${enc(planId)}/matrix-imports/preview?filename=${enc(file.name)}`, file, MatrixImportPreviewSchema),
  commit: (planId: string, previewId: string) => request('POST', `/plans/${enc(planId)}/matrix-imports/${enc(previewId)}/commit`, MatrixImportRecordSchema, {}),
  list: (planId: string) => request('GET', `/plans/${enc(planId)}/matrix-imports`, z.array(MatrixImportRecordSchema)),
  undo: (planId: string, importId: string) => request('POST', `/plans/${enc(planId)}/matrix-imports/${enc(importId)}/undo`, MatrixUndoResultSchema, {}),
};
