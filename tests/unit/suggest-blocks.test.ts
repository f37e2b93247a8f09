import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import { BLOCK_PROPOSAL_ATTR, decodeBlockProposal, encodeBlockProposal, encodeBlockSuggestion, SUGGEST_SPLIT, SUGGESTED_BLOCK_ATTR } from '../../shared/doc/suggestions.ts';
import { proposeJoin, proposeSplit, proposeStructure, withdrawSplit, type StructureRequest } from '../../client/editor/suggestBlocks.ts';

/**
 * Suggesting mode on a real editor state: what the heading and list buttons, Enter inside a
 * paragraph and Backspace at its start become (proposals in the author's name, the structure kept).
 */
const schema = getSchema(sectionExtensions());
const NADIA = 'user-nadia';
const OLEG = 'user-oleg';

const text = (t: string) => schema.text(t);
const p = (t: string, attrs: Record<string, unknown> | null = null) => schema.node('paragraph', attrs, t ? [text(t)] : []);
const h = (level: number, t: string) => schema.node('heading', { level }, [text(t)]);
const list = (type: 'bulletList' | 'orderedList', ...items: string[]) =>
  schema.node(type, null, items.map((i) => schema.node('listItem', null, [p(i)])));
const at = (doc: PMNode, pos: number) => EditorState.create({ schema, doc, selection: TextSelection.create(doc, pos) });
const docOf = (...blocks: PMNode[]) => schema.node('doc', null, blocks);

/** Each top-level block: type, level, and the proposal on it as "kind/level-or-list/author initial". */
function shape(doc: PMNode): string[] {
  return doc.content.content.map((node) => {
    const proposal = decodeBlockProposal(node.attrs[BLOCK_PROPOSAL_ATTR]);
    const what = proposal ? ` {${proposal.kind}${'level' in proposal ? proposal.level : ''}${'list' in proposal ? proposal.list : ''} ${proposal.author === NADIA ? 'N' : 'O'}}` : '';
    return `${node.type.name}${node.attrs.level ?? ''}: ${node.textContent}${what}`;
  });
}

function request(state: EditorState, req: StructureRequest): { state: EditorState; done: boolean } {
  const tr = state.tr;
  const done = proposeStructure(tr, NADIA, req);
  return { state: state.apply(tr), done };
}

describe('proposing a heading level or a list type', () => {
  it('a heading button proposes the level; pressed on a heading of that level, a paragraph; pressed again, withdraws', () => {
    let state = at(docOf(h(2, 'Housing'), p('The State shall act.')), 3);
    state = request(state, { kind: 'heading', level: 3 }).state;
    expect(shape(state.doc)).toEqual(['heading2: Housing {heading3 N}', 'paragraph: The State shall act.']);
    state = request(state, { kind: 'heading', level: 3 }).state;
    expect(shape(state.doc)).toEqual(['heading2: Housing', 'paragraph: The State shall act.']);
    state = request(state, { kind: 'heading', level: 2 }).state;
    expect(shape(state.doc)).toEqual(['heading2: Housing {heading0 N}', 'paragraph: The State shall act.']);
    state = request(at(state.doc, 12), { kind: 'heading', level: 2 }).state;
    expect(shape(state.doc)[1]).toBe('paragraph: The State shall act. {heading2 N}');
  });

  it('a list button proposes the other type; on a list of its own type or outside a list, it cannot', () => {
    const doc = docOf(list('bulletList', 'First', 'Second'), p('After.'));
    const ordered = request(at(doc, 3), { kind: 'list', list: 'orderedList' });
    expect(ordered.done).toBe(true);
    expect(shape(ordered.state.doc)[0]).toBe('bulletList: FirstSecond {listorderedList N}');
    // The bullet button on the same list now withdraws the proposal.
    const back = request(ordered.state, { kind: 'list', list: 'bulletList' });
    expect(back.done).toBe(true);
    expect(shape(back.state.doc)[0]).toBe('bulletList: FirstSecond');
    expect(request(at(doc, 3), { kind: 'list', list: 'bulletList' }).done).toBe(false);
    expect(request(at(doc, doc.content.size - 2), { kind: 'list', list: 'orderedList' }).done).toBe(false);
  });

  it('leaves a block with someone else’s proposal alone', () => {
    const theirs = encodeBlockProposal({ id: 'oleg-h001', author: OLEG, at: 1 }, { kind: 'heading', level: 3 });
    const doc = docOf(schema.node('heading', { level: 2, [BLOCK_PROPOSAL_ATTR]: theirs }, [text('Housing')]));
    const result = request(at(doc, 3), { kind: 'heading', level: 2 });
    expect(result.done).toBe(false);
    expect(result.state.doc.eq(doc)).toBe(true);
  });

  it('in one’s own proposed paragraph, makes the heading directly and keeps it proposed', () => {
    const mine = encodeBlockSuggestion({ id: 'nadia-p01', author: NADIA, at: 1 });
    const doc = docOf(p('Kept.'), p('New part', { [SUGGESTED_BLOCK_ATTR]: mine }));
    const { state } = request(at(doc, 10), { kind: 'heading', level: 2 });
    expect(shape(state.doc)).toEqual(['paragraph: Kept.', 'heading2: New part']);
    expect(state.doc.child(1).attrs[SUGGESTED_BLOCK_ATTR]).toBe(mine);
  });
});

