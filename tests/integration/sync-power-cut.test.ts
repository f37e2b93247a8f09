import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from '../../server/db/database.ts';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { storedSection } from '../helpers/storedSection.ts';
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

const databaseFile = (dir: string) => join(dir, 'accord.sqlite');

/** The section as a restarted server would read it from the SQLite file. */
function storedText(dir: string, sectionId: string): string {
  const db = openDatabase(databaseFile(dir));
  try {
    return sectionPlainText(storedSection(db, sectionId));
  } finally {
    db.close();
  }
}

function lastSeq(dir: string, sectionId: string): number {
  const db = new Database(databaseFile(dir), { readonly: true });
  try {
    const row = db.prepare('SELECT max(seq) AS seq FROM document_updates WHERE document_name = ?').get(sectionDocName(sectionId)) as { seq: number };
    return row.seq;
  } finally {
    db.close();
  }
}

/** What a power cut under SQLITE_SYNCHRONOUS=NORMAL may do: the last committed rows are gone. */
function loseRowsAfter(dir: string, sectionId: string, seq: number): number {
  const db = new Database(databaseFile(dir));
  try {
    return db.prepare('DELETE FROM document_updates WHERE document_name = ? AND seq > ?').run(sectionDocName(sectionId), seq).changes;
  } finally {
    db.close();
  }
}

/** Types at the end of the paragraph that starts with `prefix`, as a person whose caret is there would. */
function typeAtEndOf(peer: Peer, prefix: string, chars: string): void {
  for (const node of getSectionBody(peer.doc).toArray()) {
    const text = node instanceof Y.XmlElement ? node.get(0) : null;
    if (text instanceof Y.XmlText && text.toString().startsWith(prefix)) {
      text.insert(text.length, chars);
      return;
    }
  }
  throw new Error(`no paragraph starts with ${prefix}`);
}

async function converged(typists: Peer[]): Promise<void> {
  await eventually(() => {
    expect(new Set(typists.map((p) => p.text())).size, JSON.stringify(typists.map((p) => [p.text(), p.closes]))).toBe(1);
    for (const p of typists) expect(p.isSaved(), JSON.stringify([[...Y.decodeStateVector(Y.encodeStateVector(p.doc))], [...p.stored]])).toBe(true);
  }, 15_000);
}

// About SQLite's own file and its synchronous setting: the spawned process stays on SQLite whatever TEST_ENGINE says.
describe('the server on SQLite loses its last stored updates (a power cut under SQLITE_SYNCHRONOUS=NORMAL)', () => {
  it("stores every person's offline work when they come back with others' lost edits, and everyone converges", async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-power-cut-'));
    proc = await spawnServer({ dataDir });
    const { coordinator, planId, sectionId } = await setUpWorkspace({ url: proc.url });
    const nina = await addMember({ url: proc.url }, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@ngo.example',
      organisation: { name: 'Human Rights Centre', side: 'civil_society' },
    });
    const gary = await addMember({ url: proc.url }, coordinator, planId, 'drafter', {
      name: 'Gary Official',
      email: 'gary@moj.example',
      organisation: { name: 'Ministry of Justice', side: 'government' },
    });
    const typists = [coordinator, nina.client, gary.client].map((c) => {
      const p = connectPeer(proc!.url, c, sectionId);
      peers.push(p);
      return p;
    });
    await Promise.all(typists.map((p) => p.synced()));
    typists.forEach((p, i) => p.typeParagraph(`typist ${i}:`));
    await converged(typists);
    const beforeCut = lastSeq(dataDir, sectionId);

    // Everyone types into a paragraph the first typist starts; each round is stored and
    // received by all, and all of it is then lost.
    typists[0]!.typeParagraph('shared:');
    await converged(typists);
    for (let round = 0; round < 3; round++) {
      for (const [i, p] of typists.entries()) {
        typeAtEndOf(p, 'shared:', ` ${i}.${round}`);
        await converged(typists);
      }
    }
    const lostText = typists[0]!.text();
    await proc.kill9();
    expect(loseRowsAfter(dataDir, sectionId, beforeCut)).toBeGreaterThan(3);
    expect(storedText(dataDir, sectionId)).not.toContain('shared:');

    // Offline, each goes on typing: in their own paragraph, and after the lost words of others.
    for (const p of typists) p.provider.disconnect();
    typists.forEach((p, i) => {
      typeAtEndOf(p, `typist ${i}:`, ` offline ${i}`);
      typeAtEndOf(p, 'shared:', ` after-cut-${i}`);
    });
    const ownWords = typists.map((_, i) => [` offline ${i}`, ` after-cut-${i}`]);

    // Back on the same port. Those who hold others' lost edits come back first, the first typist
    // (whose paragraph the others' typing builds on) last.
    proc = await spawnServer({ dataDir, port: proc.port });
    for (const p of [typists[1]!, typists[2]!, typists[0]!]) {
      p.provider.connect();
      await p.synced();
      // Whoever comes in meanwhile is not handed the parts the server holds back (not stored).
      if (p === typists[2]) expect(p.doc.store.pendingStructs).toBeNull();
    }
    await converged(typists);
    const text = typists[0]!.text();
    for (const words of ownWords) for (const w of words) expect(text).toContain(w);
    for (const line of lostText.split('\n')) expect(text).toContain(line);
    for (const p of typists) expect(p.closes).toEqual([]);

    // And it is all on disk: read back after another restart.
    await proc.stop();
    expect(storedText(dataDir, sectionId)).toBe(text);
  }, 60_000);
});
