/**
 * Opening a large plan from a cold server, memory with every section loaded, and whether memory
 * returns to its baseline after a soak of typing once everyone has left.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { ask, type HostStats } from './processStats.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

const value = async <T>(child: ChildProcess, type: string) => (await ask<{ value: T }>(child, type)).value;
const MB = (b: number) => b / 2 ** 20;

function frame(kind: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, kind);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

interface OpenSection {
  ws: WebSocket;
  doc: Y.Doc;
  /** Time from opening the socket to holding the section's full text. */
  editableMs: number;
}

/** Opens a section as the y-websocket client does and resolves once its content has arrived. */
function openSection(url: string, cookie: string, sectionId: string): Promise<OpenSection> {
  const started = performance.now();
  const doc = new Y.Doc();
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/section.${sectionId}?schema=1`, { headers: { cookie } });
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => ws.send(frame(syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(doc))));
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) !== 0) return;
      const sub = decoding.readVarUint(d);
      const payload = decoding.readVarUint8Array(d);
      if (sub === syncProtocol.messageYjsSyncStep1) ws.send(frame(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(doc, payload)));
      else {
        Y.applyUpdate(doc, payload, 'remote');
        if (sub === syncProtocol.messageYjsSyncStep2) resolve({ ws, doc, editableMs: performance.now() - started });
      }
    });
  });
}

export interface LargePlanResult {
  sections: number;
  characters: number;
  coldStartMs: number;
  outlineMs: number;
  firstSectionEditableMs: number;
  allSectionsEditableMs: number;
  serverMB: {
    idle: number;
    all200Loaded: number;
    afterSoakAndLeave: number;
    baselineHeap: number;
    heapAfterRound1: number;
    heapAfter: number;
  };
  /** Two rounds of `seconds` each. */
  soak: { seconds: number; updates: number };
  leftBehind: { loadedDocuments: number; connections: number; listeners: Record<string, number>; resourcesBefore: Record<string, number>; resourcesAfter: Record<string, number> };
}

export async function runLargePlanBench(soakSeconds = 10): Promise<LargePlanResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-large-'));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(HERE, 'largePlanHost.ts'), 'create', dataDir]);
    const plan = JSON.parse(stdout.trim()) as { planId: string; sectionIds: string[]; cookie: string };

    const host = fork(join(HERE, 'largePlanHost.ts'), ['serve', dataDir], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const forked = performance.now();
    const [ready] = (await once(host, 'message')) as [{ url: string; startMs: number }];
    const coldStartMs = performance.now() - forked;

    let t = performance.now();
    const outline = await fetch(`${ready.url}/api/plans/${plan.planId}`, { headers: { cookie: plan.cookie } });
    const outlineBody = (await outline.json()) as { chapters: Array<{ sections: unknown[] }> };
    const outlineMs = performance.now() - t;
    if (outlineBody.chapters.flatMap((c) => c.sections).length !== plan.sectionIds.length) throw new Error('outline incomplete');

    const idle = (await ask<{ stats: HostStats }>(host, 'gc')).stats;
    const resourcesBefore = await value<Record<string, number>>(host, 'resources');
    // Two rounds of: everyone opens a section, types for a while, leaves. A leak shows as heap
    // growing from round to round once everything is unloaded.
    const round = async () => {
      const first = await openSection(ready.url, plan.cookie, plan.sectionIds[0]!);
      const t0 = performance.now();
      const rest = await Promise.all(plan.sectionIds.slice(1).map((id) => openSection(ready.url, plan.cookie, id)));
      const allMs = performance.now() - t0;
      const open = [first, ...rest];
      const chars = open.reduce((n, s) => n + s.doc.getXmlFragment('body').toString().replace(/<[^>]+>/g, '').length, 0);
      const loadedStats = (await ask<{ stats: HostStats }>(host, 'gc')).stats;
      let sent = 0;
      for (const s of open) {
        s.doc.on('update', (u: Uint8Array, origin: unknown) => {
          if (origin !== 'remote') {
            s.ws.send(frame(syncProtocol.messageYjsUpdate, u));
            sent++;
          }
        });
      }
      const texts = open.map((s) => {
        const p = new Y.XmlElement('paragraph');
        const text = new Y.XmlText('');
        p.insert(0, [text]);
        s.doc.getXmlFragment('body').push([p]);
        return text;
      });
      // Everyone types 5 characters a second.
      const timer = setInterval(() => texts.forEach((text) => text.insert(text.length, 'x')), 200);
      await new Promise((r) => setTimeout(r, soakSeconds * 1000));
      clearInterval(timer);
      for (const s of open) s.ws.close();
      const deadline = Date.now() + 30_000;
      while ((await value<number>(host, 'loaded')) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const afterStats = (await ask<{ stats: HostStats }>(host, 'gc')).stats;
      return { firstMs: first.editableMs, allMs, chars, loadedStats, afterStats, sent };
    };
    const r1 = await round();
    const r2 = await round();
    const first = { editableMs: r1.firstMs };
    const allSectionsEditableMs = r1.allMs;
    const characters = r1.chars;
    const loaded = r1.loadedStats;
    const after = r2.afterStats;
    const updates = r1.sent + r2.sent;
    const result: LargePlanResult = {
      sections: plan.sectionIds.length,
      characters,
      coldStartMs,
      outlineMs,
      firstSectionEditableMs: first.editableMs,
      allSectionsEditableMs,
      serverMB: {
        idle: MB(idle.rssBytes),
        all200Loaded: MB(loaded.rssBytes),
        afterSoakAndLeave: MB(after.rssBytes),
        baselineHeap: MB(idle.heapUsedBytes),
        heapAfterRound1: MB(r1.afterStats.heapUsedBytes),
        heapAfter: MB(after.heapUsedBytes),
      },
      soak: { seconds: soakSeconds, updates },
      leftBehind: {
        loadedDocuments: await value<number>(host, 'loaded'),
        connections: await value<number>(host, 'connections'),
        listeners: await value<Record<string, number>>(host, 'listeners'),
        resourcesBefore,
        resourcesAfter: await value<Record<string, number>>(host, 'resources'),
      },
    };
    host.kill('SIGKILL');
    await once(host, 'exit');
    return result;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
