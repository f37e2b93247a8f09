/**
 * Tables in the DOCX, laid out so they read on paper: fixed column widths (Word and LibreOffice
 * then wrap the cells alike, which keeps the contents' page numbers right in both), rows that never
 * break across pages, a header row that repeats on each page and is kept with the row after it, so
 * it never stands alone at the foot of a page.
 */
import { ShadingType, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, WidthType, type ParagraphChild } from 'docx';
import { xmlSafe } from './common.ts';

export const HEADER_FILL = 'E7EEF7';

export interface GridOptions {
  /** Column widths in twips; they add up to the table's width. */
  widths: number[];
  /** The paragraph style of the cells (AccordTable, or AccordSmallTable for wide tables). */
  style?: string;
  /** A key-value table: its first column is shaded like a header. */
  keyColumn?: boolean;
  /** Keep the whole table on one page with what comes after it (a short table under its heading). */
  keepTogether?: boolean;
}

const lines = (s: string): ParagraphChild[][] => s.split('\n').map((line) => [new TextRun(xmlSafe(line))]);

// A cell carries no width of its own: the table's grid (columnWidths) with the fixed layout sets
// it, in Word and LibreOffice alike, at two fewer elements a cell (a 200-section plan has some
// 50,000 cells, and the DOCX is built whole in memory).
function cell(content: ParagraphChild[][], style: string, header: boolean): TableCell {
  return new TableCell({
    shading: header ? { type: ShadingType.CLEAR, fill: HEADER_FILL, color: 'auto' } : undefined,
    children: (content.length ? content : [[]]).map((children) => new Paragraph({ style, children })),
  });
}

/** The header row: shaded, repeated on every page, kept with the row after it. */
function headerRow(header: ParagraphChild[][][], style: string): TableRow {
  return new TableRow({
    tableHeader: true,
    cantSplit: true,
    // Word and LibreOffice keep a row with the next one when its paragraphs are kept with the next.
    keepNext: true,
    children: header.map((c) => cell(c, style, true)),
  });
}

/** A row of the table, which never breaks across pages; `keepNext` keeps it with the next (a table kept together). */
function bodyRow(row: ParagraphChild[][][], options: GridOptions, keepNext: boolean | undefined): TableRow {
  const style = options.style ?? 'AccordTable';
  return new TableRow({ cantSplit: true, keepNext, children: row.map((c, i) => cell(c, style, options.keyColumn === true && i === 0)) });
}

/** The table around its rows, at fixed column widths. */
function tableOf(rows: TableRow[], options: GridOptions): Table {
  const width = options.widths.reduce((a, b) => a + b, 0);
  return new Table({ width: { size: width, type: WidthType.DXA }, columnWidths: options.widths, layout: TableLayoutType.FIXED, rows });
}

/** A table of header cells and rows, as runs of each cell's lines. */
export function richGrid(header: ParagraphChild[][][] | null, rows: ParagraphChild[][][][], options: GridOptions): Table {
  const out: TableRow[] = header ? [headerRow(header, options.style ?? 'AccordTable')] : [];
  rows.forEach((r, ri) => out.push(bodyRow(r, options, options.keepTogether ? ri < rows.length - 1 : undefined)));
  return tableOf(out, options);
}

/**
 * A long table of strings (the implementation plan's thousand rows) as its header and its rows,
 * each row made only when it is read: the streamed DOCX writes it row by row (docxStream.ts); the
 * whole DOCX makes the table of them all (`table`). It is never kept together.
 */
export function rowsOfGrid(header: string[], rows: Iterable<string[]>, options: GridOptions): RowsOfTable {
  const style = options.style ?? 'AccordTable';
  return {
    header: headerRow(header.map(bold), style),
    rows: (function* () {
      for (const r of rows) yield bodyRow(r.map(lines), options, undefined);
    })(),
    table: (all) => tableOf(all, options),
  };
}

/** A table given as its header row and its rows, made one at a time, and how to make the table of rows. */
export interface RowsOfTable {
  header: TableRow;
  rows: Iterable<TableRow>;
  table: (rows: TableRow[]) => Table;
}

const bold = (s: string): ParagraphChild[][] => s.split('\n').map((line) => [new TextRun({ text: xmlSafe(line), bold: true })]);

/** A table of plain strings (a cell's line breaks kept); the header's words are bold. */
export function grid(header: string[] | null, rows: string[][], options: GridOptions): Table {
  return richGrid(
    header ? header.map(bold) : null,
    rows.map((r) => r.map((c, i) => (options.keyColumn && i === 0 ? bold(c) : lines(c)))),
    options,
  );
}

/** Widths in twips for `n` equal columns across `total`. */
export function equalWidths(n: number, total: number): number[] {
  const each = Math.floor(total / Math.max(n, 1));
  return Array.from({ length: Math.max(n, 1) }, (_, i) => (i === n - 1 ? total - each * (n - 1) : each));
}

/** Widths in twips across `total`, in proportion to `weights`. */
export function weightedWidths(weights: number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.floor((total * w) / sum));
  widths[widths.length - 1]! += total - widths.reduce((a, b) => a + b, 0);
  return widths;
}
