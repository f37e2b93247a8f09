import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { auditCsv, safeCell } from '../../server/services/audit.ts';
import { hashLines } from '../../server/services/contentHash.ts';
import { canonicalSectionLines, type CanonicalAction } from '../../shared/doc/canonical.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { decideSuggestions, encodeBlockSuggestion, SUGGEST_DELETE, SUGGEST_INSERT, SUGGESTED_BLOCK_ATTR } from '../../shared/doc/suggestions.ts';

function docWith(...paragraphs: string[]): Y.Doc {
  const doc = new Y.Doc();
  const body = getSectionBody(doc);
  for (const text of paragraphs) {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    body.insert(body.length, [p]);
  }
  return doc;
}

const action = (overrides: Partial<CanonicalAction> = {}): CanonicalAction => ({
  title: 'Introduce a moratorium on executions',
  status: 'planned',
  leadAgency: 'Ministry of Interior',
  coImplementers: ['Ministry of Justice'],
  civilSocietyPartners: ['Human Rights Centre'],
  start: '2026',
  end: '2027-Q2',
  budget: '10000 EUR (State budget)',
  recommendations: ['BLR-C1-97.1'],
  indicators: [{ type: 'outcome', description: 'Death sentences per year', baseline: '2 (2024)', target: '0 (2027)' }],
  ...overrides,
});

const hash = (doc: Y.Doc, actions: CanonicalAction[]) => hashLines(canonicalSectionLines(doc, actions));

describe('section content hash', () => {
  it('does not change when someone proposes words, deletions or a paragraph, and changes once one is accepted', () => {
    const doc = docWith('The State will abolish the death penalty.');
    const signed = hash(doc, []);
    const text = (getSectionBody(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const s = { id: 'sugg-hash-1', author: 'u-ngo', at: 1 };
    text.insert(15, 'fully ', { [SUGGEST_INSERT]: s });
    text.format(0, 4, { [SUGGEST_DELETE]: s });
    const proposed = new Y.XmlElement('paragraph');
    proposed.setAttribute(SUGGESTED_BLOCK_ATTR, encodeBlockSuggestion(s));
    proposed.insert(0, [new Y.XmlText('A new paragraph.')]);
    getSectionBody(doc).insert(1, [proposed]);
    expect(hash(doc, [])).toBe(signed);
    decideSuggestions(doc, () => true, 'accept');
    expect(canonicalSectionLines(doc, [])).toEqual(['State will fully abolish the death penalty.', 'A new paragraph.']);
    expect(hash(doc, [])).not.toBe(signed);
  });

  it('is the same for the same content, however it was built', () => {
    const a = docWith('The State will abolish the death penalty.', 'Within two years.');
    const b = docWith('The State will abolish the death penalty.');
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('Within ')]);
    getSectionBody(b).insert(1, [p]);
    (p.get(0) as Y.XmlText).insert(7, 'two years.');
    expect(hash(a, [action()])).toBe(hash(b, [action()]));
    expect(hash(a, [action()])).toMatch(/^[0-9a-f]{64}$/);
    // NFC: a decomposed é hashes like a composed one.
    expect(hash(docWith('Caf\u0065\u0301'), [])).toBe(hash(docWith('Caf\u00e9'), []));
  });

  it('is sha256 of the canonical lines joined with newlines', async () => {
    const { createHash } = await import('node:crypto');
    const lines = canonicalSectionLines(docWith('One.'), [action()]);
    expect(hashLines(lines)).toBe(createHash('sha256').update(lines.join('\n')).digest('hex'));
  });

  it('changes with the text and with any fact of an action', () => {
    const base = hash(docWith('Text.'), [action()]);
    expect(hash(docWith('Text!'), [action()])).not.toBe(base);
    expect(hash(docWith('Text.', ''), [action()])).not.toBe(base);
    const variants: Array<Partial<CanonicalAction>> = [
      { title: 'Another' },
      { status: 'in_progress' },
      { leadAgency: null },
      { coImplementers: [] },
      { civilSocietyPartners: ['Other NGO'] },
      { end: '2028' },
      { budget: '20000 EUR (State budget)' },
      { recommendations: ['BLR-C1-97.2'] },
      { indicators: [{ type: 'outcome', description: 'Death sentences per year', baseline: '2 (2024)', target: '1 (2027)' }] },
    ];
    for (const v of variants) expect(hash(docWith('Text.'), [action(v)]), JSON.stringify(v)).not.toBe(base);
    expect(hash(docWith('Text.'), [action(), action({ title: 'Second' })])).not.toBe(hash(docWith('Text.'), [action({ title: 'Second' }), action()]));
  });
});

describe('audit CSV cells', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const bad of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\nx']) expect(safeCell(bad)).toBe(`'${bad}`);
    expect(safeCell('Olga')).toBe('Olga');
    const csv = auditCsv([
      {
        id: 1,
        at: '2026-01-01T00:00:00.000Z',
        actorId: null,
        actorName: '=cmd|"/c calc"!A1',
        actorOrganisation: '',
        actorRole: null,
        action: 'section.agreed',
        targetType: 'section',
        targetId: 'section123',
        summary: 'ok',
        details: {},
      },
    ]);
    expect(csv).toContain(`"'=cmd|""/c calc""!A1"`);
  });
});
