import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../server/db/database.ts';
import { createOrganisation, createUser } from '../../server/services/accounts.ts';
import { addSection, createPlan, planOutline } from '../../server/services/plans.ts';
import { binSection, purgeBin, restoreSection } from '../../server/services/bin.ts';
import { principalOfNow } from '../../server/services/audit.ts';
import {
  createRecommendation,
  naturalKey,
  updateRecommendation,
} from '../../server/services/recommendations.ts';
import { commitImport, ImportPreviewStore, previewImport, undoImport } from '../../server/services/imports.ts';
import { createActionNow, firstDay, lastDay, listActions } from '../../server/services/actions.ts';
import { planCoverage } from '../../server/services/coverage.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { queryRecommendations } from '../../server/services/recommendationBrowse.ts';
import { ftsQuery } from '../../server/services/recommendationSearch.ts';
import { HttpError } from '../../server/errors.ts';
import { RecommendationQuerySchema } from '../../shared/api/index.ts';
import { parsedImport, sampleRecommendation } from '../helpers/recommendations.ts';

let db: Db;
let userId: string;
let planId: string;
let sectionId: string;
let store: ImportPreviewStore;
/** Olga as she acts in the plan, for services that put what they change on the record. */
const olga = () => ({ principal: principalOfNow(db, userId)!, role: 'coordinator' as const });

