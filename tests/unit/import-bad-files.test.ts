import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportFormatSchema, type ImportFormat } from '../../shared/api/recommendations.ts';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { detectFormat, ImportFileError, MAX_IMPORT_BYTES, parseImport } from '../../server/import/index.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const HEADER = 'To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session';
const row = (text: string, from: string, response: string) =>
  `Belarus,EEG,CIS,"${text}",${from},WEOG,EU,${response},4,Detention,8`;

/** Runs the import and returns the ImportFileError it throws; fails on anything else. */
function fileError(filename: string, bytes: Uint8Array, format?: ImportFormat): ImportFileError {
  try {
    parseImport({ filename, bytes, format });
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFileError);
    return err as ImportFileError;
  }
  throw new Error('expected an ImportFileError');
}

/** Deterministic pseudo-random bytes (xorshift), so the test never flakes. */
function noise(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('file-level problems throw ImportFileError with a code, its values and an English message', () => {
  it('names the missing UPR Info columns', () => {
    const err = fileError('upr.csv', enc('To,Text,From\nBelarus,Ratify it,Spain\n'));
    expect(err).toMatchObject({ code: 'missing_columns_upr_info', params: { columns: 'Response, Session', found: 'To, Text, From' } });
    expect(err.message).toMatch(/missing the columns Response, Session/);
    expect(fileError('x.csv', enc('To,Text\nBelarus,x\n'), 'upr-info-csv').params).toEqual({ columns: 'From, Response, Session', found: 'To, Text' });
  });

  it('says so when the format is not recognised', () => {
    const err = fileError('data.csv', enc('name,age\nAnna,3\n'));
    expect(err).toMatchObject({ code: 'unknown_format_first_line', params: { firstLine: 'name, age' } });
    expect(err.message).toMatch(/could not tell what kind of file this is/);
  });

  it('refuses an empty file', () => {
    expect(fileError('empty.csv', new Uint8Array()).code).toBe('file_empty');
    expect(fileError('blank.csv', enc(' \r\n\n ')).code).toBe('file_empty');
    expect(fileError('bom.csv', new Uint8Array([0xef, 0xbb, 0xbf])).code).toBe('file_empty');
  });

  it('refuses a binary file', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...noise(4096)]);
    expect(fileError('photo.csv', png).code).toBe('not_text');
    // Control characters without any NUL byte are refused too.
    const controls = enc('a,b\n' + '\x01\x02\x03x'.repeat(100));
    expect(fileError('odd.csv', controls).code).toBe('not_text');
  });

  it('refuses a 50 MB file by its size, before decoding', () => {
    // Control bytes: read as text, this would be refused as not text. Refused for its size instead,
    // it was never decoded.
    const big = Buffer.alloc(50 * 1024 * 1024, 0x01);
    expect(fileError('small.csv', big.subarray(0, 1024)).code).toBe('not_text');
    const err = fileError('big.csv', big);
    expect(err).toMatchObject({ code: 'file_too_large', params: { sizeMb: 50, limitMb: 20 } });
    expect(err.message).toBe('The file is 50.0 MB; the limit is 20 MB.');
    expect(detectFormat({ filename: 'big.csv', bytes: big })).toBeNull();
    expect(MAX_IMPORT_BYTES).toBe(20 * 1024 * 1024);
  });

  it('reports broken quoting with its row number', () => {
    const broken = 'Belarus,EEG,CIS,"Never closed,Spain,WEOG,EU,Accepted,4,Detention,8';
    // Unterminated to the end of the file.
    const last = [HEADER, row('Ratify the Convention', 'Spain', 'Accepted'), row('Another', 'Italy', 'Noted'), broken].join('\n');
    expect(fileError('upr.csv', enc(last))).toMatchObject({ code: 'unclosed_quote', params: { row: 3 } });
    // Closed by the next row's quote: the rows in between would be swallowed.
    const middle = [HEADER, row('Ratify the Convention', 'Spain', 'Accepted'), broken, row('Another', 'Italy', 'Noted')].join('\n');
    expect(fileError('upr.csv', enc(middle))).toMatchObject({ code: 'malformed_quotes', params: { row: 2 } });
  });

  it('refuses JSON that does not parse, and JSON of another shape', () => {
    expect(fileError('x.json', enc('{"format": "accord-recommendations", '), 'accord-json').code).toBe('json_unreadable');
    expect(fileError('x.json', enc('{"hello": 1}')).code).toBe('unknown_format_first_line');
    expect(fileError('x.json', enc('{"format":"other","recommendations":[]}'), 'accord-json')).toMatchObject({
      code: 'not_accord_json',
      params: { format: 'accord-recommendations' },
    });
    expect(fileError('x.json', enc('{"format":"accord-recommendations","version":2,"recommendations":[]}'))).toMatchObject({
      code: 'newer_accord_version',
      params: { version: 2, supported: 1 },
    });
  });
});

