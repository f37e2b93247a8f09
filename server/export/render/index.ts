/** Format → renderer, content type and file extension. */
import type { ExportFormat } from '../../../shared/api/agreement.ts';
import type { PlanModel } from '../model.ts';
import { renderDocx, writeDocx } from './docx.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { renderMatrixCsv, renderMatrixXlsx } from './matrix.ts';
import { renderMatrixTablesXlsx, renderMatrixTablesZip } from './matrixTables.ts';
import { renderPdf, writePdf } from './pdf.ts';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

export const FORMAT_INFO: Record<ExportFormat, { ext: string; contentType: string; suffix: string }> = {
  docx: { ext: 'docx', suffix: '', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  pdf: { ext: 'pdf', suffix: '', contentType: 'application/pdf' },
  html: { ext: 'html', suffix: '', contentType: 'text/html; charset=utf-8' },
  md: { ext: 'md', suffix: '', contentType: 'text/markdown; charset=utf-8' },
  'matrix-csv': { ext: 'csv', suffix: '-matrix', contentType: 'text/csv; charset=utf-8' },
  'matrix-xlsx': { ext: 'xlsx', suffix: '-matrix', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  'matrix-tables-xlsx': { ext: 'xlsx', suffix: '-matrix-tables', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  'matrix-tables-zip': { ext: 'zip', suffix: '-matrix-tables', contentType: 'application/zip' },
};

/** The formats made from every recommendation of the plan, not only the addressed ones (matrixRecommendations.ts). */
export const MATRIX_FORMATS: ReadonlySet<ExportFormat> = new Set<ExportFormat>(['matrix-csv', 'matrix-xlsx', 'matrix-tables-xlsx', 'matrix-tables-zip']);

export async function render(format: ExportFormat, model: PlanModel, onProgress?: (done: number, total: number) => void): Promise<Buffer> {
  switch (format) {
    case 'docx':
      return renderDocx(model, onProgress);
    case 'pdf':
      return renderPdf(model, onProgress);
    case 'html':
      return Buffer.from(renderHtml(model), 'utf8');
    case 'md':
      return Buffer.from(renderMarkdown(model), 'utf8');
    case 'matrix-csv':
      return Buffer.from(renderMatrixCsv(model), 'utf8');
    case 'matrix-xlsx':
      return renderMatrixXlsx(model);
    case 'matrix-tables-xlsx':
      return renderMatrixTablesXlsx(model);
    case 'matrix-tables-zip':
      return renderMatrixTablesZip(model);
  }
}

/**
 * Writes the export into `out` and resolves once `out` has finished. The PDF is drawn straight into
 * it, page by page; a large DOCX section by section (docx.ts); the other formats are built whole in
 * the export worker (a small DOCX too, whose page numbers need the whole document; the text formats are strings a tenth the size of the PDF;
 * the matrix's ZIP is four such CSVs, compressed in memory) and then written. `scratchFile` is
 * where a large DOCX may keep part of its body while it is written.
 */
export async function writeExport(
  format: ExportFormat,
  model: PlanModel,
  out: Writable,
  onProgress?: (done: number, total: number) => void,
  scratchFile?: string,
): Promise<void> {
  if (format === 'pdf') return writePdf(model, out, onProgress);
  if (format === 'docx') return writeDocx(model, out, onProgress, scratchFile);
  const bytes = await render(format, model, onProgress);
  const done = finished(out);
  if (!out.write(bytes)) await once(out, 'drain');
  out.end();
  await done;
}
