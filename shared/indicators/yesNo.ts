/**
 * Yes/no indicators. A structural indicator usually asks whether something exists: "The Optional
 * Protocol is ratified", "An independent national human rights institution is established". Its
 * drafters write the baseline and target as words ("No" → "Yes"), in whichever of the plan's
 * languages they work in, and implementers then report 1 or 0 with no way to know which means what.
 *
 * An indicator is yes/no when both its baseline and its target are one of these words; nothing new
 * is stored, so what was signed stays what it was. Reported values are then 1 (yes) or 0 (no), and
 * every view shows them as words. Both are needed: a target of «нет» or "no" alone often means
 * "none" (death sentences a year), a count, where 1 must not read as «да».
 */

export type IndicatorMeasure = 'number' | 'yes_no';

// Lower-case, as people write them in en, ru and be; "не" is Belarusian "no".
const YES = new Set(['yes', 'да', 'так']);
const NO = new Set(['no', 'нет', 'не']);

/** 1 for a written "yes", 0 for "no" (any case, a final full stop allowed), else null. */
export function yesNoAnswer(text: string | null | undefined): 1 | 0 | null {
  if (!text) return null;
  const word = text.trim().replace(/\.$/, '').toLowerCase();
  if (YES.has(word)) return 1;
  if (NO.has(word)) return 0;
  return null;
}

/** Whether an indicator is measured as yes/no (see above) or as a number. */
export function indicatorMeasure(indicator: { baselineValue: string | null; targetValue: string | null }): IndicatorMeasure {
  return yesNoAnswer(indicator.baselineValue) !== null && yesNoAnswer(indicator.targetValue) !== null ? 'yes_no' : 'number';
}

/** The values a yes/no indicator may record. */
export const isYesNoValue = (value: number) => value === 0 || value === 1;

/** A value as people read it: the word for a yes/no indicator's 1 or 0, otherwise the number as `number` writes it. */
export function measuredText(
  value: number,
  measure: IndicatorMeasure | undefined,
  words: { yes: string; no: string },
  number: (n: number) => string = String,
): string {
  if (measure === 'yes_no' && isYesNoValue(value)) return value === 1 ? words.yes : words.no;
  return number(value);
}
