/**
 * A process that lost touch with the others long enough for its heartbeat to run out finds, at its
 * next step, that another process took its import over (server/ownership/abandonedWork.ts). It stops
 * there, writes nothing more and leaves the import to its new owner — it neither finishes it nor
 * reverses it a second time — and the person is told in words.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsedImport, sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import { commitImport, ImportPreviewStore, previewImport, undoImport } from '../../server/services/imports.ts';
import { col, rowShape } from '../../server/db/rows.ts';
import { sql, type RawBuilder } from 'kysely';

let server: TestServer;
let planId: string;
let userId: string;

beforeEach(async () => {
  server = await startTestServer();
  let coordinator;
  ({ coordinator, planId } = await setUpWorkspace(server));
  userId = (await coordinator.get('/api/auth/me')).body.user.id as string;
});
afterEach(async () => {
  await server.destroy();
});

const count = async (query: RawBuilder<unknown>) => (await server.sql.row(rowShape({ n: col.int }), query))?.n ?? 0;
const importRow = (importId: string) =>
  server.sql.theRow(rowShape({ state: col.text, owner: col.nullableText, undoneAt: col.nullableText }), sql`SELECT state, owner, undone_at AS "undoneAt" FROM imports WHERE id = ${importId}`);
/**
 * Another process takes the import over. Progress is reported synchronously, so the takeover is
 * started there and lands (one statement, on either engine) well before the import's next step
 * that checks who owns it; the test awaits it all the same. Returns the import taken over.
 */
const takeOver = (which: RawBuilder<unknown>) =>
  server.sql.row(rowShape({ id: col.text }), sql`UPDATE imports SET owner = 'another-process' WHERE ${which} AND owner = 'this-process' RETURNING id`);

describe('an import taken over by another process', () => {
  it('is left to it by the commit that was writing it', async () => {
    const store = new ImportPreviewStore();
    const p = await previewImport(server.sql, planId, userId, parsedImport([sampleRecommendation(1), sampleRecommendation(2)]), 'f.json', store);
    let takenOver: ReturnType<typeof takeOver> | undefined;
    const commit = commitImport(server.sql, planId, userId, p.previewId, {
      store,
      owner: 'this-process',
      // After the rows are written, before they are indexed: the heartbeat ran out meanwhile. (Progress
      // counts each row written as half a row of the file: half the file means all rows written. On
      // PostgreSQL a chunk may hold one row, and taking over after it would leave the second unwritten.)
      onProgress: (done, total) => {
        if (done * 2 >= total) takenOver ??= takeOver(sql`state = 'committing'`);
      },
    });
    await expect(commit).rejects.toMatchObject({ status: 409, code: 'import_taken_over' });
    // Not reversed here (the new owner does that) and not made visible as committed.
    const importId = (await takenOver)?.id ?? null;
    expect(importId).not.toBeNull();
    expect((await importRow(importId!)).state).toBe('committing');
    expect((await importRow(importId!)).owner).toBe('another-process');
    expect(await count(sql`SELECT count(*) AS n FROM recommendations WHERE import_id = ${importId!}`)).toBe(2);
  });

  it('is left to it by the undo that was reversing it', async () => {
    const store = new ImportPreviewStore();
    const p = await previewImport(server.sql, planId, userId, parsedImport([sampleRecommendation(1), sampleRecommendation(2)]), 'f.json', store);
    const record = await commitImport(server.sql, planId, userId, p.previewId, { store, owner: 'this-process' });
    let takenOver: ReturnType<typeof takeOver> | undefined;
    const undo = undoImport(server.sql, planId, record.id, { owner: 'this-process', onProgress: () => void (takenOver ??= takeOver(sql`id = ${record.id}`)) });
    await expect(undo).rejects.toMatchObject({ status: 409, code: 'import_taken_over' });
    expect(await takenOver).toEqual({ id: record.id });
    expect((await importRow(record.id)).state).toBe('undoing');
    expect((await importRow(record.id)).undoneAt).toBeNull();
  });
});
