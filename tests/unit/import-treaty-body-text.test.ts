/**
 * Treaty-body concluding observations as saved from their PDF (tests/fixtures/import/README.md):
 * one recommendation per lettered item, a paragraph without letters is one, paragraph and theme
 * heading kept, the committee taken from the symbol.
 */
import { describe, expect, it } from 'vitest';
import { detectFormat, parseImport } from '../../server/import/index.ts';
import { paragraphRecommendations } from '../../server/import/treatyBodyText.ts';
import { LAYOUT_FIXTURES, layoutFixture, type LayoutFixture } from '../helpers/importFixtures.ts';

const parse = (file: LayoutFixture, filename: string = file) => parseImport({ filename, bytes: layoutFixture(file) });

describe('Human Rights Committee concluding observations (CCPR/C/BLR/CO/5 layout)', () => {
  const result = parse(LAYOUT_FIXTURES.ccpr);
  const recs = result.rows.map((r) => r.recommendation);

  it('is recognised from its text, even pasted as ".txt"', () => {
    expect(result.format).toBe('treaty-body-text');
    expect(detectFormat({ filename: 'pasted-un-report.txt', bytes: layoutFixture(LAYOUT_FIXTURES.ccpr) })).toBe('treaty-body-text');
    // A UPR report that cites concluding observations stays a UPR report.
    expect(detectFormat({ filename: 'x.txt', bytes: layoutFixture(LAYOUT_FIXTURES.joint) })).toBe('un-report-text');
  });

  it('makes one recommendation per lettered item and one per paragraph without letters', () => {
    expect(result.rejected).toEqual([]);
    expect(recs.map((r) => [r.reference, r.paragraph, r.themes, r.text])).toEqual([
      [
        'CCPR/C/BLR/CO/5 para 5(a)',
        '5(a)',
        ['Constitutional and legal framework'],
        'Take all measures necessary to give full effect to the Covenant in its domestic legal order',
      ],
      [
        'CCPR/C/BLR/CO/5 para 5(b)',
        '5(b)',
        ['Constitutional and legal framework'],
        'Raise awareness of the Covenant among judges, lawyers and prosecutors, so that its provisions are taken into account by the courts',
      ],
      ['CCPR/C/BLR/CO/5 para 5(c)', '5(c)', ['Constitutional and legal framework'], 'Ensure effective remedies for violations of the rights guaranteed by the Covenant'],
      [
        'CCPR/C/BLR/CO/5 para 7',
        '7',
        ['National human rights institution'],
        'The State party should establish an independent national human rights institution, in full compliance with the principles relating to the status of national institutions for the promotion and protection of human rights (the Paris Principles).',
      ],
      // Its heading follows a page's "GE." number; the concern paragraph before the list has a footnote.
      [
        'CCPR/C/BLR/CO/5 para 9(a)',
        '9(a)',
        ['Death penalty'],
        'Consider establishing a moratorium on executions as a first step towards the abolition of the death penalty',
      ],
      [
        'CCPR/C/BLR/CO/5 para 9(b)',
        '9(b)',
        ['Death penalty'],
        'Inform family members in advance of the date of execution and return the bodies of executed persons to their families',
      ],
      [
        'CCPR/C/BLR/CO/5 para 10',
        '10',
        ['Dissemination and follow-up'],
        'The State party should widely disseminate the Covenant, its fifth periodic report and the present concluding observations.',
      ],
    ]);
  });

  it('files them under the Human Rights Committee, for Belarus, without a position', () => {
    for (const r of recs) {
      expect(r).toMatchObject({
        mechanism: 'CCPR',
        documentSymbol: 'CCPR/C/BLR/CO/5',
        stateUnderReview: 'Belarus',
        recommendingStates: [],
        position: 'pending',
        date: '2018-11-22',
        cycle: null,
      });
    }
    expect(recs[0]!.sourceKey).toBe('treatybody:CCPR/C/BLR/CO/5:5(a)');
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'treaty_body_read', params: { symbol: 'CCPR/C/BLR/CO/5', mechanism: 'CCPR', n: 7, paragraphs: 4 } }),
    );
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'footnotes_removed', params: { n: 1 } }));
  });
});

