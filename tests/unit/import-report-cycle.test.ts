/**
 * A UN Working Group report pasted from its conclusions on names no Working Group session, so its
 * UPR cycle used to be unknown and its references had none (BLR-97.1): the 97.1 of the next
 * review's report then took the same reference and was refused. The cycle now comes from the
 * report's Council symbol (A/HRC/15/16: a report to the Council's 15th session, first cycle).
 */
import { describe, expect, it } from 'vitest';
import { cycleFromCouncilSymbol } from '../../server/import/normalise.ts';
import { parseImport } from '../../server/import/index.ts';
import { ImportPreviewStore, previewImport, commitImport } from '../../server/services/imports.ts';
import { memoryPlan } from '../helpers/memoryPlan.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';

const conclusions = (item: string) =>
  [
    'II. Conclusions and/or recommendations',
    '97. The recommendations formulated during the interactive dialogue and listed below have been examined by Belarus and enjoy its support:',
    `97.1 ${item} (Algeria).`,
    '98. All conclusions and/or recommendations contained in the present report reflect the position of the submitting State(s).',
  ].join('\n');

describe('the UPR cycle of a report from its Council symbol', () => {
  it('follows the Council sessions that adopted each cycle’s reports, and guesses nothing between cycles', () => {
    // Belarus's three reviews, and the first and last Council sessions of each cycle.
    expect(cycleFromCouncilSymbol('A/HRC/15/16')).toBe(1);
    expect(cycleFromCouncilSymbol('A/HRC/30/3')).toBe(2);
    expect(cycleFromCouncilSymbol('A/HRC/46/5')).toBe(3);
    expect([8, 19, 21, 34, 36, 50, 52, 65].map((n) => cycleFromCouncilSymbol(`A/HRC/${n}/1`))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect([7, 20, 35, 51, 66].map((n) => cycleFromCouncilSymbol(`A/HRC/${n}/1`))).toEqual([null, null, null, null, null]);
    expect(cycleFromCouncilSymbol('CCPR/C/BLR/CO/5')).toBeNull();
    expect(cycleFromCouncilSymbol(null)).toBeNull();
  });

  it('gives pasted reports of two reviews references that do not collide', async () => {
    const { db, userId, planId } = await memoryPlan();
    const paste = (symbol: string, item: string) =>
      parseImport({ filename: 'pasted-un-report.txt', bytes: Buffer.from(conclusions(item)), defaults: { stateUnderReview: 'Belarus', documentSymbol: symbol } });

    const first = paste('A/HRC/15/16', 'Continue to promote dialogue among different religions');
    expect(first.rows.map((r) => [r.recommendation.reference, r.recommendation.cycle])).toEqual([['BLR-C1-97.1', 1]]);
    const firstPreview = await previewImport(sqliteSql(db), planId, userId, first, 'pasted-un-report.txt', new ImportPreviewStore());
    const store = new ImportPreviewStore();
    await store.put(planId, userId, firstPreview);
    await commitImport(sqliteSql(db), planId, userId, firstPreview.previewId, { store });

    const second = paste('A/HRC/30/3', 'Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights');
    expect(second.rows.map((r) => [r.recommendation.reference, r.recommendation.cycle])).toEqual([['BLR-C2-97.1', 2]]);
    const secondPreview = await previewImport(sqliteSql(db), planId, userId, second, 'pasted-un-report.txt', new ImportPreviewStore());
    expect(secondPreview.counts).toMatchObject({ create: 1, rejected: 0 });
  });
});
