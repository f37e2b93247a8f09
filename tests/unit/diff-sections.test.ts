import { describe, expect, it } from 'vitest';
import { charCount, diffBlocks, diffPlan, diffSequences, diffWords, tokenize, type DiffPart } from '../../server/services/diff.ts';

const text = (parts: DiffPart[], op: DiffPart['op']) => parts.filter((p) => p.op === op).map((p) => p.text);
const words = (parts: DiffPart[], op: DiffPart['op']) =>
  text(parts, op)
    .join(' ')
    .split(/\s+/)
    .filter(Boolean);
/** The text on one side of a diff, rebuilt from its parts. */
const side = (parts: DiffPart[], which: 'from' | 'to') => parts.filter((p) => p.op === 'equal' || p.op === (which === 'from' ? 'delete' : 'insert')).map((p) => p.text).join('');

describe('diffSequences (Myers)', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['abc', ''],
    ['', 'abc'],
    ['abcabba', 'cbabac'],
    ['kitten', 'sitting'],
    ['same', 'same'],
    ['abcdef', 'azcdxf'],
  ];
  for (const [a, b] of cases) {
    it(`"${a}" → "${b}" is a shortest script that rebuilds both sides`, () => {
      const steps = diffSequences(a.length, b.length, (i, j) => a[i] === b[j]);
      let from = '';
      let to = '';
      for (const s of steps) {
        if (s.op === 'equal') {
          expect(a[s.a]).toBe(b[s.b]);
          from += a[s.a];
          to += b[s.b];
        } else if (s.op === 'delete') from += a[s.a];
        else to += b[s.b];
      }
      expect(from).toBe(a);
      expect(to).toBe(b);
      // The number of equal steps is the LCS length.
      const lcs = (x: string, y: string): number => {
        const t = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
        for (let i = 1; i <= x.length; i++)
          for (let j = 1; j <= y.length; j++) t[i]![j] = x[i - 1] === y[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
        return t[x.length]![y.length]!;
      };
      expect(steps.filter((s) => s.op === 'equal').length).toBe(lcs(a, b));
    });
  }

  it('random sequences: always rebuilds both sides', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 200; n++) {
      const a = Array.from({ length: Math.floor(rnd() * 30) }, () => 'abcd'[Math.floor(rnd() * 4)]).join('');
      const b = Array.from({ length: Math.floor(rnd() * 30) }, () => 'abcd'[Math.floor(rnd() * 4)]).join('');
      const steps = diffSequences(a.length, b.length, (i, j) => a[i] === b[j]);
      const from = steps.map((s) => (s.op === 'insert' ? '' : a[s.op === 'equal' ? s.a : s.a])).join('');
      const to = steps.map((s) => (s.op === 'delete' ? '' : b[s.op === 'equal' ? s.b : s.b])).join('');
      expect([from, to]).toEqual([a, b]);
    }
  });
});

describe('diffWords', () => {
  const cases: Array<{ name: string; from: string; to: string; inserted: string[]; deleted: string[] }> = [
    { name: 'insert a word', from: 'The State shall protect rights', to: 'The State shall fully protect rights', inserted: ['fully'], deleted: [] },
    { name: 'delete a word', from: 'The State shall fully protect rights', to: 'The State shall protect rights', inserted: [], deleted: ['fully'] },
    { name: 'replace a word', from: 'abolish the death penalty', to: 'abolish the capital punishment', inserted: ['capital', 'punishment'], deleted: ['death', 'penalty'] },
    { name: 'append at the end', from: 'Adopt the plan', to: 'Adopt the plan by 2027.', inserted: ['by', '2027.'], deleted: [] },
    { name: 'everything new', from: '', to: 'New text', inserted: ['New', 'text'], deleted: [] },
    { name: 'everything removed', from: 'Old text', to: '', inserted: [], deleted: ['Old', 'text'] },
    {
      name: 'Cyrillic words',
      from: 'Государство обеспечивает права человека',
      to: 'Государство гарантирует и обеспечивает права человека',
      inserted: ['гарантирует', 'и'],
      deleted: [],
    },
    { name: 'Belarusian replacement', from: 'Правы чалавека і свабоды', to: 'Правы жанчын і свабоды', inserted: ['жанчын'], deleted: ['чалавека'] },
    { name: 'punctuation is its own token', from: 'rights, freedoms', to: 'rights; freedoms', inserted: [';'], deleted: [','] },
    { name: 'unchanged', from: 'Same text', to: 'Same text', inserted: [], deleted: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const parts = diffWords(c.from, c.to);
      expect(side(parts, 'from')).toBe(c.from);
      expect(side(parts, 'to')).toBe(c.to);
      expect(words(parts, 'insert')).toEqual(c.inserted);
      expect(words(parts, 'delete')).toEqual(c.deleted);
    });
  }

  it('shows a replacement as one removal followed by one insertion', () => {
    expect(diffWords('the quick fox', 'a slow fox')).toEqual([
      { op: 'delete', text: 'the quick' },
      { op: 'insert', text: 'a slow' },
      { op: 'equal', text: ' fox' },
    ]);
  });

  it('keeps combining marks and emoji inside their word or token', () => {
    expect(tokenize('café 👍 ok')).toEqual(['café', ' ', '👍', ' ', 'ok']);
    expect(tokenize('cafe\u0301')).toEqual(['cafe\u0301']);
    expect(charCount('👍Ж')).toBe(2);
  });
});

