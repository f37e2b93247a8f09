import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RecommendationInputSchema } from '../../shared/api/recommendations.ts';
import { detectFormat, parseImport } from '../../server/import/index.ts';
import { mechanismForBody, splitMultiValue, uhriPosition } from '../../server/import/uhri.ts';

// Synthetic UHRI-shaped fixtures (see tests/fixtures/import/README.md): texts quoted from A/HRC/15/16.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'import');
const load = (file: string) => {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, file)));
  return { bytes, result: parseImport({ filename: file, bytes }) };
};

describe('UHRI CSV export', () => {
  const { bytes, result } = load('uhri-sample.csv');
  const recs = result.rows.map((r) => r.recommendation);

  it('is detected and parsed, multi-line cells split into items', () => {
    expect(detectFormat({ filename: 'uhri-sample.csv', bytes })).toBe('uhri-csv');
    expect(result.format).toBe('uhri-csv');
    expect(recs).toHaveLength(7);
    expect(recs.map((r) => r.mechanism)).toEqual(['UPR', 'UPR', 'UPR', 'UPR', 'UPR', 'CCPR', 'CRC']);
    expect(recs[0]).toMatchObject({
      sourceKey: 'uhri:A/HRC/15/16:98.1',
      documentSymbol: 'A/HRC/15/16',
      paragraph: '98.1',
      stateUnderReview: 'Belarus',
      recommendingStates: ['Brazil', 'Italy'],
      themes: ['Death penalty', 'International instruments'],
      affectedPersons: ['General'],
      sdgTargets: ['16.1'],
      session: '8',
      cycle: 1,
      date: '2010-06-21',
      position: 'noted',
      positionSource: 'UHRI export (UPR Position)',
      reference: null,
    });
    for (const r of recs) expect(() => RecommendationInputSchema.parse(r)).not.toThrow();
  });

  it('maps positions: UPR from the cell, treaty bodies pending', () => {
    expect(recs.map((r) => r.position)).toEqual(['noted', 'supported', 'supported', 'supported', 'pending', 'pending', 'pending']);
    expect(result.rejected).toEqual([{ row: 8, code: 'unknown_position', params: { value: 'Maybe later' }, reason: 'Unknown position "Maybe later"' }]);
  });

  it('keeps source keys unique when a paragraph holds several recommendations', () => {
    const keys = recs.map((r) => r.sourceKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[2]).toMatch(/^uhri:A\/HRC\/15\/16:97\.1:[0-9a-f]{16}$/);
    expect(keys[5]).toMatch(/^uhri:CCPR\/C\/BLR\/CO\/EXAMPLE:[0-9a-f]{16}$/); // no paragraph → text hash
  });

  it('treaty-body rows: no States, no cycle, State under review from the symbol when no Country', () => {
    expect(recs[5]).toMatchObject({ stateUnderReview: 'Belarus', recommendingStates: [], cycle: null, session: null, date: '2018', positionSource: null });
    expect(recs[5]!.notes).toMatch(/^Format sample/);
  });

  it('is stable across re-imports', () => {
    expect(load('uhri-sample.csv').result).toEqual(result);
  });
});

describe('UHRI JSON export', () => {
  const { bytes, result } = load('uhri-sample.json');
  const recs = result.rows.map((r) => r.recommendation);

  it('is detected and parsed, accepting arrays or "- " lines for multi-value fields', () => {
    expect(detectFormat({ filename: 'uhri-sample.json', bytes })).toBe('uhri-json');
    expect(result.format).toBe('uhri-json');
    expect(result.rejected).toEqual([]);
    expect(recs.map((r) => [r.mechanism, r.position])).toEqual([
      ['UPR', 'noted'],
      ['UPR', 'supported'],
      ['CEDAW', 'pending'],
      ['special_procedure', 'pending'],
    ]);
    expect(recs[0]!.themes).toEqual(['Enforced disappearances', 'International instruments']);
    expect(recs[0]!.recommendingStates).toEqual(['Spain']);
    expect(recs[1]!.recommendingStates).toEqual(['Tunisia']);
    expect(recs[1]!.themes).toEqual(["Women's rights"]);
    expect(recs[0]!.date).toBe('2010-06-21'); // "21 June 2010"
    expect(recs[2]!.sourceKey).toMatch(/^uhri:CEDAW\/C\/BLR\/CO\/EXAMPLE:[0-9a-f]{16}$/);
  });

  it('rejects a row without a State under review unless the import says which', () => {
    const json = JSON.stringify([{ 'Document Symbol': 'A/HRC/15/16', 'Reccomending Body': 'UPR', Text: 'Reinforce the independence of the judiciary', 'UPR Position': 'Supported' }]);
    const bytes = new TextEncoder().encode(json);
    expect(parseImport({ filename: 'u.json', bytes }).rejected[0]!.code).toBe('no_state_under_review');
    const withDefault = parseImport({ filename: 'u.json', bytes, defaults: { stateUnderReview: 'Belarus' } });
    expect(withDefault.rows[0]!.recommendation).toMatchObject({ stateUnderReview: 'Belarus', position: 'supported', mechanism: 'UPR' });
  });
});

