import type { FormatterModule } from 'i18next';
import { formatDate, formatNumber } from './format.ts';

/**
 * Numbers (and the server's calendar days, below) inside translated sentences ("{{count}} sections") in the reader's way of writing them:
 * "1,200 sections", "1 200 раздзелаў", not "1200" (issue #17). i18next calls this for every value
 * it puts into a sentence (`interpolation.alwaysFormat`), so no call site has to remember to
 * format its numbers. Only real numbers are touched: a year or a reference is passed as text and
 * stays as written, as does a year given as a number (YEAR_KEYS). Plural choice still uses the raw count.
 *
 * It replaces i18next's own formatter, whose named formats ("{{x, number}}") no sentence uses;
 * `number` is kept so a translator writing one still gets the same result.
 */
/**
 * Values that are often a calendar year, written as a number by the API: a plan's period
 * ("2026–2030"), a quarter's year, and a field's bounds ("Enter 1945 or more"). A year is never
 * grouped ("2,026"), so these stay as written; a bound that is a length rarely reaches a thousand.
 */
const YEAR_KEYS = new Set(['start', 'end', 'year', 'min', 'max']);

/**
 * A calendar day the server sends inside a message's values ("2026-12-01": the plan's adoption,
 * before which no report can be due) is written as the app writes days, "1 December 2026",
 * "1 декабря 2026 г.", not as stored. Days the client words itself arrive already written.
 */
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const valueFormatter: FormatterModule = {
  type: 'formatter',
  init() {},
  add() {},
  addCached() {},
  format(value, format, lng, options) {
    if (typeof value === 'string' && options?.interpolationkey === 'date' && ISO_DAY.test(value)) return formatDate(value, lng ?? 'en');
    if (typeof value !== 'number' || !Number.isFinite(value)) return value;
    if (typeof options?.interpolationkey === 'string' && YEAR_KEYS.has(options.interpolationkey)) return value;
    if (format && format !== 'number') return value;
    return formatNumber(value, lng ?? 'en');
  },
};
