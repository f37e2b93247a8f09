/**
 * The implementation matrix: one row per action × linked recommendation (an action without
 * recommendations gets one row with the recommendation columns empty), as CSV and XLSX.
 * CSV: UTF-8 BOM, CRLF, formula cells prefixed with "'" (server/import/accordFormat.ts rules).
 * XLSX: every cell is a string (never a formula), header row bold and frozen.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { escapeFormula } from '../../import/accordFormat.ts';
import { type PlanModel, positionLabel, statusLabel } from '../model.ts';
import { xmlSafe } from './common.ts';
import { actionsAsOf } from '../versionActions.ts';

export const MATRIX_COLUMNS = [
  'Chapter',
  'Section',
  'Section status',
  'Action',
  'Lead agency',
  'Co-implementers',
  'CSO partners',
  'Start',
  'End',
  'Status',
  'Budget',
  'Currency',
  'Funding source',
  'Recommendation reference',
  'Recommendation position',
  'Recommendation text',
  'Indicators',
  // Last, so columns people already map keep their places: a saved version's matrix says whose actions these are.
  'Actions as of',
] as const;

export function matrixRows(model: PlanModel): string[][] {
  const rows: string[][] = [];
  for (const c of model.chapters) {
    for (const s of c.sections) {
      for (const a of s.actions) {
        const indicators = a.indicators.map((i) => `${i.type}: ${i.description}; baseline ${i.baseline ?? '—'}; target ${i.target ?? '—'}`).join('\n');
        const base = [
          c.title,
          s.title,
          statusLabel(s.status),
          a.title,
          a.leadAgency ?? '',
          a.coImplementers.join('; '),
          a.csoPartners.join('; '),
          a.start ?? '',
          a.end ?? '',
          a.status,
          a.budgetAmount === null ? '' : String(a.budgetAmount),
          a.currency ?? '',
          a.fundingSource ?? '',
        ];
        const recs = a.recommendations.length > 0 ? a.recommendations : [null];
        const asOf = actionsAsOf(model, s);
        for (const r of recs) rows.push([...base, r?.reference ?? '', r ? positionLabel(r.position) : '', r?.text ?? '', indicators, asOf]);
      }
    }
  }
  return rows;
}

export function renderMatrixCsv(model: PlanModel): string {
  const data = matrixRows(model).map((row) => row.map((v) => escapeFormula(v.replace(/\0/g, ''))));
  return '\uFEFF' + Papa.unparse({ fields: [...MATRIX_COLUMNS], data }, { newline: '\r\n', quotes: false }) + '\r\n';
}

export async function renderMatrixXlsx(model: PlanModel): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Accord';
  wb.created = new Date(model.exportedAt);
  const ws = wb.addWorksheet('Implementation matrix', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = MATRIX_COLUMNS.map((header) => ({
    header,
    width: header === 'Recommendation text' || header === 'Indicators' ? 60 : header === 'Action' ? 40 : 18,
  }));
  ws.getRow(1).font = { bold: true };
  for (const row of matrixRows(model)) {
    // Strings only: exceljs writes a JS string as a shared string, never as a formula, even when it
    // starts with "=". Rich values ({formula}) are never built from user text.
    const added = ws.addRow(row.map((v) => xmlSafe(v)));
    added.alignment = { wrapText: true, vertical: 'top' };
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: MATRIX_COLUMNS.length } };
  const buf = await wb.xlsx.writeBuffer();
  return Buffer.from(buf as ArrayBuffer);
}
