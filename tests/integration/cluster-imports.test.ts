/**
 * Imports across processes (REDIS_URL): the process that reads a file keeps its preview in the
 * shared database, so the person's commit may reach any process, once, and only theirs
 * (server/services/sharedPreviews.ts). Real processes, since processes in one test would share
 * the in-memory previews and prove nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toAccordJson } from '../../server/import/index.ts';
import { openDatabase } from '../../server/db/database.ts';
import { allRows, col, rowShape } from '../../server/db/rows.ts';
import { ApiClient } from '../helpers/api.ts';
import { startCluster } from '../helpers/cluster.ts';
import { emptyMatrixZip, uploadImport, uploadMatrix } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import type { ServerProcess } from '../helpers/serverProcess.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';

let processes: ServerProcess[] = [];
let dataDir: string;

afterEach(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  processes = [];
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * The plan's references in the order they were written to the shared database. The processes share
 * one SQLite file whatever TEST_ENGINE says.
 */
function writtenReferences(): string[] {
  const db = openDatabase(join(dataDir, 'accord.sqlite'));
  try {
    return allRows(db.prepare('SELECT reference FROM recommendations ORDER BY seq'), rowShape({ reference: col.text })).map((r) => r.reference);
  } finally {
    db.close();
  }
}

describe('an import across processes sharing one SQLite file', () => {
  it('is previewed through one process and committed through another, once, by its maker only', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-imports-'));
    processes = await startCluster(dataDir, 2);
    const [a, b] = processes as [ServerProcess, ServerProcess];
    const { coordinator, planId } = await setUpWorkspace({ url: a.url });
    const atB = new ApiClient(b.url);
    atB.cookie = coordinator.cookie;

    // Recommendations: read in A's worker, written by B in the reference order A chose (3 is last).
    const preview = await uploadImport(coordinator, planId, 'recs.json', toAccordJson([3, 1, 2].map((n) => sampleRecommendation(n, { reference: `UPR-S8-00${n}` }))));
    expect(preview.status, JSON.stringify(preview.body).slice(0, 300)).toBe(200);
    const committed = await atB.post(`/api/plans/${planId}/imports/${preview.body.previewId}/commit`, {});
    expect(committed.status, JSON.stringify(committed.body)).toBe(201);
    expect(committed.body).toMatchObject({ created: 3, updated: 0 });
    expect((await coordinator.post(`/api/plans/${planId}/imports/${preview.body.previewId}/commit`, {})).status).toBe(404);
    expect(writtenReferences()).toEqual(['UPR-S8-001', 'UPR-S8-002', 'UPR-S8-003']);

    // Someone else in the plan cannot commit it, through either process.
    const other = await uploadImport(coordinator, planId, 'more.json', toAccordJson([sampleRecommendation(4)]));
    const ivan = await addMember({ url: b.url }, coordinator, planId, 'drafter', { name: 'Ivan Drafter', email: 'ivan@justice.example', organisation: { name: 'Ministry of Justice', side: 'government' } });
    for (const url of [a.url, b.url]) {
      const c = new ApiClient(url);
      c.cookie = ivan.client.cookie;
      expect((await c.post(`/api/plans/${planId}/imports/${other.body.previewId}/commit`, {})).status).toBe(404);
    }

    // The implementation matrix: previewed through B, committed through A.
    const matrix = await uploadMatrix(atB, planId, 'matrix.zip', await emptyMatrixZip());
    expect(matrix.status, JSON.stringify(matrix.body)).toBe(200);
    const matrixCommitted = await coordinator.post(`/api/plans/${planId}/matrix-imports/${matrix.body.previewId}/commit`, {});
    expect(matrixCommitted.status, JSON.stringify(matrixCommitted.body)).toBe(201);
  });
});
