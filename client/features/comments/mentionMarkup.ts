import { MENTION_PATTERN } from '../../../shared/api/index.ts';

/**
 * A comment's text is stored with mentions as `@[Name](userId)` (the server tells the people
 * mentioned), but a person writing it sees and edits `@Name`. These functions map between the two:
 * the box shows `displayOf(markup)`, and each edit of what it shows is carried back onto the markup.
 */

/** A run of the markup: plain text, or one mention. Display offsets are where it shows in the box. */
interface Segment {
  markup: string;
  display: string;
  mention: boolean;
  start: number;
  end: number;
}

function segmentsOf(markup: string): Segment[] {
  const segments: Segment[] = [];
  const re = new RegExp(MENTION_PATTERN.source, 'g');
  let last = 0;
  let shown = 0;
  const push = (raw: string, display: string, mention: boolean) => {
    segments.push({ markup: raw, display, mention, start: shown, end: shown + display.length });
    shown += display.length;
  };
  for (let m = re.exec(markup); m !== null; m = re.exec(markup)) {
    if (m.index > last) push(markup.slice(last, m.index), markup.slice(last, m.index), false);
    push(m[0], `@${m[1]}`, true);
    last = m.index + m[0].length;
  }
  if (last < markup.length) push(markup.slice(last), markup.slice(last), false);
  return segments;
}

/** What the box shows for the markup: every mention as `@Name`. */
export function displayOf(markup: string): string {
  return segmentsOf(markup)
    .map((s) => s.display)
    .join('');
}

/**
 * The markup after the shown text from `start` to `end` is replaced by `inserted` (markup: plain
 * text, or a whole mention). A mention the replacement cuts into becomes plain text (`@Name` as it
 * showed), so what the person sees is exactly what they typed and nothing turns into someone else.
 */
export function replaceShown(markup: string, start: number, end: number, inserted: string): string {
  let before = '';
  let after = '';
  for (const s of segmentsOf(markup)) {
    if (s.end <= start) before += s.markup;
    else if (s.start >= end) after += s.markup;
    else {
      before += s.display.slice(0, Math.max(0, start - s.start));
      after += s.display.slice(Math.max(0, end - s.start));
    }
  }
  return before + inserted + after;
}

/**
 * The markup once the box's text changed from what `markup` shows to `shown`, the caret now at
 * `caret`: the changed stretch is found around the caret (typing, pasting, deleting) and carried
 * onto the markup.
 */
export function applyShownEdit(markup: string, shown: string, caret: number): string {
  const old = displayOf(markup);
  if (old === shown) return markup;
  // Common tail, but not past the caret: the change ends where the caret is.
  let tail = 0;
  const maxTail = Math.min(old.length, shown.length - caret);
  while (tail < maxTail && old[old.length - 1 - tail] === shown[shown.length - 1 - tail]) tail++;
  let head = 0;
  const maxHead = Math.min(old.length, shown.length) - tail;
  while (head < maxHead && old[head] === shown[head]) head++;
  return replaceShown(markup, head, old.length - tail, shown.slice(head, shown.length - tail));
}