beforeEach(async () => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const org = await createOrganisation(sqliteSql(db), { name: 'MFA', side: 'government' });
  userId = (await createUser(sqliteSql(db), { name: 'Olga', email: 'olga@mfa.example', passwordHash: 'x', organisationId: org.id })).id;
  planId = await createPlan(sqliteSql(db), userId, { title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
  sectionId = (await planOutline(sqliteSql(db), planId, userId)).chapters[0]!.sections[0]!.id;
  store = new ImportPreviewStore();
});
afterEach(() => db.close());

const query = (q: Record<string, unknown> = {}) => queryRecommendations(sqliteSql(db), planId, RecommendationQuerySchema.parse(q));

async function importRecs(recs: ReturnType<typeof sampleRecommendation>[], progress: number[] = []) {
  const preview = await previewImport(sqliteSql(db), planId, userId, parsedImport(recs), 'test.json', store);
  const record = await commitImport(sqliteSql(db), planId, userId, preview.previewId, { store, onProgress: (done) => progress.push(done) });
  return { preview, record };
}

describe('import preview and commit', () => {
  it('classifies rows, assigns stable human references and rejects duplicates', async () => {
    await importRecs([sampleRecommendation(1), sampleRecommendation(2, { reference: 'UPR-S8-005' })]);
    const preview = await previewImport(sqliteSql(db),
      planId,
      userId,
      parsedImport([
        sampleRecommendation(1),
        sampleRecommendation(2, { reference: 'UPR-S8-005', text: 'Changed text' }),
        sampleRecommendation(3),
        sampleRecommendation(3),
        sampleRecommendation(4, { reference: 'UPR-S8-005' }),
      ]),
      'again.json',
      store,
    );
    expect(preview.counts).toEqual({ create: 1, update: 1, unchanged: 1, rejected: 2 });
    expect(preview.rows.map((r) => [r.row, r.action, r.reference])).toEqual([
      [1, 'unchanged', 'UPR-S8-001'],
      [2, 'update', 'UPR-S8-005'],
      [3, 'create', 'UPR-S8-006'],
    ]);
    expect(preview.rejected.map((r) => r.row)).toEqual([4, 5]);
    expect(preview.rejected[0]!.reason).toMatch(/row 3/);
  });

  it('writes in chunks with progress, creates nothing on a second commit, and undoes exactly', async () => {
    const recs = Array.from({ length: 2500 }, (_, i) => sampleRecommendation(i + 1));
    const progress: number[] = [];
    const { record } = await importRecs(recs, progress);
    // At most 1,000 rows per transaction (fewer if a chunk runs past its time budget).
    expect(progress.at(-1)).toBe(2500);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    progress.forEach((done, i) => expect(done - (progress[i - 1] ?? 0)).toBeLessThanOrEqual(1000));
    expect(record).toMatchObject({ created: 2500, updated: 0, undoneAt: null, createdBy: 'Olga' });
    expect((await query()).total).toBe(2500);

    const again = await importRecs(recs);
    expect(again.preview.counts).toMatchObject({ create: 0, update: 0, unchanged: 2500 });
    expect(again.record).toMatchObject({ created: 0, updated: 0 });

    // A third import changes one text and adds one; its undo restores the text and removes the new one.
    const beforeEdit = (await query({ q: 'number 7' })).items.find((r) => r.sourceKey === 'test:7')!;
    await updateRecommendation(sqliteSql(db), planId, beforeEdit.id, { notes: 'Discussed on 3 March' }, olga());
    const third = await importRecs([sampleRecommendation(7, { text: 'A corrected text' }), sampleRecommendation(9999)]);
    expect(third.record).toMatchObject({ created: 1, updated: 1 });
    const edited = (await query({ q: 'corrected' })).items;
    expect(edited).toHaveLength(1);
    expect(edited[0]!.notes).toBe('Discussed on 3 March'); // a file without notes keeps people's notes

    await expect(undoImport(sqliteSql(db), planId, record.id)).rejects.toThrow(/later import/);
    await undoImport(sqliteSql(db), planId, third.record.id);
    expect((await query()).total).toBe(2500);
    const restored = (await query({ q: 'number 7' })).items.find((r) => r.sourceKey === 'test:7')!;
    expect(restored.text).toBe(beforeEdit.text);
    expect((await query({ q: 'corrected' })).total).toBe(0);
    await expect(undoImport(sqliteSql(db), planId, third.record.id)).rejects.toThrow(HttpError);

    const ftsIntact = () => db.prepare("INSERT INTO recommendations_fts (recommendations_fts) VALUES ('integrity-check')").run();
    expect(ftsIntact).not.toThrow();
    // The second import holds every row (it found each in the plan): undone first, it removes nothing.
    expect(await undoImport(sqliteSql(db), planId, again.record.id)).toMatchObject({ kept: 0, released: 0 });
    expect((await query()).total).toBe(2500);
    // Then the first removes its rows, but for the one someone edited by hand (its notes).
    const undone = await undoImport(sqliteSql(db), planId, record.id);
    expect(undone).toMatchObject({ kept: 1, keptByReason: { import: 0, actions: 0, group: 0, assessment: 0, edited: 1 } });
    expect((await query()).items.map((r) => r.sourceKey)).toEqual(['test:7']);
    expect(ftsIntact).not.toThrow();
    expect(db.prepare('SELECT count(*) AS n FROM recommendation_tags WHERE recommendation_id <> ?').get(restored.id)).toEqual({ n: 0 });
  });

  it('applies position overrides by paragraph, and a preview is single-use and bound to its person', async () => {
    const preview = await previewImport(sqliteSql(db), planId, userId, parsedImport([sampleRecommendation(1), sampleRecommendation(2)]), 'f', store);
    await expect(commitImport(sqliteSql(db), planId, 'someone-else', preview.previewId, { store })).rejects.toThrow(/no longer available/);
    await commitImport(sqliteSql(db), planId, userId, preview.previewId, { store, positionOverrides: { '97.2': 'noted' } });
    expect((await query({ position: 'noted' })).items.map((r) => r.paragraph)).toEqual(['97.2']);
    await expect(commitImport(sqliteSql(db), planId, userId, preview.previewId, { store })).rejects.toThrow(/no longer available/);
  });

  it('forgets previews after 30 minutes', async () => {
    let now = 0;
    const clocked = new ImportPreviewStore(30 * 60 * 1000, () => now);
    const preview = await previewImport(sqliteSql(db), planId, userId, parsedImport([sampleRecommendation(1)]), 'f', clocked);
    expect(clocked.size).toBe(1);
    now += 30 * 60 * 1000;
    expect(await clocked.take(planId, userId, preview.previewId)).toBeNull();
  });
});

describe('browse', () => {
  it('sanitises search input so FTS syntax cannot break the query', async () => {
    expect(ftsQuery('death "penalty')).toBe('"death" "penalty" *');
    expect(ftsQuery('*** " - ')).toBeNull();
    await importRecs(Array.from({ length: 20 }, (_, i) => sampleRecommendation(i + 1)));
    for (const q of ['"', 'NEAR(a b)', 'text:death', 'a OR', '(', 'death AND', '-x', "o'brien", '^x']) {
      await expect(query({ q })).resolves.toBeDefined();
    }
    expect((await query({ q: 'death pen' })).total).toBe(4);
    expect((await query({ q: 'UPR-S8-003' })).items.map((r) => r.reference)).toEqual(['UPR-S8-003']);
  });

  it('sorts references naturally', async () => {
    expect(['BLR-C1-97.10', 'BLR-C1-97.2', 'BLR-C1-98.1'].sort((a, b) => naturalKey(a).localeCompare(naturalKey(b)))).toEqual([
      'BLR-C1-97.2',
      'BLR-C1-97.10',
      'BLR-C1-98.1',
    ]);
  });

  it('finds a recommendation entered by hand by its words, tags and SDG targets at once, and again after an edit', async () => {
    const { sourceKey: _, ...input } = sampleRecommendation(1, {
      text: 'Abolish the death penalty',
      themes: ['Death penalty'],
      recommendingStates: ['Norway'],
      affectedPersons: ['Persons deprived of their liberty'],
      sdgTargets: ['16.3'],
    });
    const created = await createRecommendation(sqliteSql(db), planId, input, olga());
    const found = async (q: Record<string, unknown>) => (await query(q)).items.map((r) => r.id);
    for (const q of [{ q: 'death penalty' }, { theme: 'Death penalty' }, { state: 'Norway' }, { affected: 'Persons deprived of their liberty' }, { sdg: '16' }, { sdg: '16.3' }]) {
      expect(await found(q), JSON.stringify(q)).toEqual([created.id]);
    }
    await updateRecommendation(sqliteSql(db), planId, created.id, { ...input, text: 'Establish a moratorium on executions', themes: ['Moratorium'], sdgTargets: ['16.1'] }, olga());
    expect(await found({ q: 'death penalty' })).toEqual([]);
    expect(await found({ q: 'moratorium' })).toEqual([created.id]);
    expect(await found({ theme: 'Death penalty' })).toEqual([]);
    expect(await found({ sdg: '16.3' })).toEqual([]);
    expect(await found({ sdg: '16.1' })).toEqual([created.id]);
  });

  it('refuses a manual reference already in use', async () => {
    const { sourceKey: _, ...input } = sampleRecommendation(1, { reference: 'X-1' });
    await createRecommendation(sqliteSql(db), planId, input, olga());
    await expect(createRecommendation(sqliteSql(db), planId, input, olga())).rejects.toThrow(/already used/);
  });
});

describe('actions and coverage', () => {
  it('time points compare by the days they cover', async () => {
    expect([firstDay('2027'), lastDay('2027'), firstDay('2027-Q2'), lastDay('2027-Q2'), lastDay('2027-05-31')]).toEqual([
      '2027-01-01',
      '2027-12-31',
      '2027-04-01',
      '2027-06-30',
      '2027-05-31',
    ]);
  });

  it('counts coverage per theme and mechanism; actions of a section in the bin count for nothing until it is restored', async () => {
    await importRecs([1, 2, 3, 4, 5].map((n) => sampleRecommendation(n)));
    const supported = (await query({ position: 'supported' })).items;
    expect(supported).toHaveLength(1);
    let coverage = (await planCoverage(sqliteSql(db), planId));
    expect(coverage.totals).toEqual({ recommendations: 5, addressed: 0, supported: 3, supportedAddressed: 0 });
    expect(coverage.unaddressedSupported).toHaveLength(3);

    const chapterId = (await planOutline(sqliteSql(db), planId, userId)).chapters[0]!.id;
    const other = await addSection(sqliteSql(db), planId, chapterId, 'Other');
    createActionNow(db, planId, other, olga(), {
      title: 'Moratorium',
      description: '',
      leadAgencyId: null,
      coImplementerIds: [],
      civilSocietyPartnerIds: [],
      start: '2027',
      end: null,
      status: 'planned',
      budgetAmount: null,
      currency: null,
      fundingSource: null,
      recommendationIds: [supported[0]!.id],
    });
    coverage = (await planCoverage(sqliteSql(db), planId));
    expect(coverage.totals).toMatchObject({ addressed: 1, supportedAddressed: 1 });
    const upr = coverage.byMechanism.find((b) => b.key === 'UPR')!;
    expect(upr).toMatchObject({ total: 5, addressed: 1 });
    expect(upr.byPosition.supported).toEqual({ total: 1, addressed: 1 });
    expect(upr.byPosition.supported_in_part).toEqual({ total: 2, addressed: 0 });
    expect(upr.byPosition.pending).toEqual({ total: 1, addressed: 0 });
    expect(coverage.weakActions[0]!.problems).toEqual(['no_indicator', 'no_lead_agency', 'no_timeline']);
    expect((await query({ unaddressed: 'true' })).total).toBe(4);

    const who = { principal: principalOfNow(db, userId)!, role: 'coordinator' as const };
    await binSection(sqliteSql(db), planId, other, who);
    // Kept, but out of coverage and the "not yet addressed" filter while in the bin.
    expect(db.prepare('SELECT count(*) AS n FROM actions').get()).toEqual({ n: 1 });
    expect((await planCoverage(sqliteSql(db), planId)).totals.addressed).toBe(0);
    expect((await planCoverage(sqliteSql(db), planId)).weakActions).toEqual([]);
    expect((await query({ unaddressed: 'true' })).total).toBe(5);
    expect(await listActions(sqliteSql(db), planId, sectionId)).toEqual([]);
    // A purge at start never takes what went to the bin less than 30 days ago.
    expect(await purgeBin(sqliteSql(db), Date.now() + 29 * 24 * 3600 * 1000)).toEqual({ sections: 0, chapters: 0 });
    await restoreSection(sqliteSql(db), planId, other, who);
    expect((await planCoverage(sqliteSql(db), planId)).totals).toMatchObject({ addressed: 1, supportedAddressed: 1 });
    expect((await query({ unaddressed: 'true' })).total).toBe(4);
    // In the bin for more than 30 days: purged for good, and the counts stay right.
    await binSection(sqliteSql(db), planId, other, who);
    expect(await purgeBin(sqliteSql(db), Date.now() + 31 * 24 * 3600 * 1000)).toEqual({ sections: 1, chapters: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM actions').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM sections WHERE id = ?').get(other)).toEqual({ n: 0 });
    expect((await query({ unaddressed: 'true' })).total).toBe(5);
    expect((await planCoverage(sqliteSql(db), planId)).totals.addressed).toBe(0);
  });
});
