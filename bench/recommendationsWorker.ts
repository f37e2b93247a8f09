/**
 * One measured run of the recommendations registry at a given size (#19, acceptance 5). Accord
 * runs in a process of its own (recommendationsHost.ts); this driver, meanwhile:
 * - asks for a plan page (GET /api/plans/:id) every 10 ms as a second drafter, and
 * - types a character every 50 ms into a section over one sync connection and times its echo on a
 *   second connection (the same person's other tab),
 * first on the idle server, then while a generated UPR Info export is previewed, committed and
 * undone through the HTTP API, as a coordinator would. For each phase it records the longest (and
 * median) wait of each probe; then the commit time, the registry's query times (once the import is
 * in) and the server's memory: before the import, at its peak, and after the undo (each after a
 * full garbage collection). Prints one JSON line.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { generateUprInfoCsv } from '../server/import/generate.ts';
import { DOC_SCHEMA_VERSION } from '../shared/doc/schema.ts';
import { SCHEMA_VERSION_PARAM } from '../shared/protocol.ts';
import { ask, type HostStats } from './processStats.ts';
import type { RecommendationsHostReady } from './recommendationsHost.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const rows = Number(process.argv[2] ?? 40_000);
const IDLE_MS = 3000;
const REQUEST_EVERY_MS = 10;
const TYPE_EVERY_MS = 50;

type Phase = 'idle' | 'preview' | 'commit' | 'undo';
const PHASES: Phase[] = ['idle', 'preview', 'commit', 'undo'];
const samples: Record<'request' | 'sync', Record<Phase, number[]>> = {
  request: { idle: [], preview: [], commit: [], undo: [] },
  sync: { idle: [], preview: [], commit: [], undo: [] },
};
let phase: Phase | null = null;

const MB = 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the request probe ----

/** GETs the plan page every REQUEST_EVERY_MS until stopped; each wait goes to the current phase. */
let connectionResets = 0;
async function requestProbe(url: string, cookie: string, stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    const started = performance.now();
    // Counted in the phase it was asked in: one asked while the server was busy with something
    // else (the timed queries between commit and undo) is not the next phase's wait.
    const askedIn = phase;
    let res: Response;
    try {
      res = await fetch(url, { headers: { cookie } });
    } catch {
      // A kept-alive connection the server closed as it was reused: asked again on a new one, and
      // the wait counts from the first try.
      connectionResets += 1;
      res = await fetch(url, { headers: { cookie, connection: 'close' } });
    }
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`plan page answered ${res.status}`);
    const took = performance.now() - started;
    if (askedIn) samples.request[askedIn].push(took);
    await sleep(Math.max(0, REQUEST_EVERY_MS - took));
  }
}

// ---- the sync probe ----

function syncMessage(kind: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, kind);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** A sync connection to a section, its document kept up to date; `onUpdate` sees every remote update. */
function openSection(ready: RecommendationsHostReady, cookie: string, onUpdate: (update: Uint8Array) => void) {
  const doc = new Y.Doc();
  const ws = new WebSocket(
    `${ready.url.replace(/^http/, 'ws')}/sync/section.${ready.sectionId}?${SCHEMA_VERSION_PARAM}=${DOC_SCHEMA_VERSION}`,
    { headers: { cookie }, perMessageDeflate: false },
  );
  ws.binaryType = 'nodebuffer';
  const synced = new Promise<void>((resolve, reject) => {
    ws.on('close', (code: number, reason: Buffer) => reject(new Error(`sync closed: ${code} ${String(reason)}`)));
    ws.on('error', reject);
    ws.on('open', () => ws.send(syncMessage(syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(doc))));
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (decoding.readVarUint(d) !== 0) return; // awareness, save status
      const sub = decoding.readVarUint(d);
      const payload = decoding.readVarUint8Array(d);
      if (sub === syncProtocol.messageYjsSyncStep1) {
        ws.send(syncMessage(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(doc, payload)));
        return;
      }
      Y.applyUpdate(doc, payload, 'remote');
      if (sub === syncProtocol.messageYjsSyncStep2) resolve();
      else onUpdate(payload);
    });
  });
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote' && ws.readyState === ws.OPEN) ws.send(syncMessage(syncProtocol.messageYjsUpdate, update));
  });
  return { doc, ws, synced };
}

