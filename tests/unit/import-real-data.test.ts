import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { RecommendationInputSchema, type ParsedImport } from '../../shared/api/recommendations.ts';
import { belarusPath, type BelarusFile } from '../helpers/belarusData.ts';
import { detectFormat, findReportHeadings, parseImport, decodeText } from '../../server/import/index.ts';

// The real Belarus files, used as they are.
const VERBATIM = 'belarus-upr-cycle1-recommendations.csv';
const UPR_INFO = 'upr-info-belarus-session8.csv';
const REPORT = 'A-HRC-15-16-belarus-wg-report.txt';

const bytesOf = (file: BelarusFile) => new Uint8Array(readFileSync(belarusPath(file)));
const load = (file: BelarusFile) => parseImport({ filename: file, bytes: bytesOf(file) });
const ws = (s: string) => s.replace(/\s+/g, ' ').trim();

function expectValid(result: ParsedImport) {
  for (const { recommendation } of result.rows) expect(() => RecommendationInputSchema.parse(recommendation)).not.toThrow();
}

/**
 * Mac Roman encoder built from the platform decoder's own table: decode each single byte 0..255
 * and invert. A character with no Mac Roman byte fails the test (the twin must be exact).
 */
function encodeMacRoman(text: string): Uint8Array {
  const decoder = new TextDecoder('macintosh');
  const reverse = new Map<string, number>();
  for (let b = 0; b < 256; b++) reverse.set(decoder.decode(new Uint8Array([b])), b);
  const out = new Uint8Array(text.length);
  let n = 0;
  for (const ch of text) {
    const b = reverse.get(ch);
    if (b === undefined) throw new Error(`"${ch}" (U+${ch.codePointAt(0)!.toString(16)}) has no Mac Roman byte`);
    out[n++] = b;
  }
  return out.slice(0, n);
}

describe('verbatim Belarus CSV (accord-csv flavour)', () => {
  const result = load(VERBATIM);

  it('gives 167 recommendations: 124 supported, 43 noted, unique references', () => {
    expect(detectFormat({ filename: VERBATIM, bytes: bytesOf(VERBATIM) })).toBe('accord-csv');
    expect(result.format).toBe('accord-csv');
    expect(result.rejected).toEqual([]);
    expect(result.rows).toHaveLength(167);
    const positions = result.rows.map((r) => r.recommendation.position);
    expect(positions.filter((p) => p === 'supported')).toHaveLength(124);
    expect(positions.filter((p) => p === 'noted')).toHaveLength(43);
    const refs = result.rows.map((r) => r.recommendation.reference);
    expect(new Set(refs).size).toBe(167);
    expectValid(result);
  });

  it('maps the columns', () => {
    const rec = result.rows.find((r) => r.recommendation.reference === 'BLR-C1-98.1')!.recommendation;
    expect(rec).toMatchObject({
      sourceKey: 'verbatim:BLR-C1-98.1',
      documentSymbol: 'A/HRC/15/16',
      stateUnderReview: 'Belarus',
      recommendingStates: ['Brazil', 'Italy'],
      themes: ['Death penalty', 'International instruments'],
      cycle: 1,
      session: '8',
      paragraph: '98.1',
      actionCategory: 5,
      position: 'noted',
    });
    const noted = result.rows.filter((r) => r.recommendation.notes?.includes('non-'));
    expect(noted).toHaveLength(5);
  });
});

