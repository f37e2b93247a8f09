import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { CloseCode, MessageType } from '../../shared/protocol.ts';
import { ApiClient } from '../helpers/api.ts';
import { connectPeer, rawSocket, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { startPresenceFlood } from '../helpers/presenceFlood.ts';
import { spawnServer, type ServerProcess } from '../helpers/serverProcess.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * One member must not be able to make the server unusable for the others (#14, finding 3): ten
 * sockets that never read plus a flood of presence changes once took a server from 725 MB to
 * 1,351 MB and others' round trips to seconds.
 */

let server: TestServer | undefined;
let proc: ServerProcess | undefined;
let dataDir: string | undefined;
const peers: Peer[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.destroy();
  server = undefined;
  await proc?.stop();
  proc = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

const mallory = {
  name: 'Mallory Observer',
  email: 'mallory@watch.example',
  organisation: { name: 'Watchful Citizens', side: 'civil_society' as const },
};

/** An awareness message publishing these presences. */
function awarenessMessage(entries: Array<{ clientId: number; clock: number; state: unknown }>): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(inner, clientId);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, JSON.stringify(state));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Awareness);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/** A socket that stays open but never reads anything the server sends it. */
function stopReading(ws: WebSocket): void {
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

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Resident memory of a process, in bytes (Linux). */
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error('no VmRSS for the server process');
  return Number(kb) * 1024;
}

const MB = 1024 * 1024;

describe('a member flooding presence with ten sockets that never read', () => {
  // A latency bound, as the issue asks; the margin is generous (idle round trips here take a few
  // milliseconds) but this machine is shared and noisy.
  it('leaves others’ round trips under 50 ms at p99, and the server’s memory returns to where it was', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-fair-'));
    // The server in its own process, so its memory is its own to read.
    proc = await spawnServer({ dataDir });
    const url = proc.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace({ url });
    const observer = await addMember({ url }, coordinator, planId, 'observer', mallory);
    const docName = sectionDocName(sectionId);
    const second = new ApiClient(url);
    second.cookie = coordinator.cookie;
    const a = connectPeer(url, coordinator, sectionId);
    const b = connectPeer(url, second, sectionId);
    peers.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    // Warm up (first edits, JIT), then take the server's memory before the attack.
    await typingRoundTrips(a, b, 'w', 40);
    const idle = await typingRoundTrips(a, b, 'i', 200);
    const before = rssOf(proc.child.pid!);

    const nonReaders: WebSocket[] = [];
    for (let i = 0; i < 10; i++) {
      const raw = await rawSocket(url, docName, { cookie: observer.client.cookie });
      stopReading(raw.ws);
      nonReaders.push(raw.ws);
      sockets.push(raw.ws);
    }

    // The flood, from a process of its own (see startPresenceFlood).
    const flood = await startPresenceFlood({ url, docName, cookie: observer.client.cookie });
    const trips = await typingRoundTrips(a, b, 'r', 200);
    const { sent, closes: floodCloses } = await flood.stop();
    const during = rssOf(proc.child.pid!);
    for (const ws of nonReaders) ws.terminate();

    const p50 = percentile(trips, 50);
    const p99 = percentile(trips, 99);
    const idleP99 = percentile(idle, 99);
    // Kept in the test's output for whoever reads a failure.
    console.info(
      `presence flood: ${sent} messages sent, flooding socket closed ${floodCloses.length}×; round trips p50 ${p50.toFixed(1)} ms, ` +
        `p99 ${p99.toFixed(1)} ms (idle p99 ${idleP99.toFixed(1)} ms), max ${Math.max(...trips).toFixed(1)} ms; ` +
        `server RSS ${(before / MB).toFixed(0)} MB before, ` +
        `${(during / MB).toFixed(0)} MB during`,
    );
    expect(sent).toBeGreaterThan(5000);
    // Under 50 ms, as the issue asks. On a machine so loaded that round trips without any flood
    // already reach 25 ms at p99, the bound is twice that idle p99 instead: what is measured is
    // what the flood adds, not what other programs on the machine take.
    expect(p99).toBeLessThan(Math.max(50, 2 * idleP99));
    // The flood is closed with its own code; the well-behaved people are not disconnected.
    expect(floodCloses).toContain(CloseCode.TooManyMessages);
    for (const p of [a, b]) {
      expect(p.closes).toEqual([]);
      expect(p.provider.wsconnected).toBe(true);
    }
    // Once the flooder's sockets are gone, the server's memory is back within 50 MB.
    await eventually(() => expect(rssOf(proc!.child.pid!) - before).toBeLessThan(50 * MB), 30_000, 500);
  }, 180_000);
});

