// A time zone west of UTC, set before any date is formatted: a calendar day must not slip to the
// day before, while a moment is shown in the reader's own zone.
process.env.TZ = 'Pacific/Honolulu';

import { describe, expect, it } from 'vitest';
import {
  belarusianDate,
  belarusianDateTime,
  belarusianFileSize,
  belarusianLanguageName,
  belarusianList,
  formatDate,
  formatDateTime,
  formatFileSize,
  formatLanguageName,
  formatList,
  formatMoney,
  formatNumber,
  formatPercent,
  formatterFor,
} from '../../client/i18n/format.ts';

/** Intl separates groups and units with no-break spaces; compared as plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('one format style per language', () => {
  it('writes a calendar day the same day in every time zone, the month in words', () => {
    expect(formatDate('2026-12-03', 'en')).toBe('3 December 2026');
    expect(plain(formatDate('2026-12-03', 'be'))).toBe('3 снежня 2026 г.');
    expect(plain(formatDate('2026-12-03', 'ru'))).toBe('3 декабря 2026 г.');
  });

  it("writes a moment in the reader's time zone, to the minute", () => {
    // 05:00 UTC on the 3rd is 19:00 on the 2nd in Honolulu.
    expect(plain(formatDateTime('2026-12-03T05:00:00Z', 'en'))).toBe('2 December 2026 at 19:00');
    expect(plain(formatDateTime('2026-12-03T05:00:00Z', 'be'))).toBe('2 снежня 2026 г. у 19:00');
    expect(plain(formatDateTime('2026-12-03T05:00:00Z', 'ru'))).toBe('2 декабря 2026 г. в 19:00');
    expect(formatDateTime(Date.parse('2026-12-03T05:00:00Z'), 'en')).toBe(formatDateTime('2026-12-03T05:00:00Z', 'en'));
    expect(formatDate('2026-12-03T05:00:00Z', 'en')).toBe('2 December 2026');
  });

  it('leaves what is not a date as it was written, rather than "Invalid Date"', () => {
    expect(formatDate('sometime in 2027', 'ru')).toBe('sometime in 2027');
    expect(formatDateTime('', 'en')).toBe('');
  });

  it('groups numbers and writes the decimal sign as each language does', () => {
    expect(formatNumber(1234567.891, 'en')).toBe('1,234,567.89');
    expect(plain(formatNumber(1234567.891, 'be'))).toBe('1 234 567,89');
    expect(plain(formatNumber(1234567.891, 'ru'))).toBe('1 234 567,89');
    expect(formatNumber(2.5, 'en', 0)).toBe('3');
  });

  it('writes money with its ISO code, never a symbol, and keeps a code Intl cannot read', () => {
    expect(plain(formatMoney(1200, 'BYN', 'en'))).toBe('BYN 1,200.00');
    expect(plain(formatMoney(12_000, 'BYN', 'be'))).toBe('12 000,00 BYN');
    expect(plain(formatMoney(1200.5, 'EUR', 'ru'))).toBe('1 200,50 EUR');
    expect(formatMoney(1200, null, 'en')).toBe('1,200');
    expect(plain(formatMoney(1200, 'euro', 'ru'))).toBe('1 200 euro');
  });

  it('writes file sizes in decimal units, bytes in words with the plural the number takes', () => {
    expect(formatFileSize(43, 'en')).toBe('43\u00a0bytes');
    expect(plain(formatFileSize(1, 'en'))).toBe('1 byte');
    expect(plain(formatFileSize(0, 'en'))).toBe('0 bytes');
    expect(plain(formatFileSize(12_500, 'en'))).toBe('12.5 kB');
    expect(plain(formatFileSize(1_200_000, 'en'))).toBe('1.2 MB');
    expect(plain(formatFileSize(3_100_000, 'en'))).toBe('3.1 MB');
    expect(plain(formatFileSize(2_500_000_000, 'en'))).toBe('2.5 GB');
    expect(plain(formatFileSize(43, 'ru'))).toBe('43 байта');
    expect(plain(formatFileSize(21, 'ru'))).toBe('21 байт');
    expect(plain(formatFileSize(840, 'ru'))).toBe('840 байт');
    expect(plain(formatFileSize(12_500, 'ru'))).toBe('12,5 кБ');
    expect(plain(formatFileSize(3_100_000, 'ru'))).toBe('3,1 МБ');
    expect(plain(formatFileSize(43, 'be'))).toBe('43 байты');
    expect(plain(formatFileSize(840, 'be'))).toBe('840 байт');
    expect(plain(formatFileSize(12_500, 'be'))).toBe('12,5 КБ');
    // Number and unit stay on one line.
    expect(formatFileSize(18_200, 'en')).toBe('18.2\u00a0kB');
  });

  it('writes shares as whole percents, lists with the language’s "and", and language names in the reader’s language', () => {
    expect(formatPercent(9, 20, 'en')).toBe('45%');
    expect(plain(formatPercent(9, 20, 'ru'))).toBe('45 %');
    expect(formatPercent(0, 0, 'en')).toBe('0%');
    expect(formatList(['Olga', 'Nina', 'Maryna'], 'en')).toBe('Olga, Nina, and Maryna');
    expect(formatList(['Вольга', 'Ніна', 'Марына'], 'be')).toBe('Вольга, Ніна і Марына');
    expect(formatList(['Ольга', 'Нина'], 'ru')).toBe('Ольга и Нина');
    expect(formatLanguageName('ru', 'en')).toBe('Russian');
    expect(formatLanguageName('ru', 'be')).toBe('руская');
    expect(formatLanguageName('be', 'ru')).toBe('белорусский');
    expect(formatLanguageName('not a tag!', 'en')).toBe('not a tag!');
  });

  it('binds every formatter to one language (what useFormat gives a component)', () => {
    const be = formatterFor('be');
    expect(be.lng).toBe('be');
    expect(plain(be.date('2026-12-03'))).toBe('3 снежня 2026 г.');
    expect(plain(be.money(5, 'BYN'))).toBe('5,00 BYN');
    // Belarusian groups from five digits on: 1000 but 10 000.
    expect(plain(be.number(1000))).toBe('1000');
    expect(plain(be.number(10_000))).toBe('10 000');
    expect(plain(be.fileSize(1_500))).toBe('1,5 КБ');
  });
});

describe('Belarusian where the browser has no Belarusian (Chromium)', () => {
  // Node has full ICU: what Accord writes itself must read as ICU writes Belarusian.
  const icu = (options: Intl.DateTimeFormatOptions, d: Date) => plain(new Intl.DateTimeFormat('be', options).format(d));
  const moments = ['2026-01-09T07:05:00Z', '2026-05-31T23:59:00Z', '2027-12-05T21:44:00Z', '2026-08-01T00:00:00Z'].map((m) => new Date(m));

  it('writes days and moments as ICU does, each month in its own form', () => {
    for (let month = 0; month < 12; month++) {
      const d = new Date(Date.UTC(2026, month, 15, 12));
      expect(belarusianDate(d, true)).toBe(icu({ dateStyle: 'long', timeZone: 'UTC' }, d));
    }
    for (const d of moments) {
      expect(belarusianDate(d, false)).toBe(icu({ dateStyle: 'long' }, d));
      expect(belarusianDateTime(d)).toBe(icu({ dateStyle: 'long', timeStyle: 'short' }, d));
    }
  });

  it('writes file sizes as ICU does: bytes in words in each plural form, larger units by their signs', () => {
    const size = (unit: string, unitDisplay: 'long' | 'short', value: number) =>
      plain(new Intl.NumberFormat('be', { style: 'unit', unit, unitDisplay, maximumFractionDigits: 1 }).format(value));
    for (const bytes of [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 43, 101, 111, 112, 999]) expect(plain(belarusianFileSize(bytes)), `${bytes}`).toBe(size('byte', 'long', bytes));
    expect(plain(belarusianFileSize(1_000))).toBe(size('kilobyte', 'short', 1));
    expect(plain(belarusianFileSize(12_500))).toBe(size('kilobyte', 'short', 12.5));
    expect(plain(belarusianFileSize(3_100_000))).toBe(size('megabyte', 'short', 3.1));
    expect(plain(belarusianFileSize(2_500_000_000))).toBe(size('gigabyte', 'short', 2.5));
  });

  it('writes lists and the names of the languages of recommendations as ICU does', () => {
    const lists = [[], ['Мінюст'], ['Мінюст', 'МУС'], ['Мінюст', 'МУС', 'Генпракуратура']];
    for (const items of lists) expect(belarusianList(items)).toBe(new Intl.ListFormat('be', { style: 'long', type: 'conjunction' }).format(items));
    const names = new Intl.DisplayNames('be', { type: 'language' });
    for (const code of ['be', 'ru', 'uk', 'pl', 'en', 'fr', 'de', 'es', 'ar', 'zh']) expect(belarusianLanguageName(code)).toBe(names.of(code));
    expect(belarusianLanguageName('xx')).toBe('xx');
  });
});
