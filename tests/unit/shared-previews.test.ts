import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../server/db/database.ts';
import { allRows, col, rowShape, scalar } from '../../server/db/rows.ts';
import { createOrganisation, createUser } from '../../server/services/accounts.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { createPlan } from '../../server/services/plans.ts';
import { commitImport, previewImport, writeOrderOf, rememberWriteOrder } from '../../server/services/imports.ts';
import { SharedPreviewStore, sharedPreviews } from '../../server/services/sharedPreviews.ts';
import { ImportPreviewSchema, type ImportPreview } from '../../shared/api/index.ts';
import { parsedImport, sampleRecommendation } from '../helpers/recommendations.ts';

/**
 * Import previews kept in the database for several processes (sharedPreviews.ts) follow the rules
 * of the in-memory store: one per person and plan, only for its maker, once, for 30 minutes, with
 * the write order it was given.
 */
let db: Db;
let olga: string;
let pavel: string;
let planId: string;

beforeEach(async () => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const q = sqliteSql(db);
  const org = await createOrganisation(q, { name: 'MFA', side: 'government' });
  olga = (await createUser(q, { name: 'Olga', email: 'olga@mfa.example', passwordHash: 'x', organisationId: org.id })).id;
  pavel = (await createUser(q, { name: 'Pavel', email: 'pavel@mfa.example', passwordHash: 'x', organisationId: org.id })).id;
  planId = await createPlan(q, olga, { title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
});
afterEach(() => db.close());

const stored = () => scalar(db.prepare('SELECT count(*) FROM import_previews'), col.int);

describe('import previews shared through the database', () => {
  it('keeps one preview per person and plan, gives it to its maker once, and forgets it after 30 minutes', async () => {
    let now = 0;
    const store = new SharedPreviewStore<ImportPreview>(sqliteSql(db), 'recommendations', (b) => ImportPreviewSchema.parse(b), undefined, 30 * 60 * 1000, () => now);
    const first = await previewImport(sqliteSql(db), planId, olga, parsedImport([sampleRecommendation(1)]), 'a.json', store);
    const second = await previewImport(sqliteSql(db), planId, olga, parsedImport([sampleRecommendation(2)]), 'b.json', store);
    expect(stored()).toBe(1);
    expect(await store.take(planId, olga, first.previewId)).toBeNull();
    expect(await store.take(planId, pavel, second.previewId)).toBeNull();
    expect(await store.take(planId, olga, second.previewId)).toEqual(second);
    expect(await store.take(planId, olga, second.previewId)).toBeNull();

    const late = await previewImport(sqliteSql(db), planId, olga, parsedImport([sampleRecommendation(3)]), 'c.json', store);
    now += 30 * 60 * 1000;
    expect(await store.take(planId, olga, late.previewId)).toBeNull();
    // The next preview anyone makes clears what has expired.
    await previewImport(sqliteSql(db), planId, pavel, parsedImport([sampleRecommendation(4)]), 'd.json', store);
    expect(stored()).toBe(1);
  });

  it('answers a preview it cannot read as gone, and removes it', async () => {
    const store = sharedPreviews(sqliteSql(db)).recommendations;
    const made = await previewImport(sqliteSql(db), planId, olga, parsedImport([sampleRecommendation(1)]), 'a.json', store);
    db.prepare('UPDATE import_previews SET body = ?').run(JSON.stringify({ previewId: made.previewId, rows: 'written by another version' }));
    expect(await store.take(planId, olga, made.previewId)).toBeNull();
    expect(stored()).toBe(0);
  });

  it('commits rows in the write order the preview was given', async () => {
    const store = sharedPreviews(sqliteSql(db)).recommendations;
    const recs = [3, 1, 2].map((n) => sampleRecommendation(n, { reference: `UPR-S8-00${n}` }));
    const preview = await previewImport(sqliteSql(db), planId, olga, parsedImport(recs), 'f.json', new (class { async put() {} async take() { return null; } })());
    rememberWriteOrder(preview, new Uint32Array([1, 2, 0]));
    await store.put(planId, olga, preview);
    const taken = (await store.take(planId, olga, preview.previewId))!;
    expect([...writeOrderOf(taken)!]).toEqual([1, 2, 0]);
    // Back in a store, for the commit to take.
    await store.put(planId, olga, taken);
    await commitImport(sqliteSql(db), planId, olga, preview.previewId, { store });
    expect(allRows(db.prepare('SELECT reference FROM recommendations ORDER BY seq'), rowShape({ reference: col.text })).map((r) => r.reference)).toEqual([
      'UPR-S8-001',
      'UPR-S8-002',
      'UPR-S8-003',
    ]);
  });
});
