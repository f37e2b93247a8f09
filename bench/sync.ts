/**
 * Live-editing load: simulated people over loopback, each doing the real sync handshake (with a
 * signed-in session on Accord), against Accord and the reference @y/websocket-server in one run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { DOC_SCHEMA_VERSION } from '../shared/doc/schema.ts';
import { SCHEMA_VERSION_PARAM } from '../shared/protocol.ts';
import type { HostReady, HostStats } from './host.ts';
import { ask } from './processStats.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface Scenario {
  name: string;
  description: string;
  sections: number;
  peoplePerSection: number;
  typistsPerSection: number;
  charsPerSecond: number;
  /** Receivers per section whose latency is measured (all others only count deliveries). */
  sampledPerSection: number;
  warmupMs: number;
  measureMs: number;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'S1',
    description: 'drafting workshop: 50 sections × 10 people, 2 typing 5 chars/s',
    sections: 50,
    peoplePerSection: 10,
    typistsPerSection: 2,
    charsPerSecond: 5,
    sampledPerSection: 8,
    warmupMs: 2000,
    measureMs: 10_000,
  },
  {
    name: 'S2',
    description: 'national consultation: 100 sections × 40 people, 2 typing 10 chars/s',
    sections: 100,
    peoplePerSection: 40,
    typistsPerSection: 2,
    charsPerSecond: 10,
    sampledPerSection: 4,
    warmupMs: 2000,
    measureMs: 10_000,
  },
];

/**
 * `accord-cluster`: three Accord processes on one database with Redis, people spread over them:
 * PostgreSQL (BENCH_DATABASE_URL, or postgres://127.0.0.1:5432/test, in a fresh schema), the
 * database several hosts share; BENCH_CLUSTER_DATABASE=sqlite puts them on one SQLite file instead.
 */
export type SyncServerKind = 'accord' | 'reference' | 'accord-cluster';
const CLUSTER_PROCESSES = 3;

export interface SyncResult {
  server: SyncServerKind;
  scenario: string;
  connections: number;
  updatesSent: number;
  deliveries: number;
  updatesPerSecond: number;
  deliveriesPerSecond: number;
  latencyMs: { samples: number; p50: number; p95: number; p99: number; max: number };
  serverCpuMsPerUpdate: number;
  /** Where the data was. */
  database: 'sqlite' | 'postgres';
  /**
   * PostgreSQL's own CPU per update (its processes on this machine, while measuring; nothing else
   * should use it then), beside the Accord processes'. Absent on SQLite, which runs inside them.
   */
  databaseCpuMsPerUpdate?: number;
  /** The part of it spent in the kernel (socket writes, file writes). */
  serverSystemCpuMsPerUpdate: number;
  serverCpuPercent: number;
  serverPeakRssMB: number;
  loopDelayMs: HostStats['loopDelayMs'];
  missingDeliveries: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function syncStep1(sv: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
  encoding.writeVarUint8Array(e, sv);
  return encoding.toUint8Array(e);
}
function syncMessage(kind: number, update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, kind);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

interface Sim {
  ws: WebSocket;
  synced: Promise<void>;
}

/**
 * The server processes' figures together: CPU time and memory summed (the cost of serving the
 * load, however many processes share it), event-loop delays the worst of them.
 */
async function statsOf(hosts: ChildProcess[]): Promise<HostStats> {
  const all = await Promise.all(hosts.map(async (h) => (await ask<{ stats: HostStats }>(h, 'stats')).stats));
  const sum = (f: (x: HostStats) => number) => all.reduce((n, x) => n + f(x), 0);
  const worst = (f: (x: HostStats) => number) => Math.max(...all.map(f));
  return {
    cpuUserMs: sum((x) => x.cpuUserMs),
    cpuSystemMs: sum((x) => x.cpuSystemMs),
    rssBytes: sum((x) => x.rssBytes),
    peakRssBytes: sum((x) => x.peakRssBytes),
    heapUsedBytes: sum((x) => x.heapUsedBytes),
    loopDelayMs: { p50: worst((x) => x.loopDelayMs.p50), p99: worst((x) => x.loopDelayMs.p99), max: worst((x) => x.loopDelayMs.max) },
  };
}

/** Runs one scenario against one server kind and returns its measurements. */
export async function runSyncScenario(serverKind: SyncServerKind, s: Scenario): Promise<SyncResult> {
  const database = serverKind === 'accord-cluster' && process.env.BENCH_CLUSTER_DATABASE !== 'sqlite' ? await benchSchema() : null;
  try {
    return await runScenarioOn(serverKind, s, database);
  } finally {
    await database?.drop();
  }
}

/** A fresh PostgreSQL schema for one run, and the environment that puts Accord's data there. */
async function benchSchema(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const { createPostgresPool } = await import('../server/db/postgres/pool.ts');
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
  const name = `accord_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = createPostgresPool(url, { max: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${name}`);
  } catch (err) {
    await admin.end();
    throw new Error(`The several-process run needs PostgreSQL at ${url} (BENCH_DATABASE_URL), or BENCH_CLUSTER_DATABASE=sqlite: ${(err as Error).message}`);
  }
  return {
    env: { DATABASE_URL: url, DATABASE_SCHEMA: name },
    async drop() {
      await admin.query(`DROP SCHEMA ${name} CASCADE`);
      await admin.end();
    },
  };
}

