import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { getSectionBody, sectionPlainText } from '../../shared/doc/schema.ts';
import { sectionExtensions } from '../../shared/doc/extensions.ts';
import {
  decideSuggestions,
  encodeBlockSuggestion,
  foreignSuggestionMarks,
  hasDoubleMarkedText,
  SUGGESTED_BLOCK_ATTR,
  listSuggestions,
  projectWithoutAuthor,
  spreadsOthersSuggestions,
  SUGGEST_DELETE,
  SUGGEST_INSERT,
  type SuggestionAttrs,
} from '../../shared/doc/suggestions.ts';

/*
 * Documents are written as ProseMirror JSON in the real editor schema and converted with y-tiptap,
 * so the Yjs shape (one XmlText per run of inline text, marks as formatting attributes) is exactly
 * what a browser writes. Suggestion ids must match the module's id pattern (6 to 40 characters):
 * a shorter id is not a suggestion at all.
 */

const schema = getSchema(sectionExtensions());
// The author's clock, as a mark carries it: never shown. listSuggestions gives the server's time
// (shared/doc/suggestionTimes.ts), null here since no server stamped these documents.
const AT = 1_760_000_000_000;

type Json = Record<string, unknown>;
const attrs = (id: string, author: string): SuggestionAttrs => ({ id, author, at: AT });
const ins = (id: string, author: string): Json => ({ type: SUGGEST_INSERT, attrs: attrs(id, author) });
const del = (id: string, author: string): Json => ({ type: SUGGEST_DELETE, attrs: attrs(id, author) });
const bold: Json = { type: 'bold' };

const text = (t: string, ...marks: Json[]): Json => ({ type: 'text', text: t, ...(marks.length ? { marks } : {}) });
type Inline = string | Json;
const inline = (content: Inline[]) => content.map((c) => (typeof c === 'string' ? text(c) : c));
const p = (...content: Inline[]): Json => ({ type: 'paragraph', ...(content.length ? { content: inline(content) } : {}) });
const h = (level: number, ...content: Inline[]): Json => ({ type: 'heading', attrs: { level }, content: inline(content) });
const br: Json = { type: 'hardBreak' };
const li = (...blocks: Json[]): Json => ({ type: 'listItem', content: blocks });
const ul = (...items: Json[]): Json => ({ type: 'bulletList', content: items });
const ol = (...items: Json[]): Json => ({ type: 'orderedList', content: items });
const th = (...content: Inline[]): Json => ({ type: 'tableHeader', content: [p(...content)] });
const td = (...content: Inline[]): Json => ({ type: 'tableCell', content: [p(...content)] });
const tr = (...cells: Json[]): Json => ({ type: 'tableRow', content: cells });
const table = (...rows: Json[]): Json => ({ type: 'table', content: rows });

function docOf(blocks: Json[]): Y.Doc {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(schema, { type: 'doc', content: blocks }, getSectionBody(doc));
  return doc;
}

/** How sectionPlainText renders one table row: its cells on one line, separated by tabs. */
const row = (...cells: string[]) => cells.join('\t');

/** Every XmlText of the body in document order. */
function texts(doc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) out.push(child);
      else if (child instanceof Y.XmlElement) walk(child);
    }
  };
  walk(getSectionBody(doc));
  return out;
}

type Op = { insert: unknown; attributes?: Record<string, unknown> };
const ops = (doc: Y.Doc): Op[] => texts(doc).flatMap((t) => t.toDelta() as Op[]);
const suggestionAttributeCount = (doc: Y.Doc) =>
  ops(doc).filter((op) => op.attributes && (SUGGEST_INSERT in op.attributes || SUGGEST_DELETE in op.attributes)).length;
/** All bold characters in document order. */
const boldText = (doc: Y.Doc) =>
  ops(doc)
    .filter((op) => typeof op.insert === 'string' && op.attributes?.bold !== undefined)
    .map((op) => op.insert)
    .join('');
const plain = (t: Y.XmlText) => (t.toDelta() as Op[]).map((op) => op.insert).join('');
/** Where `s` starts in a text (throws if absent, so an edit never lands somewhere unintended). */
function at(t: Y.XmlText, s: string): number {
  const i = plain(t).indexOf(s);
  if (i < 0) throw new Error(`"${s}" not in "${plain(t)}"`);
  return i;
}

interface Layout {
  name: string;
  blocks: Json[];
  accepted: string;
  rejected: string;
  /** Bold characters after accepting all / rejecting all, when the layout has bold text. */
  bold?: { accepted: string; rejected: string };
}