describe('a connection that stops reading', () => {
  it('is closed once the server holds too much unsent data for it, and its page comes back with its own edits', async () => {
    server = await startTestServer({ env: { SYNC_SEND_BUFFER_BYTES: String(256 * 1024) } });
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const ngo = await addMember(server, coordinator, planId, 'drafter', { ...mallory, name: 'Nina Lawyer', email: 'nina@ngo.example' });
    const writer = connectPeer(server.url, coordinator, sectionId);
    const slow = connectPeer(server.url, ngo.client, sectionId);
    peers.push(writer, slow);
    await Promise.all([writer.synced(), slow.synced()]);
    const socket = slow.provider.ws as unknown as WebSocket;
    stopReading(socket);
    // Nina keeps typing on her copy while her connection is stuck.
    slow.typeParagraph('Typed while the connection was stuck.');

    // Olga writes a lot; the server may not keep all of it queued for Nina.
    for (let i = 0; i < 100 && server.sync.connectionCount > 1; i++) {
      writer.typeParagraph(`Paragraph ${i}: ${'text '.repeat(100_000)}`);
      await eventually(() => expect(writer.isSaved()).toBe(true));
    }
    await eventually(() => expect(server!.sync.connectionCount).toBe(1), 10_000);

    // Her page reads again: it reconnects by itself, catches up, and her own edit is kept.
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    writer.typeParagraph('The last paragraph.');
    await eventually(() => expect(slow.text()).toContain('The last paragraph.'), 20_000);
    await eventually(() => expect(writer.text()).toContain('Typed while the connection was stuck.'), 20_000);
    await eventually(() => expect(slow.isSaved()).toBe(true), 20_000);
    // Not a final close: nothing asks her to reload, nothing of her copy was dropped.
    expect(slow.closes).toEqual([]);
  }, 60_000);
});

describe('presence', () => {
  it('a burst of caret moves is merged, not refused, and the last position reaches everyone', async () => {
    server = await startTestServer();
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const second = new ApiClient(server.url);
    second.cookie = coordinator.cookie;
    const mover = connectPeer(server.url, coordinator, sectionId);
    const watcher = connectPeer(server.url, second, sectionId);
    peers.push(mover, watcher);
    await Promise.all([mover.synced(), watcher.synced()]);
    // Far more moves at once than the presence budget lets through (a long selection drag).
    for (let i = 1; i <= 300; i++) mover.provider.awareness.setLocalStateField('cursor', { anchor: i });
    await eventually(() => {
      const cursor = watcher.provider.awareness.getStates().get(mover.doc.clientID)?.cursor as { anchor: number } | undefined;
      expect(cursor?.anchor).toBe(300);
    });
    expect(mover.closes).toEqual([]);
    expect(mover.provider.wsconnected).toBe(true);
  });

  it('a flood of presence changes is cut off with its own code, and others see little of it', async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const observer = await addMember(server, coordinator, planId, 'observer', mallory);
    const olga = connectPeer(server.url, coordinator, sectionId);
    peers.push(olga);
    await olga.synced();
    let changesSeen = 0;
    olga.provider.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
      if ([...added, ...updated].includes(4242)) changesSeen++;
    });
    const raw = await rawSocket(server.url, sectionDocName(sectionId), { cookie: observer.client.cookie });
    sockets.push(raw.ws);
    for (let clock = 1; clock <= 5000; clock++) raw.ws.send(awarenessMessage([{ clientId: 4242, clock, state: { cursor: { anchor: clock } } }]));
    expect((await raw.closed).code).toBe(CloseCode.TooManyMessages);
    // Olga saw at most the burst the budget allows, not thousands of changes.
    await eventually(() => expect(changesSeen).toBeGreaterThan(0));
    expect(changesSeen).toBeLessThan(200);
    expect(olga.closes).toEqual([]);
  });
});

describe('connections per person', () => {
  it('past the cap, a new connection is refused with its own code; others are not affected', async () => {
    server = await startTestServer({ env: { SYNC_CONNECTIONS_PER_PERSON: '3' } });
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const observer = await addMember(server, coordinator, planId, 'observer', mallory);
    const docName = sectionDocName(sectionId);
    const open = [];
    for (let i = 0; i < 3; i++) {
      const raw = await rawSocket(server.url, docName, { cookie: observer.client.cookie });
      sockets.push(raw.ws);
      open.push(raw);
    }
    const fourth = await rawSocket(server.url, docName, { cookie: observer.client.cookie });
    expect((await fourth.closed).code).toBe(CloseCode.TooManyConnections);
    // Someone else still gets in.
    const olga = connectPeer(server.url, coordinator, sectionId);
    peers.push(olga);
    await olga.synced();
    // One closed tab frees a place.
    open[0]!.ws.close();
    await open[0]!.closed;
    await eventually(async () => {
      const again = await rawSocket(server!.url, docName, { cookie: observer.client.cookie });
      sockets.push(again.ws);
      const outcome = await Promise.race([again.closed.then(({ code }) => code), new Promise((r) => setTimeout(() => r('open'), 300))]);
      expect(outcome).toBe('open');
    });
  });
});
