import Papa from 'papaparse';
import {
  RecommendationInputSchema,
  type ParsedImport,
  type Position,
  type RecommendationInput,
} from '../../shared/api/recommendations.ts';
import { countryForIso3 } from './countries.ts';
import { cellAt, headerKey, parseCsv, type CsvTable } from './csv.ts';
import { ImportFileError } from './errors.ts';
import { actionCategory, cycleFromSession, isVoluntaryPledge } from './normalise.ts';
import { ImportCollector } from './result.ts';
import type { ParserOptions } from './types.ts';

/**
 * Accord's own exchange formats, so a plan's recommendations can be exported, edited in a
 * spreadsheet and imported again (or moved to another Accord) without loss.
 *
 * CSV: one column per {@link RecommendationInput} field, in schema order, header = field names.
 * - Empty cell = null (for nullable fields); an empty string is not distinguished from null.
 * - List fields (recommendingStates, themes, affectedPersons, sdgTargets) are joined with "; " —
 *   readable and editable in a spreadsheet, unlike JSON in a cell. A ";" or "\" inside an item is
 *   escaped as "\;" / "\\", so items containing semicolons survive. Items are trimmed on import
 *   (the schema trims them anyway).
 * - CSV injection: a cell starting with = + - @ tab or CR would run as a formula in a spreadsheet,
 *   so it is written with a leading "'". To stay lossless a value that already starts with "'"s
 *   followed by such a character gets one more "'"; the importer removes exactly one "'" from any
 *   cell of that shape.
 * - Line breaks inside values are read back as LF (the decoder normalises CR and CRLF).
 * - NUL characters are left out (an import refuses a file holding NUL bytes as binary).
 * - Starts with a UTF-8 BOM so Excel shows Cyrillic and other non-Latin text correctly.
 *
 * JSON: `{ "format": "accord-recommendations", "version": 1, "recommendations": [...] }`.
 */
export const ACCORD_COLUMNS = Object.keys(RecommendationInputSchema.shape) as Array<keyof RecommendationInput>;

const LIST_FIELDS = new Set<string>(['recommendingStates', 'themes', 'affectedPersons', 'sdgTargets']);
const INT_FIELDS = new Set<string>(['cycle', 'actionCategory']);
/** Fields with a default (language 'en', kind 'recommendation'): an empty cell or no column takes it. */
const DEFAULTED_FIELDS = new Set<string>(['language', 'kind']);
/** Columns an Accord CSV must have; the others default to null / empty lists. */
const REQUIRED = ['sourceKey', 'mechanism', 'stateUnderReview', 'text', 'position'] as const;

export const ACCORD_JSON_FORMAT = 'accord-recommendations';
export const ACCORD_JSON_VERSION = 1;

// LF too: a leading CR is read back as LF (see above), and its quote must still come off.
const FORMULA_START = /^'*[=+\-@\t\r\n]/;

/** Prefixes a cell that a spreadsheet would treat as a formula (see module comment). */
export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Removes exactly the quote {@link escapeFormula} added. */
export function unescapeFormula(value: string): string {
  return /^'+[=+\-@\t\r\n]/.test(value) ? value.slice(1) : value;
}

function joinList(items: string[]): string {
  return items.map((s) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;')).join('; ');
}

function splitList(cell: string): string[] {
  const items: string[] = [];
  let cur = '';
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i]!;
    if (c === '\\' && i + 1 < cell.length) cur += cell[++i];
    else if (c === ';') {
      items.push(cur);
      cur = '';
    } else cur += c;
  }
  items.push(cur);
  return items.map((s) => s.trim()).filter(Boolean);
}

/** Serialises recommendations as Accord CSV (see the module comment for the rules). */
export function toAccordCsv(recs: RecommendationInput[]): string {
  const data = recs.map((rec) =>
    ACCORD_COLUMNS.map((field) => {
      const v = rec[field];
      if (v === null || v === undefined) return '';
      // NUL is dropped: it means nothing in a spreadsheet, and a file holding one is refused on
      // import as binary, so Accord could not read its own export.
      if (Array.isArray(v)) return escapeFormula(joinList(v).replace(/\0/g, ''));
      return escapeFormula(String(v).replace(/\0/g, ''));
    }),
  );
  return '\uFEFF' + Papa.unparse({ fields: ACCORD_COLUMNS as string[], data }, { newline: '\r\n' }) + '\r\n';
}

