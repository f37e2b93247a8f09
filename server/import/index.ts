import type { ImportEncoding, ImportFormat, ParsedImport } from '../../shared/api/recommendations.ts';
import { isAccordHeader, isVerbatimHeader, parseAccordCsv, parseAccordJson, ACCORD_JSON_FORMAT } from './accordFormat.ts';
import { csvHeader, headerKey } from './csv.ts';
import { checkSize, decodeText } from './decode.ts';
import { ImportFileError } from './errors.ts';
import type { ImportDefaults } from './types.ts';
import { looksLikeUhriRecord, parseUhriCsv, parseUhriJson, UHRI_MARKERS } from './uhri.ts';
import { looksLikeConcludingObservations, parseTreatyBodyText } from './treatyBodyText.ts';
import { parseUnReportText } from './unReportText.ts';
import { parseUprInfoCsv } from './uprInfoCsv.ts';
import { nulFreeReviver } from '../nul.ts';

/**
 * Recommendation importers: pure functions from a file's bytes to {@link ParsedImport}. No
 * database, no HTTP: the routes preview the result, the service writes it.
 */

export { ImportFileError } from './errors.ts';
export { MAX_IMPORT_BYTES, decodeText } from './decode.ts';
export { toAccordCsv, toAccordJson, ACCORD_COLUMNS } from './accordFormat.ts';
export { findReportHeadings, inferHeadingPosition, type ReportHeading } from './unReportText.ts';
export { cycleFromSession, compareKey, textHash } from './normalise.ts';
export { generateUprInfoCsv } from './generate.ts';
export type { ImportDefaults } from './types.ts';

export interface ImportSource {
  filename: string;
  bytes: Uint8Array;
  /** The format, when the person chose it; otherwise it is detected. */
  format?: ImportFormat;
  /** The encoding, when the person chose it; otherwise it is detected. */
  encoding?: ImportEncoding;
  /** Values for what the file does not say (UN report text without a symbol, UHRI without Country). */
  defaults?: ImportDefaults;
}

const extension = (filename: string) => /\.([a-z0-9]+)$/i.exec(filename.trim())?.[1]?.toLowerCase() ?? '';

const REPORT_TITLE = /Working Group on the\s*Universal\s*Periodic\s*Review/i;

function parseJson(text: string): unknown {
  try {
    // NUL is left out of every text, as a request's body leaves it out (server/nul.ts).
    return JSON.parse(text, nulFreeReviver);
  } catch (err) {
    throw new ImportFileError('json_unreadable', `This JSON file cannot be read: ${(err as Error).message}.`);
  }
}

function detectFromText(filename: string, text: string): ImportFormat | null {
  const ext = extension(filename);
  const start = text.trimStart()[0];
  if (ext === 'json' || ((start === '{' || start === '[') && ext !== 'csv' && ext !== 'txt')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    if (Array.isArray(value)) {
      const first = value.find((v) => v && typeof v === 'object');
      if (looksLikeUhriRecord(first)) return 'uhri-json';
      if (first && typeof first === 'object' && 'sourceKey' in first) return 'accord-json';
      return null;
    }
    if (value && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      if (obj['format'] === ACCORD_JSON_FORMAT) return 'accord-json';
      if (Array.isArray(obj['recommendations'])) return 'accord-json';
    }
    return null;
  }
  // Before the ".txt" rule: concluding observations are saved as text too (and pasted text is ".txt").
  if (ext !== 'csv' && ext !== 'tsv' && looksLikeConcludingObservations(text)) return 'treaty-body-text';
  // A spreadsheet saved as text (Excel's "Unicode Text" and "Text (Tab delimited)" are .txt), or
  // a table pasted into the report box, is read by its header: read as a report, it was refused
  // for want of a document symbol, which told the person nothing about what was wrong.
  if (ext === 'txt' || ext === 'text') return tableFormat(text) ?? 'un-report-text';
  if (ext !== 'csv' && ext !== 'tsv' && REPORT_TITLE.test(text.slice(0, 200_000))) return 'un-report-text';

  const table = tableFormat(text);
  if (table) return table;
  if (REPORT_TITLE.test(text.slice(0, 200_000))) return 'un-report-text';
  return null;
}

