import { describe, expect, it } from 'vitest';
import { inferHeadingPosition, parseImport } from '../../server/import/index.ts';
import { splitItem } from '../../server/import/unReportText.ts';

// A report shaped like later UPR reports, with the artefacts of a PDF-to-text step: running
// headers and footers between pages, page numbers, lines wrapped mid-sentence, a line-final
// hyphen, CRLF endings, and item numbers without the trailing dot. Texts are from A/HRC/15/16.
const REPORT = [
  'United Nations',
  'A/HRC/15/16',
  'General Assembly',
  'Distr.: General',
  '21 June 2010',
  'Report of the Working Group on the Universal Periodic Review*',
  '',
  'Belarus',
  '* Previously issued under document symbol A/HRC/WG.6/8/L.15.',
  'II. Conclusions and/or recommendations ......................... 97–99 13',
  'II. Conclusions and/or recommendations',
  '97. The recommendations formulated during the interactive dialogue and listed below have',
  'been examined by Belarus and enjoy its support:',
  '97.1 Examine, in the spirit of its engagement in favour of human rights, the possibility of',
  'adhering to the Convention on the Rights of Persons with Disabilities (Algeria);',
  'GE.10-14321',
  '14',
  'A/HRC/15/16',
  '97.2 Continue to promote dialogue among different religions (Islamic Republic of Iran); continue the',
  'efforts to promote interreligious dialogue and share its experience and good practices with',
  'other countries (Venezuela (Bolivarian Republic of) and Tajikistan).',
  '98. The following recommendations will be examined by Belarus, which will provide responses in due course:',
  '98.1 Ratify the Second Optional Protocol to the International Convention on Civil and Political Rights (Brazil and Italy);',
  '98.2 Take the necessary measures to ensure freedom of expression and association of everyone and, specifically, (i) simplify the',
  'registration procedure for public associations, including non-',
  'governmental organizations; (ii) remove the prohibition against any activity by non-registered associations (Belgium);',
  '99. The recommendations below did not enjoy the support of Belarus:',
  '99.1 Reinforce the independence of the judiciary (Bosnia and Herzegovina, Trinidad and Tobago);',
  '100. All conclusions and/or recommendations set out in the present report reflect the positions of the submitting State(s).',
  'Annex',
  'Composition of the delegation',
  '1. Mr. Someone (Minsk);',
].join('\r\n');

