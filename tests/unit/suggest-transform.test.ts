import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { AllSelection, EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import { decodeBlockSuggestion, SUGGEST_DELETE, SUGGEST_FORMAT, SUGGEST_INSERT, SUGGESTED_BLOCK_ATTR } from '../../shared/doc/suggestions.ts';
import { plainInsertions, proposeParagraph, suggestTransaction, withdrawEmptyParagraph } from '../../client/editor/suggestTransform.ts';

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

const p = (...content: Array<string | PMNode>) => schema.node('paragraph', null, content.map((x) => (typeof x === 'string' ? schema.text(x) : x)));
const bullets = (...items: PMNode[][]) => schema.node('bulletList', null, items.map((blocks) => schema.node('listItem', null, blocks)));
const quote = (...blocks: PMNode[]) => schema.node('blockquote', null, blocks);
const docOfBlocks = (...blocks: PMNode[]) => schema.node('doc', null, blocks);

/** Each textblock's marked text, joined by ¶ (lists and quotations are flattened to their paragraphs). */
function render(doc: PMNode): string {
  const blocks: string[] = [];
  doc.descendants((block) => {
    if (!block.isTextblock) return true;
    let out = '';
    block.forEach((node) => {
      const i = node.marks.find((m) => m.type.name === SUGGEST_INSERT);
      const d = node.marks.find((m) => m.type.name === SUGGEST_DELETE);
      const who = (m: { attrs: Record<string, unknown> }) => (m.attrs.author === NADIA ? '' : 'O:');
      out += i ? `[+${who(i)}${node.text}]` : d ? `[-${who(d)}${node.text}]` : node.text;
    });
    blocks.push(out);
    return false;
  });
  return blocks.join(' ¶ ');
}

/** The document position of the first occurrence of `text`, moved on by `offset` letters. */
function posOf(doc: PMNode, text: string, offset = 0): number {
  let found = -1;
  doc.descendants((node, pos) => {
    if (found >= 0) return false;
    const at = node.isText ? node.text!.indexOf(text) : -1;
    if (at >= 0) found = pos + at + offset;
    return true;
  });
  if (found < 0) throw new Error(`"${text}" is not in the document`);
  return found;
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
    // Bold, italic and links can be proposed (below); other formatting cannot.
    const strike = suggest(at(doc, 1), (tr) => tr.addMark(1, 6, schema.marks.strike!.create()));
    expect(strike.state.doc.eq(doc)).toBe(true);
    expect(strike.unsupported).toBe('formatting');
  });

  it('bold, italic or a link put on or taken off become a proposal in the author’s name; the words keep their formatting', () => {
    const fmt = schema.marks[SUGGEST_FORMAT]!;
    const proposals = (doc: PMNode) => {
      const out: string[] = [];
      doc.descendants((node) => {
        const m = node.isText ? fmt.isInSet(node.marks) : undefined;
        if (m) out.push(`${node.text}:${m.attrs.mark}:${m.attrs.set}:${m.attrs.href ?? ''}:${m.attrs.author === NADIA ? 'N' : 'O'}`);
        return true;
      });
      return out;
    };
    const bold = schema.marks.bold!.create();
    const doc = docOf(['The State shall ', schema.text('protect', [bold]), ' rights.']);
    const made = suggest(at(doc, 1), (tr) => tr.addMark(1, 4, bold));
    expect(made.unsupported).toBeNull();
    expect(proposals(made.state.doc)).toEqual(['The:bold:true::N']);
    expect(made.state.doc.rangeHasMark(1, 4, schema.marks.bold!)).toBe(false);

    const unbold = suggest(at(doc, 1), (tr) => tr.removeMark(17, 24, schema.marks.bold!));
    expect(proposals(unbold.state.doc)).toEqual(['protect:bold:false::N']);
    expect(unbold.state.doc.rangeHasMark(17, 24, schema.marks.bold!)).toBe(true);

    const link = suggest(at(doc, 1), (tr) => tr.addMark(25, 31, schema.marks.link!.create({ href: 'https://www.ohchr.org/' })));
    expect(proposals(link.state.doc)).toEqual(['rights:link:true:https://www.ohchr.org/:N']);
    const unsafe = suggest(at(doc, 1), (tr) => tr.addMark(25, 31, schema.marks.link!.create({ href: 'javascript:alert(1)' })));
    expect(unsafe.state.doc.eq(doc)).toBe(true);
    expect(unsafe.unsupported).toBe('formatting');

    // Asking again for what is already proposed changes nothing, and is not reported as refused.
    const again = suggest(made.state, (tr) => tr.addMark(1, 4, bold));
    expect(again.state.doc.eq(made.state.doc)).toBe(true);
    expect(again.unsupported).toBeNull();
  });

  it('formats one’s own proposed words directly, and leaves other people’s proposals alone', () => {
    const bold = schema.marks.bold!.create();
    const mine = schema.text('firmly', [schema.marks[SUGGEST_INSERT]!.create({ id: 'nadia-ins-1', author: NADIA, at: 1 })]);
    const olegs = schema.text('rights', [schema.marks[SUGGEST_FORMAT]!.create({ id: 'oleg-fmt-1', author: OLEG, at: 1, mark: 'italic', set: true, href: null })]);
    const doc = docOf(['Act ', mine, ' on ', olegs, ' and ', ins('more')]);
    const state = at(doc, 1);
    const all = suggest(state, (tr) => tr.addMark(1, doc.content.size - 1, bold)).state.doc;
    const boldWords: string[] = [];
    all.descendants((node) => {
      if (node.isText && schema.marks.bold!.isInSet(node.marks)) boldWords.push(node.text!);
      return true;
    });
    expect(boldWords).toEqual(['firmly']);
    const formatProposals: string[] = [];
    all.descendants((node) => {
      const m = node.isText ? schema.marks[SUGGEST_FORMAT]!.isInSet(node.marks) : undefined;
      if (m) formatProposals.push(`${node.text}:${m.attrs.mark}:${m.attrs.author === NADIA ? 'N' : 'O'}`);
      return true;
    });
    // Nadia's proposal covers the plain words; Oleg's italic on "rights" and his proposed "more" stay his.
    expect(formatProposals).toEqual(['Act :bold:N', ' on :bold:N', 'rights:italic:O', ' and :bold:N']);
  });

  it('a paste of several paragraphs becomes one insertion of their words', () => {
    const doc = docOf(['Intro: .']);
    const pasted = docOf(['One.'], ['Two.']);
    const state = at(doc, 8);
    const next = suggest(state, (tr) => tr.replaceSelection(pasted.slice(0, pasted.content.size)));
    expect(render(next.state.doc)).toBe('Intro: [+One. Two.].');
  });

  it('pasted words come in without their formatting or links; typed words keep the formatting around them', () => {
    const doc = docOf(['Intro: .']);
    const bold = schema.marks.bold!.create();
    const link = schema.marks.link!.create({ href: 'https://example.org' });
    const clipboard = schema.node('paragraph', null, [schema.text('PASTEDBOLD', [bold]), schema.text(' and '), schema.text('PASTEDLINK', [link])]);
    const pastedState = suggest(at(doc, 8), (tr) => tr.replaceSelection(new Slice(Fragment.from(clipboard), 1, 1)).setMeta('paste', true)).state;
    const marksOf = (d: PMNode) => {
      const names = new Set<string>();
      d.descendants((n) => void n.marks.forEach((m) => names.add(m.type.name)));
      return [...names].sort();
    };
    expect(render(pastedState.doc)).toBe('Intro: [+PASTEDBOLD and PASTEDLINK].');
    expect(marksOf(pastedState.doc)).toEqual([SUGGEST_INSERT]);
    const boldDoc = schema.node('doc', null, [schema.node('paragraph', null, [schema.text('Bold words', [bold])])]);
    const typed = suggest(at(boldDoc, 5), (tr) => tr.insertText('X')).state;
    expect(marksOf(typed.doc)).toEqual(['bold', SUGGEST_INSERT]);
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

  it('a selection from a list item into the nested list item below it: the words are struck, the lists stay', () => {
    const doc = docOfBlocks(bullets([p('Alpha one'), bullets([p('Sub item')])], [p('Beta two')]));
    const from = posOf(doc, 'ha one');
    const to = posOf(doc, 'b item');
    const state = EditorState.create({ schema, doc, selection: TextSelection.create(doc, from, to) });
    const probe = state.tr.deleteSelection();
    // The case this covers: ProseMirror moves the rest of "Sub item" up with a ReplaceAroundStep.
    expect(probe.steps.map((step) => step.constructor.name)).toContain('ReplaceAroundStep');

    const deleted = suggest(state, (tr) => tr.deleteSelection());
    expect(deleted.unsupported).toBeNull();
    expect(render(deleted.state.doc)).toBe('Alp[-ha one] ¶ [-Su]b item ¶ Beta two');
    // The structure is untouched: still a list with a nested list.
    expect(deleted.state.doc.child(0).child(0).childCount).toBe(2);
    // Delete leaves the caret after the struck words.
    expect(deleted.state.selection.from).toBe(posOf(deleted.state.doc, 'b item'));

    const typed = suggest(state, (tr) => tr.insertText('Sub-'));
    expect(typed.unsupported).toBeNull();
    expect(render(typed.state.doc)).toBe('Alp[-ha one] ¶ [-Su][+Sub-]b item ¶ Beta two');
    const ids = new Set<string>();
    typed.state.doc.descendants((n) => void n.marks.forEach((m) => ids.add(`${String(m.attrs.author)}/${String(m.attrs.id)}`)));
    expect(ids.size).toBe(1);
  });

  it('a selection from a list into the paragraph after it, and from a paragraph into a quotation', () => {
    const listThenParagraph = docOfBlocks(bullets([p('Alpha one')], [p('Beta two')]), p('Outro text'));
    const state = EditorState.create({
      schema,
      doc: listThenParagraph,
      selection: TextSelection.create(listThenParagraph, posOf(listThenParagraph, 'ha one'), posOf(listThenParagraph, 'ro text')),
    });
    const typed = suggest(state, (tr) => tr.insertText('X'));
    expect(typed.unsupported).toBeNull();
    expect(render(typed.state.doc)).toBe('Alp[-ha one] ¶ [-Beta two] ¶ [-Out][+X]ro text');
    expect(typed.state.doc.childCount).toBe(2);

    const paragraphThenQuote = docOfBlocks(p('Intro text'), quote(p('Quoted words')));
    const quoted = EditorState.create({
      schema,
      doc: paragraphThenQuote,
      selection: TextSelection.create(paragraphThenQuote, posOf(paragraphThenQuote, 'ro text'), posOf(paragraphThenQuote, 'ted words')),
    });
    const deleted = suggest(quoted, (tr) => tr.deleteSelection());
    expect(deleted.unsupported).toBeNull();
    expect(render(deleted.state.doc)).toBe('Int[-ro text] ¶ [-Quo]ted words');
    expect(deleted.state.doc.child(1).type.name).toBe('blockquote');
  });

  it('across a block boundary too, one’s own proposed words really go and other people’s stay', () => {
    const own = schema.text('mine ', [schema.marks[SUGGEST_INSERT]!.create({ id: 'nadia-ins-1', author: NADIA, at: 1 })]);
    const doc = docOfBlocks(bullets([p('Alpha ', own, ins('his '), 'one'), bullets([p('Sub item')])]));
    const state = EditorState.create({ schema, doc, selection: TextSelection.create(doc, posOf(doc, 'ha '), posOf(doc, 'b item')) });
    const deleted = suggest(state, (tr) => tr.deleteSelection());
    expect(deleted.unsupported).toBeNull();
    expect(render(deleted.state.doc)).toBe('Alp[-ha ][+O:his ][-one] ¶ [-Su]b item');
  });

  it('a boundary with no words around it to strike is reported as structure and changes nothing', () => {
    const doc = docOfBlocks(p('Intro text'), bullets([p('Alpha one')]));
    const state = EditorState.create({ schema, doc, selection: TextSelection.create(doc, posOf(doc, 'Intro text', 10), posOf(doc, 'Alpha one')) });
    const probe = state.tr.deleteSelection();
    expect(probe.steps.map((step) => step.constructor.name)).toEqual(['ReplaceAroundStep']);
    const deleted = suggest(state, (tr) => tr.deleteSelection());
    expect(deleted.unsupported).toBe('structure');
    expect(deleted.state.doc.eq(doc)).toBe(true);
  });
});