const LAYOUTS: Layout[] = [
  {
    name: 'single insertion',
    blocks: [p('The State ', text('shall ', ins('ins-001', 'alice')), 'protect.')],
    accepted: 'The State shall protect.',
    rejected: 'The State protect.',
  },
  {
    name: 'single deletion',
    blocks: [p('Torture is ', text('generally ', del('del-001', 'bob')), 'prohibited.')],
    accepted: 'Torture is prohibited.',
    rejected: 'Torture is generally prohibited.',
  },
  {
    name: 'replacement (deletion and insertion sharing an id), in a heading and a paragraph',
    blocks: [
      h(2, text('Death penalty', del('rep-001', 'alice')), text('Capital punishment', ins('rep-001', 'alice'))),
      p('Review the law by ', text('2025', del('rep-002', 'bob')), text('2026', ins('rep-002', 'bob')), '.'),
    ],
    accepted: 'Capital punishment\nReview the law by 2026.',
    rejected: 'Death penalty\nReview the law by 2025.',
  },
  {
    name: "adjacent insertions by different authors",
    blocks: [p('Rights of ', text('women ', ins('adj-001', 'alice')), text('and girls ', ins('adj-002', 'bob')), 'matter.')],
    accepted: 'Rights of women and girls matter.',
    rejected: 'Rights of matter.',
  },
  {
    name: "deletion directly followed by another author's insertion",
    blocks: [p('Adopt ', text('a draft', del('adj-003', 'alice')), text('the final', ins('adj-004', 'bob')), ' plan.')],
    accepted: 'Adopt the final plan.',
    rejected: 'Adopt a draft plan.',
  },
  {
    name: 'one deletion spanning two paragraphs (the paragraphs stay two)',
    blocks: [
      p('End of the first ', text('paragraph', del('span-01', 'alice'))),
      p(text('Start', del('span-01', 'alice')), ' of the second.'),
    ],
    accepted: 'End of the first \n of the second.',
    rejected: 'End of the first paragraph\nStart of the second.',
  },
  {
    name: 'bold partly inside an insertion and inside a deletion',
    blocks: [
      p(
        'Courts',
        text(' must', ins('bold-01', 'alice')),
        text(' always', ins('bold-01', 'alice'), bold),
        text(' respect', bold),
        text(' rarely', del('bold-02', 'bob'), bold),
        ' deadlines.',
      ),
    ],
    accepted: 'Courts must always respect deadlines.',
    rejected: 'Courts respect rarely deadlines.',
    bold: { accepted: ' always respect', rejected: ' respect rarely' },
  },
  {
    name: 'bullet list item and ordered list',
    blocks: [
      ul(
        li(p('Free ', text('and fair ', ins('list-01', 'alice')), 'elections')),
        li(p(text('Gradually ', del('list-02', 'bob')), 'abolish censorship')),
      ),
      ol(
        li(p('Ratify OPCAT')),
        li(p('Create the ', text('national', del('list-03', 'carol')), text('independent', ins('list-03', 'carol')), ' mechanism')),
      ),
    ],
    accepted: 'Free and fair elections\nabolish censorship\nRatify OPCAT\nCreate the independent mechanism',
    rejected: 'Free elections\nGradually abolish censorship\nRatify OPCAT\nCreate the national mechanism',
  },
  {
    name: 'nested lists three levels deep',
    blocks: [
      ul(
        li(
          p('Children'),
          ul(
            li(p('Birth ', text('registration', ins('nest-01', 'alice')))),
            li(
              p(text('Juvenile ', del('nest-02', 'bob')), 'justice'),
              ol(li(p('Age of ', text('criminal ', ins('nest-03', 'carol')), 'responsibility'))),
            ),
          ),
        ),
      ),
    ],
    accepted: 'Children\nBirth registration\njustice\nAge of criminal responsibility',
    rejected: 'Children\nBirth \nJuvenile justice\nAge of responsibility',
  },
  {
    name: 'table header cell and body cells',
    blocks: [
      p('Actions:'),
      table(
        tr(th(text('Measure', del('tab-001', 'alice')), text('Action', ins('tab-001', 'alice'))), th('Deadline')),
        tr(td('Train ', text('all ', ins('tab-002', 'bob')), 'judges'), td(text('2025', del('tab-003', 'carol')))),
      ),
      p('After the table.'),
    ],
    accepted: ['Actions:', row('Action', 'Deadline'), row('Train all judges', ''), 'After the table.'].join('\n'),
    rejected: ['Actions:', row('Measure', 'Deadline'), row('Train judges', '2025'), 'After the table.'].join('\n'),
  },
  {
    name: "a whole paragraph's text (the emptied paragraph stays)",
    blocks: [
      p('Keep this.'),
      p(text('Remove this whole paragraph.', del('whole-1', 'alice'))),
      p(text('A new paragraph.', ins('whole-2', 'bob'))),
      p('Keep that.'),
    ],
    accepted: 'Keep this.\n\nA new paragraph.\nKeep that.',
    rejected: 'Keep this.\nRemove this whole paragraph.\n\nKeep that.',
  },
  {
    name: 'at the very start and very end of texts',
    blocks: [
      p(text('Firstly, ', ins('edge-01', 'alice')), 'the plan applies', text(' nationwide', del('edge-02', 'bob'))),
      p(text('Obsolete', del('edge-03', 'alice')), ' middle ', text('addendum', ins('edge-04', 'bob'))),
    ],
    accepted: 'Firstly, the plan applies\n middle addendum',
    rejected: 'the plan applies nationwide\nObsolete middle ',
  },
  {
    name: 'Cyrillic and emoji (surrogate pairs, ZWJ sequences, flags)',
    blocks: [
      p(
        'Право на ',
        text('справедливый ', ins('uni-001', 'alice')),
        'суд ',
        text('👩‍⚖️', del('uni-002', 'bob')),
        text('⚖️🇧🇾', ins('uni-002', 'bob')),
        ' — ',
        text('ёлка 🎄', ins('uni-003', 'carol')),
        text('ель', del('uni-004', 'carol')),
      ),
    ],
    accepted: 'Право на справедливый суд ⚖️🇧🇾 — ёлка 🎄',
    rejected: 'Право на суд 👩‍⚖️ — ель',
  },
  {
    name: 'several suggestions in one text, mixed with plain characters',
    blocks: [
      p(
        'A',
        text('b', ins('mix-001', 'alice')),
        'c',
        text('d', del('mix-002', 'bob')),
        'e',
        text('f', del('mix-003', 'alice')),
        text('g', ins('mix-003', 'alice')),
        'h',
        text('i', ins('mix-004', 'carol')),
        text('j', ins('mix-005', 'bob')),
        'k',
      ),
    ],
    accepted: 'Abceghijk',
    rejected: 'Acdefhk',
  },
  {
    name: "another author's insertion inside a deletion run",
    blocks: [
      p(
        'The ',
        text('death ', del('ovl-001', 'alice')),
        text('capital ', ins('ovl-002', 'bob')),
        text('penalty ', del('ovl-001', 'alice')),
        'is abolished.',
      ),
    ],
    accepted: 'The capital is abolished.',
    rejected: 'The death penalty is abolished.',
  },
  {
    name: "a replacement next to another author's deletion",
    blocks: [p('Report ', text('by', del('ovl-003', 'alice')), text('before', ins('ovl-003', 'alice')), text(' the end of', del('ovl-004', 'bob')), ' 2030.')],
    accepted: 'Report before 2030.',
    rejected: 'Report by the end of 2030.',
  },
  {
    name: 'suggestions on both sides of a hard line break',
    blocks: [p('Line one', text(' extended', ins('brk-001', 'alice')), br, text('line two', del('brk-002', 'bob')), ' end')],
    accepted: 'Line one extended end',
    rejected: 'Line oneline two end',
  },
];