describe('UPR Info CSV (169 rows)', () => {
  const result = load(UPR_INFO);

  it('merges joint recommendations and accounts for every row', () => {
    expect(result.format).toBe('upr-info-csv');
    expect(result.rejected).toEqual([]);
    // 169 rows → 167 recommendations: two texts appear twice with the same State under review and
    // session. 98.1 (Brazil, Italy) is a real joint recommendation; 97.48 is two recommendations
    // in the UN report (Uzbekistan's and Tajikistan's) with word-for-word the same text, which the
    // UPR Info rule (same text = one recommendation) also merges.
    expect(result.rows).toHaveLength(167);
    const joint = result.rows.filter((r) => r.recommendation.recommendingStates.length >= 2);
    expect(joint.map((r) => r.recommendation.recommendingStates)).toEqual([
      ['Brazil', 'Italy'],
      ['Tajikistan', 'Uzbekistan'],
    ]);
    const stateCount = result.rows.reduce((n, r) => n + r.recommendation.recommendingStates.length, 0);
    expect(stateCount + result.rejected.length).toBe(169);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'rows_merged', params: { n: 2 } }));
    expectValid(result);
  });

  it('maps UPR Info fields', () => {
    const rec = result.rows[0]!.recommendation;
    expect(rec).toMatchObject({
      mechanism: 'UPR',
      stateUnderReview: 'Belarus',
      session: '8',
      cycle: 1,
      position: 'supported',
      positionSource: 'UPR Info database',
      reference: null,
      documentSymbol: null,
      recommendingStates: ['Algeria'],
      themes: ['NHRI'],
      actionCategory: 3,
    });
    expect(rec.sourceKey).toMatch(/^uprinfo:Belarus:8:[0-9a-f]{16}$/);
    expect(new Set(result.rows.map((r) => r.recommendation.sourceKey)).size).toBe(167);
    const brazilItaly = result.rows.find((r) => r.recommendation.recommendingStates.includes('Italy') && r.recommendation.recommendingStates.includes('Brazil'))!;
    expect(brazilItaly.recommendation.position).toBe('noted');
  });

  it('a Mac Roman, CR-line-ended twin parses to the same recommendations', () => {
    const utf8 = decodeText(bytesOf(UPR_INFO)).text;
    // This export is pure ASCII, so its Mac Roman bytes equal its UTF-8 bytes; only the line
    // endings differ. The report twin below exercises actual Mac Roman characters.
    const twin = encodeMacRoman(utf8.replace(/\n/g, '\r'));
    expect(twin.includes(0x0a)).toBe(false);
    const parsed = parseImport({ filename: 'upr-info-macroman.csv', bytes: twin });
    expect(parsed.rows).toEqual(result.rows);
    expect(parsed.rejected).toEqual(result.rejected);
  });

  it('a Mac Roman twin with non-ASCII names decodes them and warns', () => {
    const utf8 = decodeText(bytesOf(UPR_INFO)).text.replace(/DPR Korea/g, 'Côte d’Ivoire');
    const twin = encodeMacRoman(utf8.replace(/\n/g, '\r'));
    const parsed = parseImport({ filename: 'upr-info-macroman.csv', bytes: twin });
    const original = parseImport({ filename: 'x.csv', bytes: new TextEncoder().encode(utf8) });
    expect(parsed.rows).toEqual(original.rows);
    expect(parsed.rows.some((r) => r.recommendation.recommendingStates.includes('Côte d’Ivoire'))).toBe(true);
    expect(parsed.warnings[0]).toMatchObject({ code: 'encoding_guessed', params: { encoding: 'macintosh' } });
  });
});

describe('a UPR Info export saved as text', () => {
  // Excel's "Unicode Text" (.txt): tab-delimited, UTF-16 with a byte-order mark. Read as a report
  // (every .txt was), it was refused for want of a document symbol.
  it('is read by its header as the export, in the same rows as the CSV', () => {
    const csv = decodeText(bytesOf(UPR_INFO)).text;
    const tsv = Papa.unparse(Papa.parse<string[]>(csv, { skipEmptyLines: true }).data, { delimiter: '\t' });
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(tsv, 'utf16le'))]);
    expect(detectFormat({ filename: 'upr-info-belarus.txt', bytes: utf16 })).toBe('upr-info-csv');
    const parsed = parseImport({ filename: 'upr-info-belarus.txt', bytes: utf16 });
    expect(parsed.format).toBe('upr-info-csv');
    expect(parsed.rows.map((r) => r.recommendation)).toEqual(load(UPR_INFO).rows.map((r) => r.recommendation));
    // Pasted into the report box (sent as pasted-un-report.txt), the same.
    expect(detectFormat({ filename: 'pasted-un-report.txt', bytes: new TextEncoder().encode(csv) })).toBe('upr-info-csv');
  });
});

