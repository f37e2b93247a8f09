export type ExportScope = 'agreed' | 'current';

/**
 * What an export includes until the person picks: the agreed draft only once every section is
 * agreed, and until then the current draft with each section's status. A partly agreed plan's
 * "agreed draft" is mostly headings marked "not yet agreed" — a first export with no text tells a
 * new user nothing — while the current draft carries every section's text, marked with its status
 * and "unsigned content", so nobody takes it for agreed text. Once all are agreed, the agreed
 * draft is the whole plan in its signed text: the document to publish. Unknown counts (still
 * loading) count as not all agreed. Once the plan is adopted, the document a ministry tables is the
 * adopted text: the agreed draft, whatever was left out at adoption.
 */
export function defaultScope(counts: { agreed: number; total: number } | null, adopted = false): ExportScope {
  if (adopted) return 'agreed';
  return counts !== null && counts.total > 0 && counts.agreed === counts.total ? 'agreed' : 'current';
}
