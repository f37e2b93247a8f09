import { isCalendarDay } from '../../shared/api/index.ts';

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

/**
 * A number as the form shows it again for editing, in the reader's way of writing decimals and
 * with no grouping, so that `typedNumber` reads it back unchanged: 12500.5, 12500,5.
 */
export function editableNumber(value: number, lng: string): string {
  const decimalComma = lng === 'be' || lng === 'ru';
  const text = String(value);
  return decimalComma && /^-?\d+\.\d{1,2}$/.test(text) ? text.replace('.', ',') : text;
}

/**
 * A calendar day as people type it: 2026-12-01, or 01.12.2026 / 1.12.2026 as Belarusian and
 * Russian write it. The ISO day, or null when it is neither or no such day exists.
 */
export function typedDay(s: string): string | null {
  const text = s.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1]!, iso[2]!, iso[3]!] : dotted ? [dotted[3]!, dotted[2]!.padStart(2, '0'), dotted[1]!.padStart(2, '0')] : [];
  if (!y || !m || !d) return null;
  return isCalendarDay(Number(y), Number(m), Number(d)) ? `${y}-${m}-${d}` : null;
}
