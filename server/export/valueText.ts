// Display formats match the canonical ones (server/services/agreement.ts canonicalActions).
export const withYear = (value: string | null, year: number | null): string | null =>
  value === null && year === null ? null : year === null ? (value ?? '—') : `${value ?? '—'} (${year})`;
export function budgetText(amount: number | null, currency: string | null, fundingSource: string | null): string | null {
  const a = amount === null ? null : [String(amount), currency].filter(Boolean).join(' ');
  return a === null && !fundingSource ? null : `${a ?? '—'}${fundingSource ? ` (${fundingSource})` : ''}`;
}