describe('accept all / reject all over suggestion layouts', () => {
  const cases = LAYOUTS.flatMap((layout) =>
    (['accept', 'reject'] as const).map((decision) => ({ ...layout, decision })),
  );

  it.each(cases)('$name: $decision all', ({ blocks, decision, accepted, rejected, bold: boldExpected }) => {
    const doc = docOf(blocks);
    const open = listSuggestions(doc);
    expect(open.length).toBeGreaterThan(0);
    expect(suggestionAttributeCount(doc)).toBeGreaterThan(0);

    const decided = decideSuggestions(doc, () => true, decision);

    expect(decided).toEqual(open);
    expect(sectionPlainText(doc)).toBe(decision === 'accept' ? accepted : rejected);
    expect(listSuggestions(doc)).toEqual([]);
    expect(suggestionAttributeCount(doc)).toBe(0);
    expect(boldText(doc)).toBe(boldExpected ? boldExpected[decision === 'accept' ? 'accepted' : 'rejected'] : '');
  });

  it('decides in one transaction, and a second replica converges to the same text', () => {
    const layout = LAYOUTS.find((l) => l.name.startsWith('nested lists'))!;
    const doc = docOf(layout.blocks);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array, origin: unknown) => {
      expect(origin).toBe('reviewer');
      updates.push(u);
    });
    decideSuggestions(doc, () => true, 'accept', 'reviewer');
    expect(updates).toHaveLength(1);
    Y.applyUpdate(replica, updates[0]!);
    expect(sectionPlainText(replica)).toBe(layout.accepted);
    expect(listSuggestions(replica)).toEqual([]);
  });

  it('choosing nothing changes nothing', () => {
    const doc = docOf(LAYOUTS[0]!.blocks);
    let updates = 0;
    doc.on('update', () => updates++);
    expect(decideSuggestions(doc, () => false, 'accept')).toEqual([]);
    expect(updates).toBe(0);
    expect(listSuggestions(doc)).toHaveLength(1);
  });
});

