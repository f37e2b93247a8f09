import * as Y from 'yjs';
import { getSectionBody, SECTION_BODY_FIELD } from './schema.ts';

/**
 * Where a comment's anchor stands in a section document, computed from CRDT positions. Shared so
 * that the server (thread order, detachment in the API) and the browser (detachment while the
 * words are being deleted) agree.
 */

/** True when `type` is the section body or inside it, and neither it nor an ancestor is deleted. */
function liveInBody(type: Y.AbstractType<unknown>, body: Y.XmlFragment): boolean {
  let t: Y.AbstractType<unknown> | null = type;
  while (t) {
    if (t === (body as unknown as Y.AbstractType<unknown>)) return true;
    const item: Y.Item | null = t._item;
    if (!item || item.deleted) return false;
    t = item.parent as Y.AbstractType<unknown> | null;
  }
  return false;
}

/**
 * A position in the section body: resolved type and index, or null when it no longer resolves (its
 * item is gone or garbage collected, its block was deleted, or it names something outside the body).
 */
export function resolveAnchor(doc: Y.Doc, rpos: Y.RelativePosition): { type: Y.AbstractType<unknown>; index: number } | null {
  // A position naming another root type would make Y create that root: refuse it first.
  if (rpos.tname !== null && rpos.tname !== SECTION_BODY_FIELD) return null;
  if (rpos.type === null && rpos.item === null && rpos.tname === null) return null;
  const body = getSectionBody(doc);
  let abs: Y.AbsolutePosition | null;
  try {
    abs = Y.createAbsolutePositionFromRelativePosition(rpos, doc);
  } catch {
    return null;
  }
  if (!abs || !liveInBody(abs.type, body)) return null;
  return { type: abs.type, index: abs.index };
}

/**
 * The body laid out like ProseMirror positions: each element opens and closes with one step, each
 * character is one step. `offsetOf` turns a resolved (type, index) into such a position; `texts`
 * lists every Y.XmlText with where its characters start.
 */
export interface BodyLayout {
  offsetOf(type: Y.AbstractType<unknown>, index: number): number | null;
  texts: Array<{ text: Y.XmlText; start: number; length: number }>;
}

export function layoutBody(body: Y.XmlFragment): BodyLayout {
  const textStart = new Map<Y.AbstractType<unknown>, number>();
  /** For containers: the position before each child, plus one past the last. */
  const childStarts = new Map<Y.AbstractType<unknown>, number[]>();
  const texts: BodyLayout['texts'] = [];
  let pos = 0;
  const walk = (container: Y.XmlFragment | Y.XmlElement) => {
    const starts: number[] = [];
    for (const child of container.toArray()) {
      starts.push(pos);
      if (child instanceof Y.XmlText) {
        textStart.set(child as unknown as Y.AbstractType<unknown>, pos);
        texts.push({ text: child, start: pos, length: child.length });
        pos += child.length;
      } else if (child instanceof Y.XmlElement) {
        pos += 1;
        walk(child);
        pos += 1;
      } else {
        pos += 1; // XmlHook or anything else: one opaque step.
      }
    }
    starts.push(pos);
    childStarts.set(container as unknown as Y.AbstractType<unknown>, starts);
  };
  walk(body);
  return {
    texts,
    offsetOf(type, index) {
      const ts = textStart.get(type);
      if (ts !== undefined) return ts + index;
      const starts = childStarts.get(type);
      if (!starts) return null;
      return starts[Math.min(Math.max(index, 0), starts.length - 1)] ?? null;
    },
  };
}

/** Characters of the body's texts between two layout positions. */
export function textBetween(layout: BodyLayout, from: number, to: number): string {
  let out = '';
  for (const { text, start, length } of layout.texts) {
    const a = Math.max(from, start);
    const b = Math.min(to, start + length);
    if (b > a) out += plain(text).slice(a - start, b - start);
  }
  return out;
}

/** A Y.XmlText's characters without formatting markup (toString() renders marks as XML). */
function plain(text: Y.XmlText): string {
  return text
    .toDelta()
    .map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ' '))
    .join('');
}

/** Where an anchor stands in the current document: its text position, or detached. */
export interface AnchorState {
  detached: boolean;
  /** Position of the start in the body (for text order); null when detached. */
  order: number | null;
}

export function anchorState(doc: Y.Doc, layout: BodyLayout, startB64: Uint8Array, endB64: Uint8Array): AnchorState {
  const detached: AnchorState = { detached: true, order: null };
  let start: Y.RelativePosition;
  let end: Y.RelativePosition;
  try {
    start = Y.decodeRelativePosition(startB64);
    end = Y.decodeRelativePosition(endB64);
  } catch {
    return detached;
  }
  const s = resolveAnchor(doc, start);
  const e = resolveAnchor(doc, end);
  if (!s || !e) return detached;
  const from = layout.offsetOf(s.type, s.index);
  const to = layout.offsetOf(e.type, e.index);
  if (from === null || to === null) return detached;
  // Detached when no character of the text is left between start and end.
  let chars = 0;
  for (const t of layout.texts) chars += Math.max(0, Math.min(to, t.start + t.length) - Math.max(from, t.start));
  return chars > 0 ? { detached: false, order: from } : detached;
}
