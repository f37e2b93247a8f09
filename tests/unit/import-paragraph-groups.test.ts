/**
 * The import screen's table of a UN report's paragraphs (PositionOverrides): each paragraph shows
 * what its heading said, in the heading's own words, so the person can judge the position Accord
 * read from it. Before, the cell showed where the position came from ("A/HRC/15/16 para 97
 * heading"), which tells nobody whether it was read right.
 */
import { describe, expect, it } from 'vitest';
import { paragraphGroups } from '../../client/features/import/importSteps.ts';
import { parseImport } from '../../server/import/index.ts';
import { ImportPreviewStore, previewImport } from '../../server/services/imports.ts';
import { memoryPlan } from '../helpers/memoryPlan.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';

const REPORT = [
  'A/HRC/15/16',
  'Report of the Working Group on the Universal Periodic Review',
  'Belarus',
  'II. Conclusions and/or recommendations',
  '97. The recommendations formulated during the interactive dialogue and listed below have been examined by Belarus and enjoy its support:',
  '97.1 Continue to promote dialogue among different religions (Islamic Republic of Iran);',
  '97.2 Further improve the living conditions in prisons and pre-trial detention centres (Algeria).',
  '98. The following recommendations will be examined by Belarus, which will provide responses in due course:',
  '98.1 Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights (Brazil);',
  '99. The recommendations below were made during the interactive dialogue:',
  '99.1 Reinforce the independence of the judiciary (Bosnia and Herzegovina).',
  '100. All conclusions and/or recommendations contained in the present report reflect the position of the submitting State(s).',
].join('\n');

describe('the paragraphs of a pasted UN report in the import screen', () => {
  it('show the words of each heading that decided the position, or the heading when none did', async () => {
    const { db, userId, planId } = await memoryPlan();
    const parsed = parseImport({ filename: 'report.txt', bytes: Buffer.from(REPORT) });
    const preview = await previewImport(sqliteSql(db), planId, userId, parsed, 'report.txt', new ImportPreviewStore());
    const groups = paragraphGroups(preview);

    expect(groups.map((g) => [g.paragraph, g.count, g.position])).toEqual([
      ['97', 2, 'supported'],
      ['98', 1, 'pending'],
      ['99', 1, 'pending'],
    ]);
    expect(groups[0]!.heading).toEqual({ matched: expect.stringMatching(/enjoy its support/), words: expect.stringMatching(/^The recommendations formulated/) });
    expect(groups[1]!.heading?.matched).toMatch(/will be examined/);
    // Nothing in 99's heading names a position Accord knows: the cell shows the heading itself.
    expect(groups[2]!.heading).toEqual({ matched: null, words: 'The recommendations below were made during the interactive dialogue:' });
  });

  it('has no groups for other formats', async () => {
    const { db, userId, planId } = await memoryPlan();
    const csv = 'To,Text,From,Response,Session\nBelarus,Abolish the death penalty,France,Noted,8\n';
    const parsed = parseImport({ filename: 'upr.csv', bytes: Buffer.from(csv) });
    expect(paragraphGroups(await previewImport(sqliteSql(db), planId, userId, parsed, 'upr.csv', new ImportPreviewStore()))).toEqual([]);
  });
});
