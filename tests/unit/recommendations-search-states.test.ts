import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.ts';
import { commitImport, ImportPreviewStore, previewImport } from '../../server/services/imports.ts';
import { queryRecommendations } from '../../server/services/recommendationBrowse.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { RecommendationQuerySchema } from '../../shared/api/index.ts';
import { memoryPlan } from '../helpers/memoryPlan.ts';
import { parsedImport, sampleRecommendation } from '../helpers/recommendations.ts';

// The search box says it finds "a reference or a State"; a State's name is not in the full-text
// index (the recommendation's text, reference and themes are), so searching "France" found nothing.

let db: Db;
let planId: string;

beforeEach(async () => {
  let userId: string;
  ({ db, userId, planId } = await memoryPlan());
  const store = new ImportPreviewStore();
  const recs = [
    sampleRecommendation(1, { recommendingStates: ['France'], text: 'Abolish the death penalty' }),
    sampleRecommendation(2, { recommendingStates: ['Czech Republic', 'France'], text: 'Ratify the Optional Protocol' }),
    sampleRecommendation(3, { recommendingStates: ['Brazil'], text: 'Cooperate with France and other States on torture prevention' }),
    sampleRecommendation(4, { recommendingStates: ['Japan'], text: 'Strengthen the judiciary' }),
  ];
  const preview = await previewImport(sqliteSql(db), planId, userId, parsedImport(recs), 'test.json', store);
  await commitImport(sqliteSql(db), planId, userId, preview.previewId, { store });
});
afterEach(() => db.close());

const search = async (q: string) =>
  (await queryRecommendations(sqliteSql(db), planId, RecommendationQuerySchema.parse({ q })))
    .items.map((r) => r.sourceKey)
    .sort();

describe('searching for a recommending State', () => {
  it('finds its recommendations, and those whose words name it', async () => {
    expect((await search('France'))).toEqual(['test:1', 'test:2', 'test:3']);
    expect((await search('fra'))).toEqual(['test:1', 'test:2', 'test:3']);
  });

  it('matches the start of the name, whatever the case and spacing', async () => {
    expect((await search('czech  REP'))).toEqual(['test:2']);
    expect((await search('Japan'))).toEqual(['test:4']);
    // Not the middle of a name: "Republic" is a word of the text search only.
    expect((await search('Republic'))).toEqual([]);
  });

  it('leaves word search as it was when no State is named', async () => {
    expect((await search('judiciary'))).toEqual(['test:4']);
    expect((await search('death penalty'))).toEqual(['test:1']);
  });
});
