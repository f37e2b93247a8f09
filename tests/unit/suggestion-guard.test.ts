import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { judgeUpdate } from '../../server/collab/suggestionGuard.ts';
import { validateUpdate } from '../../server/sync/Connection.ts';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { encodeBlockSuggestion, SUGGEST_DELETE, SUGGEST_INSERT, SUGGESTED_BLOCK_ATTR } from '../../shared/doc/suggestions.ts';
import { updateFor } from '../helpers/replicaUpdate.ts';

/**
 * The sync server's judgement of one update (server/collab/suggestionGuard.ts), on raw Yjs edits of
 * the kind a hostile client can send: what a person who may only suggest, or any writer, must not
 * get through. Each edit is made on a replica and sent as the update the replica produced.
 */
const schema = getSchema(sectionExtensions());
const ALICE = 'alice'; // may only suggest
const BOB = 'bob'; // edits
const mine = (id: string) => ({ id, author: ALICE, at: 1 });
const bobs = (id: string) => ({ id, author: BOB, at: 1 });

function room(): Y.Doc {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(
    schema,
    {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Right to housing' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'The State shall protect the right to housing.' }] },
        { type: 'bulletList', content: [1, 2].map((n) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Item ${n}` }] }] })) },
      ],
    },
    getSectionBody(doc),
  );
  return doc;
}

const body = (d: Y.Doc) => getSectionBody(d);
const para = (d: Y.Doc) => (body(d).get(1) as Y.XmlElement).get(0) as Y.XmlText;

function judge(doc: Y.Doc, update: Uint8Array, author: string, access: 'edit' | 'suggest') {
  return judgeUpdate(doc, update, author, access, validateUpdate(update).marksSuggestions).kind;
}

describe('a person who may only suggest', () => {
  it('may add and withdraw their own proposals', () => {
    const doc = room();
    const add = updateFor(doc, (r) => para(r).insert(10, 'firmly ', { [SUGGEST_INSERT]: mine('ali-0001') }));
    expect(judge(doc, add, ALICE, 'suggest')).toBe('apply');
    Y.applyUpdate(doc, add);
    const withdraw = updateFor(doc, (r) => para(r).delete(10, 7));
    expect(judge(doc, withdraw, ALICE, 'suggest')).toBe('apply');
  });

  it('may not hide unknown marks or embeds inside their own proposed words (browsers would drop the paragraph)', () => {
    const doc = room();
    const unknownMark = updateFor(doc, (r) => para(r).insert(3, 'x', { [SUGGEST_INSERT]: mine('ali-0002'), nosuchmark: true }));
    expect(judge(doc, unknownMark, ALICE, 'suggest')).toBe('refuse');
    const embed = updateFor(doc, (r) => {
      para(r).insert(3, 'y', { [SUGGEST_INSERT]: mine('ali-0003') });
      para(r).insertEmbed(4, { image: 'x' }, { [SUGGEST_INSERT]: mine('ali-0003') });
    });
    expect(judge(doc, embed, ALICE, 'suggest')).toBe('refuse');
  });

  it('may propose a paragraph only where a paragraph belongs', () => {
    const doc = room();
    const proposed = () => {
      const p = new Y.XmlElement('paragraph');
      p.setAttribute(SUGGESTED_BLOCK_ATTR, encodeBlockSuggestion(mine('ali-0004')));
      return p;
    };
    expect(judge(doc, updateFor(doc, (r) => body(r).insert(2, [proposed()])), ALICE, 'suggest')).toBe('apply');
    expect(judge(doc, updateFor(doc, (r) => (body(r).get(0) as Y.XmlElement).insert(1, [proposed()])), ALICE, 'suggest')).toBe('refuse');
    expect(judge(doc, updateFor(doc, (r) => (body(r).get(2) as Y.XmlElement).insert(1, [proposed()])), ALICE, 'suggest')).toBe('refuse');
    // Between list items, a proposal is a list item (with its empty paragraph).
    const item = new Y.XmlElement('listItem');
    item.setAttribute(SUGGESTED_BLOCK_ATTR, encodeBlockSuggestion(mine('ali-0008')));
    item.insert(0, [new Y.XmlElement('paragraph')]);
    expect(judge(doc, updateFor(doc, (r) => (body(r).get(2) as Y.XmlElement).insert(1, [item])), ALICE, 'suggest')).toBe('apply');
  });

  it('may not delete other people’s words, even to type them again', () => {
    const doc = room();
    const text = 'The State shall protect the right to housing.';
    const retyped = updateFor(doc, (r) => {
      para(r).delete(0, text.length);
      para(r).insert(0, text);
    });
    expect(judge(doc, retyped, ALICE, 'suggest')).toBe('refuse');
  });

  it('may not mark words both ways, nor write attributes on texts or entries on the body', () => {
    const doc = room();
    Y.applyUpdate(doc, updateFor(doc, (r) => para(r).format(0, 3, { [SUGGEST_DELETE]: bobs('bob-0001') })));
    const both = updateFor(doc, (r) => para(r).insert(20, 'new', { [SUGGEST_INSERT]: mine('ali-0005'), [SUGGEST_DELETE]: bobs('bob-0001') }));
    expect(judge(doc, both, ALICE, 'suggest')).toBe('refuse');
    expect(judge(doc, updateFor(doc, (r) => para(r).setAttribute('x', 'y'.repeat(1000))), ALICE, 'suggest')).toBe('refuse');
  });
});

describe('anyone who writes', () => {
  it('an update that depends on parts not yet sent waits, and is judged with them', () => {
    const doc = room();
    // Bob stretches Alice's existing deletion over words she never struck, in two messages: the
    // formatting first (it depends on the character of the second), then that character alone.
    Y.applyUpdate(doc, updateFor(doc, (r) => para(r).format(36, 8, { [SUGGEST_DELETE]: mine('ali-0006') })));
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const sv = Y.encodeStateVector(replica);
    para(replica).insert(0, 'Z');
    const middle = Y.encodeStateVector(replica);
    para(replica).format(0, 20, { [SUGGEST_DELETE]: mine('ali-0006') });
    const character = Y.encodeStateAsUpdate(replica, sv);
    const stretch = Y.encodeStateAsUpdate(replica, middle);
    expect(judge(doc, stretch, BOB, 'edit')).toBe('wait');
    expect(judge(doc, Y.mergeUpdates([stretch, character]), BOB, 'edit')).toBe('refuse');
  });

  it('an editor may delete words next to someone’s proposal however the binding diffs them', () => {
    const doc = new Y.Doc();
    const p = new Y.XmlElement('paragraph');
    const t = new Y.XmlText();
    p.insert(0, [t]);
    body(doc).insert(0, [p]);
    t.insert(0, 'the state shall act');
    t.format(10, 6, { [SUGGEST_DELETE]: mine('ali-0007') });
    // Deleting "state " can reach the server as deleting "tate s", with Alice's mark then set on
    // the "s" that was left: her suggestion covers a character it did not, but does not grow.
    const shifted = updateFor(doc, (r) => {
      const x = (body(r).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      x.delete(5, 6);
      x.format(4, 1, { [SUGGEST_DELETE]: mine('ali-0007') });
    });
    expect(judge(doc, shifted, BOB, 'edit')).toBe('apply');
    // Stretching it over "state" as well is refused.
    const stretched = updateFor(doc, (r) => ((body(r).get(0) as Y.XmlElement).get(0) as Y.XmlText).format(4, 6, { [SUGGEST_DELETE]: mine('ali-0007') }));
    expect(judge(doc, stretched, BOB, 'edit')).toBe('refuse');
  });
});
