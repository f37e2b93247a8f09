/**
 * Reads the implementation matrix's linked tables back (matrix-tables-xlsx, matrix-tables-zip): the
 * Actions, Indicators and Links tables as rows of text cells keyed by column, whichever of Accord's
 * three languages the file was exported in (sheet names and headers are looked up in every export
 * catalogue). The Recommendations sheet is not read: recommendations come in through their own
 * import, and here they are only what links point at.
 *
 * Cells become the text a person sees: a number cell "12" (a spreadsheet turns "125000" typed into a
 * text column into a number), a date cell its YYYY-MM-DD, a CSV cell with the formula apostrophe
 * Accord writes is read without it, as the recommendation import reads it (unescapeFormula).
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { CATALOGUES } from '../export/i18n/index.ts';
import type { MatrixFileProblem, MatrixSheet } from '../../shared/api/matrixImport.ts';
import { unescapeFormula } from './accordFormat.ts';
import { parseCsv } from './csv.ts';

type ColumnKey = keyof (typeof CATALOGUES)['en']['matrix']['columns'];

/** The columns each table's import reads; the others (numbers, dates worked out, latest values) are the export's own. */
export const SHEET_COLUMNS = {
  actions: ['actionId', 'section', 'action', 'description', 'leadAgency', 'coImplementers', 'csoPartners', 'start', 'end', 'status', 'budget', 'currency', 'fundingSource'],
  indicators: ['indicatorId', 'actionId', 'indicatorType', 'indicator', 'unit', 'baseline', 'baselineYear', 'target', 'targetYear', 'dataSource', 'frequency', 'disaggregation'],
  links: ['actionId', 'recommendationId', 'reference'],
} as const satisfies Record<MatrixSheet, readonly ColumnKey[]>;

/** Without these a table cannot be matched to the plan. */
const REQUIRED: Record<MatrixSheet, readonly ColumnKey[]> = {
  actions: ['actionId', 'section', 'action'],
  indicators: ['indicatorId', 'actionId', 'indicatorType', 'indicator'],
  links: ['actionId', 'recommendationId'],
};

export type SheetColumn<S extends MatrixSheet> = (typeof SHEET_COLUMNS)[S][number];

export interface MatrixRow<S extends MatrixSheet> {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  /** Trimmed text of each column the file has; a column the file lacks is absent (its value is left as it is). */
  cells: Partial<Record<SheetColumn<S>, string>>;
}

export interface MatrixTable<S extends MatrixSheet> {
  /** The header each column has in the file, for naming it in errors. */
  headers: Partial<Record<SheetColumn<S>, string>>;
  rows: Array<MatrixRow<S>>;
}

export interface MatrixFile {
  format: 'xlsx' | 'zip';
  actions: MatrixTable<'actions'>;
  /** Absent when the file has no such table: then nothing of that kind changes. */
  indicators: MatrixTable<'indicators'> | null;
  links: MatrixTable<'links'> | null;
}

