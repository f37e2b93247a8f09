import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { AllSelection, EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import { decodeBlockSuggestion, SUGGEST_DELETE, SUGGEST_INSERT, SUGGESTED_BLOCK_ATTR } from '../../shared/doc/suggestions.ts';
import { proposeParagraph, suggestTransaction, withdrawEmptyParagraph } from '../../client/editor/suggestTransform.ts';

/**
 * The suggesting transform on a real editor state (no browser needed): what a person's keystrokes
 * become in suggesting mode. Written as "marked text" strings: [+x] is an insertion, [-x] a
 * deletion, with the author's initial when it is not Nadia's (the suggesting person).
 */
const schema = getSchema(sectionExtensions());
const NADIA = 'user-nadia';
const OLEG = 'user-oleg';

function docOf(...paragraphs: Array<Array<string | PMNode>>): PMNode {
  return schema.node(
    'doc',
    null,
    paragraphs.map((p) => schema.node('paragraph', null, p.map((x) => (typeof x === 'string' ? schema.text(x) : x)))),
  );
}
const ins = (text: string, author = OLEG, id = 'oleg-ins-1') => schema.text(text, [schema.marks[SUGGEST_INSERT]!.create({ id, author, at: 1 })]);

function render(doc: PMNode): string {
  const blocks: string[] = [];
  doc.forEach((block) => {
    let out = '';
    block.forEach((node) => {
      const i = node.marks.find((m) => m.type.name === SUGGEST_INSERT);
      const d = node.marks.find((m) => m.type.name === SUGGEST_DELETE);
      const who = (m: { attrs: Record<string, unknown> }) => (m.attrs.author === NADIA ? '' : 'O:');
      out += i ? `[+${who(i)}${node.text}]` : d ? `[-${who(d)}${node.text}]` : node.text;
    });
    blocks.push(out);
  });
  return blocks.join(' ¶ ');
}

/** Applies one person's edit (built by `edit` on a plain transaction) through the transform. */
function suggest(state: EditorState, edit: (tr: Transaction) => void): { state: EditorState; unsupported: string | null } {
  const tr = state.tr;
  edit(tr);
  const { tr: out, unsupported } = suggestTransaction(tr, state, NADIA);
  return { state: state.apply(out), unsupported };
}

const at = (doc: PMNode, pos: number) => EditorState.create({ schema, doc, selection: TextSelection.create(doc, pos) });

describe('suggesting transform', () => {
  it('typing becomes one insertion in the author’s name, however many keystrokes', () => {
    let state = at(docOf(['The Ministry will act.']), 19);
    for (const ch of 'swiftly ') state = suggest(state, (tr) => tr.insertText(ch)).state;
    expect(render(state.doc)).toBe('The Ministry will [+swiftly ]act.');
    const ids = new Set<string>();
    state.doc.descendants((n) => void n.marks.forEach((m) => ids.add(String(m.attrs.id))));
    expect(ids.size).toBe(1);
  });

  it('deleting marks the words instead of removing them; backspace keeps moving left', () => {
    let state = at(docOf(['abolish the death penalty']), 13);
    for (let i = 0; i < 4; i++) state = suggest(state, (tr) => tr.delete(state.selection.from - 1, state.selection.from)).state;
    expect(render(state.doc)).toBe('abolish [-the ]death penalty');
    expect(state.selection.from).toBe(9);
  });

  it('replacing a selection strikes it and puts the new words after it, as one suggestion', () => {
    const doc = docOf(['Torture is prohibited by law.']);
    const state = EditorState.create({ schema, doc, selection: TextSelection.create(doc, 12, 22) });
    const next = suggest(state, (tr) => tr.insertText('absolutely prohibited')).state;
    expect(render(next.doc)).toBe('Torture is [-prohibited][+absolutely prohibited] by law.');
    const marks = new Set<string>();
    next.doc.descendants((n) => void n.marks.forEach((m) => marks.add(String(m.attrs.id))));
    expect(marks.size).toBe(1);
  });

  it('deleting one’s own proposed words removes them for real', () => {
    let state = at(docOf(['Act now.']), 5);
    for (const ch of 'very ') state = suggest(state, (tr) => tr.insertText(ch)).state;
    expect(render(state.doc)).toBe('Act [+very ]now.');
    for (let i = 0; i < 5; i++) state = suggest(state, (tr) => tr.delete(state.selection.from - 1, state.selection.from)).state;
    expect(render(state.doc)).toBe('Act now.');
  });

  it('leaves other people’s suggestions alone: typing inside one splits it, deleting over one skips it', () => {
    const doc = docOf(['A ', ins('firm '), 'plan.']);
    let state = at(doc, 6);
    state = suggest(state, (tr) => tr.insertText('X')).state;
    expect(render(state.doc)).toBe('A [+O:fir][+X][+O:m ]plan.');
    const whole = EditorState.create({ schema, doc, selection: TextSelection.create(doc, 1, doc.content.size - 1) });
    const deleted = suggest(whole, (tr) => tr.deleteSelection()).state;
    expect(render(deleted.doc)).toBe('[-A ][+O:firm ][-plan.]');
  });

  it('refuses what a suggestion cannot carry: a new paragraph, a join, formatting', () => {
    const doc = docOf(['First.'], ['Second.']);
    const enter = suggest(at(doc, 7), (tr) => tr.split(7));
    expect(render(enter.state.doc)).toBe('First. ¶ Second.');
    expect(enter.unsupported).toBe('structure');
    const join = suggest(at(doc, 10), (tr) => tr.delete(7, 9));
    expect(render(join.state.doc)).toBe('First. ¶ Second.');
    expect(join.unsupported).toBe('structure');
    const bold = suggest(at(doc, 1), (tr) => tr.addMark(1, 6, schema.marks.bold!.create()));
    expect(bold.state.doc.eq(doc)).toBe(true);
    expect(bold.unsupported).toBe('formatting');
  });

  it('a paste of several paragraphs becomes one insertion of their words', () => {
    const doc = docOf(['Intro: .']);
    const pasted = docOf(['One.'], ['Two.']);
    const state = at(doc, 8);
    const next = suggest(state, (tr) => tr.replaceSelection(pasted.slice(0, pasted.content.size)));
    expect(render(next.state.doc)).toBe('Intro: [+One. Two.].');
  });

  it('Enter proposes a new paragraph after the current one; its words and further paragraphs are the same suggestion', () => {
    let state = at(docOf(['First provision.'], ['Second provision.']), 8);
    state = state.apply(proposeParagraph(state, NADIA)!);
    expect(render(state.doc)).toBe('First provision. ¶  ¶ Second provision.');
    for (const ch of 'New.') state = suggest(state, (tr) => tr.insertText(ch)).state;
    state = state.apply(proposeParagraph(state, NADIA)!);
    for (const ch of 'More.') state = suggest(state, (tr) => tr.insertText(ch)).state;
    expect(render(state.doc)).toBe('First provision. ¶ [+New.] ¶ [+More.] ¶ Second provision.');
    const ids = new Set<string>();
    state.doc.descendants((n) => {
      const block = decodeBlockSuggestion(n.attrs[SUGGESTED_BLOCK_ATTR]);
      if (block) ids.add(`${block.author}/${block.id}`);
      n.marks.forEach((m) => ids.add(`${String(m.attrs.author)}/${String(m.attrs.id)}`));
      return true;
    });
    expect([...ids]).toHaveLength(1);
    expect([...ids][0]).toMatch(/^user-nadia\//);
  });

  it('Backspace in one’s own empty proposed paragraph withdraws it, and only then', () => {
    let state = at(docOf(['Only provision.']), 5);
    expect(withdrawEmptyParagraph(state, NADIA)).toBeNull();
    state = state.apply(proposeParagraph(state, NADIA)!);
    expect(withdrawEmptyParagraph(state, OLEG)).toBeNull();
    state = state.apply(withdrawEmptyParagraph(state, NADIA)!);
    expect(render(state.doc)).toBe('Only provision.');
  });

  it('select-all and type strikes everything and puts the words at the end of the last paragraph', () => {
    const doc = docOf(['First.'], ['Second.']);
    const state = EditorState.create({ schema, doc, selection: new AllSelection(doc) });
    const next = suggest(state, (tr) => tr.insertText('Instead.'));
    expect(render(next.state.doc)).toBe('[-First.] ¶ [-Second.][+Instead.]');
    expect(next.state.doc.childCount).toBe(2);
  });
});
