import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { judgeUpdate } from '../../server/collab/suggestionGuard.ts';
import { validateUpdate } from '../../server/sync/Connection.ts';
import { fitsEditorSchema } from '../../server/collab/sectionSchema.ts';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { sectionBlocks } from '../../shared/doc/blocks.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import { updateFor } from '../helpers/replicaUpdate.ts';
import {
  BLOCK_PROPOSAL_ATTR,
  decideSuggestions,
  encodeBlockProposal,
  listSuggestions,
  SUGGEST_SPLIT,
  type BlockChange,
} from '../../shared/doc/suggestions.ts';

/**
 * Proposed changes of structure (heading level, list type, split, join) in the shared text: how the
 * sync server judges them for a person who may only suggest, how they are listed, and what
 * accepting or rejecting does.
 */
const schema = getSchema(sectionExtensions());
const ALICE = 'alice'; // may only suggest
const BOB = 'bob';

function room(): Y.Doc {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(
    schema,
    {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Housing' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'The State shall protect the right to housing. It shall report yearly.' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Evictions need a court order.' }] },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'First measure' }] }] },
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Second measure' }] }] },
          ],
        },
      ],
    },
    getSectionBody(doc),
  );
  return doc;
}

const block = (d: Y.Doc, i: number) => getSectionBody(d).get(i) as Y.XmlElement;
const textOf = (d: Y.Doc, i: number) => block(d, i).get(0) as Y.XmlText;
const SPLIT_AT = 'The State shall protect the right to housing. '.length;

const judge = (doc: Y.Doc, update: Uint8Array, author: string, access: 'edit' | 'suggest') =>
  judgeUpdate(doc, update, author, access, validateUpdate(update).marksSuggestions).kind;
const propose = (id: string, change: BlockChange, author = ALICE) => encodeBlockProposal({ id, author, at: 1 }, change);

/** The section as the editor reads it: type (and level) with text, one line per block. */
function shape(doc: Y.Doc): string[] {
  const out: string[] = [];
  yXmlFragmentToProseMirrorRootNode(getSectionBody(doc), schema).descendants((node) => {
    if (node.type.name === 'bulletList' || node.type.name === 'orderedList') out.push(node.type.name);
    if (!node.isTextblock) return true;
    out.push(`${node.type.name}${node.attrs.level ? node.attrs.level : ''}: ${node.textContent}`);
    return false;
  });
  return out;
}

