/**
 * A web address as people type it: "example.org/report" means https://example.org/report. Only
 * adds the scheme when none is written, so "javascript:…" or "mailto:…" stay what they are and
 * the validation after this (client and server) still decides what is allowed. A colon followed
 * by a digit is a port ("localhost:3000"), not a scheme. Empty stays empty.
 */
export function withWebScheme(raw: string): string {
  const value = raw.trim();
  if (!value) return '';
  if (/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(value)) return value;
  return value.startsWith('//') ? `https:${value}` : `https://${value}`;
}
