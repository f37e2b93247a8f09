import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { RecommendationInputSchema } from '../../shared/api/recommendations.ts';
import { detectFormat, generateUprInfoCsv, parseImport } from '../../server/import/index.ts';

describe('generateUprInfoCsv', () => {
  it('generates the requested number of rows, deterministically', () => {
    const csv = generateUprInfoCsv(2000, 11);
    const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual(['To', 'To-Rgrp', 'To-Org', 'Text', 'From', 'From-Rgrp', 'From-Org', 'Response', 'Action', 'Issue', 'Session']);
    expect(rows).toHaveLength(2001);
    expect(generateUprInfoCsv(2000, 11)).toBe(csv);
    expect(generateUprInfoCsv(2000, 12)).not.toBe(csv);
    expect(new Set(rows.slice(1).map((r) => r[4])).size).toBeGreaterThan(40); // many recommending States
    expect(new Set(rows.slice(1).map((r) => r[10])).size).toBeGreaterThan(40); // many sessions
  });

  it('parses cleanly, with joint recommendations merged and every row accounted for', () => {
    const bytes = new TextEncoder().encode(generateUprInfoCsv(2000, 11));
    expect(detectFormat({ filename: 'generated.csv', bytes })).toBe('upr-info-csv');
    const result = parseImport({ filename: 'generated.csv', bytes });
    expect(result.rejected).toEqual([]);
    const states = result.rows.reduce((n, r) => n + r.recommendation.recommendingStates.length, 0);
    expect(states).toBe(2000);
    expect(result.rows.length).toBeLessThan(2000);
    expect(result.rows.some((r) => r.recommendation.recommendingStates.length >= 2)).toBe(true);
    expect(new Set(result.rows.map((r) => r.recommendation.position))).toEqual(new Set(['supported', 'noted', 'supported_in_part', 'pending']));
    expect(new Set(result.rows.map((r) => r.recommendation.cycle))).toEqual(new Set([1, 2, 3, 4]));
    expect(result.warnings.every((w) => w.code !== 'responses_conflict')).toBe(true);
    for (const { recommendation } of result.rows.slice(0, 100)) RecommendationInputSchema.parse(recommendation);
  });

  it('generates 0 rows as a header only', () => {
    expect(Papa.parse<string[]>(generateUprInfoCsv(0, 1), { skipEmptyLines: true }).data).toHaveLength(1);
  });
});
