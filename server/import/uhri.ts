import type { Mechanism, ParsedImport, Position } from '../../shared/api/recommendations.ts';
import { countryForIso3 } from './countries.ts';
import { cellAt, parseCsv } from './csv.ts';
import { ImportFileError } from './errors.ts';
import { cycleFromSession, dedupe, isVoluntaryPledge, normaliseDate, textHash } from './normalise.ts';
import { ImportCollector } from './result.ts';
import type { ParserOptions } from './types.ts';
import { parseSdg } from '../../shared/sdg.ts';

/**
 * Importer for exports of the OHCHR Universal Human Rights Index (UHRI), as CSV or as a JSON array
 * of objects with the same keys. Documented columns: `Document Symbol`, `Reccomending Body` [sic]
 * (also `Recommending Body`), `Themes`, `Affected Persons`, `Sdgs`, `Text`, `UPR Session`,
 * `UPR Reccomending States`, `UPR Position`; optional `Country`/`State`, `Paragraph`,
 * `Date`/`Publication Date`, `Annotation`. Multi-value cells hold one item per line, each
 * starting with "- ".
 */

/** Column aliases, first match wins; compared case-insensitively. */
export const UHRI_COLUMNS = {
  symbol: ['Document Symbol', 'Symbol'],
  body: ['Reccomending Body', 'Recommending Body', 'Body'],
  themes: ['Themes', 'Theme'],
  affected: ['Affected Persons', 'Affected persons', 'Groups of persons'],
  sdgs: ['Sdgs', 'SDGs', 'SDG', 'Sdg Targets'],
  text: ['Text', 'Recommendation'],
  session: ['UPR Session', 'Session'],
  states: ['UPR Reccomending States', 'UPR Recommending States', 'Recommending States'],
  position: ['UPR Position', 'Position'],
  country: ['Country', 'State', 'State under review', 'Countries'],
  paragraph: ['Paragraph', 'Para'],
  date: ['Date', 'Publication Date', 'Document Date'],
  annotation: ['Annotation', 'Annotations'],
} as const;
type Field = keyof typeof UHRI_COLUMNS;

/** Header names that tell a UHRI export apart from other CSVs. */
export const UHRI_MARKERS = ['Reccomending Body', 'Recommending Body', 'Document Symbol', 'UPR Reccomending States'];

/** Splits a UHRI multi-value cell ("- Death penalty\n- Torture") into items. */
export function splitMultiValue(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return dedupe(value.flatMap((v) => splitMultiValue(v)));
  return dedupe(
    String(value)
      .split(/\r?\n/)
      .map((line) => line.trim().replace(/^(?:-\s+|[•*]\s*)/, '').trim())
      .filter(Boolean),
  );
}

const TREATY_BODIES: Array<[RegExp, Mechanism]> = [
  [/universal periodic review|^upr$/i, 'UPR'],
  [/^human rights committee$|^ccpr$/i, 'CCPR'],
  [/^committee against torture$|^cat$/i, 'CAT'],
  [/elimination of discrimination against women|^cedaw$/i, 'CEDAW'],
  [/committee on the rights of the child|^crc$/i, 'CRC'],
  [/committee on the elimination of racial discrimination|racial discrimination|^cerd$/i, 'CERD'],
  [/economic, social and cultural rights|^cescr$/i, 'CESCR'],
  [/rights of persons with disabilities|^crpd$/i, 'CRPD'],
  [/committee on enforced disappearances|^ced$/i, 'CED'],
  [/migrant workers|^cmw$/i, 'CMW'],
  [/special rapporteur|working group|independent expert|special procedure/i, 'special_procedure'],
];

/**
 * Mechanism for a UHRI "Recommending Body"; falls back to the document symbol's prefix
 * (CCPR/C/…, CAT/C/…) and else "other". "Committee against Torture" must not catch the
 * "Subcommittee on Prevention of Torture", which is why the torture rule is anchored.
 */
