import { describe, expect, it } from 'vitest';
import { affectedLabel, affectedOptions } from '../../shared/themes/affectedPersons.ts';
import { themeLabel } from '../../shared/themes/uprThemes.ts';

/** The Index's groups of persons are shown in the reader's language; what is stored (and filtered on) stays as written. */
describe('affected persons in the reader’s language', () => {
  it('names the Index’s groups in Russian and Belarusian, however the file wrote them', () => {
    expect(affectedLabel('Persons deprived of their liberty', 'ru')).toBe('Лица, лишённые свободы');
    expect(affectedLabel('Persons deprived of their liberty', 'be')).toBe('Асобы, пазбаўленыя волі');
    expect(affectedLabel('Refugees & asylum-seekers', 'ru-RU')).toBe('Беженцы и лица, ищущие убежища');
    expect(affectedLabel('refugees and asylum seekers', 'be')).toBe('Бежанцы і асобы, якія шукаюць прытулку');
    expect(affectedLabel('  WOMEN &  girls ', 'ru')).toBe('Женщины и девочки');
    expect(affectedLabel('Persons with disabilities', 'en')).toBe('Persons with disabilities');
  });

  it('shows any other group as written', () => {
    expect(affectedLabel('Political prisoners', 'ru')).toBe('Political prisoners');
    expect(affectedLabel('Политзаключённые', 'be')).toBe('Политзаключённые');
  });

  it('offers filter choices by the stored value, ordered by what the reader sees', () => {
    expect(affectedOptions(['Roma', 'Children', 'Migrants'], 'ru')).toEqual([
      { value: 'Children', label: 'Дети' },
      { value: 'Migrants', label: 'Мигранты' },
      { value: 'Roma', label: 'Рома' },
    ]);
  });

  it('leaves UPR themes read as before, hyphens and all', () => {
    expect(themeLabel('Asylum-seekers - refugees', 'ru')).toBe('Лица, ищущие убежища, и беженцы');
    expect(themeLabel('HIV - Aids', 'be')).toBe('ВІЧ/СНІД');
    expect(themeLabel('Counter-terrorism', 'ru')).toBe('Борьба с терроризмом');
  });
});