describe('selective decisions', () => {
  // One document with every author's work: alice and carol are one organisation, bob another.
  const blocks = [
    h(2, 'Fair ', text('and public ', ins('sel-001', 'carol')), 'trial'),
    p(
      'A',
      text('b', ins('mix-001', 'alice')),
      'c',
      text('d', del('mix-002', 'bob')),
      'e',
      text('f', del('mix-003', 'alice')),
      text('g', ins('mix-003', 'alice')),
      'h',
      text('i', ins('mix-004', 'carol')),
      text('j', ins('mix-005', 'bob')),
      'k',
    ),
    p('The ', text('death ', del('ovl-001', 'alice')), text('capital ', ins('ovl-002', 'bob')), text('penalty ', del('ovl-001', 'alice')), 'is abolished.'),
    ul(li(p('Train ', text('all ', ins('sel-002', 'bob')), 'judges ', text('annually', del('sel-003', 'carol'))))),
  ];
  const ORGANISATION = new Set(['alice', 'carol']);
  const ids = (doc: Y.Doc) => listSuggestions(doc).map((s) => s.id);

  it("accepts one organisation's suggestions and rejects the rest", () => {
    const doc = docOf(blocks);
    const accepted = decideSuggestions(doc, (s) => ORGANISATION.has(s.author), 'accept');
    expect(accepted.map((s) => s.id)).toEqual(['sel-001', 'mix-001', 'mix-003', 'mix-004', 'ovl-001', 'sel-003']);
    expect(ids(doc)).toEqual(['mix-002', 'mix-005', 'ovl-002', 'sel-002']);
    expect(sectionPlainText(doc)).toBe('Fair and public trial\nAbcdeghijk\nThe capital is abolished.\nTrain all judges ');

    const rejected = decideSuggestions(doc, () => true, 'reject');
    expect(rejected.map((s) => s.author)).toEqual(['bob', 'bob', 'bob', 'bob']);
    expect(sectionPlainText(doc)).toBe('Fair and public trial\nAbcdeghik\nThe is abolished.\nTrain judges ');
    expect(listSuggestions(doc)).toEqual([]);
  });

  it("rejects one author's suggestions and accepts the rest", () => {
    const doc = docOf(blocks);
    decideSuggestions(doc, (s) => s.author === 'alice', 'reject');
    expect(sectionPlainText(doc)).toBe('Fair and public trial\nAcdefhijk\nThe death capital penalty is abolished.\nTrain all judges annually');
    decideSuggestions(doc, () => true, 'accept');
    expect(sectionPlainText(doc)).toBe('Fair and public trial\nAcefhijk\nThe death capital penalty is abolished.\nTrain all judges ');
  });

  it('accepts exactly one id, leaving the others open', () => {
    const doc = docOf(blocks);
    expect(decideSuggestions(doc, (s) => s.id === 'mix-003', 'accept').map((s) => s.id)).toEqual(['mix-003']);
    expect(sectionPlainText(doc)).toBe('Fair and public trial\nAbcdeghijk\nThe death capital penalty is abolished.\nTrain all judges annually');
    expect(ids(doc)).toEqual(['sel-001', 'mix-001', 'mix-002', 'mix-004', 'mix-005', 'ovl-001', 'ovl-002', 'sel-002', 'sel-003']);
  });

  it("rejecting the insertion inside a deletion rejoins the deletion's two runs", () => {
    const doc = docOf(blocks);
    decideSuggestions(doc, (s) => s.id === 'ovl-002', 'reject');
    expect(listSuggestions(doc).find((s) => s.id === 'ovl-001')).toMatchObject({ kind: 'delete', deleted: 'death penalty ', inserted: '' });
    decideSuggestions(doc, (s) => s.id === 'ovl-001', 'accept');
    expect(sectionPlainText(doc).split('\n')[2]).toBe('The is abolished.');
  });

  it('accepting the deletion around an insertion keeps the insertion open', () => {
    const doc = docOf(blocks);
    decideSuggestions(doc, (s) => s.id === 'ovl-001', 'accept');
    expect(sectionPlainText(doc).split('\n')[2]).toBe('The capital is abolished.');
    expect(listSuggestions(doc).find((s) => s.id === 'ovl-002')).toMatchObject({ author: 'bob', inserted: 'capital ' });
  });
});

describe('listSuggestions', () => {
  it('lists each suggestion once, in order of first appearance, with its kind, texts and author', () => {
    const doc = docOf([
      p('Start ', text('new', ins('zzz-999', 'bob')), ' and ', text('old', del('aaa-111', 'alice'))),
      // A replacement whose insertion comes first is still a replacement.
      p(text('2026', ins('mmm-555', 'carol')), text('2025', del('mmm-555', 'carol')), ' deadline ', text('soon', del('zzz-999', 'bob'))),
      ul(li(p(text('more ', ins('aaa-111', 'alice'))))),
      p(text('\u200BZero\u200B-width', ins('zws-001', 'alice'))),
      // Marks with attributes that are not a valid suggestion are not listed.
      p(text('short id', ins('s1', 'alice')), text('no time', { type: SUGGEST_DELETE, attrs: { id: 'no-time-1', author: 'bob', at: null } })),
    ]);
    expect(listSuggestions(doc)).toEqual([
      { id: 'zzz-999', author: 'bob', at: null, inserted: 'new', deleted: 'soon', kind: 'replace', paragraphs: 0 },
      { id: 'aaa-111', author: 'alice', at: null, inserted: 'more ', deleted: 'old', kind: 'replace', paragraphs: 0 },
      { id: 'mmm-555', author: 'carol', at: null, inserted: '2026', deleted: '2025', kind: 'replace', paragraphs: 0 },
      { id: 'zws-001', author: 'alice', at: null, inserted: 'Zero-width', deleted: '', kind: 'insert', paragraphs: 0 },
    ]);
  });

  it('joins one suggestion spanning blocks and tells insertions from deletions', () => {
    const doc = docOf([
      p('one ', text('gone', del('span-01', 'alice'))),
      p(text('also gone', del('span-01', 'alice')), text(' added', ins('ins-002', 'bob'))),
    ]);
    expect(listSuggestions(doc)).toEqual([
      { id: 'span-01', author: 'alice', at: null, inserted: '', deleted: 'gonealso gone', kind: 'delete', paragraphs: 0 },
      { id: 'ins-002', author: 'bob', at: null, inserted: ' added', deleted: '', kind: 'insert', paragraphs: 0 },
    ]);
  });
});