describe('UN report text with extraction artefacts', () => {
  const result = parseImport({ filename: 'report.txt', bytes: new TextEncoder().encode(REPORT) });
  const recs = result.rows.map((r) => r.recommendation);

  it('finds the recommendations, States and references', () => {
    expect(result.rejected).toEqual([]);
    expect(recs.map((r) => [r.reference, r.recommendingStates, r.position])).toEqual([
      ['BLR-C1-97.1', ['Algeria'], 'supported'],
      ['BLR-C1-97.2a', ['Islamic Republic of Iran'], 'supported'],
      ['BLR-C1-97.2b', ['Venezuela (Bolivarian Republic of)', 'Tajikistan'], 'supported'],
      ['BLR-C1-98.1', ['Brazil', 'Italy'], 'pending'],
      ['BLR-C1-98.2', ['Belgium'], 'pending'],
      ['BLR-C1-99.1', ['Bosnia and Herzegovina', 'Trinidad and Tobago'], 'noted'],
    ]);
    expect(recs[0]!.documentSymbol).toBe('A/HRC/15/16'); // from the running header this time
    expect(result.warnings.some((w) => w.code.startsWith('symbol_from'))).toBe(false);
  });

  it('strips page furniture and joins wrapped lines', () => {
    expect(recs[0]!.text).toBe(
      'Examine, in the spirit of its engagement in favour of human rights, the possibility of adhering to the Convention on the Rights of Persons with Disabilities',
    );
    expect(recs[2]!.text).toBe(
      'continue the efforts to promote interreligious dialogue and share its experience and good practices with other countries',
    );
    expect(recs[4]!.text).toContain('including non-governmental organizations; (ii) remove');
  });

  it('names each heading and its position in the warnings', () => {
    const headings = result.warnings.filter((w) => w.code === 'heading_position');
    expect(headings.map((w) => [w.params['paragraph'], w.params['matched'], w.params['position']])).toEqual([
      ['97', 'enjoy its support', 'supported'],
      ['98', 'will be examined', 'pending'],
      ['99', 'did not enjoy', 'noted'],
    ]);
    expect(headings[0]!.message).toMatch(/^Paragraph 97 heading "enjoy its support" → supported: /);
  });

  it('infers positions from heading wording', () => {
    expect(inferHeadingPosition('… have been examined by X and enjoy its support:').position).toBe('supported');
    expect(inferHeadingPosition('The following recommendations enjoy the support of X').position).toBe('supported');
    expect(inferHeadingPosition('The recommendations below were accepted by X').position).toBe('supported');
    expect(inferHeadingPosition('… will be examined by X, which will provide responses in due course').position).toBe('pending');
    expect(inferHeadingPosition('The following recommendations did not enjoy the support of X').position).toBe('noted');
    expect(inferHeadingPosition('The following recommendations were noted by X').position).toBe('noted');
    expect(inferHeadingPosition('X rejected the following recommendations').position).toBe('noted');
    expect(inferHeadingPosition('Something else entirely')).toEqual({ position: 'pending', matched: null });
  });

  it('rejects text without a State attribution instead of guessing', () => {
    const text = REPORT.replace('(Belgium);', ';');
    const r = parseImport({ filename: 'report.txt', bytes: new TextEncoder().encode(text) });
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]).toMatchObject({ code: 'no_recommending_state', params: { paragraph: '98.2' } });
    expect(r.rejected[0]!.reason).toMatch(/^Paragraph 98\.2: text without a recommending State/);
  });

  it('leaves the list separator "; " or "; and" before an attribution out of the text', () => {
    const text = REPORT.replace('with Disabilities (Algeria);', 'with Disabilities; (Algeria);').replace(
      'Civil and Political Rights (Brazil and Italy);',
      'Civil and Political Rights; and (Brazil and Italy);',
    );
    const r = parseImport({ filename: 'report.txt', bytes: new TextEncoder().encode(text) });
    const texts = new Map(r.rows.map((row) => [row.recommendation.paragraph, row.recommendation.text]));
    expect(texts.get('97.1')).toMatch(/Convention on the Rights of Persons with Disabilities$/);
    expect(texts.get('98.1')).toBe('Ratify the Second Optional Protocol to the International Convention on Civil and Political Rights');
    // A semicolon inside a recommendation stays.
    expect(texts.get('98.2')).toMatch(/non-governmental organizations; \(ii\) remove/);
  });

  it('splits items on attributions only', () => {
    expect(splitItem('Do A (i) first; (ii) then (Spain); do B (for example, article 5) (France and Chile).')).toMatchObject({
      recommendations: [
        { text: 'Do A (i) first; (ii) then', states: ['Spain'] },
        { text: 'do B (for example, article 5)', states: ['France', 'Chile'] },
      ],
      leftover: '',
    });
  });

  it('refuses a report without a conclusions part, or without a State, with a clear message', () => {
    const noConclusions = 'Report of the Working Group on the Universal Periodic Review\n\nBelarus\n1. Introduction.';
    expect(() => parseImport({ filename: 'A-HRC-15-16.txt', bytes: new TextEncoder().encode(noConclusions) })).toThrow(
      expect.objectContaining({ code: 'no_conclusions' }),
    );
    expect(() => parseImport({ filename: 'x.txt', bytes: new TextEncoder().encode('Some notes.\nII. Conclusions and/or recommendations\n97. Hello.') })).toThrow(
      expect.objectContaining({ code: 'no_document_symbol' }),
    );
  });
});

describe('the State reviewed', () => {
  // The same report with its title's State line left out (as when a copy starts below the title
  // page); the WG symbol in its footnote carries no country code either.
  const untitled = REPORT.replace('\r\nBelarus\r\n', '\r\n\r\n');
  const bytes = new TextEncoder().encode(untitled);

  it("is the plan's country when the report does not name it, with a warning saying so", () => {
    const result = parseImport({ filename: 'report.txt', bytes, defaults: { stateUnderReview: 'Belarus' } });
    expect(result.rows.length).toBe(6);
    expect(new Set(result.rows.map((r) => r.recommendation.stateUnderReview))).toEqual(new Set(['Belarus']));
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'state_from_plan', params: { state: 'Belarus' } }));
  });

  it('is what the report says when it names one, whatever the plan', () => {
    const result = parseImport({ filename: 'report.txt', bytes: new TextEncoder().encode(REPORT), defaults: { stateUnderReview: 'Moldova' } });
    expect(new Set(result.rows.map((r) => r.recommendation.stateUnderReview))).toEqual(new Set(['Belarus']));
    expect(result.warnings.some((w) => w.code === 'state_from_plan')).toBe(false);
  });

  it('cannot be found without the title and without a plan to take it from', () => {
    expect(() => parseImport({ filename: 'report.txt', bytes })).toThrow(/Could not find which State was reviewed/);
  });
});
