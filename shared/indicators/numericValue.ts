/**
 * A baseline or target as a number when it is one ("42", "12.5", "12,5", "35%", "1 200",
 * "1,200"); otherwise null (a baseline may be words: "no law in force"). The progress page, its
 * charts and the public record read them so; the indicator form says when they cannot.
 */
export function numericValue(text: string | null): number | null {
  if (text === null) return null;
  let t = text.trim().replace(/%$/, '').trim();
  if (/^-?\d{1,3}([ ,\u00a0\u202f]\d{3})+([.,]\d+)?$/.test(t)) t = t.replace(/[ \u00a0\u202f]/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  // A decimal comma before the last one or two digits, as Belarusian and Russian write it.
  if (/^-?\d+,\d{1,2}$/.test(t)) t = t.replace(',', '.');
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}
