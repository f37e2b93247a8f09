import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { absolutePositionToRelativePosition } from '@tiptap/y-tiptap';
import { anchorState, decodeAnchor, layoutBody, resolveAnchor, textBetween } from '../../server/services/comments.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { CreateThreadSchema, MENTION_PATTERN } from '../../shared/api/index.ts';

type Mapping = Parameters<typeof absolutePositionToRelativePosition>[2];

/** A document with one paragraph per text. */
function docWith(...texts: string[]): Y.Doc {
  const doc = new Y.Doc();
  getSectionBody(doc).insert(
    0,
    texts.map((t) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(t)]);
      return p;
    }),
  );
  return doc;
}

/** The y-tiptap mapping a client's editor would have: each paragraph with its ProseMirror nodeSize. */
function mappingOf(doc: Y.Doc): Mapping {
  const map = new Map<unknown, { nodeSize: number }>();
  for (const p of getSectionBody(doc).toArray()) {
    const text = (p as Y.XmlElement).get(0) as Y.XmlText;
    map.set(p, { nodeSize: text.length + 2 });
  }
  return map as unknown as Mapping;
}

/** The anchor a client makes for characters [from, to) of paragraph `block` (ProseMirror positions). */
function anchorOn(doc: Y.Doc, block: number, from: number, to: number): { start: Uint8Array; end: Uint8Array } {
  const body = getSectionBody(doc);
  let base = 0;
  for (let i = 0; i < block; i++) base += ((body.get(i) as Y.XmlElement).get(0) as Y.XmlText).length + 2;
  const rel = (pos: number) => Y.encodeRelativePosition(absolutePositionToRelativePosition(base + 1 + pos, body, mappingOf(doc)));
  return { start: rel(from), end: rel(to) };
}

function textOfAnchor(doc: Y.Doc, a: { start: Uint8Array; end: Uint8Array }): string | null {
  const layout = layoutBody(getSectionBody(doc));
  const s = resolveAnchor(doc, Y.decodeRelativePosition(a.start));
  const e = resolveAnchor(doc, Y.decodeRelativePosition(a.end));
  if (!s || !e) return null;
  return textBetween(layout, layout.offsetOf(s.type, s.index)!, layout.offsetOf(e.type, e.index)!);
}

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};
const textOf = (doc: Y.Doc, block = 0) => ((getSectionBody(doc).get(block) as Y.XmlElement).get(0) as Y.XmlText);

describe('comment anchors (relative positions into the section body)', () => {
  const sentence = 'The Ministry will abolish the death penalty by 2028.';
  const phrase = 'abolish the death penalty';

  it('follow the phrase through concurrent inserts before, inside and after it', () => {
    const a = docWith(sentence);
    const b = new Y.Doc();
    sync(a, b);
    const at = sentence.indexOf(phrase);
    const anchor = anchorOn(a, 0, at, at + phrase.length);
    expect(textOfAnchor(a, anchor)).toBe(phrase);

    textOf(a).insert(0, 'Firmly, ');
    textOf(b).insert(at + 'abolish'.length, ' fully');
    textOf(b).insert(sentence.length, ' Agreed.');
    sync(a, b);
    expect(textOf(a).toString()).toBe(textOf(b).toString());
    expect(textOfAnchor(a, anchor)).toBe('abolish fully the death penalty');
    expect(anchorState(a, layoutBody(getSectionBody(a)), anchor.start, anchor.end)).toEqual({ detached: false, order: 1 + 'Firmly, The Ministry will '.length });
  });

  it('is detached once the phrase is deleted, or its paragraph is', () => {
    const doc = docWith('First paragraph.', sentence);
    const at = sentence.indexOf(phrase);
    const anchor = anchorOn(doc, 1, at, at + phrase.length);
    expect(textOfAnchor(doc, anchor)).toBe(phrase);
    textOf(doc, 1).delete(at, phrase.length);
    expect(anchorState(doc, layoutBody(getSectionBody(doc)), anchor.start, anchor.end).detached).toBe(true);

    const other = docWith('First paragraph.', sentence);
    const anchor2 = anchorOn(other, 1, 0, 5);
    getSectionBody(other).delete(1, 1);
    expect(anchorState(other, layoutBody(getSectionBody(other)), anchor2.start, anchor2.end).detached).toBe(true);
  });

  it('spans paragraphs, and orders threads by where they start', () => {
    const doc = docWith('Alpha beta.', 'Gamma delta.');
    const across = anchorOn(doc, 0, 6, 0);
    // End in the second paragraph at 0: build it there.
    const end = anchorOn(doc, 1, 0, 5).end;
    const layout = layoutBody(getSectionBody(doc));
    const state = anchorState(doc, layout, across.start, end);
    expect(state.detached).toBe(false);
    const later = anchorOn(doc, 1, 0, 5);
    expect(anchorState(doc, layout, later.start, later.end).order!).toBeGreaterThan(state.order!);
  });

  it('refuses positions that name another root type or are not positions at all', () => {
    const doc = docWith('Text');
    const foreign = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(doc.getText('other'), 0));
    expect(resolveAnchor(doc, Y.decodeRelativePosition(foreign))).toBeNull();
    expect(decodeAnchor('')).toBeNull();
    // A position from another document's client does not resolve here.
    const stranger = docWith('Text');
    const rel = anchorOn(stranger, 0, 1, 3);
    expect(resolveAnchor(doc, Y.decodeRelativePosition(rel.start))).toBeNull();
  });

  it('bodies are validated and mentions have one syntax', () => {
    const anchor = { start: 'AAAA', end: 'AAAA', quote: 'x' };
    expect(CreateThreadSchema.safeParse({ anchor, body: '   ' }).success).toBe(false);
    expect(CreateThreadSchema.safeParse({ anchor, body: 'x'.repeat(10_001) }).success).toBe(false);
    expect(CreateThreadSchema.safeParse({ anchor: { ...anchor, quote: 'q'.repeat(2_001) }, body: 'ok' }).success).toBe(false);
    expect(CreateThreadSchema.safeParse({ anchor, body: 'ok' }).success).toBe(true);
    expect([...'Ask @[Nina Lawyer](abcdefgh12) and @[X](short)'.matchAll(MENTION_PATTERN)].map((m) => m[2])).toEqual(['abcdefgh12']);
  });
});
