import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { judgeUpdate } from '../../server/collab/suggestionGuard.ts';
import { validateUpdate } from '../../server/sync/Connection.ts';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { decideSuggestions, listSuggestions, SUGGEST_FORMAT } from '../../shared/doc/suggestions.ts';
import { updateFor } from '../helpers/replicaUpdate.ts';

/**
 * Proposed formatting (bold, italic, a link) as the sync server judges it for a person who may
 * only suggest: a proposal mark in their name passes, the formatting itself does not.
 */
const schema = getSchema(sectionExtensions());
const ALICE = 'alice'; // may only suggest
const BOB = 'bob';
const proposal = (id: string, change: Record<string, unknown>, author = ALICE) => ({ id, author, at: 1, href: null, ...change });

function room(): Y.Doc {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(
    schema,
    {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'The State shall ' },
            { type: 'text', text: 'protect', marks: [{ type: 'bold' }] },
            { type: 'text', text: ' the right to housing.' },
          ],
        },
      ],
    },
    getSectionBody(doc),
  );
  return doc;
}

const text = (d: Y.Doc) => (getSectionBody(d).get(0) as Y.XmlElement).get(0) as Y.XmlText;
const judge = (doc: Y.Doc, update: Uint8Array, author: string, access: 'edit' | 'suggest') =>
  judgeUpdate(doc, update, author, access, validateUpdate(update).marksSuggestions).kind;

describe('formatting proposed by a person who may only suggest', () => {
  it('refuses bold, italic or a link added or removed directly', () => {
    const doc = room();
    expect(judge(doc, updateFor(doc, (r) => text(r).format(0, 3, { bold: {} })), ALICE, 'suggest')).toBe('refuse');
    expect(judge(doc, updateFor(doc, (r) => text(r).format(0, 3, { italic: {} })), ALICE, 'suggest')).toBe('refuse');
    expect(judge(doc, updateFor(doc, (r) => text(r).format(0, 3, { link: { href: 'https://example.org/' } })), ALICE, 'suggest')).toBe('refuse');
    expect(judge(doc, updateFor(doc, (r) => text(r).format(16, 7, { bold: null })), ALICE, 'suggest')).toBe('refuse');
    // Formatting alongside a proposal is still formatting.
    const both = updateFor(doc, (r) => text(r).format(0, 3, { bold: {}, [SUGGEST_FORMAT]: proposal('ali-f001', { mark: 'bold', set: true }) }));
    expect(judge(doc, both, ALICE, 'suggest')).toBe('refuse');
  });

  it('lets through a proposal to add bold, remove bold, add italic or link words, in their own name', () => {
    const doc = room();
    for (const [at, length, change] of [
      [0, 3, { mark: 'bold', set: true }],
      [16, 7, { mark: 'bold', set: false }],
      [24, 3, { mark: 'italic', set: true }],
      [28, 5, { mark: 'link', set: true, href: 'https://www.ohchr.org/' }],
    ] as const) {
      const update = updateFor(doc, (r) => text(r).format(at, length, { [SUGGEST_FORMAT]: proposal(`ali-f${at}xx`, change) }));
      expect(judge(doc, update, ALICE, 'suggest')).toBe('apply');
      Y.applyUpdate(doc, update);
    }
    expect(listSuggestions(doc).map((s) => [s.kind, s.formatted, s.format?.mark, s.format?.set])).toEqual([
      ['format', 'The', 'bold', true],
      ['format', 'protect', 'bold', false],
      ['format', 'the', 'italic', true],
      ['format', 'right', 'link', true],
    ]);
    // And they may withdraw it (take their own proposal off again).
    const withdraw = updateFor(doc, (r) => text(r).format(0, 3, { [SUGGEST_FORMAT]: null }));
    expect(judge(doc, withdraw, ALICE, 'suggest')).toBe('apply');
  });

  it('refuses a proposal in another name, an unsafe link, an unknown change, or taking off another person’s proposal', () => {
    const doc = room();
    const theirs = updateFor(doc, (r) => text(r).format(0, 3, { [SUGGEST_FORMAT]: proposal('bob-f001', { mark: 'bold', set: true }, BOB) }));
    expect(judge(doc, theirs, ALICE, 'suggest')).toBe('refuse');
    const script = updateFor(doc, (r) => text(r).format(0, 3, { [SUGGEST_FORMAT]: proposal('ali-f002', { mark: 'link', set: true, href: 'javascript:alert(1)' }) }));
    expect(judge(doc, script, ALICE, 'suggest')).toBe('refuse');
    const heading = updateFor(doc, (r) => text(r).format(0, 3, { [SUGGEST_FORMAT]: proposal('ali-f003', { mark: 'heading', set: true }) }));
    expect(judge(doc, heading, ALICE, 'suggest')).toBe('refuse');

    Y.applyUpdate(doc, updateFor(doc, (r) => text(r).format(0, 3, { [SUGGEST_FORMAT]: proposal('bob-f004', { mark: 'italic', set: true }, BOB) })));
    const dropBobs = updateFor(doc, (r) => text(r).format(0, 3, { [SUGGEST_FORMAT]: null }));
    expect(judge(doc, dropBobs, ALICE, 'suggest')).toBe('refuse');
    const stretchBobs = updateFor(doc, (r) => text(r).format(0, 9, { [SUGGEST_FORMAT]: proposal('bob-f004', { mark: 'italic', set: true }, BOB) }));
    expect(judge(doc, stretchBobs, ALICE, 'suggest')).toBe('refuse');
  });
});

describe('deciding a formatting proposal', () => {
  it('accepting carries out the change and takes the proposal off; rejecting only takes it off', () => {
    const doc = room();
    text(doc).format(0, 3, { [SUGGEST_FORMAT]: proposal('ali-f010', { mark: 'bold', set: true }) });
    text(doc).format(16, 7, { [SUGGEST_FORMAT]: proposal('ali-f011', { mark: 'bold', set: false }) });
    text(doc).format(28, 5, { [SUGGEST_FORMAT]: proposal('ali-f012', { mark: 'link', set: true, href: 'https://www.ohchr.org/' }) });
    decideSuggestions(doc, (s) => s.id === 'ali-f010' || s.id === 'ali-f012', 'accept');
    decideSuggestions(doc, (s) => s.id === 'ali-f011', 'reject');
    expect(text(doc).toDelta()).toEqual([
      { insert: 'The', attributes: { bold: {} } },
      { insert: ' State shall ' },
      { insert: 'protect', attributes: { bold: {} } },
      { insert: ' the ' },
      { insert: 'right', attributes: { link: { href: 'https://www.ohchr.org/' } } },
      { insert: ' to housing.' },
    ]);
    expect(listSuggestions(doc)).toEqual([]);
  });
});
