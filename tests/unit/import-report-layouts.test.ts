/**
 * The layouts UN Working Group reports have used since 2008, read from fixtures that stand for
 * each (tests/fixtures/import/README.md): exact counts, texts, States, references and positions.
 */
import { describe, expect, it } from 'vitest';
import { inferHeadingPosition, parseImport } from '../../server/import/index.ts';
import { removeFootnoteMarks, removePageFurniture } from '../../server/import/reportPages.ts';
import { parseStates } from '../../server/import/recommendingStates.ts';
import { splitItem } from '../../server/import/unReportText.ts';
import { LAYOUT_FIXTURES, layoutFixture, type LayoutFixture } from '../helpers/importFixtures.ts';

const parse = (file: LayoutFixture) => parseImport({ filename: file, bytes: layoutFixture(file) });
const rows = (file: LayoutFixture) => {
  const result = parse(file);
  expect(result.format).toBe('un-report-text');
  expect(result.rejected).toEqual([]);
  return result.rows.map(({ recommendation: r }) => [r.reference, r.position, r.recommendingStates, r.text]);
};

describe('"1." numbering under each conclusions paragraph (first cycle)', () => {
  it('reads every list, with references built from paragraph and item', () => {
    expect(rows(LAYOUT_FIXTURES.plainNumbering)).toEqual([
      ['ECU-C1-105.1', 'supported', ['Algeria'], 'Continue its efforts to reduce poverty, in particular in rural areas'],
      ['ECU-C1-105.2', 'supported', ['Chile', 'Mexico'], 'Strengthen the national human rights institution in line with the Paris Principles'],
      ['ECU-C1-105.3', 'supported', ['Philippines'], 'Adopt a national plan of action against trafficking in persons'],
      ['ECU-C1-106.1', 'pending', ['Denmark'], 'Consider ratifying the Optional Protocol to the Convention against Torture'],
      [
        'ECU-C1-106.2',
        'pending',
        ['Canada'],
        'Review its legislation on the registration of associations so that it complies with international standards',
      ],
      [
        'ECU-C1-106.3',
        'pending',
        ['United Kingdom of Great Britain and Northern Ireland'],
        'Establish a mechanism to follow up the recommendations of the universal periodic review',
      ],
      ['ECU-C1-107.1', 'noted', ['Netherlands'], 'Abolish article 12 of the Law on Public Order'],
      ['ECU-C1-107.2', 'noted', ['Latvia'], 'Extend a standing invitation to all special procedures'],
    ]);
  });

  it('keeps references stable: the same file gives the same source keys', () => {
    const keys = () => parse(LAYOUT_FIXTURES.plainNumbering).rows.map((r) => r.recommendation.sourceKey);
    expect(keys()).toEqual(keys());
    expect(new Set(keys()).size).toBe(8);
    expect(keys()[0]).toBe('unreport:A/HRC/8/99:105.1');
  });
});

describe('"124.1" numbering with the position paragraphs in another order', () => {
  it('takes each position from its own lead-in sentence', () => {
    expect(rows(LAYOUT_FIXTURES.dottedReordered).map(([ref, position, states]) => [ref, position, states])).toEqual([
      ['BLR-C2-124.1', 'noted', ['Australia']],
      ['BLR-C2-124.2', 'noted', ['Portugal']],
      ['BLR-C2-125.1', 'pending', ['Hungary']],
      ['BLR-C2-125.2', 'pending', ['Thailand']],
      ['BLR-C2-126.1', 'supported', ['Azerbaijan']],
      ['BLR-C2-126.2', 'supported', ['Sri Lanka']],
      ['BLR-C2-126.3', 'supported', ['Kyrgyzstan']],
    ]);
    const headings = parse(LAYOUT_FIXTURES.dottedReordered).warnings.filter((w) => w.code === 'heading_position');
    expect(headings.map((w) => [w.params['paragraph'], w.params['matched']])).toEqual([
      ['124', 'did not enjoy'],
      ['125', 'will be examined'],
      ['126', 'enjoy the support'],
    ]);
  });
});

describe('position lead-in sentences', () => {
  it('reads the wordings reports have used since 2008, negative forms before positive ones', () => {
    const cases: Array<[string, string]> = [
      ['The following recommendations do not enjoy the support of Belarus:', 'noted'],
      ['The following recommendations did not enjoy the support of Belarus and would thus be noted:', 'noted'],
      ['The following recommendations will be noted by Belarus:', 'noted'],
      ['The following recommendations will be examined by Belarus, which will provide responses in due time, but no later than the thirtieth session:', 'pending'],
      ['The following recommendations enjoy the support of Belarus:', 'supported'],
      ['Belarus considers that the recommendations below are already implemented or in the process of implementation:', 'supported'],
    ];
    expect(cases.map(([heading]) => [heading, inferHeadingPosition(heading).position])).toEqual(cases);
  });
});

