import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What a measured server process reports about itself over IPC. */
export interface HostStats {
  cpuUserMs: number;
  cpuSystemMs: number;
  rssBytes: number;
  peakRssBytes: number;
  heapUsedBytes: number;
  loopDelayMs: { p50: number; p99: number; max: number };
}

const loop = monitorEventLoopDelay({ resolution: 10 });

function peakRss(): number {
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb ? Number(kb) * 1024 : process.memoryUsage().rss;
}

export function stats(): HostStats {
  const cpu = process.cpuUsage();
  return {
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    rssBytes: process.memoryUsage().rss,
    peakRssBytes: peakRss(),
    heapUsedBytes: process.memoryUsage().heapUsed,
    loopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
  };
}

/** Answers the driver's 'stats', 'reset' (event-loop histogram) and 'gc' messages. */
export function answerStatsRequests(extra: Record<string, () => unknown> = {}): void {
  loop.enable();
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'stats') process.send!({ type: 'stats', stats: stats() });
    if (msg.type === 'reset') {
      loop.reset();
      process.send!({ type: 'reset' });
    }
    if (msg.type === 'gc') {
      // Twice: the first pass may only schedule finalisers.
      (globalThis as { gc?: () => void }).gc?.();
      (globalThis as { gc?: () => void }).gc?.();
      process.send!({ type: 'gc', stats: stats() });
    }
    const handler = extra[msg.type];
    if (handler) void Promise.resolve(handler()).then((value) => process.send!({ type: msg.type, value }));
  });
}

/** Driver side: sends `type` to a measured process and resolves with its first answer of that type. */
export function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (msg: { type: string } & Record<string, unknown>) => {
      if (msg.type === type) {
        child.off('message', onMessage);
        resolve(msg as T);
      }
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}
