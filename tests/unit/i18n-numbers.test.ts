import { beforeAll, describe, expect, it } from 'vitest';
import i18n, { applyLanguage } from '../../client/i18n/index.ts';
import { errorText, fieldErrorText } from '../../client/i18n/errorText.ts';
import { checkSize } from '../../server/import/decode.ts';
import { ImportFileError } from '../../server/import/errors.ts';

/** Intl separates groups with no-break spaces; compared as plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/**
 * A number put into a translated sentence is written the reader's way, whatever call put it
 * there: grouped and with the language's decimal sign, while the plural form still follows the
 * number itself. Text that only looks like a number (a year, a reference) is left as written.
 */
describe('numbers inside translated sentences', () => {
  beforeAll(async () => {
    await applyLanguage('en');
    await applyLanguage('be');
    await applyLanguage('ru');
  });

  it('groups a count in English, Belarusian and Russian', async () => {
    await applyLanguage('en');
    expect(i18n.t('plan.agreedCount', { agreed: 1200, count: 1250 })).toBe('1,200 of 1,250 sections agreed');
    // Belarusian groups from five digits on (CLDR: a four-digit number is written whole), the
    // same as everywhere else the interface writes a number.
    await applyLanguage('be');
    expect(plain(i18n.t('plan.agreedCount', { agreed: 1200, count: 12500 }))).toBe('Узгоднена раздзелаў: 1200 з 12 500');
    await applyLanguage('ru');
    expect(plain(i18n.t('plan.agreedCount', { agreed: 1200, count: 1250 }))).toBe('Согласовано разделов: 1 200 из 1 250');
  });

  it('still picks the plural form from the number, not from its written form', async () => {
    await applyLanguage('en');
    expect(i18n.t('plan.agreedCount', { agreed: 1, count: 1 })).toBe('1 of 1 section agreed');
    expect(i18n.t('plan.agreedCount', { agreed: 0, count: 1001 })).toBe('0 of 1,001 sections agreed');
  });

  it('writes decimals with the language’s sign and leaves numbers given as text alone', async () => {
    await applyLanguage('ru');
    expect(plain(i18n.t('actions.quarter', { quarter: '3', year: '2027' }))).toMatch(/2027/);
    await applyLanguage('en');
    expect(i18n.t('actions.quarter', { quarter: '3', year: '2027' })).toBe('Q3 2027');
    expect(i18n.t('import.fileHint', { mb: 2.5 })).toContain('2.5');
    await applyLanguage('be');
    expect(plain(i18n.t('import.fileHint', { mb: 2.5 }))).toContain('2,5');
  });

  it('never groups a year given as a number: a plan period or a year field’s bound', async () => {
    await applyLanguage('en');
    expect(i18n.t('plans.meta', { country: 'Belarus', start: 2026, end: 2030 })).toBe('Belarus · 2026–2030');
    expect(i18n.t('fieldErrors.too_small', { min: 1945 })).toBe('Enter 1945 or more.');
    await applyLanguage('ru');
    expect(plain(i18n.t('plans.meta', { country: 'Беларусь', start: 2026, end: 2030 }))).toContain('2026–2030');
  });

  it('ends a sentence with a Russian or Belarusian date once: "…2027 г.", not "г.."', async () => {
    await applyLanguage('ru');
    expect(i18n.t('monitoring.page.roundOpen', { date: '31 января 2027 г.' })).toBe('Открыт: отчёты представляются не позднее 31 января 2027 г.');
    await applyLanguage('be');
    expect(i18n.t('monitoring.page.roundOpen', { date: '31 студзеня 2027 г.' })).toMatch(/2027 г\.$/);
  });

  it('writes a calendar day the server puts in a field’s message as the app writes days, not as stored', async () => {
    // What the server answers for a round due before the plan's adoption (services/monitoring/rounds.ts).
    const said = (lng: 'en' | 'ru' | 'be') => applyLanguage(lng).then(() => plain(fieldErrorText(i18n.t.bind(i18n), 'adopted_before', { date: '2026-12-01' })));
    expect(await said('en')).toBe('Use a date on or after 1 December 2026, when the plan was adopted.');
    expect(await said('ru')).toBe('Введите дату не раньше 1 декабря 2026 г., когда план был утверждён.');
    expect(await said('be')).toBe('Увядзіце дату не раней за 1 снежня 2026 г., калі план быў зацверджаны.');
    // A date the client has already written, and a "date" that is not a calendar day, stay as given.
    await applyLanguage('en');
    expect(i18n.t('monitoring.page.roundOpen', { date: '31 January 2027' })).toBe('Open: reports are due by 31 January 2027.');
    expect(i18n.t('monitoring.page.roundOpen', { date: 'sometime in 2027' })).toBe('Open: reports are due by sometime in 2027.');
  });

  it('writes the size of an import file that is too large with the reader’s decimal sign', async () => {
    // What the server answers for a 25.3 MB file, as the browser words it (routes/recommendations.ts).
    let refused: ImportFileError | undefined;
    try {
      checkSize(new Uint8Array(Math.round(25.3 * 1024 * 1024)));
    } catch (err) {
      refused = err as ImportFileError;
    }
    expect(refused).toBeInstanceOf(ImportFileError);
    const params = { problem: refused!.code, ...refused!.params };
    const said = (lng: 'en' | 'ru' | 'be') => applyLanguage(lng).then(() => plain(errorText(i18n.t.bind(i18n), 'import_file_invalid', params)));
    expect(await said('en')).toContain('The file is 25.3 MB; the most Accord imports at once is 20 MB.');
    expect(await said('ru')).toContain('Размер файла — 25,3 МБ; за один раз Accord импортирует не более 20 МБ.');
    expect(await said('be')).toContain('Памер файла — 25,3 МБ; за адзін раз Accord імпартуе не больш за 20 МБ.');
  });
});