describe('proposed changes of structure from a person who may only suggest', () => {
  it('lets through their own heading, list, split and join proposals, and their withdrawal', () => {
    const doc = room();
    const edits: Array<(r: Y.Doc) => void> = [
      (r) => block(r, 0).setAttribute(BLOCK_PROPOSAL_ATTR, propose('ali-h001', { kind: 'heading', level: 3 })),
      (r) => block(r, 2).setAttribute(BLOCK_PROPOSAL_ATTR, propose('ali-h002', { kind: 'heading', level: 2 })),
      (r) => block(r, 3).setAttribute(BLOCK_PROPOSAL_ATTR, propose('ali-l001', { kind: 'list', list: 'orderedList' })),
      (r) => block(r, 2).setAttribute(BLOCK_PROPOSAL_ATTR, propose('ali-j001', { kind: 'join' })),
      (r) => textOf(r, 1).format(SPLIT_AT, 1, { [SUGGEST_SPLIT]: { id: 'ali-s001', author: ALICE, at: 1 } }),
    ];
    for (const edit of edits) {
      const update = updateFor(doc, edit);
      expect(judge(doc, update, ALICE, 'suggest')).toBe('apply');
      Y.applyUpdate(doc, update);
    }
    expect(listSuggestions(doc).map((s) => [s.kind, s.block, s.formatted])).toEqual([
      ['block', { kind: 'heading', level: 3 }, 'Housing'],
      ['block', { kind: 'split' }, 'It shall report yearly.'],
      ['block', { kind: 'join' }, 'Evictions need a court order.'],
      ['block', { kind: 'list', list: 'orderedList' }, 'First measure / Second measure'],
    ]);
    expect(fitsEditorSchema(doc)).toBe(true);
    // Withdrawing: their own proposals taken off again.
    const withdraw = updateFor(doc, (r) => {
      block(r, 0).removeAttribute(BLOCK_PROPOSAL_ATTR);
      textOf(r, 1).format(SPLIT_AT, 1, { [SUGGEST_SPLIT]: null });
    });
    expect(judge(doc, withdraw, ALICE, 'suggest')).toBe('apply');
  });

  it('refuses changing a heading level, a list type, splitting or joining directly', () => {
    const doc = room();
    expect(judge(doc, updateFor(doc, (r) => block(r, 0).setAttribute('level', 3 as unknown as string)), ALICE, 'suggest')).toBe('refuse');
    const retype = updateFor(doc, (r) => {
      const list = block(r, 3);
      const ordered = new Y.XmlElement('orderedList');
      ordered.insert(0, list.toArray().map((c) => (c as Y.XmlElement).clone()));
      getSectionBody(r).insert(4, [ordered]);
      getSectionBody(r).delete(3, 1);
    });
    expect(judge(doc, retype, ALICE, 'suggest')).toBe('refuse');
    const split = updateFor(doc, (r) => {
      const tail = textOf(r, 1).toString().slice(SPLIT_AT);
      textOf(r, 1).delete(SPLIT_AT, tail.length);
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(tail)]);
      getSectionBody(r).insert(2, [p]);
    });
    expect(judge(doc, split, ALICE, 'suggest')).toBe('refuse');
    const join = updateFor(doc, (r) => {
      textOf(r, 1).insert(textOf(r, 1).length, textOf(r, 2).toString());
      getSectionBody(r).delete(2, 1);
    });
    expect(judge(doc, join, ALICE, 'suggest')).toBe('refuse');
    // A proposal does not cover a direct change made with it.
    const both = updateFor(doc, (r) => {
      block(r, 0).setAttribute(BLOCK_PROPOSAL_ATTR, propose('ali-h003', { kind: 'heading', level: 3 }));
      block(r, 0).setAttribute('level', 3 as unknown as string);
    });
    expect(judge(doc, both, ALICE, 'suggest')).toBe('refuse');
  });

  it('refuses proposals in another name, malformed or misplaced ones, and touching someone else’s', () => {
    const doc = room();
    const theirs = updateFor(doc, (r) => block(r, 0).setAttribute(BLOCK_PROPOSAL_ATTR, propose('bob-h001', { kind: 'heading', level: 3 }, BOB)));
    expect(judge(doc, theirs, ALICE, 'suggest')).toBe('refuse');
    const theirSplit = updateFor(doc, (r) => textOf(r, 1).format(SPLIT_AT, 1, { [SUGGEST_SPLIT]: { id: 'bob-s001', author: BOB, at: 1 } }));
    expect(judge(doc, theirSplit, ALICE, 'suggest')).toBe('refuse');
    for (const bad of ['{"id":"ali-x001","author":"alice","at":1,"kind":"heading","level":9}', '{"id":"ali-x002","author":"alice","at":1,"kind":"table"}', 'not json']) {
      expect(judge(doc, updateFor(doc, (r) => block(r, 0).setAttribute(BLOCK_PROPOSAL_ATTR, bad)), ALICE, 'suggest')).toBe('refuse');
      // Nobody may write a malformed proposal, editors included.
      expect(judge(doc, updateFor(doc, (r) => block(r, 0).setAttribute(BLOCK_PROPOSAL_ATTR, bad)), BOB, 'edit')).toBe('refuse');
    }
    const listOnParagraph = updateFor(doc, (r) => block(r, 1).setAttribute(BLOCK_PROPOSAL_ATTR, propose('ali-x003', { kind: 'list', list: 'orderedList' })));
    expect(judge(doc, listOnParagraph, ALICE, 'suggest')).toBe('refuse');
    expect(judge(doc, listOnParagraph, BOB, 'edit')).toBe('refuse');
    const splitMalformed = updateFor(doc, (r) => textOf(r, 1).format(SPLIT_AT, 1, { [SUGGEST_SPLIT]: { id: 'x', author: ALICE } }));
    expect(judge(doc, splitMalformed, ALICE, 'suggest')).toBe('refuse');

    // Bob's proposals stand: Alice may neither take them off nor change them.
    Y.applyUpdate(doc, updateFor(doc, (r) => block(r, 0).setAttribute(BLOCK_PROPOSAL_ATTR, propose('bob-h002', { kind: 'heading', level: 3 }, BOB))));
    Y.applyUpdate(doc, updateFor(doc, (r) => textOf(r, 1).format(SPLIT_AT, 1, { [SUGGEST_SPLIT]: { id: 'bob-s002', author: BOB, at: 1 } })));
    expect(judge(doc, updateFor(doc, (r) => block(r, 0).removeAttribute(BLOCK_PROPOSAL_ATTR)), ALICE, 'suggest')).toBe('refuse');
    expect(judge(doc, updateFor(doc, (r) => block(r, 0).setAttribute(BLOCK_PROPOSAL_ATTR, propose('ali-h004', { kind: 'heading', level: 0 }))), ALICE, 'suggest')).toBe('refuse');
    expect(judge(doc, updateFor(doc, (r) => textOf(r, 1).format(SPLIT_AT, 1, { [SUGGEST_SPLIT]: null })), ALICE, 'suggest')).toBe('refuse');
    // Nor may anyone stretch Bob's proposal onto another block or more words.
    const stretched = updateFor(doc, (r) => block(r, 2).setAttribute(BLOCK_PROPOSAL_ATTR, propose('bob-h002', { kind: 'heading', level: 3 }, BOB)));
    expect(judge(doc, stretched, ALICE, 'edit')).toBe('refuse');
    const stretchedSplit = updateFor(doc, (r) => textOf(r, 2).format(0, 1, { [SUGGEST_SPLIT]: { id: 'bob-s002', author: BOB, at: 1 } }));
    expect(judge(doc, stretchedSplit, ALICE, 'edit')).toBe('refuse');
  });
});

