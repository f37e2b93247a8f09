import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * One way to write dates, numbers, money and sizes, in the reader's language (issue #17): a
 * Belarusian reader sees "3 снежня 2026 г." and "1 234,5", an English one "3 December 2026" and
 * "1,234.5". Components use `useFormat()`; code outside React passes the language itself.
 *
 * Intl objects are cached per language and style: tables format hundreds of cells per render.
 */

type Formatter = Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat | Intl.DisplayNames | Intl.PluralRules;
const cache = new Map<string, Formatter>();
function cached<F extends Formatter>(key: string, make: () => F): F {
  let found = cache.get(key) as F | undefined;
  if (!found) cache.set(key, (found = make()));
  return found;
}

/**
 * Chromium (Chrome, Edge, the browser most readers use) ships its Intl data without Belarusian:
 * asked for 'be', every formatter answers in English ("December 5, 2026", "1,234.5", "a, b, and
 * c", "French"). Where the browser lacks Belarusian, Accord writes it itself, as ICU does
 * (tests/unit/format.test.ts compares the two under Node's full ICU): numbers as Russian writes
 * them, which Belarusian shares (1 234,5), and dates, lists and language names below.
 */
const hasLocale = new Map<string, boolean>();
function browserSpeaks(lng: string): boolean {
  let has = hasLocale.get(lng);
  if (has === undefined) hasLocale.set(lng, (has = Intl.DateTimeFormat.supportedLocalesOf([lng]).length > 0));
  return has;
}
/** The locale numbers (and days in figures) are written in: Belarusian writes them as Russian does. */
export const numbersIn = (lng: string) => (lng === 'be' && !browserSpeaks('be') ? 'ru' : lng);
/**
 * The locale dates are written in. English is British English, as Accord's e-mails, exports and
 * public pages write it ("6 December 2026", "06/12/2026", 24-hour clock): the day-month-year order
 * ministries, NGOs and UN observers read, never "December 6" or a month first in figures.
 */
export const datesIn = (lng: string) => (lng === 'en' ? 'en-GB' : lng);

const BE_MONTHS = ['студзеня', 'лютага', 'сакавіка', 'красавіка', 'мая', 'чэрвеня', 'ліпеня', 'жніўня', 'верасня', 'кастрычніка', 'лістапада', 'снежня'];
const BE_LANGUAGES: Record<string, string> = {
  be: 'беларуская',
  ru: 'руская',
  uk: 'украінская',
  pl: 'польская',
  en: 'англійская',
  fr: 'французская',
  de: 'нямецкая',
  es: 'іспанская',
  ar: 'арабская',
  zh: 'кітайская',
};
const two = (n: number) => String(n).padStart(2, '0');

/** "5 снежня 2026 г.", in UTC for a calendar day, else in the reader's time zone. */
export function belarusianDate(d: Date, utc: boolean): string {
  return utc ? `${d.getUTCDate()} ${BE_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} г.` : `${d.getDate()} ${BE_MONTHS[d.getMonth()]} ${d.getFullYear()} г.`;
}
/** "5 снежня 2026 г. у 21:44", in the reader's time zone. */
export const belarusianDateTime = (d: Date): string => `${belarusianDate(d, false)} у ${two(d.getHours())}:${two(d.getMinutes())}`;
/** "a, b і c". */
export function belarusianList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} і ${items.at(-1)}`;
}
/** A language's name in Belarusian, for the languages Accord's texts come in; others as their code. */
export const belarusianLanguageName = (code: string): string => BE_LANGUAGES[code] ?? code;

/** A calendar day ("2027-05-31", e.g. a due date) names the same day everywhere, whatever the reader's time zone. */
const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** Only ISO dates are read as dates: the browser's lenient parser takes "sometime in 2027" for 1 January. */
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function toDate(value: string | number | Date): Date | null {
  if (typeof value === 'string' && !ISO.test(value)) return null;
  const d = value instanceof Date ? value : new Date(typeof value === 'string' && DAY_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A day: "3 December 2026", "3 снежня 2026 г.". Calendar days ("2026-12-03") are not shifted by time zone. */
export function formatDate(value: string | number | Date, lng: string): string {
  const d = toDate(value);
  if (!d) return String(value);
  const dayOnly = typeof value === 'string' && DAY_ONLY.test(value);
  if (lng === 'be' && !browserSpeaks('be')) return belarusianDate(d, dayOnly);
  const timeZone = dayOnly ? 'UTC' : undefined;
  return cached(`date|${lng}|${timeZone}`, () => new Intl.DateTimeFormat(datesIn(lng), { dateStyle: 'long', timeZone })).format(d);
}

/** A moment, to the minute, in the reader's time zone: "3 December 2026 at 14:05", "3 снежня 2026 г. у 14:05". */
export function formatDateTime(value: string | number | Date, lng: string): string {
  const d = toDate(value);
  if (!d) return String(value);
  if (lng === 'be' && !browserSpeaks('be')) return belarusianDateTime(d);
  return cached(`datetime|${lng}`, () => new Intl.DateTimeFormat(datesIn(lng), { dateStyle: 'long', timeStyle: 'short' })).format(d);
}

/** A number with the language's grouping and decimal sign: "1,234.5", "1 234,5". */
export function formatNumber(value: number, lng: string, maximumFractionDigits = 2): string {
  const locale = numbersIn(lng);
  return cached(`number|${locale}|${maximumFractionDigits}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits })).format(value);
}