describe('row-level problems are rejected with row number and reason', () => {
  it('rejects unknown position words, empty texts and wrong cell counts, and keeps the rest', () => {
    const csv = [
      HEADER,
      row('Ratify the Convention against Torture', 'Spain', 'Accepted'),
      row('Abolish the death penalty', 'Italy', 'Maybe'),
      row('', 'France', 'Accepted'),
      'Belarus,EEG,CIS,Too short,Chile',
      row('Reinforce the independence of the judiciary', 'Brazil', 'Partially accepted'),
      row('Reinforce the independence of the judiciary', 'Brazil', 'Partially accepted'),
      row('Declare a moratorium', 'Norway', ''),
      '',
      row('Forbid corporal punishment of children', 'Brazil', 'Rejected'),
    ].join('\r\n');
    const result = parseImport({ filename: 'upr.csv', bytes: enc(csv) });
    expect(result.rejected.map(({ row, code, params }) => ({ row, code, params }))).toEqual([
      { row: 2, code: 'unknown_position', params: { value: 'Maybe' } },
      { row: 3, code: 'text_empty', params: {} },
      { row: 4, code: 'cell_count', params: { cells: 5, expected: 11 } },
      { row: 6, code: 'duplicate_row', params: { earlier: 5 } },
    ]);
    expect(result.rejected[0]!.reason).toBe('Unknown position "Maybe"');
    expect(result.rows.map((r) => [r.row, r.recommendation.position])).toEqual([
      [1, 'supported'],
      [5, 'supported_in_part'],
      [7, 'pending'],
      [8, 'noted'], // the blank line is not counted as a data row
    ]);
  });

  it('rejects a row whose value the schema refuses', () => {
    const csv = [HEADER, row('x'.repeat(20_001), 'Spain', 'Accepted')].join('\n');
    const result = parseImport({ filename: 'upr.csv', bytes: enc(csv) });
    expect(result.rows).toEqual([]);
    expect(result.rejected[0]).toMatchObject({ row: 1 });
    expect(result.rejected[0]).toMatchObject({ code: 'invalid_value', params: { fields: 'text' } });
    expect(result.rejected[0]!.reason).toMatch(/^Invalid value: text:/);
  });
});

describe('nothing throws anything other than ImportFileError', () => {
  const real = Object.values(BELARUS_FILES).map((f) => new Uint8Array(readFileSync(belarusPath(f))));
  const inputs: Uint8Array[] = [
    ...real.flatMap((bytes) => [0.1, 0.37, 0.5, 0.83].map((share) => bytes.slice(0, Math.floor(bytes.length * share)))),
    enc('"'),
    enc('[1, 2, 3]'),
    enc('[{"Document Symbol": 5, "Text": ["a", null, {"b": 1}]}]'),
    enc('{"format":"accord-recommendations","version":1,"recommendations":[null, 1, "x", {"text": 5}]}'),
    enc('sourceKey,text\n=cmd,'),
    enc('Report of the Working Group on the Universal Periodic Review\nConclusions and/or recommendations\n97. (\n97.1 ((((;;;'),
    new Uint8Array([0xff, 0xfe, 0x41, 0x00]),
    new Uint8Array([0xc3, 0x28, 0x2c, 0x0a]),
    noise(2000, 99).map((b) => 0x20 + (b % 0x5f)), // printable ASCII garbage
  ];

  it('for truncated real files and garbage in every format', () => {
    let parsed = 0;
    for (const bytes of inputs) {
      for (const format of [undefined, ...ImportFormatSchema.options]) {
        for (const filename of ['file.csv', 'file.txt', 'file.json']) {
          try {
            parseImport({ filename, bytes, format });
            parsed++;
          } catch (err) {
            expect(err, `${filename} ${format}`).toBeInstanceOf(ImportFileError);
          }
          expect(() => detectFormat({ filename, bytes, format })).not.toThrow();
        }
      }
    }
    expect(parsed).toBeGreaterThan(0);
  });
});
