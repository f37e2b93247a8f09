/**
 * A number as people type it, in any of Accord's languages: spaces between thousands are fine
 * ("12 500", as the app writes numbers in Belarusian and Russian), and so is a decimal comma
 * before the last one or two digits ("12 500,50", "1,5"), which no one writes for anything else.
 * A comma between thousands ("1,200") is refused, as is a point and a comma together: twelve
 * hundred in one country is one point two in the next, and a misread figure in a State's plan or
 * report is worse than a question.
 */
export function typedNumber(s: string): number {
  const text = s.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (text === '') return NaN;
  if (/^-?\d+,\d{1,2}$/.test(text)) return Number(text.replace(',', '.'));
  // Digits only: Number() would also take "1e5", "0x1F" or "Infinity".
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
}