/** Serialises recommendations as Accord JSON, `{ format, version, recommendations }`. */
export function toAccordJson(recs: RecommendationInput[]): string {
  return JSON.stringify({ format: ACCORD_JSON_FORMAT, version: ACCORD_JSON_VERSION, recommendations: recs }, null, 2) + '\n';
}

/** True for the header of the verbatim Belarus recommendations CSV (the sample plan's data). */
export function isVerbatimHeader(headers: string[]): boolean {
  const h = headers.map(headerKey);
  return h[0] === 'id' && h[1] === 'text' && h[2] === 'recommending_state';
}

/** True for an Accord CSV header (it names sourceKey and text). */
export function isAccordHeader(headers: string[]): boolean {
  const h = new Set(headers.map(headerKey));
  return h.has('sourcekey') && h.has('text');
}

/**
 * Parses Accord CSV, or its "verbatim" flavour (the shared Belarus CSV whose header starts
 * `id,text,recommending_state`).
 */
export function parseAccordCsv(text: string, options: ParserOptions): ParsedImport {
  const table = parseCsv(text);
  if (isVerbatimHeader(table.headers)) return parseVerbatim(table, options);

  const missing = REQUIRED.filter((c) => table.column(c) < 0);
  if (missing.length > 0) {
    const [columns, found] = [missing.join(', '), table.headers.join(', ')];
    throw new ImportFileError(
      'missing_columns_accord',
      `This file is missing the column${missing.length > 1 ? 's' : ''} ${columns} that an Accord CSV has. Columns found: ${found}.`,
      { columns, found },
    );
  }
  const out = new ImportCollector('accord-csv');
  for (const r of table.rejected) out.reject(r.row, r.code, r.reason, r.params);
  const known = new Set(ACCORD_COLUMNS.map((c) => headerKey(c)));
  const extra = table.headers.filter((h) => !known.has(headerKey(h)));
  if (extra.length) out.warn('columns_ignored', `Columns Accord does not use were ignored: ${extra.join(', ')}.`, { columns: extra.join(', ') });

  const cols = ACCORD_COLUMNS.map((field) => [field, table.column(field)] as const);
  for (const row of table.rows) {
    const candidate: Record<string, unknown> = {};
    for (const [field, col] of cols) {
      if (col < 0) {
        if (LIST_FIELDS.has(field)) candidate[field] = [];
        else if (!DEFAULTED_FIELDS.has(field)) candidate[field] = null;
        continue;
      }
      const cell = unescapeFormula(cellAt(row, col));
      if (LIST_FIELDS.has(field)) candidate[field] = splitList(cell);
      else if (INT_FIELDS.has(field)) candidate[field] = cell.trim() === '' ? null : /^\s*-?\d+\s*$/.test(cell) ? Number(cell) : cell;
      else if (DEFAULTED_FIELDS.has(field)) candidate[field] = cell.trim() === '' ? undefined : cell.trim();
      else candidate[field] = cell === '' ? null : cell;
    }
    out.add(row.row, candidate);
  }
  return out.result();
}

const VERBATIM_POSITIONS: Record<string, Position> = {
  supported: 'supported',
  accepted: 'supported',
  noted: 'noted',
  rejected: 'noted',
  'supported in part': 'supported_in_part',
  supported_in_part: 'supported_in_part',
  pending: 'pending',
  '': 'pending',
};

/**
 * The verbatim Belarus CSV (server/sample/belarus-upr-cycle1-recommendations.csv): reference = id, themes "; "-separated,
 * position from `response`, notes from `text_note`. The State under review is read from
 * `source_document` ("…Universal Periodic Review: Belarus, 21 June 2010…"), else from the id's
 * ISO prefix, else the defaults.
 */