/** CPU time (user + system, ms) of each PostgreSQL process on this machine, by pid, from /proc. */
function postgresCpuMs(): Map<string, number> {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const byPid = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * tick);
    } catch {
      // The process ended while it was read.
    }
  }
  return byPid;
}

/** What PostgreSQL's processes spent between two readings (a process that began meanwhile counts whole; one that ended is not seen). */
function postgresCpuBetween(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

async function runScenarioOn(serverKind: SyncServerKind, s: Scenario, database: { env: Record<string, string> } | null): Promise<SyncResult> {
  const kind = serverKind === 'reference' ? 'reference' : 'accord';
  const clustered = serverKind === 'accord-cluster';
  const env = clustered
    ? { ...process.env, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: `accord-bench-${randomUUID()}:`, ...database?.env }
    : process.env;
  const startHost = (extra: string[] = []) =>
    fork(join(HERE, 'host.ts'), [kind, String(s.sections), String(s.peoplePerSection), ...extra], {
      execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env,
    });
  const host = startHost();
  const hosts: ChildProcess[] = [host];
  const { ready } = await ask<{ ready: HostReady }>(host, 'ready').catch(() => ({ ready: null as never }));
  const wsBases = [ready.url.replace(/^http/, 'ws')];
  // The first process set the data up; the others join it, one after another.
  for (let i = 1; clustered && i < CLUSTER_PROCESSES; i++) {
    const joiner = startHost(['join', ready.dataDir!]);
    hosts.push(joiner);
    const joined = await ask<{ ready: HostReady }>(joiner, 'ready');
    wsBases.push(joined.ready.url.replace(/^http/, 'ws'));
  }
  const sendTimes = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  let deliveries = 0;
  let updatesSent = 0;
  let expectedDeliveries = 0;
  const sims: Sim[] = [];
  const typists: Array<{ doc: Y.Doc; text: Y.XmlText; ws: WebSocket }> = [];

  const connect = (sectionIndex: number, person: number): Sim & { doc?: Y.Doc } => {
    const sectionId = ready.sectionIds[sectionIndex]!;
    const isTypist = person < s.typistsPerSection;
    const sampled = person < s.typistsPerSection + s.sampledPerSection;
    const docName = kind === 'accord' ? `sync/section.${sectionId}?${SCHEMA_VERSION_PARAM}=${DOC_SCHEMA_VERSION}` : `sync/section.${sectionId}`;
    const headers = kind === 'accord' ? { cookie: ready.cookies[sectionIndex * s.peoplePerSection + person]! } : {};
    // With several processes, the people of one section are spread over all of them.
    const wsBase = wsBases[(sectionIndex * s.peoplePerSection + person) % wsBases.length]!;
    const ws = new WebSocket(`${wsBase}/${docName}`, { headers, perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    const doc = isTypist ? new Y.Doc() : undefined;
    let resolveSynced!: () => void;
    let refused!: (err: Error) => void;
    const synced = new Promise<void>((resolve, reject) => ((resolveSynced = resolve), (refused = reject)));
    // A server that refuses the connection fails the run instead of leaving it waiting forever.
    ws.on('close', (code: number, reason: Buffer) => refused(new Error(`${kind} closed a connection before sync: ${code} ${String(reason)}`)));
    ws.on('error', (err) => refused(err));
    ws.on('open', () => ws.send(syncStep1(doc ? Y.encodeStateVector(doc) : new Uint8Array([0]))));
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (decoding.readVarUint(d) !== 0) return; // awareness, save status
      const sub = decoding.readVarUint(d);
      if (sub === syncProtocol.messageYjsSyncStep1) {
        const sv = decoding.readVarUint8Array(d);
        ws.send(syncMessage(syncProtocol.messageYjsSyncStep2, doc ? Y.encodeStateAsUpdate(doc, sv) : EMPTY_UPDATE));
        return;
      }
      const update = decoding.readVarUint8Array(d);
      if (sub === syncProtocol.messageYjsSyncStep2) {
        if (doc) Y.applyUpdate(doc, update, 'remote');
        resolveSynced();
        return;
      }
      if (!measuring) {
        if (doc) Y.applyUpdate(doc, update, 'remote');
        return;
      }
      deliveries++;
      if (doc) Y.applyUpdate(doc, update, 'remote');
      if (sampled) {
        const now = performance.now();
        const meta = Y.parseUpdateMeta(update);
        for (const [client, to] of meta.to) {
          const from = meta.from.get(client) ?? 0;
          for (let clock = from + 1; clock <= to; clock++) {
            const sent = sendTimes.get(`${client}:${clock}`);
            if (sent !== undefined) latencies.push(now - sent);
          }
        }
      }
    });
    if (doc) {
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === 'remote' || ws.readyState !== ws.OPEN) return;
        ws.send(syncMessage(syncProtocol.messageYjsUpdate, update));
        if (measuring) {
          updatesSent++;
          expectedDeliveries += s.peoplePerSection - 1;
          sendTimes.set(`${doc.clientID}:${Y.parseUpdateMeta(update).to.get(doc.clientID)}`, performance.now());
        }
      });
    }
    return { ws, synced, doc };
  };

  // Open connections in waves, as people arriving at a session would.
  for (let i = 0; i < s.sections; i++) {
    const wave: Array<Promise<void>> = [];
    for (let p = 0; p < s.peoplePerSection; p++) {
      const sim = connect(i, p);
      sims.push(sim);
      wave.push(sim.synced);
      if (sim.doc) {
        typists.push({ doc: sim.doc, text: null as unknown as Y.XmlText, ws: sim.ws });
      }
    }
    await Promise.all(wave).catch((err: unknown) => {
      for (const sim of sims) sim.ws.terminate();
      for (const h of hosts) h.kill('SIGKILL');
      throw err;
    });
  }
  // Each typist gets a paragraph of their own before measuring.
  for (const t of typists) {
    const p = new Y.XmlElement('paragraph');
    const text = new Y.XmlText('');
    p.insert(0, [text]);
    const body = t.doc.getXmlFragment('body');
    body.insert(body.length, [p]);
    t.text = text;
  }

  const interval = 1000 / s.charsPerSecond;
  const timers = typists.map((t, i) =>
    setTimeout(() => {
      const tick = setInterval(() => t.text.insert(t.text.length, 'abcdefghij'[(t.text.length + i) % 10]!), interval);
      timers2.push(tick);
    }, (i * 37) % interval),
  );
  const timers2: NodeJS.Timeout[] = [];
  await new Promise((r) => setTimeout(r, s.warmupMs));
  await Promise.all(hosts.map((h) => ask(h, 'reset')));
  const before = await statsOf(hosts);
  const databaseBefore = database ? postgresCpuMs() : new Map<string, number>();
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, s.measureMs));
  const elapsed = (performance.now() - started) / 1000;
  const after = await statsOf(hosts);
  const databaseCpuMs = database ? postgresCpuBetween(databaseBefore, postgresCpuMs()) : 0;
  timers.forEach(clearTimeout);
  timers2.forEach(clearInterval);
  // Let in-flight deliveries arrive before counting what is missing.
  await new Promise((r) => setTimeout(r, 500));
  measuring = false;

  for (const sim of sims) sim.ws.terminate();
  for (const h of hosts) h.kill(process.env.BENCH_CPU_PROF ? 'SIGINT' : 'SIGKILL');
  await Promise.all(hosts.map((h) => once(h, 'exit')));

  const sorted = latencies.sort((a, b) => a - b);
  const cpuMs = after.cpuUserMs + after.cpuSystemMs - (before.cpuUserMs + before.cpuSystemMs);
  return {
    server: serverKind,
    scenario: s.name,
    connections: sims.length,
    updatesSent,
    deliveries,
    updatesPerSecond: updatesSent / elapsed,
    deliveriesPerSecond: deliveries / elapsed,
    latencyMs: {
      samples: sorted.length,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? NaN,
    },
    serverCpuMsPerUpdate: cpuMs / Math.max(1, updatesSent),
    database: database ? 'postgres' : 'sqlite',
    ...(database ? { databaseCpuMsPerUpdate: databaseCpuMs / Math.max(1, updatesSent) } : {}),
    serverSystemCpuMsPerUpdate: (after.cpuSystemMs - before.cpuSystemMs) / Math.max(1, updatesSent),
    serverCpuPercent: (cpuMs / (elapsed * 1000)) * 100,
    serverPeakRssMB: after.peakRssBytes / 1024 / 1024,
    loopDelayMs: after.loopDelayMs,
    // Deliveries are counted per message, and a batched message can carry several updates, so
    // this is only an upper bound on what was not delivered.
    missingDeliveries: Math.max(0, expectedDeliveries - deliveries),
  };
}