describe('footnotes and page furniture at page breaks', () => {
  it('leaves footnotes out of the texts, never makes them items, and drops marks after States', () => {
    expect(rows(LAYOUT_FIXTURES.footnotes)).toEqual([
      // "(Brazil);1": the mark made a false rejected row.
      ['BLR-C2-110.1', 'supported', ['Brazil'], 'Intensify its efforts against domestic violence'],
      // Runs over a page whose foot holds two footnotes, one of them ending "(Spain).".
      [
        'BLR-C2-110.2',
        'supported',
        ['Spain'],
        'Take measures to ensure that all allegations of torture are investigated promptly and impartially, and that perpetrators are brought to justice',
      ],
      // "(Brazil).7", then footnote 7 "… (Brazil)." and the next page's furniture.
      ['BLR-C2-110.3', 'supported', ['Brazil'], 'Ratify the Convention on the Rights of Persons with Disabilities'],
      // "16 grounds" is a number in the text, not a footnote.
      ['BLR-C2-111.1', 'pending', ['Norway'], 'Adopt a comprehensive anti-discrimination law covering 16 grounds'],
      ['BLR-C2-111.2', 'pending', ['Italy'], 'Establish a moratorium on the death penalty'],
      ['BLR-C2-111.3', 'pending', ['France'], 'Introduce an independent complaints mechanism for persons in detention'],
    ]);
    const result = parse(LAYOUT_FIXTURES.footnotes);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'footnotes_removed', params: { n: 4 } }));
    // The heading's own mark ("dialogue,2") is gone too.
    const heading = result.warnings.find((w) => w.code === 'heading_position' && w.params['paragraph'] === '110');
    expect(heading?.params['heading']).toBe('The following recommendations, as formulated during the interactive dialogue, enjoy the support of Belarus:');
  });

  it('tells footnotes from lines that merely start with a number', () => {
    const { lines, footnotes } = removePageFurniture([
      'the right to work and to form trade unions (article 22).3 The Convention of',
      '1951 relating to the Status of Refugees (Chile);',
      '3 The recommendation as read during the interactive dialogue: "Ratify" (Spain).',
      'GE.14-07777 (E)',
      'A/HRC/27/98',
      '12',
      'next page',
    ]);
    expect(lines).toEqual(['the right to work and to form trade unions (article 22).3 The Convention of', '1951 relating to the Status of Refugees (Chile);', 'next page']);
    expect(footnotes).toEqual([{ number: '3', text: 'The recommendation as read during the interactive dialogue: "Ratify" (Spain).' }]);
    expect(removeFootnoteMarks(lines[0]!, footnotes)).toBe('the right to work and to form trade unions (article 22). The Convention of');
    // A document symbol's "Add.1" is not a mark.
    expect(removeFootnoteMarks('see A/HRC/15/16/Add.1 and the dialogue.1 Then', [{ number: '1', text: '' }])).toBe('see A/HRC/15/16/Add.1 and the dialogue. Then');
  });
});

describe('joint recommendations keep all their States', () => {
  it('in one parenthesis, in several, and in parentheses with no wording of their own', () => {
    expect(rows(LAYOUT_FIXTURES.joint)).toEqual([
      [
        'BLR-C3-130.1',
        'pending',
        ['Brazil', 'Mexico', 'Spain'],
        'Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights, aiming at the abolition of the death penalty',
      ],
      ['BLR-C3-130.2', 'pending', ['Brazil', 'Mexico'], 'Extend a standing invitation to the special procedures'],
      ['BLR-C3-130.3', 'pending', ['Denmark', 'Estonia'], 'Ratify the Optional Protocol to the Convention against Torture'],
      // Near-identical wordings each with their State stay two recommendations of the item.
      ['BLR-C3-130.4a', 'pending', ['France'], 'Ratify the International Convention for the Protection of All Persons from Enforced Disappearance'],
      [
        'BLR-C3-130.4b',
        'pending',
        ['Germany'],
        'ratify the International Convention for the Protection of All Persons from Enforced Disappearance without delay',
      ],
      ['BLR-C3-130.5', 'pending', ['Latvia', 'Lithuania', 'Estonia'], 'Accede to the Rome Statute of the International Criminal Court'],
      [
        'BLR-C3-131.1',
        'supported',
        ['Venezuela (Bolivarian Republic of)', 'Bosnia and Herzegovina', 'Trinidad and Tobago'],
        'Continue cooperation with the Office of the United Nations High Commissioner for Human Rights',
      ],
    ]);
    expect(parse(LAYOUT_FIXTURES.joint).warnings.some((w) => w.code === 'unknown_states')).toBe(false);
  });

  it('reads State lists with semicolons and names containing "and"', () => {
    expect(parseStates('Brazil; Mexico')?.states).toEqual(['Brazil', 'Mexico']);
    expect(parseStates('Bosnia and Herzegovina and Trinidad and Tobago')?.states).toEqual(['Bosnia and Herzegovina', 'Trinidad and Tobago']);
    expect(parseStates('for example; article 5')).toBeNull();
    expect(splitItem('Ratify OP-CAT (Denmark) (Estonia); ratify CED (Chile).')).toMatchObject({
      recommendations: [
        { text: 'Ratify OP-CAT', states: ['Denmark', 'Estonia'] },
        { text: 'ratify CED', states: ['Chile'] },
      ],
      leftover: '',
    });
  });
});
