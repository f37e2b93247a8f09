import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.ts';
import { parseImport } from '../../server/import/index.ts';
import { isVoluntaryPledge } from '../../server/import/normalise.ts';
import { principalOfNow } from '../../server/services/audit.ts';
import { commitImport, ImportPreviewStore, previewImport, undoImport } from '../../server/services/imports.ts';
import { findRecommendation, updateRecommendation } from '../../server/services/recommendations.ts';
import { queryRecommendations } from '../../server/services/recommendationBrowse.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { RecommendationQuerySchema, UpdateRecommendationSchema } from '../../shared/api/index.ts';
import { memoryPlan } from '../helpers/memoryPlan.ts';
import { parsedImport, sampleRecommendation } from '../helpers/recommendations.ts';

// Voluntary pledges (issue #19): UPR Info and UHRI list the State's own pledges beside the
// recommendations it received; an import used to refuse them as an "unknown position".

const enc = (s: string) => new TextEncoder().encode(s);
const UPR_INFO_HEADER = 'To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session';
const uprInfoRow = (text: string, from: string, response: string) => `Belarus,EEG,CIS,"${text}",${from},WEOG,EU,${response},4,Detention,8`;

describe('which position cells name a voluntary pledge', () => {
  it('knows the words UPR Info, UHRI and people use, in English, Belarusian and Russian', async () => {
    for (const cell of ['Voluntary pledge', 'voluntary pledges', 'Pledge', ' PLEDGED ', 'Voluntary commitment', 'Добраахвотнае абавязацельства', 'Добровольное обязательство'])
      expect(isVoluntaryPledge(cell), cell).toBe(true);
    for (const cell of ['Supported', 'Noted', '', 'Pending', 'Pledgeable', 'Commitment to review'])
      expect(isVoluntaryPledge(cell), cell).toBe(false);
  });
});

describe('importers keep voluntary pledges as pledges the State supports', () => {
  it('UPR Info CSV', async () => {
    const csv = [
      UPR_INFO_HEADER,
      uprInfoRow('Ratify the Convention against Torture', 'Spain', 'Supported'),
      uprInfoRow('Submit overdue reports to the treaty bodies', 'Belarus', 'Voluntary pledge'),
      uprInfoRow('Abolish the death penalty', 'Italy', 'Maybe'),
    ].join('\r\n');
    const result = parseImport({ filename: 'upr.csv', bytes: enc(csv) });
    expect(result.rows.map((r) => [r.row, r.recommendation.kind, r.recommendation.position])).toEqual([
      [1, 'recommendation', 'supported'],
      [2, 'pledge', 'supported'],
    ]);
    // An unknown word is still refused.
    expect(result.rejected.map((r) => [r.row, r.code])).toEqual([[3, 'unknown_position']]);
  });

  it('UHRI CSV, whatever the mechanism', async () => {
    const header = 'Document Symbol,Reccomending Body,Themes,Affected Persons,Sdgs,Text,UPR Session,UPR Reccomending States,UPR Position,Country,Paragraph,Publication Date,Annotation';
    const csv = [
      header,
      'A/HRC/15/16,Universal Periodic Review,- Detention,- General,,Close the detention centre,8,- Spain,Supported,Belarus,97.1,2010-06-21,',
      'A/HRC/15/16,Universal Periodic Review,- Treaty bodies,- General,,Submit overdue reports,8,- Belarus,Voluntary pledge,Belarus,99.1,2010-06-21,',
    ].join('\n');
    const result = parseImport({ filename: 'uhri.csv', bytes: enc(csv) });
    expect(result.format).toBe('uhri-csv');
    expect(result.rejected).toEqual([]);
    expect(result.rows.map((r) => [r.recommendation.paragraph, r.recommendation.kind, r.recommendation.position])).toEqual([
      ['97.1', 'recommendation', 'supported'],
      ['99.1', 'pledge', 'supported'],
    ]);
  });

  it('Accord CSV keeps the kind both ways, and a file without the column reads as recommendations', async () => {
    const withKind = ['sourceKey,mechanism,stateUnderReview,text,position,kind', 'k1,UPR,Belarus,Submit overdue reports,supported,pledge', 'k2,UPR,Belarus,Close the centre,noted,'].join('\n');
    const rows = parseImport({ filename: 'plan.csv', bytes: enc(withKind), format: 'accord-csv' }).rows.map((r) => r.recommendation.kind);
    expect(rows).toEqual(['pledge', 'recommendation']);
    const without = ['sourceKey,mechanism,stateUnderReview,text,position', 'k1,UPR,Belarus,Submit overdue reports,supported'].join('\n');
    expect(parseImport({ filename: 'plan.csv', bytes: enc(without), format: 'accord-csv' }).rows[0]!.recommendation.kind).toBe('recommendation');
  });
});

describe('stored pledges', () => {
  let db: Db;
  let userId: string;
  let planId: string;
  const store = new ImportPreviewStore();

  beforeEach(async () => {
    ({ db, userId, planId } = await memoryPlan());
  });
  afterEach(() => db.close());

  const importRecs = async (recs: ReturnType<typeof sampleRecommendation>[]) => {
    const preview = await previewImport(sqliteSql(db), planId, userId, parsedImport(recs), 'test.json', store);
    return commitImport(sqliteSql(db), planId, userId, preview.previewId, { store });
  };
  const all = async () => (await queryRecommendations(sqliteSql(db), planId, RecommendationQuerySchema.parse({}))).items;

  it('are stored and read back as pledges; a change that does not name the kind or the language keeps them', async () => {
    await importRecs([sampleRecommendation(1), sampleRecommendation(2, { kind: 'pledge', position: 'supported', language: 'ru' })]);
    const pledge = (await all()).find((r) => r.sourceKey === 'test:2')!;
    expect(pledge).toMatchObject({ kind: 'pledge', position: 'supported', language: 'ru' });
    expect((await all()).find((r) => r.sourceKey === 'test:1')!.kind).toBe('recommendation');

    // As the API reads the change: no default fills in the fields it does not name.
    const change = UpdateRecommendationSchema.parse({ text: 'Submit every overdue report by 2027' });
    expect(change).toEqual({ text: 'Submit every overdue report by 2027' });
    await updateRecommendation(sqliteSql(db), planId, pledge.id, change, { principal: principalOfNow(db, userId)!, role: 'coordinator' });
    expect(await findRecommendation(sqliteSql(db), planId, pledge.id)).toMatchObject({ kind: 'pledge', language: 'ru', text: 'Submit every overdue report by 2027' });
  });

  it('a re-import that makes a recommendation a pledge is undone back to a recommendation', async () => {
    await importRecs([sampleRecommendation(1)]);
    const record = await importRecs([sampleRecommendation(1, { kind: 'pledge' })]);
    expect(record.updated).toBe(1);
    expect((await all())[0]!.kind).toBe('pledge');
    await undoImport(sqliteSql(db), planId, record.id);
    expect((await all())[0]!.kind).toBe('recommendation');
  });
});