function parseVerbatim(table: CsvTable, options: ParserOptions): ParsedImport {
  const out = new ImportCollector('accord-csv');
  out.warn('verbatim_csv', 'Read as the verbatim recommendations CSV (columns id, text, recommending_state, …).');
  for (const r of table.rejected) out.reject(r.row, r.code, r.reason, r.params);
  const defaults = options.defaults ?? {};
  const c = (name: string) => table.column(name);
  const col = {
    id: c('id'),
    text: c('text'),
    states: c('recommending_state'),
    cycle: c('cycle'),
    session: c('session'),
    response: c('response'),
    themes: c('themes'),
    source: c('source_document'),
    paragraph: c('paragraph'),
    action: c('upr_info_action_category'),
    responseSource: c('response_source'),
    note: c('text_note'),
  };
  for (const row of table.rows) {
    const get = (i: number) => cellAt(row, i).trim();
    const id = get(col.id);
    if (!id) {
      out.reject(row.row, 'id_empty', 'The id cell is empty');
      continue;
    }
    const response = get(col.response);
    const pledge = isVoluntaryPledge(response);
    const position = pledge ? 'supported' : VERBATIM_POSITIONS[response.toLowerCase()];
    if (!position) {
      out.reject(row.row, 'unknown_position', `Unknown position "${response}"`, { value: response });
      continue;
    }
    const source = get(col.source);
    const symbol = /^([A-Z]+\/[\w./]+)/.exec(source)?.[1] ?? defaults.documentSymbol ?? null;
    const stateUnderReview =
      /Universal Periodic Review:\s*([^,)]+)/.exec(source)?.[1]?.trim() ||
      countryForIso3(/^([A-Z]{3})-/.exec(id)?.[1] ?? '') ||
      defaults.stateUnderReview ||
      '';
    const session = get(col.session) || null;
    const cycleCell = get(col.cycle);
    out.add(row.row, {
      sourceKey: `verbatim:${id}`,
      reference: id,
      mechanism: 'UPR',
      documentSymbol: symbol,
      paragraph: get(col.paragraph) || null,
      cycle: /^\d+$/.test(cycleCell) ? Number(cycleCell) : (cycleFromSession(session) ?? defaults.cycle ?? null),
      session,
      date: null,
      stateUnderReview,
      recommendingStates: get(col.states).split(',').map((s) => s.trim()).filter(Boolean),
      text: get(col.text),
      language: 'en',
      position,
      kind: pledge ? 'pledge' : 'recommendation',
      positionSource: get(col.responseSource) || null,
      themes: get(col.themes).split(';').map((s) => s.trim()).filter(Boolean),
      affectedPersons: [],
      sdgTargets: [],
      actionCategory: actionCategory(get(col.action)),
      notes: get(col.note) || null,
    });
  }
  return out.result();
}

/** Parses Accord JSON: the `{ format, version, recommendations }` envelope, or a bare array. */
export function parseAccordJson(value: unknown): ParsedImport {
  let list: unknown;
  if (Array.isArray(value)) list = value;
  else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (obj['format'] !== ACCORD_JSON_FORMAT) {
      throw new ImportFileError('not_accord_json', `This JSON file is not an Accord recommendations file (its "format" is not "${ACCORD_JSON_FORMAT}").`, {
        format: ACCORD_JSON_FORMAT,
      });
    }
    if (typeof obj['version'] === 'number' && obj['version'] > ACCORD_JSON_VERSION) {
      throw new ImportFileError(
        'newer_accord_version',
        `This file was made by a newer Accord (format version ${obj['version']}); this one reads version ${ACCORD_JSON_VERSION}.`,
        { version: obj['version'], supported: ACCORD_JSON_VERSION },
      );
    }
    list = obj['recommendations'];
  }
  if (!Array.isArray(list)) throw new ImportFileError('no_recommendations_list', 'This JSON file has no "recommendations" list.');
  const out = new ImportCollector('accord-json');
  list.forEach((item, i) => out.add(i + 1, item));
  return out.result();
}