describe('deciding proposed changes of structure', () => {
  function proposed(): Y.Doc {
    const doc = room();
    block(doc, 0).setAttribute(BLOCK_PROPOSAL_ATTR, propose('ali-h010', { kind: 'heading', level: 3 }));
    block(doc, 2).setAttribute(BLOCK_PROPOSAL_ATTR, propose('ali-j010', { kind: 'join' }));
    block(doc, 3).setAttribute(BLOCK_PROPOSAL_ATTR, propose('ali-l010', { kind: 'list', list: 'orderedList' }));
    textOf(doc, 1).format(SPLIT_AT, 1, { [SUGGEST_SPLIT]: { id: 'ali-s010', author: ALICE, at: 1 } });
    return doc;
  }
  const before = ['heading2: Housing', 'paragraph: The State shall protect the right to housing. It shall report yearly.', 'paragraph: Evictions need a court order.', 'bulletList', 'paragraph: First measure', 'paragraph: Second measure'];

  it('leaves the structure as it is until accepted: in the editor, in exports, in what is signed', () => {
    const doc = proposed();
    expect(shape(doc)).toEqual(before);
    expect(sectionBlocks(doc).map((b) => b.type)).toEqual(['heading', 'paragraph', 'paragraph', 'list']);
    expect(sectionTextLines(doc)).toEqual(sectionTextLines(room()));
  });

  it('accepting each carries it out', () => {
    const doc = proposed();
    const decided = decideSuggestions(doc, () => true, 'accept');
    expect(decided.map((s) => s.id).sort()).toEqual(['ali-h010', 'ali-j010', 'ali-l010', 'ali-s010']);
    expect(shape(doc)).toEqual([
      'heading3: Housing',
      'paragraph: The State shall protect the right to housing. ',
      'paragraph: It shall report yearly.Evictions need a court order.',
      'orderedList',
      'paragraph: First measure',
      'paragraph: Second measure',
    ]);
    expect(listSuggestions(doc)).toEqual([]);
    expect(fitsEditorSchema(doc)).toBe(true);
  });

  it('rejecting each drops it and keeps the structure', () => {
    const doc = proposed();
    decideSuggestions(doc, () => true, 'reject');
    expect(shape(doc)).toEqual(before);
    expect(listSuggestions(doc)).toEqual([]);
    expect(JSON.stringify(getSectionBody(doc).toJSON())).toBe(JSON.stringify(getSectionBody(room()).toJSON()));
  });

  it('keeps formatting across a split and a join, and a heading becomes a paragraph', () => {
    const doc = room();
    textOf(doc, 1).format(4, 5, { bold: {} });
    textOf(doc, 1).format(SPLIT_AT, 2, { italic: {} });
    textOf(doc, 1).format(SPLIT_AT, 1, { [SUGGEST_SPLIT]: { id: 'ali-s020', author: ALICE, at: 1 } });
    block(doc, 0).setAttribute(BLOCK_PROPOSAL_ATTR, propose('ali-h020', { kind: 'heading', level: 0 }));
    decideSuggestions(doc, () => true, 'accept');
    expect(shape(doc).slice(0, 3)).toEqual(['paragraph: Housing', 'paragraph: The State shall protect the right to housing. ', 'paragraph: It shall report yearly.']);
    expect(textOf(doc, 1).toDelta()[1]).toEqual({ insert: 'State', attributes: { bold: {} } });
    expect(textOf(doc, 2).toDelta()[0]).toEqual({ insert: 'It', attributes: { italic: {} } });
  });

  it('splits a list item into two items', () => {
    const doc = room();
    const item = (block(doc, 3).get(0) as Y.XmlElement).get(0) as Y.XmlElement;
    (item.get(0) as Y.XmlText).format('First '.length, 1, { [SUGGEST_SPLIT]: { id: 'ali-s030', author: ALICE, at: 1 } });
    expect(listSuggestions(doc).map((s) => s.formatted)).toEqual(['measure']);
    decideSuggestions(doc, () => true, 'accept');
    expect(shape(doc).slice(3)).toEqual(['bulletList', 'paragraph: First ', 'paragraph: measure', 'paragraph: Second measure']);
    expect(block(doc, 3).length).toBe(3);
    expect(fitsEditorSchema(doc)).toBe(true);
  });
});
