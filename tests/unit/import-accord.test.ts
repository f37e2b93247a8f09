import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { RecommendationInputSchema, type RecommendationInput } from '../../shared/api/recommendations.ts';
import { BELARUS_FILES, belarusPath, type BelarusFile } from '../helpers/belarusData.ts';
import { ACCORD_COLUMNS, detectFormat, parseImport, toAccordCsv, toAccordJson } from '../../server/import/index.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const recsOf = (file: BelarusFile) =>
  parseImport({ filename: file, bytes: new Uint8Array(readFileSync(belarusPath(file))) }).rows.map((r) => r.recommendation);

const csvRoundTrip = (recs: RecommendationInput[]) => {
  const parsed = parseImport({ filename: 'export.csv', bytes: enc(toAccordCsv(recs)) });
  expect(parsed.format).toBe('accord-csv');
  expect(parsed.rejected).toEqual([]);
  return parsed.rows.map((r) => r.recommendation);
};
const jsonRoundTrip = (recs: RecommendationInput[]) => {
  const parsed = parseImport({ filename: 'export.json', bytes: enc(toAccordJson(recs)) });
  expect(parsed.format).toBe('accord-json');
  expect(parsed.rejected).toEqual([]);
  return parsed.rows.map((r) => r.recommendation);
};

const base = RecommendationInputSchema.parse({
  sourceKey: 'test:1',
  reference: 'BLR-C1-98.16a',
  mechanism: 'UPR',
  documentSymbol: 'A/HRC/15/16',
  paragraph: '98.16',
  cycle: 1,
  session: '8',
  date: '2010-06-21',
  stateUnderReview: 'Belarus',
  recommendingStates: ['Brazil'],
  text: 'Declare a moratorium on executions with a view to abolishing the death penalty',
  language: 'en',
  position: 'noted',
  positionSource: 'A/HRC/15/16 para 98 heading',
  themes: ['Death penalty'],
  affectedPersons: [],
  sdgTargets: [],
  actionCategory: 5,
  notes: null,
});

/** Values that break naive CSV writers, and ones a spreadsheet would run as formulas. */
const TRICKY: RecommendationInput[] = [
  { ...base, sourceKey: 'tricky:quotes', text: 'He said "abolish it", then \'wait\'; and "stop"' },
  { ...base, sourceKey: 'tricky:commas', text: 'Ratify, sign, and implement, promptly', recommendingStates: ['Bosnia and Herzegovina', 'Venezuela (Bolivarian Republic of)'] },
  { ...base, sourceKey: 'tricky:newlines', text: 'The State party should:\n(a) first;\n(b) second', notes: ' leading space\nand a second line ' },
  { ...base, sourceKey: 'tricky:semicolons', themes: ['Women; girls', 'a\\b', 'back\\;slash', 'plain'], affectedPersons: ['Roma; Travellers'] },
  {
    ...base,
    sourceKey: 'tricky:cyrillic',
    language: 'be',
    text: 'Увесці мараторый на смяротнае пакаранне з мэтай яго адмены',
    themes: ['Смяротнае пакаранне', 'Права чалавека'],
    notes: 'Ввести мораторий на смертную казнь — «как можно скорее»',
  },
  { ...base, sourceKey: 'tricky:unicode', text: 'Côte d’Ivoire — “quotes” ½ € 😀 naïve', recommendingStates: ['Côte d’Ivoire', 'Türkiye'] },
  { ...base, sourceKey: 'tricky:formula', text: '=HYPERLINK("http://example.com","click")', notes: '+1 more' },
  { ...base, sourceKey: 'tricky:minus', text: '-5 percent of detainees', positionSource: '@mention', themes: ['=SUM(A1)', 'x'] },
  { ...base, sourceKey: 'tricky:quoted-formula', text: "'=already quoted", notes: "''-twice", reference: "'plain quote" },
  { ...base, sourceKey: 'tricky:tab-note', notes: '\tstarts with a tab' },
  {
    ...base,
    sourceKey: 'tricky:nulls',
    reference: null,
    documentSymbol: null,
    paragraph: null,
    cycle: null,
    session: null,
    date: null,
    positionSource: null,
    actionCategory: null,
    recommendingStates: [],
    themes: [],
    mechanism: 'CCPR',
    position: 'supported_in_part',
  },
].map((r) => RecommendationInputSchema.parse(r));