describe('projectWithoutAuthor (what a person who may only suggest may change)', () => {
  // alice is the person who may only suggest; bob is someone else.
  const base = () =>
    docOf([
      h(2, 'Fair trial'),
      p(
        'Courts ',
        text('must ', ins('bob-ins-1', 'bob')),
        'hear ',
        text('all ', del('bob-del-1', 'bob')),
        'cases ',
        text('promptly', bold),
        text(' and fairly', ins('ali-ins-1', 'alice')),
        '.',
      ),
      p(text('Outdated clause', del('ali-del-1', 'alice')), ' remains.'),
    ]);
  const heading = (doc: Y.Doc) => getSectionBody(doc).get(0) as Y.XmlElement;
  const line = (doc: Y.Doc, block: number) => (getSectionBody(doc).get(block) as Y.XmlElement).get(0) as Y.XmlText;
  const mine = (id: string) => attrs(id, 'alice');
  const bobs = (id: string) => attrs(id, 'bob');

  const edits: Array<{ name: string; same: boolean; edit: (doc: Y.Doc) => void }> = [
    { name: 'adds an insertion', same: true, edit: (d) => line(d, 1).insert(at(line(d, 1), 'hear'), 'quickly ', { [SUGGEST_INSERT]: mine('ali-ins-2') }) },
    {
      name: "adds an insertion inside bob's deletion",
      same: true,
      edit: (d) => line(d, 1).insert(at(line(d, 1), 'll '), 'x', { [SUGGEST_INSERT]: mine('ali-ins-3') }),
    },
    { name: 'types inside their own insertion', same: true, edit: (d) => line(d, 1).insert(at(line(d, 1), 'fairly'), 'very ', { [SUGGEST_INSERT]: mine('ali-ins-1') }) },
    { name: 'marks plain text for deletion', same: true, edit: (d) => line(d, 1).format(at(line(d, 1), 'cases'), 6, { [SUGGEST_DELETE]: mine('ali-del-2') }) },
    { name: 'removes the text of their own insertion', same: true, edit: (d) => line(d, 1).delete(at(line(d, 1), ' and fairly'), 11) },
    { name: 'removes their own deletion mark', same: true, edit: (d) => line(d, 2).format(0, 15, { [SUGGEST_DELETE]: null }) },
    { name: 'types plain text', same: false, edit: (d) => line(d, 1).insert(at(line(d, 1), 'cases'), 'civil ', {}) },
    { name: 'deletes plain text', same: false, edit: (d) => line(d, 1).delete(0, 7) },
    { name: 'deletes text they had only marked for deletion', same: false, edit: (d) => line(d, 2).delete(0, 15) },
    { name: "removes bob's inserted text", same: false, edit: (d) => line(d, 1).delete(at(line(d, 1), 'must'), 5) },
    { name: "accepts bob's insertion (drops its mark)", same: false, edit: (d) => line(d, 1).format(at(line(d, 1), 'must'), 5, { [SUGGEST_INSERT]: null }) },
    { name: "rejects bob's deletion (drops its mark)", same: false, edit: (d) => line(d, 1).format(at(line(d, 1), 'all '), 4, { [SUGGEST_DELETE]: null }) },
    { name: "inserts text in bob's name", same: false, edit: (d) => line(d, 1).insert(at(line(d, 1), 'hear'), 'x ', { [SUGGEST_INSERT]: bobs('bob-ins-9') }) },
    { name: "marks text for deletion in bob's name", same: false, edit: (d) => line(d, 1).format(at(line(d, 1), 'cases'), 6, { [SUGGEST_DELETE]: bobs('bob-del-9') }) },
    {
      name: 'inserts text with a malformed mark (no time)',
      same: false,
      edit: (d) => line(d, 1).insert(0, 'x', { [SUGGEST_INSERT]: { id: 'ali-ins-4', author: 'alice' } }),
    },
    { name: 'removes bold', same: false, edit: (d) => line(d, 1).format(at(line(d, 1), 'promptly'), 8, { bold: null }) },
    { name: 'adds bold', same: false, edit: (d) => line(d, 2).format(at(line(d, 2), 'remains'), 7, { bold: {} }) },
    { name: 'changes the heading level', same: false, edit: (d) => heading(d).setAttribute('level', 3 as unknown as string) },
  ];

  it.each(edits)('alice $name: projection unchanged = $same', ({ edit, same }) => {
    const doc = base();
    const before = projectWithoutAuthor(doc, 'alice');
    const xmlBefore = getSectionBody(doc).toString();
    edit(doc);
    // The edit really changed the document, so "unchanged" below is a finding, not a no-op.
    expect(getSectionBody(doc).toString()).not.toBe(xmlBefore);
    if (same) expect(projectWithoutAuthor(doc, 'alice')).toBe(before);
    else expect(projectWithoutAuthor(doc, 'alice')).not.toBe(before);
  });

  it("is someone else's rule for someone else: alice's edits change bob's projection", () => {
    const doc = base();
    const before = projectWithoutAuthor(doc, 'bob');
    edits[0]!.edit(doc);
    expect(projectWithoutAuthor(doc, 'bob')).not.toBe(before);
  });

  it('treats an empty body and a body with one empty paragraph as the same', () => {
    const empty = projectWithoutAuthor(new Y.Doc(), 'alice');
    expect(projectWithoutAuthor(docOf([p()]), 'alice')).toBe(empty);
    expect(projectWithoutAuthor(docOf([p(text('Only mine', ins('ali-ins-1', 'alice')))]), 'alice')).toBe(empty);
    expect(projectWithoutAuthor(docOf([p(), p()]), 'alice')).not.toBe(empty);
    expect(projectWithoutAuthor(docOf([p('x')]), 'alice')).not.toBe(empty);
    expect(projectWithoutAuthor(docOf([h(1, 'x')]), 'alice')).not.toBe(empty);
  });
});

