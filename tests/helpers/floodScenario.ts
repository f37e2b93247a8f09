import { readFileSync } from 'node:fs';
import type WebSocket from 'ws';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { ApiClient } from './api.ts';
import { connectPeer, rawSocket, type Peer } from './peer.ts';
import { startPresenceFlood } from './presenceFlood.ts';
import { addMember, setUpWorkspace } from './workspace.ts';

/**
 * One member trying to make a section unusable for the others (#14, finding 3): ten sockets that
 * never read, then a flood of presence changes from a process of its own, while two well-behaved
 * people type into the section. Shared by the test that checks the flood is contained
 * (tests/integration/sync-fair-share.test.ts) and the benchmark that measures what it costs the
 * others (bench/flood.ts): how fast the server answers is a benchmark's figure, not a test's.
 */
export const MALLORY = {
  name: 'Mallory Observer',
  email: 'mallory@watch.example',
  organisation: { name: 'Watchful Citizens', side: 'civil_society' as const },
};

export interface FloodOutcome {
  /** Round trips of the two typing people before the attack and during it, in ms. */
  idle: number[];
  flooded: number[];
  /** What the flood sent, and the codes its sockets were closed with. */
  sent: number;
  floodCloses: number[];
  /** Resident memory of the server process before the attack and during it, in bytes. */
  rssBefore: number;
  rssDuring: number;
  /** The two typing people, still connected, for the caller's checks (the caller destroys them). */
  peers: [Peer, Peer];
}

/** Runs the attack against the Accord server process at `url` (`pid`: its process, for memory). */
export async function runPresenceFlood(url: string, pid: number, trips = 200): Promise<FloodOutcome> {
  const { coordinator, planId, sectionId } = await setUpWorkspace({ url });
  const observer = await addMember({ url }, coordinator, planId, 'observer', MALLORY);
  const docName = sectionDocName(sectionId);
  const second = new ApiClient(url);
  second.cookie = coordinator.cookie;
  const a = connectPeer(url, coordinator, sectionId);
  const b = connectPeer(url, second, sectionId);
  await Promise.all([a.synced(), b.synced()]);
  // Warm up (first edits, JIT), then take the server's memory before the attack.
  await typingRoundTrips(a, b, 'w', 40);
  const idle = await typingRoundTrips(a, b, 'i', trips);
  const rssBefore = rssOf(pid);

  const nonReaders: WebSocket[] = [];
  try {
    for (let i = 0; i < 10; i++) {
      const raw = await rawSocket(url, docName, { cookie: observer.client.cookie });
      stopReading(raw.ws);
      nonReaders.push(raw.ws);
    }
    const flood = await startPresenceFlood({ url, docName, cookie: observer.client.cookie });
    const flooded = await typingRoundTrips(a, b, 'r', trips);
    const { sent, closes } = await flood.stop();
    const rssDuring = rssOf(pid);
    return { idle, flooded, sent, floodCloses: closes, rssBefore, rssDuring, peers: [a, b] };
  } finally {
    for (const ws of nonReaders) ws.terminate();
  }
}

/** A socket that stays open but never reads anything the server sends it. */
export function stopReading(ws: WebSocket): void {
  (ws as unknown as { _socket: { pause(): void } })._socket.pause();
}

/** Milliseconds from `a` typing a marker until `b` has it (it is stored in between). */
async function roundTrip(a: Peer, b: Peer, marker: string): Promise<number> {
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`"${marker}" did not arrive within 20 s`)), 20_000);
    const seen = () => {
      if (!b.text().includes(marker)) return;
      clearTimeout(timer);
      b.doc.off('update', seen);
      resolve();
    };
    b.doc.on('update', seen);
    a.typeChars(marker);
  });
  return performance.now() - start;
}

/** Round trips at a fast typist's pace (20 keystrokes a second), as a person sees them. */
async function typingRoundTrips(a: Peer, b: Peer, prefix: string, count: number): Promise<number[]> {
  const trips: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    trips.push(await roundTrip(a, b, `${prefix}${i};`));
    const rest = 50 - (performance.now() - started);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  }
  return trips;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Resident memory of a process, in bytes (Linux). */
export function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error('no VmRSS for the server process');
  return Number(kb) * 1024;
}