export class MatrixFileError extends Error {
  override readonly name = 'MatrixFileError';
  constructor(
    readonly code: MatrixFileProblem,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** Sheet name (any language) → which table it is. */
const SHEET_NAMES = new Map<string, MatrixSheet>(
  Object.values(CATALOGUES).flatMap((c) => (['actions', 'indicators', 'links'] as const).map((s) => [norm(c.matrix.sheets[s].slice(0, 31)), s] as const)),
);

/** The header (any language) → its column, per table. */
function headerColumns<S extends MatrixSheet>(sheet: S): Map<string, SheetColumn<S>> {
  const out = new Map<string, SheetColumn<S>>();
  for (const c of Object.values(CATALOGUES)) for (const key of SHEET_COLUMNS[sheet]) out.set(norm(c.matrix.columns[key]), key as SheetColumn<S>);
  return out;
}

/** Builds a table from its header and data rows of text; refuses one that lacks a column it needs. */
function toTable<S extends MatrixSheet>(sheet: S, header: string[], data: Array<{ row: number; cells: string[] }>): MatrixTable<S> {
  const known = headerColumns(sheet);
  const index = new Map<SheetColumn<S>, number>();
  const headers: MatrixTable<S>['headers'] = {};
  header.forEach((h, i) => {
    const key = known.get(norm(h));
    if (key && !index.has(key)) {
      index.set(key, i);
      headers[key] = h.trim();
    }
  });
  const missing = REQUIRED[sheet].filter((k) => !index.has(k as SheetColumn<S>));
  if (missing.length > 0) {
    const columns = missing.map((k) => CATALOGUES.en.matrix.columns[k]).join(', ');
    throw new MatrixFileError('missing_columns', `The ${sheet} table has no column ${columns}.`, { sheet, columns });
  }
  const rows: Array<MatrixRow<S>> = [];
  for (const { row, cells } of data) {
    if (cells.every((c) => c.trim() === '')) continue;
    const out: MatrixRow<S>['cells'] = {};
    for (const [key, i] of index) out[key] = (cells[i] ?? '').trim();
    rows.push({ row, cells: out });
  }
  return { headers, rows };
}

// ---- XLSX --------------------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as the text a person reads in it. */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('text' in v && typeof v.text === 'string') return v.text;
  // A formula someone typed: its last computed value, never the formula.
  if ('result' in v && v.result !== undefined && v.result !== null && typeof v.result !== 'object') return String(v.result);
  if ('result' in v && v.result instanceof Date) return cellText({ value: v.result } as ExcelJS.Cell);
  return '';
}

function sheetData(ws: ExcelJS.Worksheet): { header: string[]; data: Array<{ row: number; cells: string[] }> } {
  const width = ws.columnCount;
  const read = (n: number) => Array.from({ length: width }, (_, i) => cellText(ws.getRow(n).getCell(i + 1)));
  const data: Array<{ row: number; cells: string[] }> = [];
  for (let n = 2; n <= ws.rowCount; n++) data.push({ row: n, cells: read(n) });
  return { header: read(1), data };
}

async function readXlsx(bytes: Uint8Array): Promise<MatrixFile> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new MatrixFileError('unreadable', 'The file could not be read as an XLSX workbook.');
  }
  const found = new Map<MatrixSheet, ExcelJS.Worksheet>();
  wb.eachSheet((ws) => {
    const which = SHEET_NAMES.get(norm(ws.name));
    if (which && !found.has(which)) found.set(which, ws);
  });
  const read = <S extends MatrixSheet>(s: S) => {
    const ws = found.get(s);
    if (!ws) return null;
    const { header, data } = sheetData(ws);
    return toTable(s, header, data);
  };
  const actions = read('actions');
  if (!actions) throw notMatrix();
  return { format: 'xlsx', actions, indicators: read('indicators'), links: read('links') };
}

// ---- ZIP of CSV --------------------------------------------------------------------------------

async function readZip(bytes: Uint8Array): Promise<MatrixFile> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw new MatrixFileError('unreadable', 'The file could not be read as a ZIP archive.');
  }
  const read = async <S extends MatrixSheet>(s: S) => {
    const entry = Object.values(zip.files).find((f) => !f.dir && f.name.split('/').pop()?.toLowerCase() === `${s}.csv`);
    if (!entry) return null;
    const text = (await entry.async('string')).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    let csv;
    try {
      csv = parseCsv(text);
    } catch (err) {
      throw new MatrixFileError('unreadable', `${s}.csv could not be read: ${(err as Error).message}`);
    }
    // parseCsv numbers data rows from 1; a spreadsheet shows the first under the header as row 2.
    return toTable(s, csv.headers.map(unescapeFormula), csv.rows.map((r) => ({ row: r.row + 1, cells: r.cells.map(unescapeFormula) })));
  };
  const actions = await read('actions');
  if (!actions) throw notMatrix();
  return { format: 'zip', actions, indicators: await read('indicators'), links: await read('links') };
}

const notMatrix = () =>
  new MatrixFileError('not_matrix', 'The file has no Actions table: upload the implementation matrix as linked tables (XLSX, or the ZIP of CSV files).');

/** Reads an uploaded matrix: an XLSX workbook or a ZIP of CSV files (both are ZIP archives; the workbook has its XML inside). */
export async function readMatrixFile(bytes: Uint8Array): Promise<MatrixFile> {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw notMatrix();
  let isWorkbook = false;
  try {
    isWorkbook = (await JSZip.loadAsync(bytes)).file('[Content_Types].xml') !== null;
  } catch {
    throw new MatrixFileError('unreadable', 'The file could not be read as an XLSX workbook or a ZIP archive.');
  }
  return isWorkbook ? readXlsx(bytes) : readZip(bytes);
}