describe('diffBlocks', () => {
  it('finds added and removed blocks and counts characters', () => {
    const d = diffBlocks(['Intro', 'Old paragraph here', 'End'], ['Intro', 'End', 'Brand new']);
    expect(d.blocks).toEqual([
      [{ op: 'equal', text: 'Intro' }],
      [{ op: 'delete', text: 'Old paragraph here' }],
      [{ op: 'equal', text: 'End' }],
      [{ op: 'insert', text: 'Brand new' }],
    ]);
    expect(d.summary).toEqual({ insertedChars: 9, deletedChars: 18, changedBlocks: 2 });
  });

  it('pairs an edited paragraph with its old text, and shows a new one next to it as added', () => {
    const d = diffBlocks(
      ['Heading', 'The State shall protect the rights of children'],
      ['Heading', 'A wholly new paragraph', 'The State shall protect the rights of all children'],
    );
    expect(d.blocks[1]).toEqual([{ op: 'insert', text: 'A wholly new paragraph' }]);
    const edited = d.blocks[2]!;
    expect(words(edited, 'insert')).toEqual(['all']);
    expect(words(edited, 'delete')).toEqual([]);
    expect(d.summary.changedBlocks).toBe(2);
  });

  it('unrelated replacement is one removed and one added block', () => {
    const d = diffBlocks(['Alpha beta gamma'], ['Совсем другой текст']);
    expect(d.blocks).toEqual([[{ op: 'delete', text: 'Alpha beta gamma' }], [{ op: 'insert', text: 'Совсем другой текст' }]]);
    expect(d.summary).toEqual({ insertedChars: 19, deletedChars: 16, changedBlocks: 2 });
  });

  it('counts Cyrillic characters as characters', () => {
    const d = diffBlocks(['Права'], ['Права человека']);
    expect(d.summary.insertedChars).toBe(' человека'.length);
    expect(d.summary.deletedChars).toBe(0);
  });

  it('identical texts: no change', () => {
    const d = diffBlocks(['a', '', 'b'], ['a', '', 'b']);
    expect(d.summary).toEqual({ insertedChars: 0, deletedChars: 0, changedBlocks: 0 });
    expect(d.blocks).toHaveLength(3);
  });
});

describe('diffPlan', () => {
  it('summarises each section, with sections added and removed', () => {
    const summary = diffPlan(
      [
        { sectionId: 's1', title: 'One', lines: ['a b c'] },
        { sectionId: 's2', title: 'Two', lines: ['same'] },
        { sectionId: 's3', title: 'Three', lines: ['gone'] },
      ],
      [
        { sectionId: 's1', title: 'One', lines: ['a b c d'] },
        { sectionId: 's2', title: 'Two', lines: ['same'] },
        { sectionId: 's4', title: 'Four', lines: ['new'] },
      ],
    );
    expect(summary.sections.map((s) => [s.sectionId, s.change])).toEqual([
      ['s1', 'changed'],
      ['s2', 'unchanged'],
      ['s4', 'added'],
      ['s3', 'removed'],
    ]);
    expect(summary.added).toEqual(['s4']);
    expect(summary.removed).toEqual(['s3']);
    expect(summary.sections[0]).toMatchObject({ insertedChars: 2, deletedChars: 0, changedBlocks: 1 });
    expect(summary.totals).toEqual({ insertedChars: 5, deletedChars: 4, changedBlocks: 3, changedSections: 3, changedActions: 0 });
  });
});