describe('Accord CSV and JSON', () => {
  it('round-trip the whole Belarus set losslessly', () => {
    for (const file of Object.values(BELARUS_FILES)) {
      const recs = recsOf(file);
      expect(recs.length).toBeGreaterThan(160);
      expect(csvRoundTrip(recs)).toEqual(recs);
      expect(jsonRoundTrip(recs)).toEqual(recs);
    }
  });

  it('round-trip tricky values losslessly', () => {
    expect(csvRoundTrip(TRICKY)).toEqual(TRICKY);
    expect(jsonRoundTrip(TRICKY)).toEqual(TRICKY);
  });

  it('write every RecommendationInput field as a column, lists joined with "; "', () => {
    const csv = toAccordCsv(TRICKY);
    expect(csv.startsWith('\uFEFF')).toBe(true); // so Excel shows Cyrillic
    const rows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual(Object.keys(RecommendationInputSchema.shape));
    expect(rows[0]).toEqual(ACCORD_COLUMNS);
    const col = (name: string) => rows[0]!.indexOf(name);
    expect(rows[4]![col('themes')]).toBe('Women\\; girls; a\\\\b; back\\\\\\;slash; plain');
    expect(rows[2]![col('recommendingStates')]).toBe('Bosnia and Herzegovina; Venezuela (Bolivarian Republic of)');
  });

  it('escape cells a spreadsheet would run as formulas', () => {
    const csv = toAccordCsv(TRICKY);
    const rows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    for (const cells of rows) for (const cell of cells) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    const col = (name: string) => rows[0]!.indexOf(name);
    expect(rows[7]![col('text')]).toBe('\'=HYPERLINK("http://example.com","click")');
    expect(rows[7]![col('notes')]).toBe("'+1 more");
    expect(rows[8]![col('text')]).toBe("'-5 percent of detainees");
    expect(rows[8]![col('positionSource')]).toBe("'@mention");
    expect(rows[8]![col('themes')]).toBe("'=SUM(A1); x");
    expect(rows[9]![col('text')]).toBe("''=already quoted"); // one more quote, removed on import
    expect(rows[9]![col('reference')]).toBe("'plain quote"); // not formula-like: unchanged
    expect(rows[10]![col('notes')]).toBe("'\tstarts with a tab");
  });

  it('reads a hand-made Accord CSV with only the required columns', () => {
    const csv = 'sourceKey,mechanism,stateUnderReview,text,position,extra\r\nmine:1,CAT,Belarus,"Ensure that all prisoners or detainees have access to legal counsel and relatives",pending,x\r\nmine:2,XYZ,Belarus,Text,pending,y\r\n';
    const bytes = enc(csv);
    expect(detectFormat({ filename: 'mine.csv', bytes })).toBe('accord-csv');
    const parsed = parseImport({ filename: 'mine.csv', bytes });
    expect(parsed.rows[0]!.recommendation).toMatchObject({ sourceKey: 'mine:1', mechanism: 'CAT', language: 'en', themes: [], reference: null });
    expect(parsed.rejected).toHaveLength(1);
    expect(parsed.rejected[0]).toMatchObject({ row: 2 });
    expect(parsed.rejected[0]).toMatchObject({ code: 'invalid_value', params: { fields: 'mechanism' } });
    expect(parsed.warnings).toContainEqual(expect.objectContaining({ code: 'columns_ignored', params: { columns: 'extra' } }));
    expect(() => parseImport({ filename: 'mine.csv', bytes: enc('sourceKey,text\r\na,b\r\n') })).toThrow(
      expect.objectContaining({ code: 'missing_columns_accord', params: expect.objectContaining({ columns: 'mechanism, stateUnderReview, position' }) }),
    );
  });

  it('writes JSON in the documented envelope', () => {
    const json = JSON.parse(toAccordJson(TRICKY.slice(0, 1)));
    expect(json).toEqual({ format: 'accord-recommendations', version: 1, recommendations: [TRICKY[0]] });
  });
});
