import type { PlanOutline, Section } from '../../../shared/api/index.ts';

/** A section of the outline with the title of its chapter; null when the outline has no such section. */
export function findSection(outline: PlanOutline | null, sectionId: string | undefined): { section: Section; chapterTitle: string } | null {
  if (!outline || !sectionId) return null;
  for (const c of outline.chapters) {
    const s = c.sections.find((x) => x.id === sectionId);
    if (s) return { section: s, chapterTitle: c.title };
  }
  return null;
}
