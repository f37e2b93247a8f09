import { describe, expect, it } from 'vitest';
import { indicatorMeasure, measuredText, yesNoAnswer } from '../../shared/indicators/yesNo.ts';

/** A structural indicator written "No" → "Yes", in any of the plan's languages, is answered yes or no. */
describe('yes/no indicators', () => {
  it('reads yes and no as people write them in en, ru and be', () => {
    expect(['Yes', 'yes.', ' YES ', 'Да', 'да', 'Так'].map(yesNoAnswer)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(['No', 'no', 'Нет', 'нет.', 'Не'].map(yesNoAnswer)).toEqual([0, 0, 0, 0, 0]);
    expect(['', null, undefined, '0', '1', 'Not yet', 'Нет данных', 'yes, in part'].map(yesNoAnswer)).toEqual([null, null, null, null, null, null, null, null]);
  });

  it('is yes/no when both baseline and target are a yes or a no', () => {
    expect(indicatorMeasure({ baselineValue: 'No', targetValue: 'Yes' })).toBe('yes_no');
    expect(indicatorMeasure({ baselineValue: 'Нет', targetValue: 'Да' })).toBe('yes_no');
    expect(indicatorMeasure({ baselineValue: 'Так', targetValue: 'Так' })).toBe('yes_no');
    // A target of «нет» alone is "none", a count: 1 must never read as «да».
    expect(indicatorMeasure({ baselineValue: null, targetValue: 'Нет' })).toBe('number');
    expect(indicatorMeasure({ baselineValue: '  ', targetValue: 'No' })).toBe('number');
    expect(indicatorMeasure({ baselineValue: '12', targetValue: 'Yes' })).toBe('number');
    expect(indicatorMeasure({ baselineValue: 'No', targetValue: '40' })).toBe('number');
    expect(indicatorMeasure({ baselineValue: null, targetValue: null })).toBe('number');
  });

  it('writes 1 and 0 as words only for a yes/no indicator', () => {
    const words = { yes: 'Так', no: 'Не' };
    expect(measuredText(1, 'yes_no', words)).toBe('Так');
    expect(measuredText(0, 'yes_no', words)).toBe('Не');
    expect(measuredText(1, 'number', words)).toBe('1');
    expect(measuredText(1200, undefined, words, (n) => n.toLocaleString('en'))).toBe('1,200');
    // A value stored before the indicator's words made it yes/no stays a number, never a wrong word.
    expect(measuredText(7, 'yes_no', words)).toBe('7');
  });
});
