/**
 * Typed cells for the implementation matrix's tables, written the same way as CSV and as XLSX.
 *
 * A spreadsheet computes with a budget, sorts by a deadline and filters by a cycle only when those
 * cells are numbers and dates, not text that looks like one: so each column has a type, and the
 * XLSX writer stores numbers as numbers and dates as dates (with a yyyy-mm-dd format), never as
 * formulas. Text is stored as shared strings, which a spreadsheet never evaluates, even when it
 * starts with "=".
 *
 * CSV keeps the rules of every CSV Accord writes (server/import/accordFormat.ts): UTF-8 with a BOM,
 * CRLF, a text cell a spreadsheet would take for a formula prefixed with "'"; numbers are written
 * plainly ("-3" stays a number) and dates as YYYY-MM-DD.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { escapeFormula } from '../../import/accordFormat.ts';
import { xmlSafe } from './common.ts';

/** A calendar date, YYYY-MM-DD. */
export class DateCell {
  constructor(readonly iso: string) {}
}

export type Cell = string | number | DateCell | null;

/** What a column holds; the documentation (docs/exports/implementation-matrix.md) names the same types. */
export type ColumnType = 'id' | 'text' | 'list' | 'number' | 'date';

export interface Column<Row> {
  /** Its header in the export's language (matrix.columns, or the status column's, which names the round). */
  header: string;
  type: ColumnType;
  /** Width in XLSX, in characters. */
  width?: number;
  value: (row: Row) => Cell;
}

/** A table as its writers take it: a header row and rows of typed cells. */
export interface Table {
  /** The sheet's name in XLSX (at most 31 characters), and the CSV file's name in a ZIP. */
  sheet: string;
  file: string;
  columns: Array<{ header: string; type: ColumnType; width?: number }>;
  rows: Cell[][];
}

export function table<Row>(sheet: string, file: string, columns: Array<Column<Row>>, rows: Iterable<Row>): Table {
  const out: Cell[][] = [];
  for (const r of rows) out.push(columns.map((c) => c.value(r)));
  return { sheet, file, columns: columns.map(({ header, type, width }) => ({ header, type, width })), rows: out };
}

// ---- Values ------------------------------------------------------------------------------------

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date as stored, typed when it is a full date; a year or a month (a recommendation's date may be one) stays as entered. */
export function dateOrText(value: string | null): Cell {
  if (!value) return null;
  return FULL_DATE.test(value) ? new DateCell(value) : value;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The first or last day of a point in a plan's timeline (a year 2027, a quarter 2027-Q2 or a date),
 * so a deadline of "2028" is a date a spreadsheet can sort: 2028-12-31. The point as entered is
 * exported beside it.
 */
export function timePointDate(value: string | null, edge: 'start' | 'end'): DateCell | null {
  if (!value) return null;
  if (FULL_DATE.test(value)) return new DateCell(value);
  const q = /^(\d{4})-Q([1-4])$/.exec(value);
  const year = Number((q ?? /^(\d{4})$/.exec(value))?.[1]);
  if (!Number.isInteger(year)) return null;
  const [first, last] = q ? [(Number(q[2]) - 1) * 3 + 1, Number(q[2]) * 3] : [1, 12];
  return edge === 'start' ? new DateCell(`${year}-${pad(first)}-01`) : new DateCell(`${year}-${pad(last)}-${pad(lastDay(year, last))}`);
}

/** A value entered as text that may be a number ("12", "0.5"): a number when it is exactly one, else the text as entered. */
export function numberOrText(value: string | null | undefined): Cell {
  if (value === null || value === undefined || value.trim() === '') return null;
  const t = value.trim();
  return /^-?\d+(\.\d+)?$/.test(t) && Number.isFinite(Number(t)) ? Number(t) : value;
}

/** A stored number, or null (never NaN or Infinity in a cell). */
export const num = (n: number | null | undefined): Cell => (typeof n === 'number' && Number.isFinite(n) ? n : null);

/** Items of a list cell. */
export const list = (items: string[]): Cell => (items.length ? items.join('; ') : null);

// ---- CSV ---------------------------------------------------------------------------------------

const csvText = (v: string) => escapeFormula(v.replace(/\0/g, ''));

export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  if (v instanceof DateCell) return v.iso;
  return csvText(v);
}

/** One table as CSV: BOM, CRLF, formula-safe text (headers too: one names a round people typed). */
export function toCsv(t: Pick<Table, 'columns' | 'rows'>): string {
  const fields = t.columns.map((c) => csvText(c.header));
  const data = t.rows.map((r) => r.map(csvCell));
  return '\uFEFF' + Papa.unparse({ fields, data }, { newline: '\r\n', quotes: false }) + '\r\n';
}

// ---- XLSX --------------------------------------------------------------------------------------

const DATE_FORMAT = 'yyyy-mm-dd';

function xlsxValue(v: Cell): ExcelJS.CellValue {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (v instanceof DateCell) {
    const m = FULL_DATE.exec(v.iso)!;
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  }
  return xmlSafe(v);
}

const defaultWidth = (type: ColumnType) => (type === 'number' ? 12 : type === 'date' ? 12 : type === 'id' ? 24 : 20);

/** Adds one table as a sheet: header row bold and frozen, a filter on it, numbers and dates typed. */
export function addSheet(wb: ExcelJS.Workbook, t: Table): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(t.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = t.columns.map((c) => ({ header: xmlSafe(c.header), width: c.width ?? defaultWidth(c.type) }));
  ws.getRow(1).font = { bold: true };
  for (const cells of t.rows) {
    const row = ws.addRow(cells.map(xlsxValue));
    row.alignment = { wrapText: true, vertical: 'top' };
    cells.forEach((v, i) => {
      if (v instanceof DateCell) row.getCell(i + 1).numFmt = DATE_FORMAT;
    });
  }
  if (t.columns.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } };
  return ws;
}

export async function workbookBuffer(tables: Table[], created: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Accord';
  wb.created = new Date(created);
  for (const t of tables) addSheet(wb, t);
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