/** Types into the section on one connection and times each keystroke's arrival on the other. */
async function startSyncProbe(ready: RecommendationsHostReady, cookie: string) {
  const sent = new Map<string, { at: number; phase: Phase | null }>();
  const reader = openSection(ready, cookie, (update) => {
    const now = performance.now();
    const meta = Y.parseUpdateMeta(update);
    for (const [client, to] of meta.to) {
      for (let clock = (meta.from.get(client) ?? 0) + 1; clock <= to; clock++) {
        const s = sent.get(`${client}:${clock}`);
        if (!s) continue;
        sent.delete(`${client}:${clock}`);
        // Counted in the phase the keystroke was made in.
        if (s.phase) samples.sync[s.phase].push(now - s.at);
      }
    }
  });
  const writer = openSection(ready, cookie, () => {});
  await Promise.all([reader.synced, writer.synced]);
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText('');
  paragraph.insert(0, [text]);
  const body = writer.doc.getXmlFragment('body');
  body.insert(body.length, [paragraph]);
  await sleep(200);
  const timer = setInterval(() => {
    // One character: the update runs from the writer's clock to clock + 1, the key the reader
    // finds it by (as in sync.ts).
    const clock = Y.getState(writer.doc.store, writer.doc.clientID);
    sent.set(`${writer.doc.clientID}:${clock + 1}`, { at: performance.now(), phase });
    text.insert(text.length, 'abcdefghij'[text.length % 10]!);
  }, TYPE_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      reader.ws.terminate();
      writer.ws.terminate();
      // Keystrokes never echoed count as waits as long as the run.
      return sent.size;
    },
  };
}

// ---- the run ----

const host = fork(join(HERE, 'recommendationsHost.ts'), [], {
  execArgv: ['--import', 'tsx', '--expose-gc'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
// A failed run takes its server with it.
process.on('exit', () => host.kill('SIGKILL'));
const { ready } = await ask<{ ready: RecommendationsHostReady }>(host, 'ready');
const [coordinator, drafter] = ready.cookies;
const api = `${ready.url}/api/plans/${ready.planId}`;
const post = async (path: string, body: BodyInit, contentType: string) => {
  const started = performance.now();
  const res = await fetch(`${api}${path}`, { method: 'POST', body, headers: { cookie: coordinator, origin: ready.url, 'content-type': contentType } });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
  return { json, ms: performance.now() - started };
};
const serverStats = async () => (await ask<{ stats: HostStats }>(host, 'gc')).stats;

const csv = Buffer.from(generateUprInfoCsv(rows, 7));
const before = await serverStats();

let stopped = false;
const probe = requestProbe(api, drafter, () => stopped);
const sync = await startSyncProbe(ready, drafter);

phase = 'idle';
await sleep(IDLE_MS);

phase = 'preview';
const preview = await post('/imports/preview?filename=upr-info-export.csv', csv, 'application/octet-stream');
phase = 'commit';
const commit = await post(`/imports/${String(preview.json.previewId)}/commit`, '{}', 'application/json');
phase = null;
await sleep(500);
const afterCommit = await serverStats();
const query = (await ask<{ value: Record<string, number> }>(host, 'queries')).value;
phase = 'undo';
const undo = await post(`/imports/${String(commit.json.id)}/undo`, '{}', 'application/json');
phase = null;
await sleep(500);
stopped = true;
await probe;
const unechoed = sync.stop();
const afterUndo = await serverStats();
host.kill('SIGKILL');
await once(host, 'exit');

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { samples: s.length, p50: s[Math.floor(s.length / 2)] ?? NaN, max: s.at(-1) ?? NaN };
};
const counts = (preview.json.counts ?? {}) as Record<string, number>;
const result = {
  rows,
  recommendations: Number(commit.json.created),
  toCreate: counts.create,
  csvMB: csv.byteLength / MB,
  previewMs: preview.ms,
  commitMs: commit.ms,
  undoMs: undo.ms,
  /** Longest and median wait of each probe in each phase, ms. */
  request: Object.fromEntries(PHASES.map((p) => [p, stat(samples.request[p])])),
  sync: Object.fromEntries(PHASES.map((p) => [p, stat(samples.sync[p])])),
  unechoedKeystrokes: unechoed,
  connectionResets,
  memoryMB: {
    beforeImport: before.rssBytes / MB,
    afterCommit: afterCommit.rssBytes / MB,
    afterUndo: afterUndo.rssBytes / MB,
    peak: afterUndo.peakRssBytes / MB,
    heapBeforeImport: before.heapUsedBytes / MB,
    heapAfterUndo: afterUndo.heapUsedBytes / MB,
  },
  query,
};
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
