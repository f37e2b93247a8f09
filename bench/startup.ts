/**
 * Server start: the same code run from the TypeScript sources through tsx (`npm run dev`) and
 * compiled to JavaScript (`npm start`). Each run is a fresh process on an empty data folder; "ready"
 * is from spawning it to its "Accord is running" line, "idle" its resident memory (VmRSS) after it
 * has sat with nothing to do for a moment. Runs alternate between the two, so a busy spell on the
 * shared machine hits both alike.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../scripts/buildServer.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const IDLE_WAIT_MS = 3_000;

export type StartMode = 'tsx' | 'compiled';
const ARGS: Record<StartMode, string[]> = {
  tsx: ['--import', 'tsx', join(ROOT, 'server', 'index.ts')],
  compiled: [join(ROOT, 'dist', 'server', 'server', 'index.js')],
};

export interface StartRun {
  readyMs: number;
  idleRssMB: number;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export interface StartupResult {
  mode: StartMode;
  readyMs: Spread;
  idleRssMB: Spread;
  runs: StartRun[];
}

function rssMB(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) / 1024;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

async function startOnce(mode: StartMode): Promise<StartRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-startup-'));
  const started = performance.now();
  const child = spawn(process.execPath, ARGS[mode], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    const readyMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${mode} server did not start:\n${output}`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Accord is running')) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}:\n${output}`)));
    });
    await new Promise((r) => setTimeout(r, IDLE_WAIT_MS));
    return { readyMs, idleRssMB: rssMB(child.pid!) };
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runStartupBench(runsEach = 7): Promise<StartupResult[]> {
  await buildServer();
  const runs: Record<StartMode, StartRun[]> = { tsx: [], compiled: [] };
  // One unmeasured start of each warms the disk cache, which every later start then shares.
  await startOnce('tsx');
  await startOnce('compiled');
  for (let i = 0; i < runsEach; i++) {
    for (const mode of ['tsx', 'compiled'] as const) runs[mode].push(await startOnce(mode));
  }
  return (['tsx', 'compiled'] as const).map((mode) => ({
    mode,
    readyMs: spread(runs[mode].map((r) => r.readyMs)),
    idleRssMB: spread(runs[mode].map((r) => r.idleRssMB)),
    runs: runs[mode],
  }));
}