describe('foreignSuggestionMarks (marks made in another person’s name)', () => {
  // The server's copy holds bob's insertion; alice writes on a replica and sends the difference.
  const server = () => docOf([p('Plain words ', text('bob added', ins('bob-ins-1', 'bob')), ' end')]);
  function updateFrom(doc: Y.Doc, edit: (t: Y.XmlText) => void): Uint8Array {
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    replica.on('update', (u: Uint8Array) => updates.push(u));
    edit((getSectionBody(replica).get(0) as Y.XmlElement).get(0) as Y.XmlText);
    expect(updates).toHaveLength(1);
    return updates[0]!;
  }

  it("reports a new mark in another person's name", () => {
    const doc = server();
    const byFormat = updateFrom(doc, (t) => t.format(0, 5, { [SUGGEST_DELETE]: attrs('new-id-1', 'carol') }));
    expect(foreignSuggestionMarks(byFormat, doc, 'alice')).toEqual([attrs('new-id-1', 'carol')]);
    const byInsert = updateFrom(doc, (t) => t.insert(0, 'Forged ', { [SUGGEST_INSERT]: attrs('new-id-2', 'bob') }));
    expect(foreignSuggestionMarks(byInsert, doc, 'alice')).toEqual([attrs('new-id-2', 'bob')]);
  });

  it("reports an existing id claimed under a different author", () => {
    const doc = server();
    const update = updateFrom(doc, (t) => t.format(0, 5, { [SUGGEST_INSERT]: attrs('bob-ins-1', 'carol') }));
    expect(foreignSuggestionMarks(update, doc, 'alice')).toEqual([attrs('bob-ins-1', 'carol')]);
  });

  it('does not report re-creating an existing mark with its author, own marks, or removing marks', () => {
    const doc = server();
    const recreate = updateFrom(doc, (t) => t.insert(t.length, ' again', { [SUGGEST_INSERT]: attrs('bob-ins-1', 'bob') }));
    expect(foreignSuggestionMarks(recreate, doc, 'alice')).toEqual([]);
    const own = updateFrom(doc, (t) => t.insert(0, 'Mine ', { [SUGGEST_INSERT]: attrs('ali-ins-1', 'alice') }));
    expect(foreignSuggestionMarks(own, doc, 'alice')).toEqual([]);
    const accept = updateFrom(doc, (t) => t.format(at(t, 'bob added'), 9, { [SUGGEST_INSERT]: null }));
    expect(foreignSuggestionMarks(accept, doc, 'alice')).toEqual([]);
    // ...but the same own mark is someone else's when checked for another person.
    expect(foreignSuggestionMarks(own, doc, 'carol')).toEqual([attrs('ali-ins-1', 'alice')]);
  });

  it('reports a malformed mark, even in their own name', () => {
    const doc = server();
    const update = updateFrom(doc, (t) => t.format(0, 5, { [SUGGEST_DELETE]: { id: 'ali-del-1', author: 'alice' } }));
    expect(foreignSuggestionMarks(update, doc, 'alice')).toEqual([{ id: '(malformed)', author: '', at: 0 }]);
  });

  it("reports one's own mark taking over the id of someone else's suggestion", () => {
    const doc = server();
    const update = updateFrom(doc, (t) => t.insert(at(t, ' end'), 'EVIL', { [SUGGEST_INSERT]: attrs('bob-ins-1', 'alice') }));
    expect(foreignSuggestionMarks(update, doc, 'alice')).toEqual([attrs('bob-ins-1', 'alice')]);
  });
});

