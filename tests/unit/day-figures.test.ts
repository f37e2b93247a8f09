import { describe, expect, it } from 'vitest';
import { dayPattern, dayPatternHint, formatDayFigures, parseDayFigures } from '../../client/i18n/dayFigures.ts';

/** Days typed as the interface language writes them in figures, kept as ISO days. */
describe('days in figures', () => {
  it('writes an ISO day as each language does', () => {
    expect(formatDayFigures('2026-12-05', 'ru')).toBe('05.12.2026');
    expect(formatDayFigures('2026-12-05', 'be')).toBe('05.12.2026');
    expect(formatDayFigures('2026-12-05', 'en')).toBe('05/12/2026');
    expect(formatDayFigures('', 'ru')).toBe('');
    expect(dayPattern('ru')).toEqual({ order: ['day', 'month', 'year'], separator: '.' });
    expect(dayPatternHint('en', { day: 'DD', month: 'MM', year: 'YYYY' })).toBe('DD/MM/YYYY');
  });

  it('reads a day back in the language’s order, with one or two figures for day and month', () => {
    expect(parseDayFigures('05.12.2026', 'ru')).toEqual({ ok: true, iso: '2026-12-05' });
    expect(parseDayFigures(' 5.12.2026 ', 'be')).toEqual({ ok: true, iso: '2026-12-05' });
    expect(parseDayFigures('5/12/2026', 'ru')).toEqual({ ok: true, iso: '2026-12-05' });
    expect(parseDayFigures('05/12/2026', 'en')).toEqual({ ok: true, iso: '2026-12-05' });
    expect(parseDayFigures('12/05/2026', 'en')).toEqual({ ok: true, iso: '2026-05-12' });
    expect(parseDayFigures('2026-12-05', 'ru')).toEqual({ ok: true, iso: '2026-12-05' });
    expect(parseDayFigures('29.02.2028', 'ru')).toEqual({ ok: true, iso: '2028-02-29' });
  });

  it('tells a day the calendar does not have from text that is no day', () => {
    expect(parseDayFigures('31.02.2026', 'ru')).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDayFigures('29.02.2027', 'be')).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDayFigures('05.13.2026', 'ru')).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDayFigures('00.12.2026', 'ru')).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDayFigures('5 декабря', 'ru')).toEqual({ ok: false, reason: 'format' });
    expect(parseDayFigures('05.12.26', 'ru')).toEqual({ ok: false, reason: 'format' });
    expect(parseDayFigures('05.12', 'ru')).toEqual({ ok: false, reason: 'format' });
    expect(parseDayFigures('2026.12.05', 'ru')).toEqual({ ok: false, reason: 'format' });
  });
});
