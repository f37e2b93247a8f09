import type { FormatterModule } from 'i18next';
import { formatNumber } from './format.ts';

/**
 * Numbers inside translated sentences ("{{count}} sections") in the reader's way of writing them:
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

export const numberFormatter: FormatterModule = {
  type: 'formatter',
  init() {},
  add() {},
  addCached() {},
  format(value, format, lng, options) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return value;
    if (typeof options?.interpolationkey === 'string' && YEAR_KEYS.has(options.interpolationkey)) return value;
    if (format && format !== 'number') return value;
    return formatNumber(value, lng ?? 'en');
  },
};