export function mechanismForBody(body: string, symbol = ''): Mechanism {
  const b = body.trim();
  for (const [re, mechanism] of TREATY_BODIES) if (b && re.test(b)) return mechanism;
  const prefix = /^([A-Z]+)\//.exec(symbol.trim())?.[1];
  const bySymbol: Record<string, Mechanism> = {
    CCPR: 'CCPR', CAT: 'CAT', CEDAW: 'CEDAW', CRC: 'CRC', CERD: 'CERD', CRPD: 'CRPD', CED: 'CED', CMW: 'CMW',
  };
  if (prefix && bySymbol[prefix]) return bySymbol[prefix];
  if (/^E\/C\.12\//.test(symbol)) return 'CESCR';
  return 'other';
}

const UPR_POSITIONS: Record<string, Position> = {
  supported: 'supported',
  accepted: 'supported',
  'supported/noted': 'supported_in_part',
  'partially supported': 'supported_in_part',
  'supported in part': 'supported_in_part',
  noted: 'noted',
  rejected: 'noted',
  '': 'pending',
  pending: 'pending',
};

/** UHRI "UPR Position" → position; null for a word we do not know. */
export function uhriPosition(value: string): Position | null {
  return UPR_POSITIONS[value.trim().replace(/\s*\/\s*/g, '/').replace(/\s+/g, ' ').toLowerCase()] ?? null;
}

type Getter = (field: Field) => unknown;

const str = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.map(str).join('\n') : String(v)).trim();

