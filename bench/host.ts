/**
 * Runs one sync server under measurement, in its own process: Accord (auth + SQLite) or the
 * reference @y/websocket-server (in memory, no auth). The driver talks to it over IPC.
 *
 * `accord … join <dataDir>`: another Accord process on the data the first one set up (REDIS_URL
 * and REDIS_PREFIX from the environment), for the several-process run. With DATABASE_URL (and
 * DATABASE_SCHEMA) in the environment the data is in PostgreSQL; otherwise SQLite's file.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { answerStatsRequests } from './processStats.ts';

type Kind = 'accord' | 'reference';
export interface HostReady {
  url: string;
  /** One session cookie per simulated person, section by section (Accord only). */
  cookies: string[];
  sectionIds: string[];
  /** Accord's data folder, for further processes to join. */
  dataDir?: string;
}
export type { HostStats } from './processStats.ts';

const kind = process.argv[2] as Kind;
const sections = Number(process.argv[3]);
const people = Number(process.argv[4]);
const joinDataDir = process.argv[5] === 'join' ? process.argv[6] : undefined;

async function startReference(): Promise<HostReady> {
  const { setupWSConnection } = (await import('@y/websocket-server/utils')) as {
    setupWSConnection: (ws: unknown, req: unknown, opts?: { docName?: string }) => void;
  };
  const http = createServer((_req, res) => res.end('reference'));
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const docName = (req.url ?? '/').slice(1).split('?')[0]!.replace(/^sync\//, '');
      setupWSConnection(ws, req, { docName });
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cookies: [],
    sectionIds: Array.from({ length: sections }, (_, i) => `benchsection${String(i).padStart(4, '0')}`),
  };
}

async function startAccord(): Promise<HostReady> {
  const { loadConfig } = await import('../server/config.ts');
  const { startServer } = await import('../server/server.ts');
  const { createSession } = await import('../server/auth/sessions.ts');
  const { createPlan, planOutline, addChapter, addSection } = await import('../server/services/plans.ts');
  const { sql } = await import('kysely');
  const { newId, nowIso } = await import('../server/ids.ts');
  const dataDir = joinDataDir ?? mkdtempSync(join(tmpdir(), 'accord-bench-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS ?? 'NORMAL',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: process.env.REDIS_PREFIX } : {}),
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: process.env.DATABASE_SCHEMA } : {}),
  });
  const server = await startServer(config, { clientDir: join(dataDir, 'none') });
  if (joinDataDir) return { url: server.url, cookies: [], sectionIds: [] };
  const q = server.sql;
  // People are created directly (argon2 for thousands of accounts would dominate set-up time);
  // their sessions are real sessions, checked at every upgrade like any browser's. Everyone in
  // every section is a person of their own: one account typing in fifty sections at once would run
  // into the per-person rate budgets and connection cap that a real person never reaches.
  const orgId = newId();
  await q.run(sql`INSERT INTO organisations (id, name, side, color, created_at) VALUES (${orgId}, 'Benchmark Ministry', 'government', '#1d4f91', ${nowIso()})`);
  const userIds = Array.from({ length: sections * people }, () => newId());
  await q.transaction(async (tx) => {
    for (const [i, id] of userIds.entries()) {
      await tx.run(
        sql`INSERT INTO users (id, email, name, password_hash, organisation_id, created_at)
            VALUES (${id}, ${`person${i}@bench.example`}, ${`Person ${i}`}, 'not-a-hash', ${orgId}, ${nowIso()})`,
      );
    }
  });
  const planId = await createPlan(q, userIds[0]!, { title: 'Benchmark plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 }, 'empty');
  await q.transaction(async (tx) => {
    for (const uid of userIds.slice(1)) await tx.run(sql`INSERT INTO plan_members (plan_id, user_id, role, joined_at) VALUES (${planId}, ${uid}, 'drafter', ${nowIso()})`);
  });
  const chapterId = await addChapter(q, planId, 'Chapter');
  for (let i = 0; i < sections; i++) await addSection(q, planId, chapterId, `Section ${i}`);
  const outline = await planOutline(q, planId, userIds[0]!);
  const cookies: string[] = [];
  for (const uid of userIds) cookies.push(`accord_session=${(await createSession(q, uid)).token}`);
  return { url: server.url, cookies, sectionIds: outline.chapters[0]!.sections.map((s) => s.id), dataDir };
}

async function main() {
  const ready = kind === 'accord' ? await startAccord() : await startReference();
  answerStatsRequests();
  process.send!({ type: 'ready', ready });
}

// A clean exit lets --cpu-prof write its profile.
process.on('SIGINT', () => process.exit(0));

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
