import { describe, expect, it } from 'vitest';
import { themeLabel, themeOptions } from '../../shared/themes/uprThemes.ts';

/** UPR Info's issue names are shown in the reader's language; what is stored (and filtered on) stays as written. */
describe('UPR themes in the reader’s language', () => {
  it('names UPR Info’s issues in Russian and Belarusian, however the file cased or quoted them', () => {
    expect(themeLabel('Torture and other CID treatment', 'ru')).toBe('Пытки и другие жестокие, бесчеловечные или унижающие достоинство виды обращения');
    expect(themeLabel('Women’s rights', 'be')).toBe('Правы жанчын');
    expect(themeLabel("women's  RIGHTS", 'ru-RU')).toBe('Права женщин');
    expect(themeLabel('Torture and other CID treatment', 'en')).toBe('Torture and other CID treatment');
  });

  it('shows any other theme as written', () => {
    expect(themeLabel('Administration of justice', 'ru')).toBe('Administration of justice');
    expect(themeLabel('Пенитенциарная система', 'be')).toBe('Пенитенциарная система');
  });

  it('offers filter choices by the stored value, ordered by what the reader sees', () => {
    expect(themeOptions(['Trafficking', 'Death penalty', 'Elections'], 'ru')).toEqual([
      { value: 'Elections', label: 'Выборы' },
      { value: 'Death penalty', label: 'Смертная казнь' },
      { value: 'Trafficking', label: 'Торговля людьми' },
    ]);
  });
});
