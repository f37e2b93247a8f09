/**
 * The implementation matrix: one row per action × linked recommendation (an action without
 * recommendations gets one row with the recommendation columns empty), as CSV and XLSX.
 * CSV: UTF-8 BOM, CRLF, formula cells prefixed with "'" (server/import/accordFormat.ts rules).
 * XLSX: every cell is a string (never a formula), header row bold and frozen.
 *
 * After adoption (issue #15) it also says where implementation stands: each action's reported
 * status in the plan's latest reporting round (a column named after the round), and in each
 * indicator's line, next to its baseline and target, its latest observed value and when it was
 * observed. Before any round the column is there and empty (and the values "—"), so the layout is
 * the same before and after reporting starts; the existing columns keep their order.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { escapeFormula } from '../../import/accordFormat.ts';
import { type ModelAction, type ModelIndicator, type PlanModel, positionLabel, statusLabel, wordsOf } from '../model.ts';
import { xmlSafe } from './common.ts';
import { actionsAsOf } from '../versionActions.ts';
import { exportWords, type ExportWords } from '../i18n/index.ts';

/** The columns in order, by their catalogue keys (matrix.columns). */
export const MATRIX_COLUMNS = [
  'chapter',
  'section',
  'sectionStatus',
  'action',
  'leadAgency',
  'coImplementers',
  'csoPartners',
  'start',
  'end',
  'status',
  'budget',
  'currency',
  'fundingSource',
  'recommendationReference',
  'recommendationPosition',
  'recommendationText',
  'indicators',
  // The status column (its header names the round: matrixHeader) goes here, before the last one.
  // Last, so columns people already map keep their places: a saved version's matrix says whose actions these are.
  'actionsAsOf',
] as const;

/** The status column's header: it names the round whose reports it shows. */
export const statusHeader = (model: Pick<PlanModel, 'latestRound'>, words: ExportWords = exportWords()) =>
  model.latestRound ? words.t(words.w.matrix.statusInRound, { round: model.latestRound.name }) : words.w.matrix.statusInLatestRound;

/** The header row: the fixed columns, with the status in the latest round before "Actions as of". */
export function matrixHeader(model: Pick<PlanModel, 'latestRound'>, words: ExportWords = exportWords()): string[] {
  const names = MATRIX_COLUMNS.map((c) => words.w.matrix.columns[c]);
  return [...names.slice(0, -1), statusHeader(model, words), ...names.slice(-1)];
}

/** Empty before any round; "Not reported" when the round has no report in force for the action. */
const reportedStatusText = (model: PlanModel, a: ModelAction, words: ExportWords) =>
  !model.latestRound ? '' : a.reportedStatus ? words.w.progressStatus[a.reportedStatus] : words.w.matrix.notReported;

/** One indicator's line: baseline and target as before, then its latest observed value and when. */
const indicatorText = (i: ModelIndicator, words: ExportWords) =>
  words.t(words.w.matrix.indicator, {
    type: words.label(words.w.indicatorType, i.type),
    description: i.description,
    baseline: i.baseline ?? '—',
    target: i.target ?? '—',
    value: i.latest ? words.number(i.latest.value) : '—',
    observed: i.latest ? words.t(words.w.matrix.observedOn, { date: i.latest.date, round: i.latest.roundName }) : '—',
  });

export function matrixRows(model: PlanModel): string[][] {
  const words = wordsOf(model);
  const rows: string[][] = [];
  for (const c of model.chapters) {
    for (const s of c.sections) {
      for (const a of s.actions) {
        const indicators = a.indicators.map((i) => indicatorText(i, words)).join('\n');
        // Amounts, currencies and dates stay as stored: a spreadsheet computes with them.
        const base = [
          c.title,
          s.title,
          statusLabel(s.status, words),
          a.title,
          a.leadAgency ?? '',
          a.coImplementers.join('; '),
          a.csoPartners.join('; '),
          a.start ?? '',
          a.end ?? '',
          words.label(words.w.actionStatus, a.status),
          a.budgetAmount === null ? '' : String(a.budgetAmount),
          a.currency ?? '',
          a.fundingSource ?? '',
        ];
        const recs = a.recommendations.length > 0 ? a.recommendations : [null];
        const asOf = actionsAsOf(model, s, words);
        const status = reportedStatusText(model, a, words);
        for (const r of recs) rows.push([...base, r?.reference ?? '', r ? positionLabel(r.position, words) : '', r?.text ?? '', indicators, status, asOf]);
      }
    }
  }
  return rows;
}

export function renderMatrixCsv(model: PlanModel): string {
  const safe = (v: string) => escapeFormula(v.replace(/\0/g, ''));
  const data = matrixRows(model).map((row) => row.map(safe));
  // The header carries a round's name, which people type: it is escaped like any cell.
  return '\uFEFF' + Papa.unparse({ fields: matrixHeader(model, wordsOf(model)).map(safe), data }, { newline: '\r\n', quotes: false }) + '\r\n';
}

export async function renderMatrixXlsx(model: PlanModel): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Accord';
  wb.created = new Date(model.exportedAt);
  const words = wordsOf(model);
  const columns = words.w.matrix.columns;
  const ws = wb.addWorksheet(words.w.matrix.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = matrixHeader(model, words);
  ws.columns = header.map((h) => ({
    header: xmlSafe(h),
    width: h === columns.recommendationText || h === columns.indicators ? 60 : h === columns.action ? 40 : 18,
  }));
  ws.getRow(1).font = { bold: true };
  for (const row of matrixRows(model)) {
    // Strings only: exceljs writes a JS string as a shared string, never as a formula, even when it
    // starts with "=". Rich values ({formula}) are never built from user text.
    const added = ws.addRow(row.map((v) => xmlSafe(v)));
    added.alignment = { wrapText: true, vertical: 'top' };
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
  const buf = await wb.xlsx.writeBuffer();
  return Buffer.from(buf as ArrayBuffer);
}
