import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, runPresenceFlood } from '../tests/helpers/floodScenario.ts';
import { spawnServer } from '../tests/helpers/serverProcess.ts';

/**
 * One member flooding a section (ten sockets that never read, and presence changes at 10,000 a
 * second from a process of its own) while two people type into it at a fast typist's pace. Each
 * round starts a fresh compiled server and measures the same two people's round trips with no
 * flood first (the baseline, same server, same moment) and then during the flood. The target
 * (#14): others' round trips stay under 50 ms at p99 during the flood.
 */
export interface FloodRound {
  idleP50Ms: number;
  idleP99Ms: number;
  floodedP50Ms: number;
  floodedP99Ms: number;
  sent: number;
  floodCloses: number;
  rssBeforeMB: number;
  rssDuringMB: number;
}

const MB = 1024 * 1024;

export async function runFloodRound(trips: number): Promise<FloodRound> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-bench-flood-'));
  const proc = await spawnServer({ dataDir });
  try {
    const o = await runPresenceFlood(proc.url, proc.child.pid!, trips);
    for (const p of o.peers) p.destroy();
    return {
      idleP50Ms: percentile(o.idle, 50),
      idleP99Ms: percentile(o.idle, 99),
      floodedP50Ms: percentile(o.flooded, 50),
      floodedP99Ms: percentile(o.flooded, 99),
      sent: o.sent,
      floodCloses: o.floodCloses.length,
      rssBeforeMB: o.rssBefore / MB,
      rssDuringMB: o.rssDuring / MB,
    };
  } finally {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