describe('concluding observations saved as one long line (no line breaks, as copied from a web page)', () => {
  it('finds the same paragraphs, items and theme headings', () => {
    const lines = new TextDecoder().decode(layoutFixture(LAYOUT_FIXTURES.ccpr)).split('\n');
    // Padded past the longest line a PDF-to-text step writes, as a whole document on one line is.
    const oneLine = `${lines.join(' ')}${' The Committee will consider the sixth report in 2024.'.repeat(60)}`;
    const flat = parseImport({ filename: 'co.txt', bytes: new TextEncoder().encode(oneLine) });
    const multi = parse(LAYOUT_FIXTURES.ccpr);
    expect(flat.format).toBe('treaty-body-text');
    const view = (r: typeof flat) => r.rows.map(({ recommendation: x }) => [x.reference, x.themes, x.text]);
    expect(view(flat)).toEqual(view(multi));
  });
});

describe('CESCR concluding observations (E/C.12, concern and recommendation in one paragraph)', () => {
  it('reads the lettered list after "The Committee recommends that the State party:" and keeps "(b)" cited in a text', () => {
    const result = parse(LAYOUT_FIXTURES.cescr);
    expect(result.rows.map(({ recommendation: r }) => [r.reference, r.mechanism, r.themes, r.text])).toEqual([
      [
        'E/C.12/BLR/CO/4-6 para 2(a)',
        'CESCR',
        ['Right to work'],
        'Review its legislation on fixed-term contracts, in line with article 6 and article 7 (b) of the Covenant',
      ],
      ['E/C.12/BLR/CO/4-6 para 2(b)', 'CESCR', ['Right to work'], 'Ensure that short-term contracts are not used to dismiss workers who join trade unions'],
      [
        'E/C.12/BLR/CO/4-6 para 3',
        'CESCR',
        ['Right to health'],
        'The Committee recommends that the State party continue to increase the resources allocated to mental health services and ensure that they are available in rural areas.',
      ],
    ]);
  });

  it('takes the symbol from the settings when the text lacks it, and names the committee from it', () => {
    const text = new TextDecoder().decode(layoutFixture(LAYOUT_FIXTURES.cescr)).replaceAll('E/C.12/BLR/CO/4-6', '').replace('(E/C.12/BLR/4-6)', '');
    const withoutSymbol = new TextEncoder().encode(text);
    expect(() => parseImport({ filename: 'observations.txt', bytes: withoutSymbol, format: 'treaty-body-text' })).toThrow(
      expect.objectContaining({ code: 'no_document_symbol' }),
    );
    const result = parseImport({
      filename: 'observations.txt',
      bytes: withoutSymbol,
      format: 'treaty-body-text',
      defaults: { documentSymbol: 'CRC/C/BLR/CO/5-6' },
    });
    expect(result.rows.map((r) => [r.recommendation.reference, r.recommendation.mechanism])[0]).toEqual(['CRC/C/BLR/CO/5-6 para 2(a)', 'CRC']);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'symbol_from_settings' }));
  });

  it('refuses observations without any recommendation, with a clear message', () => {
    const text = 'Concluding observations on the fifth periodic report of Belarus\nCCPR/C/BLR/CO/5\n1. The Committee welcomes the report.\n';
    expect(() => parseImport({ filename: 'co.txt', bytes: new TextEncoder().encode(text) })).toThrow(
      expect.objectContaining({ code: 'treaty_body_no_recommendations' }),
    );
  });
});

describe('lettered items', () => {
  it('split only after an item ends', () => {
    expect(paragraphRecommendations('The Committee is concerned. The State party should: (a) Act under article 2 (b) now; and (b) Report.')).toEqual([
      { letter: 'a', text: 'Act under article 2 (b) now' },
      { letter: 'b', text: 'Report' },
    ]);
    expect(paragraphRecommendations('The Committee notes the efforts of the State party.')).toEqual([]);
  });

  it('follow the lead-in wordings of the committees', () => {
    for (const lead of [
      'The State party should, as a matter of priority:',
      'Recalling its general recommendation No. 35, the Committee recommends that the State party:',
      'The Committee urges the State party to:',
      'The State party is encouraged to:',
      'The Committee reiterates its previous recommendation that the State party:',
    ]) {
      expect(paragraphRecommendations(`The Committee is concerned. ${lead} (a) Act; and (b) Report.`), lead).toEqual([
        { letter: 'a', text: 'Act' },
        { letter: 'b', text: 'Report' },
      ]);
    }
    // The follow-up paragraph asks for information; it recommends nothing.
    expect(paragraphRecommendations('The State party is requested to provide, by 9 November 2020, information on paragraphs 7 and 9.')).toEqual([]);
  });
});