describe('UHRI SDG targets', () => {
  it('keeps each target as its code, and leaves out (and reports) an entry that names none, keeping its recommendation', () => {
    const json = JSON.stringify([
      {
        'Document Symbol': 'A/HRC/15/16',
        'Reccomending Body': 'UPR',
        Country: 'Belarus',
        Text: 'Reinforce the independence of the judiciary',
        'UPR Position': 'Supported',
        Sdgs: ['- 16.3 Promote the rule of law at the national and international levels and ensure equal access to justice for all', '- 16.10 Ensure public access to information', '- Peace and justice'],
      },
    ]);
    const result = parseImport({ filename: 'u.json', bytes: new TextEncoder().encode(json) });
    expect(result.rejected).toEqual([]);
    expect(result.rows[0]!.recommendation.sdgTargets).toEqual(['16.3', '16.10']);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'sdg_unrecognised', params: { values: '“Peace and justice”' } }));
  });
});

describe('UHRI mappings', () => {
  it('maps recommending bodies to mechanisms', () => {
    const cases: Array<[string, string]> = [
      ['Universal Periodic Review', 'UPR'],
      ['UPR', 'UPR'],
      ['Human Rights Committee', 'CCPR'],
      ['Committee against Torture', 'CAT'],
      ['Subcommittee on Prevention of Torture', 'other'],
      ['Committee on the Elimination of Discrimination against Women', 'CEDAW'],
      ['Committee on the Rights of the Child', 'CRC'],
      ['Committee on the Elimination of Racial Discrimination', 'CERD'],
      ['Committee on Economic, Social and Cultural Rights', 'CESCR'],
      ['Committee on the Rights of Persons with Disabilities', 'CRPD'],
      ['Committee on Enforced Disappearances', 'CED'],
      ['Committee on Migrant Workers', 'CMW'],
      ['Special Rapporteur on the situation of human rights in Belarus', 'special_procedure'],
      ['Working Group on Arbitrary Detention', 'special_procedure'],
      ['Independent Expert on human rights and international solidarity', 'special_procedure'],
      ['Something else', 'other'],
    ];
    for (const [body, mechanism] of cases) expect(mechanismForBody(body), body).toBe(mechanism);
    expect(mechanismForBody('', 'CCPR/C/BLR/CO/5')).toBe('CCPR');
    expect(mechanismForBody('', 'E/C.12/BLR/CO/4-6')).toBe('CESCR');
  });

  it('maps UPR positions', () => {
    expect(uhriPosition('Supported')).toBe('supported');
    expect(uhriPosition('Supported/Noted')).toBe('supported_in_part');
    expect(uhriPosition('Supported / Noted')).toBe('supported_in_part');
    expect(uhriPosition('Partially supported')).toBe('supported_in_part');
    expect(uhriPosition('Noted')).toBe('noted');
    expect(uhriPosition('')).toBe('pending');
    expect(uhriPosition('Perhaps')).toBeNull();
  });

  it('splits multi-value cells', () => {
    expect(splitMultiValue('- Death penalty\n- Torture\r\n-  Women \n')).toEqual(['Death penalty', 'Torture', 'Women']);
    expect(splitMultiValue('Single value')).toEqual(['Single value']);
    expect(splitMultiValue(['- a', 'b'])).toEqual(['a', 'b']);
    expect(splitMultiValue('')).toEqual([]);
  });
});
