/**
 * Large imports stall nobody (#19, acceptance 5; docs/decisions/0013-chunked-imports.md): the file
 * is read and checked in a worker thread with the same result as in the server's own thread, the
 * commit and the undo run in short transactions with other requests answered in between, a
 * committing import's new rows stay hidden until its last chunk, a failure midway leaves nothing
 * behind, and progress reaches the browser. Ordering, never timing: speed is `npm run bench
 * recommendations`.
 */
import { sql, type RawBuilder } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApiClient } from '../helpers/api.ts';
import { openPlanEvents } from '../helpers/events.ts';
import { uploadImport } from '../helpers/imports.ts';
import { parsedImport, sampleRecommendation } from '../helpers/recommendations.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import { generateUprInfoCsv, parseImport } from '../../server/import/index.ts';
import {
  commitImport,
  COMMIT_CHUNK,
  ImportPreviewStore,
  previewImport,
  recoverInterruptedImports,
  rememberWriteOrder,
  undoImport,
  writeOrder,
} from '../../server/services/imports.ts';
import { naturalKey } from '../../server/services/recommendations.ts';
import { ImportPreviewSchema, ImportRecordSchema, RecommendationPageSchema, type PlanEvent } from '../../shared/api/index.ts';
import { jsonArrayTexts } from '../../server/db/sql/portable.ts';
import type { Query } from '../../server/db/sql/Sql.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let userId: string;

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId } = await setUpWorkspace(server));
  userId = (await coordinator.get('/api/auth/me')).body.user.id as string;
});
afterEach(async () => {
  await server.destroy();
});

/** A generated UPR Info export large enough to take many chunks to write. */
const ROWS = 6000;
const LARGE_CSV = Buffer.from(generateUprInfoCsv(ROWS, 11));

