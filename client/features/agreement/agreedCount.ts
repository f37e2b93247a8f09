import type { PlanOutline } from '../../../shared/api/index.ts';

/** Counts sections by status across the outline. Its own module (not PlanPage.tsx) so the export
 *  page can use it without pulling in the editor's chunk. */
export function agreedCount(outline: PlanOutline): { agreed: number; total: number } {
  const sections = outline.chapters.flatMap((c) => c.sections);
  return { agreed: sections.filter((s) => s.status === 'agreed').length, total: sections.length };
}
