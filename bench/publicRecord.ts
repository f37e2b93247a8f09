/**
 * The public plan page under load: GET /p/<slug> of an adopted 200-section plan (1,000 actions,
 * five rounds of monitoring) from a real Accord server, against `express.static` serving the very
 * same bytes from a file — the floor, what any Node server pays to send that page. Target: within
 * 1.5× of the floor in requests per second and p99 latency.
 *
 * A third server, not part of the verdict, sends the same bytes from memory in one write (as Accord
 * did before it wrote pages in slices), to tell what is Accord's own cost from the way of sending.
 *
 * Each server runs in its own child process (bench/publicRecordHost.ts); this process only runs
 * autocannon. They are loaded in turn, never at once, several rounds, rotating which goes first,
 * because the machine is shared and its load drifts: every run is reported, with the spread.
 */
import autocannon, { type Result } from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { HostStats } from './processStats.ts';
import type { HostReady, PlanFacts } from './publicRecordHost.ts';

const HOST = join(dirname(fileURLToPath(import.meta.url)), 'publicRecordHost.ts');
export const PUBLIC_TARGET = 1.5;

export interface PublicBenchOptions {
  rounds: number;
  seconds: number;
  connections: number;
  /** A folder to write the Accord server's CPU profile into (node --cpu-prof), or null. */
  profileDir: string | null;
}

/** `memory` is a diagnosis, not part of the verdict: the same bytes sent from memory in one write. */
export type Server = 'accord' | 'floor' | 'memory';
const SERVERS: Server[] = ['accord', 'floor', 'memory'];

export interface LoadRun {
  server: Server;
  round: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  requests: number;
  /** The server process's CPU time (user + system) per request, from its own process.cpuUsage(). */
  serverCpuMsPerRequest: number;
  /** The server's event-loop delay during the run: long stalls there are the server's own. */
  serverLoopDelayMs: { p99: number; max: number };
  /** autocannon's own CPU per request (this process): the load generator's share of the two cores. */
  driverCpuMsPerRequest: number;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface PublicBenchResult {
  plan: PlanFacts;
  pageKB: number;
  /** The page gzipped (level 6): what it weighs on the wire for browsers that accept gzip (autocannon does not ask, so the runs move the full bytes). */
  pageGzipKB: number;
  snapshotKB: number;
  /** publishPlan(): building the snapshot of the plan and storing it. */
  publishMs: number;
  /** The first GET after publishing: parsing the snapshot and rendering the page, over HTTP. */
  firstRenderMs: number;
  /** The next single GET, from the page cache. */
  cachedGetMs: number;
  load: { connections: number; seconds: number; rounds: number };
  runs: LoadRun[];
  accord: { requestsPerSecond: Spread; p99Ms: Spread };
  floor: { requestsPerSecond: Spread; p99Ms: Spread };
  memory: { requestsPerSecond: Spread; p99Ms: Spread };
  /** floor/Accord for requests per second, Accord/floor for p99: 1 is as fast as the floor, higher is slower. */
  ratios: {
    target: number;
    byMedian: { requestsPerSecond: number; p99: number };
    perRound: Array<{ round: number; requestsPerSecond: number; p99: number }>;
    metByMedian: boolean;
    metInEveryRound: boolean;
  };
}

function startHost(args: string[], execArgv: string[] = []): Promise<{ child: ChildProcess; ready: HostReady }> {
  const child = fork(HOST, args, { execArgv: ['--import', 'tsx', ...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`public bench host ${args[0]} exited with ${code} before it was ready`)));
    child.once('message', (ready: HostReady) => resolve({ child, ready }));
  });
}