/** Keeps line breaks between paragraphs ("(a) …\n(b) …") but tidies spaces within lines. */
const tidyText = (v: string) =>
  v
    .split('\n')
    .map((l) => l.replace(/[\s\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');

function mapRows(records: Array<{ row: number; get: Getter }>, out: ImportCollector, options: ParserOptions): void {
  const defaults = options.defaults ?? {};
  // A paragraph can hold several recommendations (97.1 has Algeria's and Egypt's): those rows are
  // keyed by paragraph + text hash so the keys stay unique.
  const paraCount = new Map<string, number>();
  for (const r of records) {
    const k = `${str(r.get('symbol'))}\u0000${str(r.get('paragraph'))}`;
    if (str(r.get('paragraph'))) paraCount.set(k, (paraCount.get(k) ?? 0) + 1);
  }
  const unrecognisedSdgs = new Set<string>();
  for (const { row, get } of records) {
    const text = tidyText(str(get('text')));
    if (!text) {
      out.reject(row, 'text_empty', 'The Text cell is empty');
      continue;
    }
    const symbol = str(get('symbol')) || defaults.documentSymbol || '';
    const mechanism = mechanismForBody(str(get('body')), symbol);
    const positionCell = str(get('position'));
    let position: Position | null = 'pending';
    const pledge = isVoluntaryPledge(positionCell);
    // Treaty bodies and special procedures have no "position": the State does not answer each one.
    // A voluntary pledge is the State's own commitment: supported by the State that made it.
    if (pledge) position = 'supported';
    else if (mechanism === 'UPR') {
      position = uhriPosition(positionCell);
      if (position === null) {
        out.reject(row, 'unknown_position', `Unknown position "${positionCell}"`, { value: positionCell });
        continue;
      }
    }
    const isoInSymbol = /^[A-Z.\d]+\/C(?:\.\d+)?\/([A-Z]{3})\//.exec(symbol)?.[1];
    const stateUnderReview =
      splitMultiValue(get('country'))[0] || (isoInSymbol ? countryForIso3(isoInSymbol) : null) || defaults.stateUnderReview || '';
    if (!stateUnderReview) {
      out.reject(row, 'no_state_under_review', 'No State under review: the file has no Country column and none was chosen for the import');
      continue;
    }
    const paragraph = str(get('paragraph')) || null;
    const session = mechanism === 'UPR' ? str(get('session')) || null : null;
    const keyPart = paragraph
      ? (paraCount.get(`${str(get('symbol'))}\u0000${paragraph}`) ?? 0) > 1
        ? `${paragraph}:${textHash(text)}`
        : paragraph
      : textHash(text);
    out.add(row, {
      sourceKey: `uhri:${symbol || 'no-symbol'}:${keyPart}`,
      reference: null,
      mechanism,
      documentSymbol: symbol || null,
      paragraph,
      cycle: mechanism === 'UPR' ? (cycleFromSession(session) ?? defaults.cycle ?? null) : null,
      session,
      date: normaliseDate(str(get('date'))),
      stateUnderReview,
      recommendingStates: mechanism === 'UPR' ? splitMultiValue(get('states')) : [],
      text,
      language: 'en',
      position,
      kind: pledge ? 'pledge' : 'recommendation',
      positionSource: mechanism === 'UPR' && positionCell ? 'UHRI export (UPR Position)' : null,
      themes: splitMultiValue(get('themes')),
      affectedPersons: splitMultiValue(get('affected')),
      sdgTargets: sdgCodes(splitMultiValue(get('sdgs')), unrecognisedSdgs),
      actionCategory: null,
      notes: str(get('annotation')) || null,
    });
  }
  if (unrecognisedSdgs.size > 0) {
    const values = [...unrecognisedSdgs].slice(0, 5).map((v) => `“${v}”`).join(', ');
    out.warn('sdg_unrecognised', `SDG entries that name no SDG target were left out: ${values}.`, { values });
  }
}

/**
 * The export writes a target with its words ("16.1 Significantly reduce all forms of violence…"):
 * Accord keeps the code. An entry naming no target is left out (and reported) rather than costing
 * the recommendation its row.
 */
function sdgCodes(entries: string[], unrecognised: Set<string>): string[] {
  const codes: string[] = [];
  for (const entry of entries) {
    const code = parseSdg(entry);
    if (code) codes.push(code);
    else unrecognised.add(entry.length > 60 ? `${entry.slice(0, 60)}…` : entry);
  }
  return codes;
}

/** Parses a UHRI CSV export. */
export function parseUhriCsv(text: string, options: ParserOptions): ParsedImport {
  const table = parseCsv(text);
  if (table.column(...UHRI_COLUMNS.text) < 0) {
    const found = table.headers.join(', ');
    throw new ImportFileError('uhri_no_text_column', `This UHRI file has no Text column. Columns found: ${found}.`, { found });
  }
  const cols = Object.fromEntries(
    (Object.keys(UHRI_COLUMNS) as Field[]).map((f) => [f, table.column(...UHRI_COLUMNS[f])]),
  ) as Record<Field, number>;
  const out = new ImportCollector('uhri-csv');
  for (const r of table.rejected) out.reject(r.row, r.code, r.reason, r.params);
  mapRows(
    table.rows.map((r) => ({ row: r.row, get: (f: Field) => cellAt(r, cols[f]) })),
    out,
    options,
  );
  return out.result();
}

/** Parses a UHRI JSON export: an array of objects keyed like the CSV columns. */
export function parseUhriJson(value: unknown, options: ParserOptions): ParsedImport {
  const list = Array.isArray(value) ? value : null;
  if (!list) throw new ImportFileError('uhri_json_not_list', 'This UHRI JSON file should be a list of recommendations ([ {...}, {...} ]).');
  const out = new ImportCollector('uhri-json');
  const records: Array<{ row: number; get: Getter }> = [];
  list.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      out.reject(i + 1, 'entry_not_object', 'This entry is not an object');
      return;
    }
    const byKey = new Map(Object.entries(item as Record<string, unknown>).map(([k, v]) => [k.trim().toLowerCase(), v]));
    records.push({
      row: i + 1,
      get: (f) => {
        for (const name of UHRI_COLUMNS[f]) {
          const v = byKey.get(name.toLowerCase());
          if (v !== undefined) return v;
        }
        return undefined;
      },
    });
  });
  mapRows(records, out, options);
  return out.result();
}

/** True when a JSON object's keys look like a UHRI record. */
export function looksLikeUhriRecord(obj: unknown): boolean {
  if (!obj || typeof obj !== 'object') return false;
  const keys = new Set(Object.keys(obj).map((k) => k.trim().toLowerCase()));
  return UHRI_MARKERS.some((m) => keys.has(m.toLowerCase()));
}