/** The table format a header row names (Accord, UHRI, UPR Info), or null. */
function tableFormat(text: string): ImportFormat | null {
  const header = csvHeader(text);
  const keys = new Set(header.map(headerKey));
  if (isVerbatimHeader(header) || isAccordHeader(header)) return 'accord-csv';
  if (UHRI_MARKERS.some((m) => keys.has(headerKey(m)))) return 'uhri-csv';
  // "To" and "From" are what make a UPR Info export; missing Response/Session is then reported
  // by its parser, naming the columns.
  if (keys.has('to') && keys.has('from')) return 'upr-info-csv';
  return null;
}

/**
 * Which format a file is in, from its extension and content: `.json` by its keys, CSV by its header
 * (To/From/Session → UPR Info; Reccomending Body or Document Symbol → UHRI; sourceKey or
 * id,text,recommending_state → Accord; also in a `.txt`, as a spreadsheet saves tab-delimited text),
 * other `.txt` or text mentioning the "Working Group on the Universal Periodic Review" → UN report text, text titled "Concluding observations on the … report of …"
 * with a CO symbol → treaty-body text. Null when unknown or unreadable.
 */
export function detectFormat(source: ImportSource): ImportFormat | null {
  if (source.format) return source.format;
  try {
    return detectFromText(source.filename, decodeText(source.bytes, source.encoding).text);
  } catch {
    return null;
  }
}

/**
 * Parses an import file. File-level problems (too big, empty, binary, unknown format, missing
 * columns, unterminated quote…) throw {@link ImportFileError} with a message for the person;
 * row-level problems are listed in `rejected` with their 1-based data-row number. Nothing else is
 * thrown: an unexpected failure is wrapped in an ImportFileError too.
 */
export function parseImport(source: ImportSource): ParsedImport {
  // Size first, so a 50 MB upload is refused before any decoding work.
  checkSize(source.bytes);
  try {
    const decoded = decodeText(source.bytes, source.encoding);
    const format = source.format ?? detectFromText(source.filename, decoded.text);
    if (!format) {
      const header = csvHeader(decoded.text).slice(0, 12);
      const firstLine = header.join(', ');
      throw new ImportFileError(
        firstLine ? 'unknown_format_first_line' : 'unknown_format',
        `Accord could not tell what kind of file this is. It reads UPR Info CSV exports (columns To, Text, From, Response, Session), ` +
          `UHRI exports (Document Symbol, Recommending Body, Text…), the text of a UN Working Group report or of treaty-body concluding observations, and Accord CSV/JSON. ` +
          (firstLine ? `The first line of this file is: ${firstLine}.` : ''),
        firstLine ? { firstLine } : {},
      );
    }
    const options = { filename: source.filename, defaults: source.defaults };
    let result: ParsedImport;
    switch (format) {
      case 'upr-info-csv':
        result = parseUprInfoCsv(decoded.text, options);
        break;
      case 'un-report-text':
        result = parseUnReportText(decoded.text, options);
        break;
      case 'treaty-body-text':
        result = parseTreatyBodyText(decoded.text, options);
        break;
      case 'uhri-csv':
        result = parseUhriCsv(decoded.text, options);
        break;
      case 'uhri-json':
        result = parseUhriJson(parseJson(decoded.text), options);
        break;
      case 'accord-csv':
        result = parseAccordCsv(decoded.text, options);
        break;
      case 'accord-json':
        result = parseAccordJson(parseJson(decoded.text));
        break;
    }
    result.warnings.unshift(...decoded.warnings);
    return { ...result, encoding: decoded.encoding };
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError('unreadable', `The file could not be read: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err });
  }
}