describe('Enter and Backspace proposing a split or a join', () => {
  const splitMarks = (doc: PMNode) => {
    const out: string[] = [];
    doc.descendants((node) => {
      const m = node.isText ? schema.marks[SUGGEST_SPLIT]!.isInSet(node.marks) : undefined;
      if (m) out.push(`${node.text}:${m.attrs.author === NADIA ? 'N' : 'O'}`);
      return true;
    });
    return out;
  };

  it('Enter inside a paragraph marks where the new paragraph would start; the paragraph stays one', () => {
    const doc = docOf(p('It shall act. It shall report.'));
    const pos = 1 + 'It shall act. '.length;
    const tr = proposeSplit(at(doc, pos), NADIA)!;
    const next = at(doc, pos).apply(tr);
    expect(next.doc.childCount).toBe(1);
    expect(next.doc.textContent).toBe(doc.textContent);
    expect(splitMarks(next.doc)).toEqual(['I:N']);
    // Backspace there withdraws it.
    const withdrawn = next.apply(withdrawSplit(next, NADIA)!);
    expect(splitMarks(withdrawn.doc)).toEqual([]);
    // Someone else's split is not theirs to withdraw.
    expect(withdrawSplit(next, OLEG)).toBeNull();
  });

  it('Enter at the start or end of a paragraph is not a split (a new paragraph is proposed there)', () => {
    const doc = docOf(p('Act.'));
    expect(proposeSplit(at(doc, 1), NADIA)).toBeNull();
    expect(proposeSplit(at(doc, 5), NADIA)).toBeNull();
  });

  it('Enter inside one’s own proposed paragraph splits it directly, both parts proposed', () => {
    const mine = encodeBlockSuggestion({ id: 'nadia-p02', author: NADIA, at: 1 });
    const doc = docOf(p('Kept.'), p('One. Two.', { [SUGGESTED_BLOCK_ATTR]: mine }));
    const state = at(doc, 7 + 1 + 'One. '.length);
    const next = state.apply(proposeSplit(state, NADIA)!);
    expect(shape(next.doc)).toEqual(['paragraph: Kept.', 'paragraph: One. ', 'paragraph: Two.']);
    expect(next.doc.child(2).attrs[SUGGESTED_BLOCK_ATTR]).toBe(mine);
  });

  it('Backspace at the start of a paragraph proposes joining it to the one before', () => {
    const doc = docOf(p('First.'), p('Second.'));
    const state = at(doc, 9);
    const next = state.apply(proposeJoin(state, NADIA)!);
    expect(shape(next.doc)).toEqual(['paragraph: First.', 'paragraph: Second. {join N}']);
    // Again: already proposed, nothing changes.
    expect(proposeJoin(at(next.doc, 9), NADIA)!.docChanged).toBe(false);
    // Not for the first block, nor inside a paragraph, nor on someone else's proposed paragraph.
    expect(proposeJoin(at(doc, 1), NADIA)).toBeNull();
    expect(proposeJoin(at(doc, 11), NADIA)).toBeNull();
    const theirs = docOf(p('First.'), p('Second.', { [SUGGESTED_BLOCK_ATTR]: encodeBlockSuggestion({ id: 'oleg-p01', author: OLEG, at: 1 }) }));
    expect(proposeJoin(at(theirs, 9), NADIA)).toBeNull();
  });
});
