import { createHash } from 'node:crypto';

/**
 * Text helpers shared by the importers. Two kinds of normalisation are kept apart on purpose:
 * {@link cleanText} changes what is stored (whitespace only), {@link compareKey} is for deciding
 * whether two texts are "the same recommendation" and is never stored.
 */

/** Collapses runs of whitespace (including line breaks from wrapped cells) to one space and trims. */
export function cleanText(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * Comparison key: whitespace collapsed, curly quotes and dashes unified, NFC. Two transcriptions of
 * the same recommendation (one with ’ and –, one with ' and -) get the same key.
 */
export function compareKey(text: string): string {
  return cleanText(
    text
      .normalize('NFC')
      .replace(/[‘’‚‛′`´]/g, "'")
      .replace(/[“”„‟″«»]/g, '"')
      .replace(/[‐‑‒–—―−]/g, '-'),
  );
}

/** First 16 hex characters of the SHA-256 of the text's comparison key: stable across re-imports. */
export function textHash(text: string): string {
  return createHash('sha256').update(compareKey(text), 'utf8').digest('hex').slice(0, 16);
}

/**
 * UPR cycle for a Working Group session number. Cycle 1 had 12 sessions (2008–2011); every later
 * cycle has 14: sessions 1–12 → 1, 13–26 → 2, 27–40 → 3, 41–54 → 4, and so on (55–68 → 5).
 * Returns null for anything that is not a positive session number.
 */
export function cycleFromSession(session: string | number | null | undefined): number | null {
  if (session === null || session === undefined) return null;
  const n = typeof session === 'number' ? session : Number.parseInt(String(session).trim(), 10);
  if (!Number.isInteger(n) || n < 1) return null;
  if (n <= 12) return 1;
  const cycle = 2 + Math.floor((n - 13) / 14);
  return cycle <= 20 ? cycle : null;
}

/**
 * The UPR cycle of a Working Group report from its Council symbol (A/HRC/15/16 is a report to the
 * Human Rights Council's 15th session), for a text that names no Working Group session: a report
 * pasted from its conclusions on, or a symbol typed in the import screen. The Council adopts the
 * reports of each Working Group session at one of its next sessions: cycle 1 (Working Group
 * sessions 1–12) at Council sessions 8–19, cycle 2 (13–26) at 21–34, cycle 3 (27–40) at 36–50,
 * cycle 4 (41–54) at 52–65. Without a cycle, the same paragraph of two reports (97.1 of the first
 * and of the second review) would take the same reference. Council sessions between cycles, and
 * those after the fourth cycle, give none rather than a guess.
 */
export function cycleFromCouncilSymbol(symbol: string | null | undefined): number | null {
  const m = /^A\/HRC\/(\d+)\//.exec((symbol ?? '').trim());
  if (!m) return null;
  const session = Number(m[1]);
  if (session >= 8 && session <= 19) return 1;
  if (session >= 21 && session <= 34) return 2;
  if (session >= 36 && session <= 50) return 3;
  if (session >= 52 && session <= 65) return 4;
  return null;
}

/** Splits a comma-separated tag list ("Disabilities,International instruments"), trimmed, no empties. */
export function splitComma(value: string | undefined | null): string[] {
  if (!value) return [];
  return dedupe(value.split(',').map((s) => s.trim()).filter(Boolean));
}

/** Removes repeats, keeping the first occurrence's order. */
export function dedupe<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** Integer 1–5 for a UPR Info action category cell, else null. */
export function actionCategory(value: string | undefined | null): number | null {
  const n = Number((value ?? '').trim());
  return Number.isInteger(n) && n >= 1 && n <= 5 ? n : null;
}

/**
 * True when a position cell says the entry is a voluntary pledge ("Voluntary pledge", "Pledge",
 * "Voluntary commitment", "Добраахвотнае абавязацельства", "Добровольное обязательство"):
 * UPR Info and UHRI list the State's own pledges beside the recommendations it received.
 */
export function isVoluntaryPledge(cell: string): boolean {
  return /\bpledge[sd]?\b|\bvoluntary commitments?\b|добраахвотн\S* абавязац|добровольн\S* обязательств/iu.test(cell.trim());
}

/**
 * Normalises a date cell to YYYY-MM-DD / YYYY-MM / YYYY (the schema's forms), or null.
 * Accepts ISO, "21 June 2010", "June 2010", "21/06/2010" (day first, as UN documents write it).
 */
export function normaliseDate(value: string | undefined | null): string | null {
  const v = (value ?? '').trim();
  if (!v) return null;
  let m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$/.exec(v);
  if (m) return ymd(m[1]!, m[2], m[3]);
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(v);
  if (m) return ymd(m[3]!, m[2], m[1]);
  m = /^(?:(\d{1,2})\s+)?([A-Za-z]+)\s+(\d{4})$/.exec(v);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1;
    if (month > 0) return ymd(m[3]!, String(month), m[1]);
  }
  return null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function ymd(y: string, m?: string, d?: string): string | null {
  const mm = m === undefined ? null : Number(m);
  const dd = d === undefined ? null : Number(d);
  if (mm !== null && (mm < 1 || mm > 12)) return null;
  if (dd !== null && (dd < 1 || dd > 31)) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (mm === null) return y;
  if (dd === null) return `${y}-${pad(mm)}`;
  return `${y}-${pad(mm)}-${pad(dd)}`;
}

/** Letter suffix for the i-th (0-based) recommendation in a paragraph: a…z, then aa, ab… */
export function letterFor(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}
