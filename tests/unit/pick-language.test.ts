import { describe, expect, it } from 'vitest';
import { pickLanguage } from '../../client/i18n/pickLanguage.ts';

describe('pickLanguage: the language of a first visit', () => {
  it("takes the first of the browser's languages that Accord is written in, by primary subtag", () => {
    expect(pickLanguage(['ru-RU', 'ru', 'en-US'])).toBe('ru');
    expect(pickLanguage(['be-BY'])).toBe('be');
    expect(pickLanguage(['BE'])).toBe('be');
    expect(pickLanguage(['de-DE', 'pl', 'ru', 'be'])).toBe('ru');
    expect(pickLanguage(['en-GB', 'be'])).toBe('en');
    expect(pickLanguage(['uk-UA', 'be-BY', 'ru-RU'])).toBe('be');
  });

  it('does not mistake a longer code for one of ours (a primary subtag matches whole)', () => {
    expect(pickLanguage(['ber', 'rue', 'eng'])).toBe('en');
    expect(pickLanguage(['rue', 'be'])).toBe('be');
  });

  it('falls back to English when nothing matches or nothing is known', () => {
    expect(pickLanguage(['de-DE', 'fr'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
    expect(pickLanguage([''])).toBe('en');
  });

  it('lets a stored choice win over the browser, and ignores a stored value it does not know', () => {
    expect(pickLanguage(['ru-RU'], 'be')).toBe('be');
    expect(pickLanguage(['be'], 'en')).toBe('en');
    expect(pickLanguage(['ru-RU'], 'de')).toBe('ru');
    expect(pickLanguage(['ru-RU'], null)).toBe('ru');
    expect(pickLanguage(['ru-RU'], '')).toBe('ru');
  });
});
