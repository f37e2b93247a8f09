import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { judgeUpdate } from '../../server/collab/suggestionGuard.ts';
import { typesInsideOwnSuggestion } from '../../server/collab/ownTyping.ts';
import { validateUpdate } from '../../server/sync/Connection.ts';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/doc/suggestions.ts';
import { updateFor } from '../helpers/replicaUpdate.ts';

/**
 * The suggestion check's short cut for typing inside one's own proposal (server/collab/ownTyping.ts):
 * taken only where the full check would apply the update too, and never for anything else.
 */
const schema = getSchema(sectionExtensions());
const ALICE = 'alice';
const mine = { id: 'ali-0001', author: ALICE, at: 1 };
const bobs = { id: 'bob-0001', author: 'bob', at: 1 };
const LIMIT = 20_000;

function room(): Y.Doc {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(
    schema,
    {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'The State shall protect the right to housing.' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Item one' }] }] }] },
      ],
    },
    getSectionBody(doc),
  );
  return doc;
}

const para = (d: Y.Doc) => (getSectionBody(d).get(0) as Y.XmlElement).get(0) as Y.XmlText;
const listPara = (d: Y.Doc) => (((getSectionBody(d).get(1) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;

/** Applies `update` to a copy of `doc` and asks the short cut about it. */
function shortCut(doc: Y.Doc, update: Uint8Array, limit = LIMIT): boolean {
  const after = new Y.Doc();
  Y.applyUpdate(after, Y.encodeStateAsUpdate(doc));
  Y.applyUpdate(after, update);
  return typesInsideOwnSuggestion(after, update, ALICE, limit);
}

const judge = (doc: Y.Doc, update: Uint8Array) => judgeUpdate(doc, update, ALICE, 'suggest', validateUpdate(update).marksSuggestions).kind;

/** `doc` with Alice's proposal "firmly " in the first paragraph, applied. */
function withProposal(text: (d: Y.Doc) => Y.XmlText = para, attrs: object = { [SUGGEST_INSERT]: mine }): Y.Doc {
  const doc = room();
  Y.applyUpdate(doc, updateFor(doc, (r) => text(r).insert(4, 'firmly ', attrs)));
  return doc;
}

describe("typing inside one's own proposal", () => {
  it('is taken for characters typed inside the proposal, which the full check applies too', () => {
    const doc = withProposal();
    const keystroke = updateFor(doc, (r) => para(r).insert(8, 'x', { [SUGGEST_INSERT]: mine }));
    // The mark is in force already: the keystroke writes the character alone.
    expect(validateUpdate(keystroke).marksSuggestions).toBe(false);
    expect(shortCut(doc, keystroke)).toBe(true);
    expect(judge(doc, keystroke)).toBe('apply');
  });

  it('is not taken for the keystroke that starts a proposal (it writes the mark)', () => {
    const doc = room();
    const first = updateFor(doc, (r) => para(r).insert(4, 'f', { [SUGGEST_INSERT]: mine }));
    expect(shortCut(doc, first)).toBe(false);
  });

  it('is not taken for typing outside any proposal, or inside someone else’s', () => {
    const doc = withProposal();
    const plain = updateFor(doc, (r) => para(r).insert(30, 'x'));
    expect(shortCut(doc, plain)).toBe(false);
    expect(judge(doc, plain)).toBe('refuse');

    const bobsDoc = withProposal(para, { [SUGGEST_INSERT]: bobs });
    const inBobs = updateFor(bobsDoc, (r) => para(r).insert(8, 'x', { [SUGGEST_INSERT]: bobs }));
    expect(shortCut(bobsDoc, inBobs)).toBe(false);
    expect(judge(bobsDoc, inBobs)).toBe('refuse');
  });

  it('is not taken for an update that deletes, even one’s own words', () => {
    const doc = withProposal();
    const backspace = updateFor(doc, (r) => para(r).delete(8, 1));
    expect(shortCut(doc, backspace)).toBe(false);
    expect(judge(doc, backspace)).toBe('apply');
  });

  it('is not taken inside a list (a block whose proposals may cover more than one text)', () => {
    const doc = withProposal(listPara);
    const keystroke = updateFor(doc, (r) => listPara(r).insert(6, 'x', { [SUGGEST_INSERT]: mine }));
    expect(shortCut(doc, keystroke)).toBe(false);
    expect(judge(doc, keystroke)).toBe('apply');
  });

  it('is not taken in a text longer than one suggestion may be, where the size limit needs counting', () => {
    const doc = withProposal();
    const keystroke = updateFor(doc, (r) => para(r).insert(8, 'x', { [SUGGEST_INSERT]: mine }));
    expect(shortCut(doc, keystroke, 40)).toBe(false);
  });

  it('takes characters under another person’s proposed deletion as the full check does', () => {
    const doc = withProposal();
    // Bob proposes deleting words around Alice's proposal; Alice types inside her own words there.
    Y.applyUpdate(doc, updateFor(doc, (r) => para(r).format(0, 20, { [SUGGEST_DELETE]: bobs })));
    const keystroke = updateFor(doc, (r) => para(r).insert(8, 'x', { [SUGGEST_INSERT]: mine, [SUGGEST_DELETE]: bobs }));
    expect(judge(doc, keystroke)).toBe('apply');
    if (shortCut(doc, keystroke)) expect(judge(doc, keystroke)).toBe('apply');
  });
});
