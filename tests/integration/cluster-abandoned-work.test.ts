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
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { toAccordJson } from '../../server/import/index.ts';
import { openDatabase } from '../../server/db/database.ts';
import { col, rowShape } from '../../server/db/rows.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { postgresSql } from '../../server/db/sql/postgresSql.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { clusterEnv, startCluster } from '../helpers/cluster.ts';
import { uploadImport } from '../helpers/imports.ts';
import { freshSchema, TEST_DATABASE_URL, type TestSchema } from '../helpers/postgres.ts';
import { TEST_ENGINE } from '../helpers/server.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { spawnServer, type ServerProcess } from '../helpers/serverProcess.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';

let processes: ServerProcess[] = [];
let dataDir: string;
let redis: Redis | undefined;
/** With TEST_ENGINE=postgres: the schema the processes share, made fresh for the test. */
let schema: TestSchema | null = null;

afterEach(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  processes = [];
  redis?.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
  await schema?.drop();
  schema = null;
});

/** Where the processes keep their data (TEST_ENGINE): SQLite's file in DATA_DIR, or a fresh PostgreSQL schema. */
async function sharedDatabase(): Promise<Record<string, string>> {
  if (TEST_ENGINE !== 'postgres') return {};
  schema = await freshSchema();
  return { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.name };
}

/** Runs `work` on the processes' database through a connection of its own, as another process would. */
async function onTheDatabase<T>(work: (q: Sql) => Promise<T>): Promise<T> {
  if (schema) {
    const pool = schema.pool({ max: 1 });
    try {
      return await work(postgresSql(pool));
    } finally {
      await pool.end();
    }
  }
  const db = openDatabase(join(dataDir, 'accord.sqlite'));
  try {
    return await work(sqliteSql(db));
  } finally {
    db.close();
  }
}

const HEARTBEAT_MS = 600;

describe('work a stopped process left half done', () => {
  it('is reversed or failed by the processes still running, and work of a running process is left alone', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-abandoned-'));
    const env = { ...(await clusterEnv()), PROCESS_HEARTBEAT_MS: String(HEARTBEAT_MS), ...(await sharedDatabase()) };
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
    await onTheDatabase(async (q) => {
      const setBusy = (owner: string, id: string) => q.run(sql`UPDATE imports SET state = 'committing', owner = ${owner} WHERE id = ${id}`);
      await setBusy('a-process-that-stopped', stoppedImport);
      await setBusy(idC, runningImport);
      const { id: userId } = await q.theRow(rowShape({ id: col.text }), sql`SELECT id FROM users WHERE email = ${'olga@mfa.example'}`);
      for (const [id, owner] of [['export-stopped', 'a-process-that-stopped'], ['export-of-c', idC], ['export-of-a', idA]] as const) {
        await q.run(sql`INSERT INTO exports (id, plan_id, created_by, format, scope, language, state, file, content_type, created_at, owner)
          VALUES (${id}, ${planId}, ${userId}, 'pdf', 'current', 'en', 'running', ${`${id}.pdf`}, 'application/pdf', ${new Date().toISOString()}, ${owner})`);
      }
    });

    const read = () =>
      onTheDatabase(async (q) => ({
        imports: Object.fromEntries((await q.rows(rowShape({ id: col.text, state: col.text }), sql`SELECT id, state FROM imports`)).map((r) => [r.id, r.state])),
        references: (await q.rows(rowShape({ reference: col.text }), sql`SELECT reference FROM recommendations ORDER BY reference`)).map((r) => r.reference),
        exports: Object.fromEntries((await q.rows(rowShape({ id: col.text, state: col.text }), sql`SELECT id, state FROM exports`)).map((r) => [r.id, r.state])),
      }));

    // Within a heartbeat period or two, a running process reverses the stopped one's import (its
    // record and its recommendation go) and fails its export.
    await expect.poll(async () => (await read()).exports['export-stopped'], { timeout: 15_000, interval: 200 }).toBe('failed');
    await expect.poll(async () => (await read()).imports[stoppedImport], { timeout: 15_000, interval: 200 }).toBeUndefined();
    // Several more periods: what C and A are doing is theirs.
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS * 3));
    let now = await read();
    expect(now.references).toEqual(['UPR-AW-002']);
    expect(now.imports[runningImport]).toBe('committing');
    expect(now.exports).toMatchObject({ 'export-of-c': 'running', 'export-of-a': 'running' });

    // C is killed: once its heartbeat runs out, its import is reversed and its export failed.
    await c.kill9();
    await expect.poll(async () => (await read()).imports[runningImport], { timeout: 15_000, interval: 200 }).toBeUndefined();
    now = await read();
    expect(now.references).toEqual([]);
    expect(now.exports).toMatchObject({ 'export-stopped': 'failed', 'export-of-c': 'failed', 'export-of-a': 'running' });
    // The plan takes imports again.
    const again = await uploadImport(coordinator, planId, 'recs-3.json', toAccordJson([sampleRecommendation(3, { reference: 'UPR-AW-003' })]));
    expect((await coordinator.post(`/api/plans/${planId}/imports/${again.body.previewId}/commit`, {})).status).toBe(201);
  }, 90_000);
});
