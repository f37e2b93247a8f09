import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from '../../server/db/database.ts';
import { DocumentStore } from '../../server/storage/DocumentStore.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually } from '../helpers/server.ts';
import { spawnServer, type ServerProcess } from '../helpers/serverProcess.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';

let proc: ServerProcess | undefined;
let dataDir: string;
const peers: Peer[] = [];

afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await proc?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Reads a section document straight from the SQLite file, as a restarted server would. The spawned
 * servers keep their data in SQLite whatever TEST_ENGINE says: this is about SQLite's own commits
 * surviving a killed process.
 */
function readStoredDoc(dir: string, sectionId: string): Y.Doc {
  const db = openDatabase(join(dir, 'accord.sqlite'));
  try {
    const stored = new DocumentStore(db).load(sectionDocName(sectionId));
    const doc = new Y.Doc();
    for (const u of stored!.updates) Y.applyUpdate(doc, u);
    return doc;
  } finally {
    db.close();
  }
}

function covers(stored: Map<number, number>, update: Uint8Array): boolean {
  for (const [client, clock] of Y.parseUpdateMeta(update).to) {
    if ((stored.get(client) ?? 0) < clock) return false;
  }
  return true;
}

describe('kill -9 of the server during active typing, on SQLite', () => {
  // Different moments of the kill: early in a burst, mid-stream, later.
  for (const killAfterMs of [150, 420, 900]) {
    it(`loses nothing any client received or saw as saved (kill after ${killAfterMs} ms)`, async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'accord-kill-'));
      proc = await spawnServer({ dataDir });
      const { coordinator, planId, sectionId } = await setUpWorkspace({ url: proc.url });
      const ngo = await addMember({ url: proc.url }, coordinator, planId, 'drafter', {
        name: 'Nina Lawyer',
        email: 'nina@ngo.example',
        organisation: { name: 'Human Rights Centre', side: 'civil_society' },
      });
      const second = new ApiClient(proc.url);
      second.cookie = coordinator.cookie;

      const typists = [coordinator, ngo.client, second].map((c) => {
        const p = connectPeer(proc!.url, c, sectionId);
        peers.push(p);
        return p;
      });
      await Promise.all(typists.map((p) => p.synced()));
      typists.forEach((p, i) => p.typeParagraph(`typist ${i}: `));

      const timers = typists.map((p, i) => setInterval(() => p.typeChars(String.fromCharCode(97 + ((Date.now() + i) % 26))), 7));
      await new Promise((r) => setTimeout(r, killAfterMs));
      await proc.kill9();
      timers.forEach(clearInterval);

      // What each client had received or been told was saved, at the moment of the kill.
      const stored = readStoredDoc(dataDir, sectionId);
      const storedVector = Y.decodeStateVector(Y.encodeStateVector(stored));
      for (const p of typists) {
        expect(p.received.length).toBeGreaterThan(0);
        for (const update of p.received) expect(covers(storedVector, update)).toBe(true);
        for (const [client, clock] of p.stored) expect(storedVector.get(client) ?? 0).toBeGreaterThanOrEqual(clock);
      }

      // The server comes back on the same port; clients reconnect by themselves and converge,
      // each one's unsaved typing included.
      const localTexts = typists.map((p) => p.text());
      proc = await spawnServer({ dataDir, port: proc.port });
      await eventually(() => {
        const texts = typists.map((p) => p.text());
        expect(new Set(texts).size).toBe(1);
        for (const [i, local] of localTexts.entries()) {
          const line = local.split('\n').find((l) => l.startsWith(`typist ${i}: `))!;
          expect(texts[0]).toContain(line);
        }
        for (const p of typists) expect(p.isSaved(), JSON.stringify([[...Y.decodeStateVector(Y.encodeStateVector(p.doc))], [...p.stored]])).toBe(true);
      }, 15_000);
    });
  }
});
