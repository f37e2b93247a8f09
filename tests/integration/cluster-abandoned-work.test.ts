/**
 * Work a stopped process left half done, with other processes running (REDIS_URL): an import it was
 * committing (its rows hidden, every other import of the plan refused) and an export it was making
 * (shown in progress for ever). Each process keeps a heartbeat in Redis; work whose owner's
 * heartbeat has run out is reversed or failed by a running process within a heartbeat period —
 * no process ever needs to start alone, as none does in a rolling restart — and work of a process
 * still running is left alone. Real processes; the half-done work is written as a crash leaves it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { toAccordJson } from '../../server/import/index.ts';
import { openDatabase } from '../../server/db/database.ts';
import { allRows, col, rowShape, scalar } from '../../server/db/rows.ts';
import { clusterEnv, startCluster } from '../helpers/cluster.ts';
import { uploadImport } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { spawnServer, type ServerProcess } from '../helpers/serverProcess.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';

let processes: ServerProcess[] = [];
let dataDir: string;
let redis: Redis | undefined;

afterEach(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  processes = [];
  redis?.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

const HEARTBEAT_MS = 600;

describe('work a stopped process left half done', () => {
  it('is reversed or failed by the processes still running, and work of a running process is left alone', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-abandoned-'));
    const env = { ...(await clusterEnv()), PROCESS_HEARTBEAT_MS: String(HEARTBEAT_MS) };
    redis = new Redis(env.REDIS_URL);
    const heartbeats = async () => new Set((await redis!.keys(`${env.REDIS_PREFIX}process:*`)).map((k) => k.slice(`${env.REDIS_PREFIX}process:`.length)));

    processes = await startCluster(dataDir, 2, env);
    const [a] = processes as [ServerProcess];
    const [idA, idB] = [...(await heartbeats())];
    expect(idA && idB).toBeTruthy();
    const c = await spawnServer({ dataDir, env });
    processes.push(c);
    const idC = [...(await heartbeats())].find((id) => id !== idA && id !== idB)!;
    expect(idC).toBeTruthy();

    const { coordinator, planId } = await setUpWorkspace({ url: a.url });
    const imported: string[] = [];
    for (const n of [1, 2]) {
      const preview = await uploadImport(coordinator, planId, `recs-${n}.json`, toAccordJson([sampleRecommendation(n, { reference: `UPR-AW-00${n}` })]));
      expect(preview.status, JSON.stringify(preview.body).slice(0, 300)).toBe(200);
      const committed = await coordinator.post(`/api/plans/${planId}/imports/${preview.body.previewId}/commit`, {});
      expect(committed.status, JSON.stringify(committed.body)).toBe(201);
      imported.push(committed.body.id);
    }
    const [stoppedImport, runningImport] = imported as [string, string];

    // As a crash leaves them: an import half committed by a process gone for good, and one by C,
    // which runs; an export each of the stopped process, of C and of A.
    const db = openDatabase(join(dataDir, 'accord.sqlite'));
    try {
      const setBusy = db.prepare("UPDATE imports SET state = 'committing', owner = ? WHERE id = ?");
      setBusy.run('a-process-that-stopped', stoppedImport);
      setBusy.run(idC, runningImport);
      const userId = scalar(db.prepare('SELECT id FROM users WHERE email = ?'), col.text, 'olga@mfa.example')!;
      const addExport = db.prepare(
        `INSERT INTO exports (id, plan_id, created_by, format, scope, language, state, file, content_type, created_at, owner)
         VALUES (?, ?, ?, 'pdf', 'current', 'en', 'running', ?, 'application/pdf', ?, ?)`,
      );
      for (const [id, owner] of [['export-stopped', 'a-process-that-stopped'], ['export-of-c', idC], ['export-of-a', idA]] as const) {
        addExport.run(id, planId, userId, `${id}.pdf`, new Date().toISOString(), owner);
      }
    } finally {
      db.close();
    }

    const read = () => {
      const d = openDatabase(join(dataDir, 'accord.sqlite'));
      try {
        return {
          imports: Object.fromEntries(allRows(d.prepare('SELECT id, state FROM imports'), rowShape({ id: col.text, state: col.text })).map((r) => [r.id, r.state])),
          references: allRows(d.prepare('SELECT reference FROM recommendations ORDER BY reference'), rowShape({ reference: col.text })).map((r) => r.reference),
          exports: Object.fromEntries(allRows(d.prepare('SELECT id, state FROM exports'), rowShape({ id: col.text, state: col.text })).map((r) => [r.id, r.state])),
        };
      } finally {
        d.close();
      }
    };

    // Within a heartbeat period or two, a running process reverses the stopped one's import (its
    // record and its recommendation go) and fails its export.
    await expect.poll(() => read().exports['export-stopped'], { timeout: 15_000, interval: 200 }).toBe('failed');
    await expect.poll(() => read().imports[stoppedImport], { timeout: 15_000, interval: 200 }).toBeUndefined();
    // Several more periods: what C and A are doing is theirs.
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS * 3));
    let now = read();
    expect(now.references).toEqual(['UPR-AW-002']);
    expect(now.imports[runningImport]).toBe('committing');
    expect(now.exports).toMatchObject({ 'export-of-c': 'running', 'export-of-a': 'running' });

    // C is killed: once its heartbeat runs out, its import is reversed and its export failed.
    await c.kill9();
    await expect.poll(() => read().imports[runningImport], { timeout: 15_000, interval: 200 }).toBeUndefined();
    now = read();
    expect(now.references).toEqual([]);
    expect(now.exports).toMatchObject({ 'export-stopped': 'failed', 'export-of-c': 'failed', 'export-of-a': 'running' });
    // The plan takes imports again.
    const again = await uploadImport(coordinator, planId, 'recs-3.json', toAccordJson([sampleRecommendation(3, { reference: 'UPR-AW-003' })]));
    expect((await coordinator.post(`/api/plans/${planId}/imports/${again.body.previewId}/commit`, {})).status).toBe(201);
  }, 90_000);
});
