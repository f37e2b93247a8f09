import Papa from 'papaparse';
import type { ImportRejectedRow } from '../../shared/api/importText.ts';
import { ImportFileError } from './errors.ts';

/** One data row of a CSV file: 1-based data-row number (header excluded, blank lines skipped). */
export interface CsvRow {
  row: number;
  cells: string[];
}

export interface CsvTable {
  /** Header cells as written (trimmed). */
  headers: string[];
  rows: CsvRow[];
  /** Rows that could not be read as a record (wrong cell count). */
  rejected: ImportRejectedRow[];
  /** Index of a column by case-insensitive name, first of the given aliases that exists; -1 if none. */
  column(...names: string[]): number;
}

/** Header key: case- and spacing-insensitive, so "upr position" matches "UPR Position". */
export const headerKey = (h: string) => h.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Parses CSV text (LF line endings, already decoded) with papaparse, keeping our own row numbering.
 * Papaparse's `skipEmptyLines` shifts the row numbers in its error reports, so blank lines are
 * dropped here instead. An unterminated or malformed quote swallows the following rows, so it is a
 * file-level error naming the row where it starts; a wrong cell count rejects only that row.
 */
export function parseCsv(text: string): CsvTable {
  const result = Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: false,
    delimitersToGuess: [',', ';', '\t'],
  });
  const data = result.data;

  // Data-row number for each papaparse record index (0 = header); blank records get none.
  const rowNumber: Array<number | null> = [];
  let headerIndex = -1;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const blank = isBlank(data[i]!);
    if (headerIndex < 0) {
      rowNumber.push(null);
      if (!blank) headerIndex = i;
      continue;
    }
    rowNumber.push(blank ? null : ++n);
  }
  if (headerIndex < 0) throw new ImportFileError('file_empty', 'The file is empty.');
  const headers = data[headerIndex]!.map((h) => h.trim());

  for (const err of result.errors) {
    if (err.code === 'UndetectableDelimiter') continue; // one-column files are fine; columns are checked later
    const idx = err.row ?? -1;
    const row = rowNumber[idx] ?? null;
    if (err.code === 'MissingQuotes') {
      if (row === null) {
        throw new ImportFileError(
          'unclosed_quote_header',
          'A quoted cell in the header row is never closed (a " is missing), so the file cannot be read.',
        );
      }
      throw new ImportFileError(
        'unclosed_quote',
        `Row ${row}: a quoted cell starts here but is never closed (a " is missing), so the rest of the file cannot be read. Fix the quotes in that row and import again.`,
        { row },
      );
    }
    if (row === null) {
      throw new ImportFileError('header_unreadable', `The header row could not be read: ${err.message}.`);
    }
    if (err.code === 'InvalidQuotes') {
      // A stray quote makes papaparse read on to the next quote, swallowing the following rows;
      // importing "the rest" would silently lose or garble recommendations.
      throw new ImportFileError(
        'malformed_quotes',
        `Row ${row}: the quotes in this row are malformed (a " inside a quoted cell must be written twice: ""), so this row and the ones after it cannot be read reliably. Fix the quotes in that row and import again.`,
        { row },
      );
    }
  }

  const rows: CsvRow[] = [];
  const rejected: CsvTable['rejected'] = [];
  for (let i = headerIndex + 1; i < data.length; i++) {
    const row = rowNumber[i];
    if (row === null || row === undefined) continue;
    const cells = data[i]!;
    if (cells.length < headers.length) {
      rejected.push(cellCount(row, cells.length, headers.length));
      continue;
    }
    // Extra cells are tolerated only when empty (spreadsheets often add trailing commas).
    if (cells.length > headers.length && cells.slice(headers.length).some((c) => c.trim() !== '')) {
      rejected.push(cellCount(row, cells.length, headers.length));
      continue;
    }
    rows.push({ row, cells });
  }

  const keys = headers.map(headerKey);
  return {
    headers,
    rows,
    rejected,
    column: (...names) => {
      for (const name of names) {
        const i = keys.indexOf(headerKey(name));
        if (i >= 0) return i;
      }
      return -1;
    },
  };
}

function cellCount(row: number, cells: number, expected: number): ImportRejectedRow {
  return { row, code: 'cell_count', params: { cells, expected }, reason: `This row has ${cells} cells; the header has ${expected}` };
}

/** Header cells of CSV text (first non-blank record), without parsing the whole file. */
export function csvHeader(text: string): string[] {
  const result = Papa.parse<string[]>(text, { header: false, preview: 5, delimitersToGuess: [',', ';', '\t'] });
  const first = result.data.find((r) => !isBlank(r));
  return (first ?? []).map((h) => h.trim());
}

/** Cell value by column index; '' when the column is absent. */
export const cellAt = (row: CsvRow, col: number): string => (col >= 0 ? (row.cells[col] ?? '') : '');

function isBlank(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}