describe('UN Working Group report text (A/HRC/15/16)', () => {
  const result = load(REPORT);
  const verbatim = Papa.parse<Record<string, string>>(decodeText(bytesOf(VERBATIM)).text, { header: true, skipEmptyLines: true }).data;
  const verbatimById = new Map(verbatim.map((r) => [r['id']!, r]));

  it('gives 167 recommendations with positions from the paragraph headings', () => {
    expect(detectFormat({ filename: REPORT, bytes: bytesOf(REPORT) })).toBe('un-report-text');
    expect(result.format).toBe('un-report-text');
    expect(result.rejected).toEqual([]);
    expect(result.rows).toHaveLength(167);
    const para = (p: string) => result.rows.filter((r) => r.recommendation.paragraph!.startsWith(`${p}.`));
    expect(para('97')).toHaveLength(92);
    expect(para('97').every((r) => r.recommendation.position === 'supported')).toBe(true);
    expect(para('98')).toHaveLength(75);
    expect(para('98').every((r) => r.recommendation.position === 'pending')).toBe(true);
    const headings = result.warnings.filter((w) => w.code === 'heading_position').map((w) => [w.params['paragraph'], w.params['matched'], w.params['position']]);
    expect(headings).toContainEqual(['97', 'enjoy its support', 'supported']);
    expect(headings).toContainEqual(['98', 'will be examined', 'pending']);
    expectValid(result);
  });

  it('has the same references, States and texts as the verbatim CSV', () => {
    const refs = result.rows.map((r) => r.recommendation.reference!);
    expect(new Set(refs)).toEqual(new Set(verbatimById.keys()));
    expect(refs).toEqual(verbatim.map((r) => r['id'])); // same order too
    const differing = result.rows.filter((r) => ws(r.recommendation.text) !== ws(verbatimById.get(r.recommendation.reference!)!['text']!));
    // 0 differ: the verbatim CSV changed "non." → "non-" in 5 rows (PDF extraction lost the
    // hyphen); the importer makes the same repair and says so in a warning and in each row's notes.
    expect(differing.map((r) => r.recommendation.reference)).toEqual([]);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'hyphens_restored', params: { n: 5 } }));
    const repaired = result.rows.filter((r) => r.recommendation.notes !== null).map((r) => r.recommendation.reference);
    const flagged = verbatim.filter((r) => r['text_note']).map((r) => r['id']);
    expect(repaired).toEqual(flagged);
    for (const r of result.rows) {
      const v = verbatimById.get(r.recommendation.reference!)!;
      expect(r.recommendation.recommendingStates.join(', ')).toBe(v['recommending_state']);
    }
  });

  it('reads the report metadata', () => {
    const rec = result.rows[0]!.recommendation;
    expect(rec).toMatchObject({
      sourceKey: 'unreport:A/HRC/15/16:97.1a',
      reference: 'BLR-C1-97.1a',
      mechanism: 'UPR',
      documentSymbol: 'A/HRC/15/16',
      paragraph: '97.1',
      cycle: 1,
      session: '8',
      date: '2010-06-21',
      stateUnderReview: 'Belarus',
      recommendingStates: ['Algeria'],
      positionSource: 'A/HRC/15/16 para 97 heading',
    });
    // The symbol A/HRC/15/16 is not in this extracted text (only A/HRC/WG.6/8/L.15): it comes
    // from the file name, and the person is told so.
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'symbol_from_filename', params: { symbol: 'A/HRC/15/16' } }));
    const joint = result.rows.find((r) => r.recommendation.reference === 'BLR-C1-98.1')!;
    expect(joint.recommendation.recommendingStates).toEqual(['Brazil', 'Italy']);
    // 98.28's "(i) …; (ii) …; and (iii) …" is one recommendation, not three.
    expect(result.rows.filter((r) => r.recommendation.paragraph === '98.28')).toHaveLength(1);
  });

  it('uses the import settings when the file name has no symbol', () => {
    const r = parseImport({ filename: 'report.txt', bytes: bytesOf(REPORT), defaults: { documentSymbol: 'A/HRC/15/16' } });
    expect(r.rows[0]!.recommendation.sourceKey).toBe('unreport:A/HRC/15/16:97.1a');
  });

  it('lists the headings and their inferred positions', () => {
    const text = decodeText(bytesOf(REPORT)).text;
    const headings = findReportHeadings(text);
    expect(headings.map((h) => [h.paragraph, h.position, h.count])).toEqual([
      ['97', 'supported', 92],
      ['98', 'pending', 75],
    ]);
    expect(headings[0]!.heading).toMatch(/^The recommendations formulated during the interactive dialogue/);
  });

  it('a Mac Roman, CR-line-ended twin of the report parses identically', () => {
    const text = decodeText(bytesOf(REPORT)).text;
    expect(/[’–•]/.test(text)).toBe(true); // real non-ASCII characters to encode
    const twin = encodeMacRoman(text.replace(/\n/g, '\r'));
    const parsed = parseImport({ filename: REPORT, bytes: twin });
    expect(parsed.rows).toEqual(result.rows);
    expect(parsed.warnings[0]).toMatchObject({ code: 'encoding_guessed', params: { encoding: 'macintosh' } });
  });
});
