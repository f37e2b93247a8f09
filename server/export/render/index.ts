/** Format → renderer, content type and file extension. */
import type { ExportFormat } from '../../../shared/api/agreement.ts';
import type { PlanModel } from '../model.ts';
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

/**
 * The file of an export, made whole. Each renderer is loaded when its format is asked for: an
 * export worker makes one format, and the libraries of the others (docx, pdfkit, exceljs) would
 * cost every export their memory (measured 2026-12-04, docs/benchmarks.md).
 */
export async function render(format: ExportFormat, model: PlanModel, onProgress?: (done: number, total: number) => void): Promise<Buffer> {
  switch (format) {
    case 'docx':
      return (await import('./docx.ts')).renderDocx(model, onProgress);
    case 'pdf':
      return (await import('./pdf.ts')).renderPdf(model, onProgress);
    case 'html':
      return Buffer.from((await import('./html.ts')).renderHtml(model), 'utf8');
    case 'md':
      return Buffer.from((await import('./markdown.ts')).renderMarkdown(model), 'utf8');
    case 'matrix-csv':
      return Buffer.from((await import('./matrix.ts')).renderMatrixCsv(model), 'utf8');
    case 'matrix-xlsx':
      return (await import('./matrix.ts')).renderMatrixXlsx(model);
    case 'matrix-tables-xlsx':
      return (await import('./matrixTables.ts')).renderMatrixTablesXlsx(model);
    case 'matrix-tables-zip':
      return (await import('./matrixTables.ts')).renderMatrixTablesZip(model);
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
  if (format === 'pdf') return (await import('./pdf.ts')).writePdf(model, out, onProgress);
  if (format === 'docx') return (await import('./docx.ts')).writeDocx(model, out, onProgress, scratchFile);
  const bytes = await render(format, model, onProgress);
  const done = finished(out);
  if (!out.write(bytes)) await once(out, 'drain');
  out.end();
  await done;
}
