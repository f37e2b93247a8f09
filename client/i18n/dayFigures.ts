import { datesIn, numbersIn } from './format.ts';

/**
 * A calendar day written in figures as the reader's language writes it, for fields where people
 * type one: "05.12.2026" in Russian and Belarusian, "05/12/2026" in English (day first, as the app
 * writes "5 December 2026"). The browser's own date input follows the browser's locale, not
 * Accord's language (a Russian interface in an American browser asks for mm/dd/yyyy, and `lang`
 * does not change that in Chromium), so these fields are text read by the same rules format.ts
 * writes with. Days are kept as ISO ("2026-12-05").
 */

export type DayPart = 'day' | 'month' | 'year';
export interface DayPattern {
  /** The parts in the order the language writes them. */
  order: DayPart[];
  /** What stands between them: ".", "/". */
  separator: string;
}

const patterns = new Map<string, DayPattern>();

/** How `lng` writes a day in figures, as Intl writes it (Belarusian as Russian where the browser lacks it, English as British English). */
export function dayPattern(lng: string): DayPattern {
  const locale = datesIn(numbersIn(lng));
  let found = patterns.get(locale);
  if (!found) {
    const parts = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).formatToParts(new Date(Date.UTC(2026, 11, 5)));
    const order = parts.map((p) => p.type).filter((t): t is DayPart => t === 'day' || t === 'month' || t === 'year');
    const separator = parts.find((p) => p.type === 'literal')?.value ?? '.';
    found = order.length === 3 ? { order, separator } : { order: ['day', 'month', 'year'], separator: '.' };
    patterns.set(locale, found);
  }
  return found;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const two = (n: number) => String(n).padStart(2, '0');

/** "2026-12-05" as `lng` writes it in figures ("05.12.2026"); anything else as it is. */
export function formatDayFigures(iso: string, lng: string): string {
  const m = ISO_DAY.exec(iso);
  if (!m) return iso;
  const values: Record<DayPart, string> = { year: m[1]!, month: m[2]!, day: m[3]! };
  const { order, separator } = dayPattern(lng);
  return order.map((p) => values[p]).join(separator);
}

/** The pattern to show beside a field, in the reader's letters: "ДД.ММ.ГГГГ", "DD/MM/YYYY". */
export function dayPatternHint(lng: string, letters: Record<DayPart, string>): string {
  const { order, separator } = dayPattern(lng);
  return order.map((p) => letters[p]).join(separator);
}

export type DayReading = { ok: true; iso: string } | { ok: false; reason: 'format' | 'impossible' };

/**
 * What someone typed, read as a day in `lng`'s order: one or two figures for day and month, four
 * for the year, separated by any of . / - or a space ("5.12.2026", "05/12/2026"). An ISO day
 * ("2026-12-05", pasted from elsewhere) is read as such. A day the calendar does not have
 * (31.02.2026) is told apart from text that is not a day at all.
 */
export function parseDayFigures(text: string, lng: string): DayReading {
  const value = text.trim();
  const iso = ISO_DAY.exec(value);
  let year: number, month: number, day: number;
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const pieces = value.split(/\s*[./\-\s]\s*/);
    if (pieces.length !== 3 || !pieces.every((p) => /^\d+$/.test(p))) return { ok: false, reason: 'format' };
    const { order } = dayPattern(lng);
    const at = (part: DayPart) => pieces[order.indexOf(part)]!;
    if (at('year').length !== 4 || at('month').length > 2 || at('day').length > 2) return { ok: false, reason: 'format' };
    [year, month, day] = [Number(at('year')), Number(at('month')), Number(at('day'))];
  }
  const d = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || day < 1 || d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return { ok: false, reason: 'impossible' };
  }
  return { ok: true, iso: `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}` };
}