function ask(child: ChildProcess, type: 'stats' | 'reset'): Promise<{ stats?: HostStats }> {
  return new Promise((resolve) => {
    const onMessage = (msg: { type: string; stats?: HostStats }) => {
      if (msg.type !== type) return;
      child.off('message', onMessage);
      resolve(msg);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}
const hostStats = async (child: ChildProcess) => (await ask(child, 'stats')).stats!;
const cpuOf = (s: { cpuUserMs: number; cpuSystemMs: number }) => s.cpuUserMs + s.cpuSystemMs;

async function stop(child: ChildProcess, signal: NodeJS.Signals) {
  child.removeAllListeners('exit');
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

async function timedGet(url: string): Promise<{ ms: number; body: Buffer }> {
  const started = performance.now();
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return { ms, body };
}

function check(result: Result, url: string): void {
  // A fast wrong answer (404, reset connections) must not pass for a fast page.
  if (result.errors || result.timeouts || result.non2xx || result['2xx'] === 0) {
    throw new Error(`${url}: ${result['2xx']} answers 2xx, ${result.non2xx} not, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const spread = (xs: number[]): Spread => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });

export async function runPublicRecordBench(options: PublicBenchOptions): Promise<PublicBenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-bench-public-'));
  const hosts: ChildProcess[] = [];
  try {
    const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
    const accord = await startHost(['accord', dataDir], profile);
    hosts.push(accord.child);
    if (accord.ready.kind !== 'accord') throw new Error('expected the Accord host');
    const pageUrl = `${accord.ready.url}/p/${accord.ready.slug}`;
    const first = await timedGet(pageUrl);
    const cached = await timedGet(pageUrl);
    if (!cached.body.equals(first.body)) throw new Error('the cached page differs from the first render');

    const floorDir = join(dataDir, 'floor');
    const file = join(floorDir, 'index.html');
    mkdirSync(floorDir);
    writeFileSync(file, first.body);
    const floor = await startHost(['floor', file]);
    hosts.push(floor.child);
    const floorUrl = floor.ready.url;
    if (!(await timedGet(floorUrl)).body.equals(first.body)) throw new Error('the floor does not serve the same bytes');

    const memory = await startHost(['memory', file]);
    hosts.push(memory.child);
    if (!(await timedGet(memory.ready.url)).body.equals(first.body)) throw new Error('the memory reference does not serve the same bytes');

    const targets: Record<Server, { url: string; child: ChildProcess }> = {
      accord: { url: pageUrl, child: accord.child },
      floor: { url: floorUrl, child: floor.child },
      memory: { url: memory.ready.url, child: memory.child },
    };
    const load = async (server: Server, round: number, seconds: number): Promise<LoadRun> => {
      const { url, child } = targets[server];
      await ask(child, 'reset');
      const before = await hostStats(child);
      const driverBefore = process.cpuUsage();
      const result = await autocannon({ url, connections: options.connections, duration: seconds });
      const driver = process.cpuUsage(driverBefore);
      const after = await hostStats(child);
      check(result, url);
      return {
        server,
        round,
        requestsPerSecond: result['2xx'] / result.duration,
        latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
        requests: result['2xx'],
        serverCpuMsPerRequest: (cpuOf(after) - cpuOf(before)) / result['2xx'],
        serverLoopDelayMs: { p99: after.loopDelayMs.p99, max: after.loopDelayMs.max },
        driverCpuMsPerRequest: (driver.user + driver.system) / 1000 / result['2xx'],
      };
    };

    // Warm-up (JIT, sockets, page cache of the file), not counted.
    for (const server of SERVERS) await load(server, 0, 2);
    const runs: LoadRun[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      // Each round starts with a different server, so drift in the machine's load favours none.
      const order = SERVERS.map((_, i) => SERVERS[(i + round - 1) % SERVERS.length]!);
      for (const server of order) {
        const run = await load(server, round, options.seconds);
        runs.push(run);
        console.log(
          `  round ${round} ${server.padEnd(6)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${run.latencyMs.p50} ms  p99 ${run.latencyMs.p99} ms  ` +
            `max ${run.latencyMs.max} ms  CPU/request server ${run.serverCpuMsPerRequest.toFixed(2)} ms, autocannon ${run.driverCpuMsPerRequest.toFixed(2)} ms  ` +
            `server loop delay p99 ${run.serverLoopDelayMs.p99.toFixed(0)} max ${run.serverLoopDelayMs.max.toFixed(0)} ms`,
        );
      }
    }

    const of = (server: Server) => runs.filter((r) => r.server === server);
    const summary = (server: Server) => ({
      requestsPerSecond: spread(of(server).map((r) => r.requestsPerSecond)),
      p99Ms: spread(of(server).map((r) => r.latencyMs.p99)),
    });
    const a = summary('accord');
    const f = summary('floor');
    const perRound = Array.from({ length: options.rounds }, (_, i) => {
      const [ra, rf] = [of('accord')[i]!, of('floor')[i]!];
      return { round: i + 1, requestsPerSecond: rf.requestsPerSecond / ra.requestsPerSecond, p99: ra.latencyMs.p99 / rf.latencyMs.p99 };
    });
    const byMedian = { requestsPerSecond: f.requestsPerSecond.median / a.requestsPerSecond.median, p99: a.p99Ms.median / f.p99Ms.median };
    const within = (r: { requestsPerSecond: number; p99: number }) => r.requestsPerSecond <= PUBLIC_TARGET && r.p99 <= PUBLIC_TARGET;

    return {
      plan: accord.ready.plan,
      pageKB: first.body.length / 1024,
      pageGzipKB: gzipSync(first.body).length / 1024,
      snapshotKB: accord.ready.snapshotKB,
      publishMs: accord.ready.publishMs,
      firstRenderMs: first.ms,
      cachedGetMs: cached.ms,
      load: { connections: options.connections, seconds: options.seconds, rounds: options.rounds },
      runs,
      accord: a,
      floor: f,
      memory: summary('memory'),
      ratios: { target: PUBLIC_TARGET, byMedian, perRound, metByMedian: within(byMedian), metInEveryRound: perRound.every(within) },
    };
  } finally {
    // SIGINT lets the Accord host exit cleanly, which is when --cpu-prof writes its profile.
    for (const child of hosts) await stop(child, 'SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
