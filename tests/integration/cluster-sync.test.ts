import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from '../../server/db/database.ts';
import { postgresSql } from '../../server/db/sql/postgresSql.ts';
import { readStoredDocument } from '../../server/storage/readDocument.ts';
import { sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { freshSchema, TEST_DATABASE_URL, type TestSchema } from '../helpers/postgres.ts';
import { storedSection } from '../helpers/storedSection.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { ApiClient } from '../helpers/api.ts';
import { startCluster } from '../helpers/cluster.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually } from '../helpers/server.ts';
import type { ServerProcess } from '../helpers/serverProcess.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';

let processes: ServerProcess[] = [];
let dataDir: string;
/** With PostgreSQL: the schema the processes share (DATABASE_URL), made fresh for each test. */
let schema: TestSchema | null = null;
const peers: Peer[] = [];

afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await Promise.all(processes.map((p) => p.stop()));
  processes = [];
  rmSync(dataDir, { recursive: true, force: true });
  await schema?.drop();
  schema = null;
});

type Engine = 'sqlite' | 'postgres';

/** Where the processes keep their data: SQLite's file in DATA_DIR, or a fresh PostgreSQL schema. */
async function databaseFor(engine: Engine): Promise<Record<string, string>> {
  if (engine === 'sqlite') return {};
  schema = await freshSchema();
  return { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.name };
}

const nina = { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' as const } };

/** The section as stored in the shared database, read as a restarted server would. */
async function storedDoc(sectionId: string): Promise<Y.Doc> {
  if (schema) {
    const pool = schema.pool({ max: 1 });
    try {
      const stored = await readStoredDocument(postgresSql(pool), sectionDocName(sectionId));
      if (!stored) throw new Error('no stored document');
      const doc = new Y.Doc();
      Y.transact(doc, () => stored.updates.forEach((u) => Y.applyUpdate(doc, u)));
      return doc;
    } finally {
      await pool.end();
    }
  }
  const db = openDatabase(join(dataDir, 'accord.sqlite'));
  try {
    return storedSection(db, sectionId);
  } finally {
    db.close();
  }
}

const storedText = async (sectionId: string) => sectionPlainText(await storedDoc(sectionId));
const storedVector = async (sectionId: string) => Y.decodeStateVector(Y.encodeStateVector(await storedDoc(sectionId)));

/** Olga and Nina in one plan, and a client for each process with the same person's session. */
async function workspace() {
  const [first] = processes;
  const { coordinator, planId, sectionId } = await setUpWorkspace({ url: first!.url });
  const ngo = await addMember({ url: first!.url }, coordinator, planId, 'drafter', nina);
  const at = (process: ServerProcess, client: ApiClient) => {
    const c = new ApiClient(process.url);
    c.cookie = client.cookie;
    return c;
  };
  return { coordinator, ngo, planId, sectionId, at };
}

async function typeFor(typists: Peer[], ms: number): Promise<void> {
  const timers = typists.map((p, i) => setInterval(() => p.typeChars(String.fromCharCode(97 + ((Date.now() + i) % 26))), 9));
  await new Promise((r) => setTimeout(r, ms));
  timers.forEach(clearInterval);
}

describe.each<Engine>(['sqlite', 'postgres'])('several processes serving one section (REDIS_URL), the data in %s', (engine) => {
  it('people typing through three processes converge, with presence, and nothing a log compaction drops', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-'));
    // Each process compacts the log every few rows while the others append to it.
    processes = await startCluster(dataDir, 3, { COMPACT_AFTER_UPDATES: '3', ...(await databaseFor(engine)) });
    const { coordinator, ngo, sectionId } = await workspace();
    const typists = [
      connectPeer(processes[0]!.url, coordinator, sectionId),
      connectPeer(processes[1]!.url, ngo.client, sectionId),
      connectPeer(processes[2]!.url, coordinator, sectionId),
    ];
    peers.push(...typists);
    await Promise.all(typists.map((p) => p.synced()));
    typists.forEach((p, i) => p.typeParagraph(`typist ${i}: `));
    await typeFor(typists, 1200);

    await eventually(() => {
      const texts = typists.map((p) => p.text());
      expect(texts[1]).toBe(texts[0]);
      expect(texts[2]).toBe(texts[0]);
      for (const p of typists) expect(p.isSaved()).toBe(true);
    }, 15_000);
    const text = typists[0]!.text();
    for (let i = 0; i < 3; i++) expect(text).toMatch(new RegExp(`typist ${i}: [a-z]{20,}`));
    expect(await storedText(sectionId)).toBe(text);

    // Nina's caret, published through the second process, is seen through the third.
    typists[1]!.provider.awareness.setLocalStateField('cursor', null);
    await eventually(() => {
      const seen = typists[2]!.provider.awareness.getStates().get(typists[1]!.doc.clientID) as { user?: { name: string } } | undefined;
      expect(seen?.user?.name).toBe('Nina Lawyer');
    });
    // ...and gone there when she leaves.
    typists[1]!.destroy();
    await eventually(() => expect(typists[2]!.provider.awareness.getStates().has(typists[1]!.doc.clientID)).toBe(false));
  });

  it('a removal made through one process closes the person’s editor on another at once', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-'));
    processes = await startCluster(dataDir, 2, await databaseFor(engine));
    const { coordinator, ngo, planId, sectionId } = await workspace();
    const ninaEditor = connectPeer(processes[1]!.url, ngo.client, sectionId);
    peers.push(ninaEditor);
    await ninaEditor.synced();

    const removed = await coordinator.delete(`/api/plans/${planId}/members/${ngo.userId}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    await eventually(() => expect(ninaEditor.closes.map((c) => c.code)).toContain(CloseCode.Forbidden));
  });

  it('kill -9 of one process while people type loses nothing anyone saw as saved; its people go on through another', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-'));
    processes = await startCluster(dataDir, 3, await databaseFor(engine));
    const { coordinator, ngo, sectionId, at } = await workspace();
    const typists = [
      connectPeer(processes[0]!.url, coordinator, sectionId),
      connectPeer(processes[1]!.url, ngo.client, sectionId),
      connectPeer(processes[2]!.url, at(processes[2]!, ngo.client), sectionId),
    ];
    peers.push(...typists);
    await Promise.all(typists.map((p) => p.synced()));
    typists.forEach((p, i) => p.typeParagraph(`typist ${i}: `));

    const typing = typeFor(typists, 900);
    await new Promise((r) => setTimeout(r, 450));
    await processes[2]!.kill9();
    await typing;

    // Everything anyone received, or was told is saved, is in the shared database.
    const stored = await storedVector(sectionId);
    for (const p of typists) {
      expect(p.received.length).toBeGreaterThan(0);
      for (const [client, clock] of p.stored) expect(stored.get(client) ?? 0).toBeGreaterThanOrEqual(clock);
    }

    // The third typist's page reconnects to another process and what it typed meanwhile merges.
    const orphan = typists[2]!;
    orphan.provider.destroy();
    const back = connectPeer(processes[0]!.url, ngo.client, sectionId, { doc: orphan.doc });
    peers.push(back);
    await back.synced();
    orphan.typeChars('!'); // its own paragraph, in the same document
    const live = [typists[0]!, typists[1]!, back];
    await eventually(() => {
      const texts = live.map((p) => p.text());
      expect(texts[1]).toBe(texts[0]);
      expect(texts[2]).toBe(texts[0]);
      for (const p of live) expect(p.isSaved()).toBe(true);
    }, 15_000);
    expect(await storedText(sectionId)).toBe(back.text());
    expect(back.text()).toMatch(/typist 2: [a-z]+!/);
  });
});