describe('runs the editor never writes', () => {
  it("a run carrying both marks is decided once, and never takes the next run's mark with it", () => {
    const doc = docOf([p('Keep ', text('bobtext', ins('bob-ins-1', 'bob')), ' tail ', text('carol', ins('carol-ins-1', 'carol')))]);
    const t = (getSectionBody(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    t.format(5, 7, { [SUGGEST_DELETE]: attrs('ali-del-1', 'alice') });
    expect(hasDoubleMarkedText(doc)).toBe(true);
    decideSuggestions(doc, (s) => s.id !== 'carol-ins-1', 'accept');
    expect(sectionPlainText(doc)).toBe('Keep  tail carol');
    expect(listSuggestions(doc).map((s) => [s.id, s.inserted])).toEqual([['carol-ins-1', 'carol']]);
  });

  it("a run claiming someone's id in another name is not decided with it", () => {
    const doc = docOf([p('A ', text('bobtext', ins('bob-ins-1', 'bob')), text('EVIL', ins('bob-ins-1', 'alice')), ' z')]);
    decideSuggestions(doc, (s) => s.author === 'bob', 'accept');
    expect(sectionPlainText(doc)).toBe('A bobtextEVIL z');
    expect(suggestionAttributeCount(doc)).toBe(1);
  });
});

describe('proposed paragraphs', () => {
  const proposed = (id: string, author: string, ...content: Inline[]): Json => ({
    type: 'paragraph',
    attrs: { [SUGGESTED_BLOCK_ATTR]: encodeBlockSuggestion(attrs(id, author)) },
    ...(content.length ? { content: inline(content) } : {}),
  });
  const layout = () =>
    docOf([p('Article 1.'), proposed('new-par-1', 'alice', text('A new duty.', ins('new-par-1', 'alice'))), p('Article 2.')]);

  it('are listed as one insertion with the paragraph’s words', () => {
    expect(listSuggestions(layout())).toEqual([
      { id: 'new-par-1', author: 'alice', at: null, inserted: 'A new duty.', deleted: '', kind: 'insert', paragraphs: 1 },
    ]);
  });

  it('are kept without the proposal when accepted, and removed when rejected', () => {
    const accepted = layout();
    decideSuggestions(accepted, () => true, 'accept');
    expect(sectionPlainText(accepted)).toBe('Article 1.\nA new duty.\nArticle 2.');
    expect((getSectionBody(accepted).get(1) as Y.XmlElement).getAttribute(SUGGESTED_BLOCK_ATTR)).toBeUndefined();
    const rejected = layout();
    decideSuggestions(rejected, () => true, 'reject');
    expect(sectionPlainText(rejected)).toBe('Article 1.\nArticle 2.');
    expect(getSectionBody(rejected).length).toBe(2);
  });

  it('are the proposer’s to add and fill, but nobody may propose one in another’s name', () => {
    const before = docOf([p('Article 1.')]);
    const after = docOf([p('Article 1.'), proposed('new-par-2', 'alice', text('Words.', ins('new-par-2', 'alice')))]);
    expect(projectWithoutAuthor(after, 'alice')).toBe(projectWithoutAuthor(before, 'alice'));
    // Plain words in one's own proposed paragraph are not a suggestion.
    const plainInside = docOf([p('Article 1.'), proposed('new-par-2', 'alice', 'Words.')]);
    expect(projectWithoutAuthor(plainInside, 'alice')).not.toBe(projectWithoutAuthor(before, 'alice'));
    // Someone else's proposed paragraph stays in alice's projection.
    expect(projectWithoutAuthor(after, 'bob')).not.toBe(projectWithoutAuthor(before, 'bob'));

    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(before));
    const updates: Uint8Array[] = [];
    replica.on('update', (u: Uint8Array) => updates.push(u));
    const forged = new Y.XmlElement('paragraph');
    forged.setAttribute(SUGGESTED_BLOCK_ATTR, encodeBlockSuggestion(attrs('new-par-3', 'bob')));
    getSectionBody(replica).insert(1, [forged]);
    expect(foreignSuggestionMarks(updates[0]!, before, 'alice')).toEqual([attrs('new-par-3', 'bob')]);
    expect(foreignSuggestionMarks(updates[0]!, before, 'bob')).toEqual([]);
  });
});

describe('spreadsOthersSuggestions (stretching a suggestion over words its author never proposed)', () => {
  const server = () => docOf([p('The Ministry will act ', text('by 2028', del('nina-del-1', 'nina')), '.')]);
  function edited(doc: Y.Doc, edit: (t: Y.XmlText) => void): Y.Doc {
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    edit((getSectionBody(replica).get(0) as Y.XmlElement).get(0) as Y.XmlText);
    return replica;
  }

  it("is refused on existing words, in the other person's name", () => {
    const doc = server();
    const after = edited(doc, (t) => t.format(4, 8, { [SUGGEST_DELETE]: attrs('nina-del-1', 'nina') }));
    expect(spreadsOthersSuggestions(doc, after, 'gov')).toBe(true);
    // Nina stretching her own suggestion is her business (the suggesting rule covers her).
    expect(spreadsOthersSuggestions(doc, after, 'nina')).toBe(false);
  });

  it("is allowed on new words (a paste or an undone deletion of the suggestion) and when nothing spreads", () => {
    const doc = server();
    const pasted = edited(doc, (t) => t.insert(0, 'by 2028 ', { [SUGGEST_DELETE]: attrs('nina-del-1', 'nina') }));
    expect(spreadsOthersSuggestions(doc, pasted, 'gov')).toBe(false);
    const typed = edited(doc, (t) => t.insert(0, 'Indeed, '));
    expect(spreadsOthersSuggestions(doc, typed, 'gov')).toBe(false);
    const accepted = edited(doc, (t) => t.format(at(t, 'by 2028'), 7, { [SUGGEST_DELETE]: null }));
    expect(spreadsOthersSuggestions(doc, accepted, 'gov')).toBe(false);
  });
});

describe('rejecting a proposed paragraph someone else wrote in', () => {
  it('keeps their words, in an ordinary paragraph', () => {
    const doc = docOf([
      p('Article 1.'),
      {
        type: 'paragraph',
        attrs: { [SUGGESTED_BLOCK_ATTR]: encodeBlockSuggestion(attrs('new-par-9', 'alice')) },
        content: inline([text('A new idea. ', ins('new-par-9', 'alice')), 'Existing commitments that matter.']),
      },
    ]);
    decideSuggestions(doc, () => true, 'reject');
    expect(sectionPlainText(doc)).toBe('Article 1.\nExisting commitments that matter.');
    expect((getSectionBody(doc).get(1) as Y.XmlElement).getAttribute(SUGGESTED_BLOCK_ATTR)).toBeUndefined();
  });
});

describe('words proposed inside proposed words', () => {
  const layout = () =>
    docOf([p('Ratify ', text('the Istanbul ', ins('gov-ins-1', 'irina')), text('and donor ', ins('ngo-ins-1', 'anna')), text('Protocol.', ins('gov-ins-1', 'irina')), ' now')]);

  it('go when the words around them are rejected, and are listed as decided', () => {
    const doc = layout();
    const decided = decideSuggestions(doc, (s) => s.id === 'gov-ins-1', 'reject');
    expect(sectionPlainText(doc)).toBe('Ratify  now');
    expect(decided.map((s) => s.id).sort()).toEqual(['gov-ins-1', 'ngo-ins-1']);
    expect(listSuggestions(doc)).toEqual([]);
  });

  it('stay when the decider may not decide them, and when the words around them are accepted', () => {
    const kept = layout();
    decideSuggestions(kept, (s) => s.id === 'gov-ins-1', 'reject', null, () => false);
    expect(listSuggestions(kept).map((s) => s.id)).toEqual(['ngo-ins-1']);
    const accepted = layout();
    decideSuggestions(accepted, (s) => s.id === 'gov-ins-1', 'accept');
    expect(sectionPlainText(accepted)).toBe('Ratify the Istanbul and donor Protocol. now');
    expect(listSuggestions(accepted).map((s) => s.id)).toEqual(['ngo-ins-1']);
  });
});

describe('proposed list items', () => {
  const item = (...content: Inline[]): Json => li(p(...content));
  const proposedItem = (id: string, author: string, ...content: Inline[]): Json => ({
    type: 'listItem',
    attrs: { [SUGGESTED_BLOCK_ATTR]: encodeBlockSuggestion(attrs(id, author)) },
    content: [p(...content)],
  });
  const before = () => docOf([ul(item('First action.'), item('Second action.'))]);

  it('are the proposer’s to add, empty or with their own words, and nobody else’s', () => {
    const empty = docOf([ul(item('First action.'), proposedItem('new-li-1', 'alice'), item('Second action.'))]);
    const filled = docOf([ul(item('First action.'), proposedItem('new-li-1', 'alice', text('Third.', ins('new-li-1', 'alice'))), item('Second action.'))]);
    const plainInside = docOf([ul(item('First action.'), proposedItem('new-li-1', 'alice', 'Third.'), item('Second action.'))]);
    const base = projectWithoutAuthor(before(), 'alice');
    expect(projectWithoutAuthor(empty, 'alice')).toBe(base);
    expect(projectWithoutAuthor(filled, 'alice')).toBe(base);
    expect(projectWithoutAuthor(plainInside, 'alice')).not.toBe(base);
    expect(projectWithoutAuthor(filled, 'bob')).not.toBe(projectWithoutAuthor(before(), 'bob'));
  });

  it('are removed when rejected and kept when accepted', () => {
    const layout = () => docOf([ul(item('First action.'), proposedItem('new-li-2', 'alice', text('Third.', ins('new-li-2', 'alice'))), item('Second action.'))]);
    const rejected = layout();
    decideSuggestions(rejected, () => true, 'reject');
    expect(sectionPlainText(rejected)).toBe('First action.\nSecond action.');
    expect((getSectionBody(rejected).get(0) as Y.XmlElement).length).toBe(2);
    const accepted = layout();
    decideSuggestions(accepted, () => true, 'accept');
    expect(sectionPlainText(accepted)).toBe('First action.\nThird.\nSecond action.');
    expect(listSuggestions(accepted)).toEqual([]);
  });
});
