import type { ImportPreview, ImportRecord, Position } from '../../../shared/api/index.ts';

/** The largest file (or pasted text) the server accepts. */
export const MAX_MB = 20;
export const MAX_BYTES = MAX_MB * 1024 * 1024;

/** How far the server has got writing an import (from the plan's live events). */
export interface ImportProgress {
  /** Reading the file (the upload's progressId), writing a preview (its id), undoing an import (its id). */
  phase: 'reading' | 'writing' | 'undoing';
  previewId: string;
  done: number;
  total: number;
}

/** Where the wizard is: choosing (and uploading) a source, looking at the preview (and writing it), done. */
export type Step =
  | { kind: 'choose' }
  /** `progressId` names the upload, so the server's progress in reading it can be told apart. */
  | { kind: 'uploading'; loaded: number; total: number; progressId: string }
  | { kind: 'preview'; preview: ImportPreview }
  | { kind: 'committing'; preview: ImportPreview }
  | { kind: 'done'; record: ImportRecord };

/** The three steps the person sees, and whether each is the current one. */
export const VISIBLE_STEPS = ['choose', 'preview', 'done'] as const;
export function isCurrentStep(visible: (typeof VISIBLE_STEPS)[number], step: Step): boolean {
  if (visible === 'choose') return step.kind === 'choose' || step.kind === 'uploading';
  if (visible === 'preview') return step.kind === 'preview' || step.kind === 'committing';
  return step.kind === 'done';
}

/**
 * The recommendations of a UN report under one main paragraph: the report states the State's
 * position once per paragraph, so that is where a person corrects a misread position.
 */
export interface ParagraphGroup {
  paragraph: string;
  count: number;
  position: Position;
  /**
   * What the paragraph's heading said, from the parser's notes: the phrase that decided the
   * position ("enjoy the support of Belarus"), or the heading itself when no phrase did. Null
   * when the report had no heading for the paragraph.
   */
  heading: { matched: string | null; words: string } | null;
  /** The full paragraph numbers ("97.12") of the group's recommendations. */
  items: string[];
}

/** Main paragraph of a UN report item ("97.12" → "97"). */
const mainParagraph = (paragraph: string | null) => (paragraph ?? '').split('.')[0] || '—';

/** Groups a pasted UN report's rows by main paragraph; other formats have no groups. */
export function paragraphGroups(preview: ImportPreview): ParagraphGroup[] {
  if (preview.format !== 'un-report-text') return [];
  const headings = new Map<string, ParagraphGroup['heading']>();
  for (const w of preview.warnings) {
    if (w.code !== 'heading_position' && w.code !== 'heading_no_position') continue;
    const { paragraph, matched, heading } = w.params;
    if (typeof heading === 'string' && heading.trim() !== '') {
      headings.set(String(paragraph), { matched: typeof matched === 'string' ? matched : null, words: heading });
    }
  }
  const map = new Map<string, ParagraphGroup>();
  for (const r of preview.rows) {
    const key = mainParagraph(r.recommendation.paragraph);
    const g = map.get(key) ?? { paragraph: key, count: 0, position: r.recommendation.position, heading: headings.get(key) ?? null, items: [] };
    g.count += 1;
    if (r.recommendation.paragraph) g.items.push(r.recommendation.paragraph);
    map.set(key, g);
  }
  return [...map.values()];
}

/** The positions the person changed, per recommendation paragraph, as the commit expects them. */
export function positionOverrides(groups: ParagraphGroup[], chosen: Record<string, Position>): Record<string, Position> {
  const overrides: Record<string, Position> = {};
  for (const g of groups) {
    const position = chosen[g.paragraph];
    if (position && position !== g.position) for (const item of g.items) overrides[item] = position;
  }
  return overrides;
}