const total = async () => {
  const res = await coordinator.get(`/api/plans/${planId}/recommendations?limit=1`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return RecommendationPageSchema.parse(res.body).total;
};
const progressOf = (events: PlanEvent[], phase: 'reading' | 'writing' | 'undoing', id: string) =>
  events.flatMap((e) => (e.type === 'import-progress' && e.phase === phase && e.previewId === id ? [e] : []));
const planCountry = async () => (await server.sql.theRow(z.object({ country: z.string() }), sql`SELECT country FROM plans WHERE id = ${planId}`)).country;
const count = async (query: Query) => (await server.sql.theRow(z.object({ n: z.number() }), query)).n;
/**
 * How many recommendations the full-text index finds for `word`: SQLite's FTS5 table, or on
 * PostgreSQL the generated search column (040_baseline.sql).
 */
const matching = (word: string) =>
  count(
    server.sql.engine === 'postgres'
      ? sql`SELECT count(*) AS n FROM recommendations WHERE search_vector @@ accord_search_query(${word})`
      : sql`SELECT count(*) AS n FROM recommendations_fts WHERE recommendations_fts MATCH ${word}`,
  );
/** How many entries the full-text index holds. */
const indexed = () =>
  count(
    server.sql.engine === 'postgres'
      ? sql`SELECT count(*) AS n FROM recommendations WHERE search_vector IS NOT NULL`
      : sql`SELECT count(*) AS n FROM recommendations_fts`,
  );
const recommendationsInPlan = () => count(sql`SELECT count(*) AS n FROM recommendations WHERE plan_id = ${planId}`);
const state = async (id: string) => (await server.sql.theRow(z.object({ state: z.string() }), sql`SELECT state FROM imports WHERE id = ${id}`)).state;

describe('a large file is read in a worker', () => {
  it('gives the preview the server thread gives, with reading progress for the upload', async () => {
    const stream = await openPlanEvents(server.url, coordinator, planId);
    const res = await uploadImport(coordinator, planId, 'upr-info-export.csv', LARGE_CSV, { progressId: 'upload-0001' });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    const viaWorker = ImportPreviewSchema.parse(res.body);

    // The same file through the parsers and previewImport in this thread.
    const here = await previewImport(server.sql,
      planId,
      userId,
      parseImport({ filename: 'upr-info-export.csv', bytes: LARGE_CSV, defaults: { stateUnderReview: await planCountry() } }),
      'upr-info-export.csv',
      new ImportPreviewStore(),
    );
    expect(viaWorker.counts).toEqual(here.counts);
    expect(viaWorker.counts.create).toBeGreaterThan(5000);
    expect(viaWorker.rows).toEqual(here.rows.slice(0, viaWorker.rows.length));
    expect(viaWorker.rejected).toEqual(here.rejected);
    expect(viaWorker.warnings).toEqual(here.warnings);
    expect(viaWorker.encoding).toBe(here.encoding);

    // Only the worker reports reading: 0 of 0 while parsing, then rows checked up to all of them.
    const rowsInFile = here.counts.create + here.counts.update + here.counts.unchanged + here.rejected.length;
    await eventually(() => {
      const reading = progressOf(stream.received, 'reading', 'upload-0001');
      expect(reading[0]).toMatchObject({ done: 0, total: 0 });
      expect(reading.at(-1)!.done).toBe(reading.at(-1)!.total);
      expect(reading.at(-1)!.total).toBeGreaterThanOrEqual(here.counts.create);
      expect(reading.at(-1)!.total).toBeLessThanOrEqual(rowsInFile);
    });
    await stream.close();
  });

  it('still refuses a file it cannot read, with the parser’s own problem', async () => {
    const res = await uploadImport(coordinator, planId, 'x.csv', 'just,some\nrandom,columns\n');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('import_file_invalid');
    expect(res.body.error.params.problem).toBe('unknown_format_first_line');
  });
});

describe('committing and undoing a large file', () => {
  it('answers other requests while it writes, shows the new rows only at the end, and undo restores', async () => {
    const stream = await openPlanEvents(server.url, coordinator, planId);
    const preview = ImportPreviewSchema.parse((await uploadImport(coordinator, planId, 'upr-info-export.csv', LARGE_CSV)).body);
    expect(preview.counts.create).toBeGreaterThan(COMMIT_CHUNK * 5);

    let committed = false;
    const commit = coordinator.post(`/api/plans/${planId}/imports/${preview.previewId}/commit`, {}).then((res) => {
      committed = true;
      return res;
    });
    // Once the first chunk is written, a reader is answered before the commit ends, and sees none
    // of the rows yet; a second commit in the plan is refused meanwhile.
    await eventually(() => expect(progressOf(stream.received, 'writing', preview.previewId).length).toBeGreaterThan(0), 30_000, 5);
    const seen = await total();
    const answeredWhileWriting = !committed;
    await expect(commitImport(server.sql, planId, userId, 'another-preview')).rejects.toMatchObject({ code: 'import_busy' });
    expect(answeredWhileWriting).toBe(true);
    expect(seen).toBe(0);

    const res = await commit;
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const record = ImportRecordSchema.parse(res.body);
    expect(record).toMatchObject({ created: preview.counts.create, state: 'committed' });
    expect(await total()).toBe(preview.counts.create);
    await eventually(() => {
      const writing = progressOf(stream.received, 'writing', preview.previewId);
      expect(writing.length).toBeGreaterThan(1);
      expect(writing.at(-1)).toMatchObject({ done: preview.counts.create, total: preview.counts.create });
    });

    let undone = false;
    const undo = coordinator.post(`/api/plans/${planId}/imports/${record.id}/undo`, {}).then((r) => {
      undone = true;
      return r;
    });
    await eventually(() => expect(progressOf(stream.received, 'undoing', record.id).length).toBeGreaterThan(0), 30_000, 5);
    // Undoing hides the import's rows at once; the rest of the plan is still answered.
    const during = await total();
    const answeredDuringUndo = !undone;
    expect(answeredDuringUndo).toBe(true);
    expect(during).toBe(0);
    const undoRes = await undo;
    expect(undoRes.status, JSON.stringify(undoRes.body)).toBe(200);
    expect(ImportRecordSchema.parse(undoRes.body).state).toBe('undone');
    expect(await total()).toBe(0);
    expect(await recommendationsInPlan()).toBe(0);
    await eventually(() => expect(progressOf(stream.received, 'undoing', record.id).at(-1)).toMatchObject({ done: record.created, total: record.created }));
    await stream.close();
  }, 120_000);
});

describe('the order rows are written in', () => {
  it('writes a file read in the worker in reference order, whatever order the file lists them in', async () => {
    const preview = ImportPreviewSchema.parse((await uploadImport(coordinator, planId, 'upr-info-export.csv', LARGE_CSV)).body);
    // The file lists its rows by State and session, not by the references they get.
    const shown = preview.rows.map((r) => naturalKey(r.reference));
    expect(shown).not.toEqual([...shown].sort());

    const res = await coordinator.post(`/api/plans/${planId}/imports/${preview.previewId}/commit`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const written = (await server.sql.rows(z.object({ k: z.string() }), sql`SELECT sort_key AS k FROM recommendations WHERE plan_id = ${planId} ORDER BY seq`)).map((r) => r.k);
    expect(written).toHaveLength(preview.counts.create);
    expect(written).toEqual([...written].sort());
  });

  it('orders by the registry’s reference order and keeps only an order that names each row once', async () => {
    const row = (reference: string, n: number) => ({ row: n, action: 'create' as const, reference, recommendation: sampleRecommendation(n) });
    const rows = [row('UPR-S9-010', 2), row('UPR-S10-001', 3), row('UPR-S9-002', 4)];
    expect([...writeOrder(rows)]).toEqual([2, 0, 1]);
    const preview = await previewImport(server.sql, planId, userId, parsedImport([]), 'empty.csv', new ImportPreviewStore());
    const three = { ...preview, rows };
    expect(() => rememberWriteOrder(three, new Uint32Array([0, 0, 1]))).toThrow(/each row of its preview once/);
    expect(() => rememberWriteOrder(three, new Uint32Array([0, 1]))).toThrow(/each row of its preview once/);
    expect(() => rememberWriteOrder(three, new Uint32Array([0, 1, 3]))).toThrow(/each row of its preview once/);
    expect(() => rememberWriteOrder(three, new Uint32Array([2, 0, 1]))).not.toThrow();
  });
});

describe('a commit that fails midway', () => {
  it('leaves no new rows behind and gives updated rows their text back', async () => {
    const first = Array.from({ length: COMMIT_CHUNK }, (_, i) => sampleRecommendation(i + 1));
    const store = new ImportPreviewStore();
    const p1 = await previewImport(server.sql, planId, userId, parsedImport(first), 'first.json', store);
    await commitImport(server.sql, planId, userId, p1.previewId, { store });
    expect(await total()).toBe(COMMIT_CHUNK);

    // The same rows rewritten, then as many new ones: the failure comes after the first chunk.
    const second = [
      ...first.map((r) => ({ ...r, text: `Rewritten: ${r.text}` })),
      ...Array.from({ length: COMMIT_CHUNK * 2 }, (_, i) => sampleRecommendation(10_000 + i)),
    ];
    const p2 = await previewImport(server.sql, planId, userId, parsedImport(second), 'second.json', store);
    let chunks = 0;
    await expect(
      commitImport(server.sql, planId, userId, p2.previewId, {
        store,
        onProgress: (done, all) => {
          chunks += 1;
          if (done > 0 && done < all && chunks === 2) throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');

    expect(await recommendationsInPlan()).toBe(COMMIT_CHUNK);
    expect(await count(sql`SELECT count(*) AS n FROM recommendations WHERE plan_id = ${planId} AND text LIKE 'Rewritten:%'`)).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM imports WHERE plan_id = ${planId}`)).toBe(1);
    expect(await count(sql`SELECT count(*) AS n FROM imports WHERE state <> 'committed'`)).toBe(0);
    expect(await total()).toBe(COMMIT_CHUNK);
    // The full-text index lost nothing and kept nothing extra.
    expect(await matching('Rewritten')).toBe(0);
  });

  it('is reversed at the next start when the server stopped half way', async () => {
    const store = new ImportPreviewStore();
    const p = await previewImport(server.sql, planId, userId, parsedImport([sampleRecommendation(1), sampleRecommendation(2)]), 'f.json', store);
    const record = await commitImport(server.sql, planId, userId, p.previewId, { store });
    // As a stop between two chunks leaves it.
    await server.sql.run(sql`UPDATE imports SET state = 'committing' WHERE id = ${record.id}`);
    expect(await total()).toBe(0); // hidden while committing
    expect(await recoverInterruptedImports(server.sql)).toEqual([record.id]);
    expect(await recommendationsInPlan()).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM imports WHERE id = ${record.id}`)).toBe(0);
  });
});

/**
 * Throws unless the full-text index holds exactly the recommendations table's rows (FTS5's own
 * check). PostgreSQL's index is a generated column of the rows themselves: nothing to drift.
 */
const checkFullTextIndex = async () => {
  if (server.sql.engine === 'sqlite') await server.sql.run(sql`INSERT INTO recommendations_fts (recommendations_fts) VALUES ('integrity-check')`);
};
const listed = (column: string): RawBuilder<unknown> => jsonArrayTexts(server.sql.engine, sql.ref(`r.${column}`), 'j');
/** The tags the per-row triggers would write, less those present: empty when the tag table is right. */
const missingTags = () =>
  count(sql`SELECT count(*) AS n FROM (
           SELECT r.id, 'theme' AS kind, j.value FROM recommendations r CROSS JOIN ${listed('themes')}
           UNION SELECT r.id, 'state', j.value FROM recommendations r CROSS JOIN ${listed('recommending_states')}
           UNION SELECT r.id, 'affected', j.value FROM recommendations r CROSS JOIN ${listed('affected_persons')}
           EXCEPT SELECT recommendation_id, kind, value FROM recommendation_tags) missing`);
const tagCount = () => count(sql`SELECT count(*) AS n FROM recommendation_tags`);

describe('the index, tags and SDG codes of new rows, written in bulk after the rows', () => {
  it('are what the per-row triggers write, so search, filters and facets find the same', async () => {
    // By hand first (the triggers), then a file that updates one of them and creates more (bulk).
    const byHand = await coordinator.post(`/api/plans/${planId}/recommendations`, {
      ...sampleRecommendation(1),
      sdgTargets: ['16.3'],
    });
    expect(byHand.status, JSON.stringify(byHand.body)).toBe(201);
    const rows = Array.from({ length: COMMIT_CHUNK * 2 }, (_, i) =>
      sampleRecommendation(i + 2, { sdgTargets: i % 3 === 0 ? ['16.3', '5.a'] : [], text: `Bulk row ${i + 2} on quokka welfare` }),
    );
    const store = new ImportPreviewStore();
    const p = await previewImport(server.sql, planId, userId, parsedImport(rows), 'bulk.json', store);
    const record = await commitImport(server.sql, planId, userId, p.previewId, { store });
    expect(record).toMatchObject({ created: rows.length, state: 'committed' });
    expect(await count(sql`SELECT count(*) AS n FROM imports WHERE indexed_through IS NOT NULL`)).toBe(0);

    await checkFullTextIndex();
    expect(await missingTags()).toBe(0);
    expect(await matching('quokka')).toBe(rows.length);
    expect(await count(sql`SELECT count(*) AS n FROM recommendation_sdgs WHERE target = '5.a'`)).toBe(Math.ceil(rows.length / 3));
    expect(await count(sql`SELECT count(*) AS n FROM recommendation_sdgs WHERE target = '16.3'`)).toBe(Math.ceil(rows.length / 3) + 1);
    const found = await coordinator.get(`/api/plans/${planId}/recommendations?q=${encodeURIComponent('quokka welfare')}&limit=1`);
    expect(RecommendationPageSchema.parse(found.body).total).toBe(rows.length);

    await undoImport(server.sql, planId, record.id);
    await checkFullTextIndex();
    expect(await indexed()).toBe(1);
    expect(await count(sql`SELECT count(*) AS n FROM recommendation_sdgs`)).toBe(1);
  });

  it('leave the index whole when the commit fails while indexing: only indexed rows leave it', async () => {
    const first = Array.from({ length: COMMIT_CHUNK }, (_, i) => sampleRecommendation(i + 1));
    const store = new ImportPreviewStore();
    const p1 = await previewImport(server.sql, planId, userId, parsedImport(first), 'first.json', store);
    await commitImport(server.sql, planId, userId, p1.previewId, { store });
    const tagsBefore = await tagCount();

    const more = Array.from({ length: COMMIT_CHUNK * 2 }, (_, i) => sampleRecommendation(10_000 + i, { text: `Indexed late ${i}` }));
    const p2 = await previewImport(server.sql, planId, userId, parsedImport(more), 'second.json', store);
    let indexing = 0;
    await expect(
      commitImport(server.sql, planId, userId, p2.previewId, {
        store,
        // Past half of the progress every row is written and they are being indexed: fail after
        // the first index step, with some rows in the index and some not.
        // The progress callback cannot wait for a query: SQLite's connection is asked directly what
        // the index holds at that moment; on PostgreSQL the progress numbers alone place the failure
        // among the index steps, and the search column indexes every written row by itself.
        onProgress: (done, all) => {
          if (done > all / 2 && done < all && ++indexing === 1) {
            if (server.sql.engine === 'sqlite') {
              const n = (query: string, ...params: unknown[]) => (server.db.prepare(query).get(...params) as { n: number }).n;
              const [mark, last] = [
                n('SELECT indexed_through AS n FROM imports WHERE filename = ?', 'second.json'),
                n('SELECT max(seq) AS n FROM recommendations'),
              ];
              expect(mark).toBeLessThan(last);
              expect(n("SELECT count(*) AS n FROM recommendations_fts WHERE recommendations_fts MATCH 'late'")).toBeGreaterThan(0);
            }
            throw new Error('disk full');
          }
        },
      }),
    ).rejects.toThrow('disk full');

    expect(indexing).toBe(1);
    expect(await recommendationsInPlan()).toBe(COMMIT_CHUNK);
    await checkFullTextIndex();
    expect(await matching('late')).toBe(0);
    expect(await tagCount()).toBe(tagsBefore);
    expect(await total()).toBe(COMMIT_CHUNK);
  });
});

describe('an undo refused by its checks', () => {
  it('leaves the import committed and its rows in view', async () => {
    const store = new ImportPreviewStore();
    const rows = Array.from({ length: COMMIT_CHUNK * 2 }, (_, i) => sampleRecommendation(i + 1));
    const p1 = await previewImport(server.sql, planId, userId, parsedImport(rows), 'first.json', store);
    const first = await commitImport(server.sql, planId, userId, p1.previewId, { store });
    // A later file rewrites the last of them: the first import can no longer be undone alone.
    const p2 = await previewImport(server.sql, planId, userId, parsedImport([{ ...rows.at(-1)!, text: 'Rewritten later' }]), 'later.json', store);
    expect((await commitImport(server.sql, planId, userId, p2.previewId, { store })).updated).toBe(1);

    const res = await coordinator.post(`/api/plans/${planId}/imports/${first.id}/undo`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.code).toBe('import_superseded');
    expect(await count(sql`SELECT count(*) AS n FROM imports WHERE state <> 'committed'`)).toBe(0);
    expect(await total()).toBe(rows.length);
    await checkFullTextIndex();
  });
});

describe('an undo stopped by a server stop', () => {
  it('while still checking leaves the import committed; once checked, it is undone at the next start', async () => {
    const store = new ImportPreviewStore();
    const p1 = await previewImport(server.sql, planId, userId, parsedImport([sampleRecommendation(1), sampleRecommendation(2)]), 'a.json', store);
    const a = await commitImport(server.sql, planId, userId, p1.previewId, { store });
    const p2 = await previewImport(server.sql, planId, userId, parsedImport([sampleRecommendation(3)]), 'b.json', store);
    const b = await commitImport(server.sql, planId, userId, p2.previewId, { store });
    // As a stop leaves them: one undo still checking, one whose checks had passed.
    await server.sql.run(sql`UPDATE imports SET state = 'undoing' WHERE id = ${a.id}`);
    await server.sql.run(sql`UPDATE imports SET state = 'undoing', undo_checked_at = created_at WHERE id = ${b.id}`);
    expect(await total()).toBe(0);
    expect((await recoverInterruptedImports(server.sql)).sort()).toEqual([a.id, b.id].sort());
    expect(await state(a.id)).toBe('committed');
    expect(await state(b.id)).toBe('undone');
    expect(await total()).toBe(2);
    await checkFullTextIndex();
  });
});

describe('an undo that keeps rows, stopped by a server stop', () => {
  it('clears its kept marks while still checking; once checked, keeps them, and the later holder’s undo releases them', async () => {
    const store = new ImportPreviewStore();
    const rows = [sampleRecommendation(1), sampleRecommendation(2)];
    const a = await commitImport(server.sql, planId, userId, (await previewImport(server.sql, planId, userId, parsedImport(rows), 'a.json', store)).previewId, { store });
    // The same file again: it holds both.
    const b = await commitImport(server.sql, planId, userId, (await previewImport(server.sql, planId, userId, parsedImport(rows), 'b.json', store)).previewId, { store });
    const marks = () => count(sql`SELECT count(*) AS n FROM import_changes WHERE kept_because IS NOT NULL`);

    // Stopped while checking, after marking one kept: nothing changed, and no mark stays.
    await server.sql.run(sql`UPDATE imports SET state = 'undoing' WHERE id = ${a.id}`);
    await server.sql.run(
      sql`UPDATE import_changes SET kept_because = '["import"]' WHERE import_id = ${a.id} AND recommendation_id = (SELECT min(recommendation_id) FROM import_changes WHERE import_id = ${a.id})`,
    );
    await recoverInterruptedImports(server.sql);
    expect(await state(a.id)).toBe('committed');
    expect(await marks()).toBe(0);

    // Stopped after the checks passed and marked both kept: finished at start, both kept.
    await server.sql.run(sql`UPDATE imports SET state = 'undoing', undo_checked_at = created_at WHERE id = ${a.id}`);
    await server.sql.run(sql`UPDATE import_changes SET kept_because = '["import"]' WHERE import_id = ${a.id}`);
    await recoverInterruptedImports(server.sql);
    expect(await state(a.id)).toBe('undone');
    expect(await total()).toBe(2);

    // The holder's undo, stopped after its checks: finished at start, and nothing holds them now.
    await server.sql.run(sql`UPDATE imports SET state = 'undoing', undo_checked_at = created_at WHERE id = ${b.id}`);
    await recoverInterruptedImports(server.sql);
    expect(await state(b.id)).toBe('undone');
    expect(await total()).toBe(0);
    await checkFullTextIndex();
  });
});
