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
import { col, scalar } from '../../server/db/rows.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';

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

const count = (sql: string, ...params: unknown[]) => scalar(server.db.prepare(sql), col.int, ...params) ?? 0;
const takeOver = (importId: string) => server.db.prepare("UPDATE imports SET owner = 'another-process' WHERE id = ?").run(importId);

describe('an import taken over by another process', () => {
  it('is left to it by the commit that was writing it', async () => {
    const store = new ImportPreviewStore();
    const p = await previewImport(sqliteSql(server.db), planId, userId, parsedImport([sampleRecommendation(1), sampleRecommendation(2)]), 'f.json', store);
    let importId: string | null = null;
    const commit = commitImport(sqliteSql(server.db), planId, userId, p.previewId, {
      store,
      owner: 'this-process',
      // After the rows are written, before they are indexed: the heartbeat ran out meanwhile.
      onProgress: () => {
        importId ??= scalar(server.db.prepare("SELECT id FROM imports WHERE state = 'committing'"), col.text) ?? null;
        if (importId) takeOver(importId);
      },
    });
    await expect(commit).rejects.toMatchObject({ status: 409, code: 'import_taken_over' });
    // Not reversed here (the new owner does that) and not made visible as committed.
    expect(importId).not.toBeNull();
    expect(scalar(server.db.prepare('SELECT state FROM imports WHERE id = ?'), col.text, importId!)).toBe('committing');
    expect(scalar(server.db.prepare('SELECT owner FROM imports WHERE id = ?'), col.nullableText, importId!)).toBe('another-process');
    expect(count('SELECT count(*) AS n FROM recommendations WHERE import_id = ?', importId!)).toBe(2);
  });

  it('is left to it by the undo that was reversing it', async () => {
    const store = new ImportPreviewStore();
    const p = await previewImport(sqliteSql(server.db), planId, userId, parsedImport([sampleRecommendation(1), sampleRecommendation(2)]), 'f.json', store);
    const record = await commitImport(sqliteSql(server.db), planId, userId, p.previewId, { store, owner: 'this-process' });
    const undo = undoImport(sqliteSql(server.db), planId, record.id, { owner: 'this-process', onProgress: () => takeOver(record.id) });
    await expect(undo).rejects.toMatchObject({ status: 409, code: 'import_taken_over' });
    expect(scalar(server.db.prepare('SELECT state FROM imports WHERE id = ?'), col.text, record.id)).toBe('undoing');
    expect(scalar(server.db.prepare('SELECT undone_at FROM imports WHERE id = ?'), col.nullableText, record.id)).toBeNull();
  });
});