describe('editing mode: what a person puts in is plain text (plainInsertions)', () => {
  /** Applies a direct edit the way the editor does in Editing mode. */
  function edit(state: EditorState, change: (tr: Transaction) => void): EditorState {
    const tr = state.tr;
    change(tr);
    return state.apply(plainInsertions(tr, state));
  }

  it('typing inside someone’s proposed words does not join their suggestion', () => {
    const doc = docOf(['A ', ins('firm '), 'plan.']);
    const state = at(doc, 6);
    // Without it, ProseMirror gives the typed letter Oleg's mark (it is inside his range).
    const raw = state.tr.insertText('X');
    expect(render(state.apply(raw).doc)).toBe('A [+O:firXm ]plan.');

    let next = edit(state, (tr) => tr.insertText('X'));
    expect(render(next.doc)).toBe('A [+O:fir]X[+O:m ]plan.');
    next = edit(next, (tr) => tr.insertText('Y'));
    expect(render(next.doc)).toBe('A [+O:fir]XY[+O:m ]plan.');
  });

  it('typing over struck words inside someone’s deletion, and several insertions in one transaction', () => {
    const del = (text: string) => schema.text(text, [schema.marks[SUGGEST_DELETE]!.create({ id: 'oleg-del-1', author: OLEG, at: 1 })]);
    const doc = docOf(['A ', del('weak '), 'plan ', ins('soon'), '.']);
    const state = at(doc, 5);
    const next = edit(state, (tr) => {
      tr.insertText('Q', posOf(doc, 'oon'));
      tr.insertText('Z', posOf(doc, 'ak '));
    });
    expect(render(next.doc)).toBe('A [-O:we]Z[-O:ak ]plan [+O:s]Q[+O:oon].');
  });

  it('pasting someone’s suggestion gives plain words; the suggestion itself stays', () => {
    const source = docOf(['A ', ins('firm '), 'plan.']);
    const state = at(source, source.content.size - 1);
    const copied = source.slice(posOf(source, 'firm'), posOf(source, 'plan'));
    const next = edit(state, (tr) => tr.replaceSelection(copied));
    expect(render(next.doc)).toBe('A [+O:firm ]plan.firm ');
  });

  it('leaves a transaction that puts nothing in as it is', () => {
    const doc = docOf(['A ', ins('firm '), 'plan.']);
    const state = at(doc, 3);
    const tr = state.tr.delete(1, 3);
    const steps = tr.steps.length;
    plainInsertions(tr, state);
    expect(tr.steps).toHaveLength(steps);
  });

  it('Enter in a list item proposes the next item; Backspace in it, still empty, withdraws it', () => {
    const { listItem, bulletList, paragraph } = schema.nodes;
    const item = (text: string) => listItem!.create(null, paragraph!.create(null, schema.text(text)));
    const doc = schema.node('doc', null, [bulletList!.create(null, [item('First action.'), item('Second action.')])]);
    let state = at(doc, 5);
    state = state.apply(proposeParagraph(state, NADIA)!);
    const list = state.doc.firstChild!;
    expect(list.childCount).toBe(3);
    expect(decodeBlockSuggestion(list.child(1).attrs[SUGGESTED_BLOCK_ATTR])?.author).toBe(NADIA);
    expect(state.selection.$from.parent.type.name).toBe('paragraph');
    expect(state.selection.$from.node(-1)).toBe(list.child(1));
    const empty = state;
    for (const ch of 'Third.') state = suggest(state, (tr) => tr.insertText(ch)).state;
    expect(state.doc.firstChild!.child(1).textContent).toBe('Third.');
    const marks = new Set<string>();
    state.doc.firstChild!.child(1).descendants((n) => void n.marks.forEach((m) => marks.add(`${m.type.name}/${String(m.attrs.id)}`)));
    expect([...marks]).toEqual([`${SUGGEST_INSERT}/${decodeBlockSuggestion(list.child(1).attrs[SUGGESTED_BLOCK_ATTR])!.id}`]);
    const withdrawn = empty.apply(withdrawEmptyParagraph(empty, NADIA)!);
    expect(withdrawn.doc.eq(doc)).toBe(true);
  });
});