/** A share of a whole, rounded to a whole percent: "45%", "45 %". Zero of nothing is 0%. */
export function formatPercent(part: number, whole: number, lng: string): string {
  const locale = numbersIn(lng);
  return cached(`percent|${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 })).format(whole === 0 ? 0 : part / whole);
}

/**
 * An amount with its ISO currency code, never a symbol ("BYN 1,200.00", "1 200,00 BYN"): "Br" or
 * "$" is ambiguous in an international plan. A code Intl does not know is written after the number.
 */
export function formatMoney(amount: number, currency: string | null, lng: string): string {
  if (currency) {
    try {
      const locale = numbersIn(lng);
      return cached(`money|${locale}|${currency}`, () =>
        new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', maximumFractionDigits: 2 }),
      ).format(amount);
    } catch {
      // not an ISO 4217 code: the number, then the code as written
    }
  }
  const number = formatNumber(amount, lng);
  return currency ? `${number} ${currency}` : number;
}

type SizeUnit = 'byte' | 'kilobyte' | 'megabyte' | 'gigabyte';
/** The size in the largest decimal unit it reaches: 43 bytes, 1.2 MB. */
function sizeIn(bytes: number): [number, SizeUnit] {
  return bytes < 1000 ? [bytes, 'byte'] : bytes < 1_000_000 ? [bytes / 1000, 'kilobyte'] : bytes < 1e9 ? [bytes / 1_000_000, 'megabyte'] : [bytes / 1e9, 'gigabyte'];
}

/**
 * A file size in decimal units, as every screen that shows one writes it: "43 bytes", "12.5 kB",
 * "1.2 MB"; "43 байта", "12,5 кБ"; "43 байты", "12,5 КБ". Bytes in words, with the plural the
 * number takes (the short sign is "byte" in English, "43 byte", and "Б" in Russian), the larger
 * units by their signs.
 */
export function formatFileSize(bytes: number, lng: string): string {
  const [value, unit] = sizeIn(bytes);
  const unitDisplay = unit === 'byte' ? 'long' : 'short';
  const written =
    lng === 'be' && !browserSpeaks('be')
      ? belarusianFileSize(bytes)
      : cached(`size|${lng}|${unit}`, () => new Intl.NumberFormat(lng, { style: 'unit', unit, unitDisplay, maximumFractionDigits: 1 })).format(value);
  // Never "18.2" at the end of a line and "kB" on the next, in a narrow table column.
  return written.replace(/ /g, '\u00a0');
}

/** Belarusian words for bytes by plural form (its forms fall as Russian's do), and the signs of the larger units. */
const BE_BYTES: Partial<Record<Intl.LDMLPluralRule, string>> = { one: 'байт', few: 'байты', many: 'байт', other: 'байта' };
const BE_SIZE_SIGNS: Record<Exclude<SizeUnit, 'byte'>, string> = { kilobyte: 'КБ', megabyte: 'МБ', gigabyte: 'ГБ' };
/** "43 байты", "1 байт", "12,5 КБ", "3,1 МБ". */
export function belarusianFileSize(bytes: number): string {
  const [value, unit] = sizeIn(bytes);
  const number = formatNumber(value, 'ru', 1);
  if (unit !== 'byte') return `${number} ${BE_SIZE_SIGNS[unit]}`;
  const form = cached('plural|ru', () => new Intl.PluralRules('ru')).select(value);
  return `${number} ${BE_BYTES[form] ?? BE_BYTES.other}`;
}

/** "a, b and c" / "a, b і c" / "a, b и c". */
export function formatList(items: readonly string[], lng: string): string {
  if (lng === 'be' && !browserSpeaks('be')) return belarusianList(items);
  return cached(`list|${lng}`, () => new Intl.ListFormat(lng, { style: 'long', type: 'conjunction' })).format(items);
}

/** A language code as a name in the reader's language ("ru" → "Russian", "русский"); an unknown code as written. */
export function formatLanguageName(code: string, lng: string): string {
  if (lng === 'be' && !browserSpeaks('be')) return belarusianLanguageName(code);
  try {
    return cached(`language|${lng}`, () => new Intl.DisplayNames(lng, { type: 'language', fallback: 'code' })).of(code) ?? code;
  } catch {
    return code; // not a well-formed language tag
  }
}

/**
 * Every ISO 4217 code the browser knows with its name in the reader's language ("BYN",
 * "Belarusian Ruble" / "белорусский рубль"), by code. A browser without Belarusian names them in
 * Russian, as it writes numbers.
 */
export function currencyOptions(lng: string): Array<[code: string, name: string]> {
  const names = cached(`currency|${numbersIn(lng)}`, () => new Intl.DisplayNames(numbersIn(lng), { type: 'currency', fallback: 'code' }));
  return Intl.supportedValuesOf('currency').map((code) => [code, names.of(code) ?? code]);
}

export interface Format {
  lng: string;
  date(value: string | number | Date): string;
  dateTime(value: string | number | Date): string;
  number(value: number, maximumFractionDigits?: number): string;
  percent(part: number, whole: number): string;
  money(amount: number, currency: string | null): string;
  fileSize(bytes: number): string;
  list(items: readonly string[]): string;
  languageName(code: string): string;
}

export function formatterFor(lng: string): Format {
  return {
    lng,
    date: (v) => formatDate(v, lng),
    dateTime: (v) => formatDateTime(v, lng),
    number: (v, digits) => formatNumber(v, lng, digits),
    percent: (part, whole) => formatPercent(part, whole, lng),
    money: (amount, currency) => formatMoney(amount, currency, lng),
    fileSize: (bytes) => formatFileSize(bytes, lng),
    list: (items) => formatList(items, lng),
    languageName: (code) => formatLanguageName(code, lng),
  };
}

/** The formatters in the page's current language; components re-render when it changes. */
export function useFormat(): Format {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return useMemo(() => formatterFor(lng), [lng]);
}
