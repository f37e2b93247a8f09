import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { clusterEnv } from '../helpers/cluster.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import type { ApiClient } from '../helpers/api.ts';
import { serverEdit } from '../helpers/serverEdit.ts';

/**
 * News from another process that arrives late, or not at all (a slow or broken link to Redis). Two
 * servers in this test's process share one database and one Redis; a late message is made by
 * holding back what B's room would receive (its applyRemote) and handing it over later, which is
 * also the path of B's catch-up from storage after a reconnection.
 */
let servers: TestServer[] = [];
const peers: Peer[] = [];
let dataDir: string;
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  for (const s of servers.splice(0)) await s.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const nina = { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' as const } };

/** Two servers on one database and one Redis, with Olga's plan, and Nina in it. */
async function twoServersWithNina() {
  dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-'));
  const env = await clusterEnv();
  const prefix = env.REDIS_PREFIX;
  const a = await startTestServer({ dataDir, env });
  const b = await startTestServer({ dataDir, env });
  servers = [a, b];
  const { coordinator, planId, sectionId } = await setUpWorkspace(a);
  const ngo = await addMember(a, coordinator, planId, 'drafter', nina);
  return { a, b, coordinator, ngo, planId, sectionId, name: sectionDocName(sectionId), prefix, env };
}

/**
 * From now on B's room receives nothing of what other processes store, until `deliver` hands it
 * over (the late message, or B's catch-up from storage: the same path). B's room is reached past
 * the sync server's API, only to delay what it receives.
 */
function delayNewsTo(b: TestServer, name: string) {
  const room = (b.sync as unknown as { rooms: Map<string, any> }).rooms.get(name);
  const applyRemote = room.applyRemote.bind(room);
  const late: Array<[Uint8Array, Array<[number, string]>]> = [];
  room.applyRemote = (u: Uint8Array, o: Array<[number, string]>) => late.push([u, o]);
  return {
    room,
    deliver() {
      room.applyRemote = applyRemote;
      for (const [u, o] of late.splice(0)) applyRemote(u, o);
    },
  };
}

/** Olga writes through A; Nina reads it there, and her page reconnects to B, which has not heard of it. */
async function ninaReconnectsEarly(w: Awaited<ReturnType<typeof twoServersWithNina>>, olgaDoc: Y.Doc) {
  const olgaA = connectPeer(w.a.url, w.coordinator, w.sectionId, { doc: olgaDoc });
  peers.push(olgaA);
  await olgaA.synced();
  olgaA.typeParagraph('Olga via A:');
  await eventually(() => expect(olgaA.isSaved()).toBe(true));
  const ninaDoc = new Y.Doc();
  const ninaA = connectPeer(w.a.url, w.ngo.client, w.sectionId, { doc: ninaDoc });
  await ninaA.synced();
  await eventually(() => expect(ninaA.text()).toContain('Olga via A:'));
  ninaA.destroy();
  const ninaB = connectPeer(w.b.url, w.ngo.client, w.sectionId, { doc: ninaDoc });
  peers.push(ninaB);
  await ninaB.synced();
  return { olgaA, ninaB };
}

/** Someone keeps B's room loaded. */
async function watchAt(server: TestServer, client: ApiClient, sectionId: string) {
  const watcher = connectPeer(server.url, client, sectionId);
  peers.push(watcher);
  await watcher.synced();
}

describe('late news between processes', () => {
  it('edits of this process held back until a late update from another arrives are stored, not only acknowledged', async () => {
    const w = await twoServersWithNina();
    const { a, b, coordinator, sectionId, name } = w;
    // Olga first writes through B (B learns her client id); later her page reconnects to A.
    const olgaDoc = new Y.Doc();
    const olgaB = connectPeer(b.url, coordinator, sectionId, { doc: olgaDoc });
    await olgaB.synced();
    olgaB.typeParagraph('Olga via B.');
    await eventually(() => expect(olgaB.isSaved()).toBe(true));
    olgaB.destroy();
    await watchAt(b, coordinator, sectionId);
    const news = delayNewsTo(b, name);

    const { ninaB } = await ninaReconnectsEarly(w, olgaDoc);
    ninaB.typeChars(' NINA-FIRST');
    await eventually(() => expect(news.room.doc.store.pendingStructs).not.toBeNull()); // held back in B's document

    news.deliver();
    ninaB.typeChars(' NINA-SECOND');
    await eventually(() => expect(ninaB.isSaved()).toBe(true));
    const stored = sectionPlainText((await a.sync.readDocument(name))!);
    expect(stored).toContain('NINA-FIRST');
    expect(stored).toContain('NINA-SECOND');
    await eventually(() => expect(sectionPlainText(a.sync.loadedDocument(name)!)).toContain('NINA-FIRST'));
  });

  it('a client id another process stored first stays its author’s when a page sends that author’s words here', async () => {
    const w = await twoServersWithNina();
    const { a, b, coordinator, sectionId, name } = w;
    await watchAt(b, coordinator, sectionId);
    const news = delayNewsTo(b, name);
    const olgaDoc = new Y.Doc();
    const { olgaA, ninaB } = await ninaReconnectsEarly(w, olgaDoc);
    ninaB.typeChars(' NINA-FIRST');
    await eventually(() => expect(ninaB.isSaved()).toBe(true));
    news.deliver();

    // Olga's page moves to B: what she types there is hers, stored, not taken out as someone else's.
    olgaA.destroy();
    const olgaB = connectPeer(b.url, coordinator, sectionId, { doc: olgaDoc });
    peers.push(olgaB);
    await olgaB.synced();
    olgaB.typeChars(' OLGA-AT-B');
    await eventually(() => expect(olgaB.isSaved()).toBe(true));
    expect(sectionPlainText((await a.sync.readDocument(name))!)).toContain('OLGA-AT-B');
  });

  it('a removal made while another process was cut off from Redis still closes the person’s editor there', async () => {
    const { a, b, coordinator, ngo, planId, sectionId, prefix, env } = await twoServersWithNina();
    const ninaB = connectPeer(b.url, ngo.client, sectionId);
    peers.push(ninaB);
    await ninaB.synced();

    const admin = new Redis(env.REDIS_URL);
    const list = (await admin.client('LIST')) as string;
    const bSub = list.split('\n').filter((l) => l.includes(` name=${prefix}sub:`)).map((l) => /^id=(\d+) /.exec(l)![1]!);
    // Kill only B's listener (the second one to connect), then remove Nina through A at once.
    await admin.client('KILL', 'ID', bSub[bSub.length - 1]!);
    admin.disconnect();
    expect((await coordinator.delete(`/api/plans/${planId}/members/${ngo.userId}`)).status).toBeLessThan(300);
    await eventually(() => expect(ninaB.closes.map((c) => c.code)).toContain(CloseCode.Forbidden), 10_000);
    ninaB.typeParagraph('written after removal');
    await new Promise((r) => setTimeout(r, 500));
    const stored = sectionPlainText((await a.sync.readDocument(sectionDocName(sectionId)))!);
    expect(stored).not.toContain('written after removal');
  });

  it('a sign-off rule change never agrees a section on text another process changed while it was being checked', async () => {
    const { a, b, coordinator, ngo, planId, sectionId, name } = await twoServersWithNina();
    const paragraph = (text: string) => (doc: Y.Doc) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(text)]);
      getSectionBody(doc).push([p]);
    };
    await serverEdit(a, name, planId, paragraph('The State will abolish the death penalty.'));
    const path = `/api/plans/${planId}/sections/${sectionId}`;
    const { currentHash } = (await coordinator.get(`${path}/agreement`)).body as { currentHash: string };
    expect((await ngo.client.post(`${path}/signoffs`, { contentHash: currentHash })).status).toBe(201);

    // B stores an edit right after A first reads the section for the rule change, before A commits.
    const sync = a.sync as unknown as { readDocument: (n: string) => Promise<Y.Doc | null> };
    const read = sync.readDocument.bind(a.sync);
    let armed = true;
    sync.readDocument = async (n: string) => {
      const doc = await read(n);
      if (armed && n === name) {
        armed = false;
        await serverEdit(b, name, planId, paragraph('EXCEPT IN WARTIME'));
      }
      return doc;
    };
    const changed = await coordinator.request('PUT', `/api/plans/${planId}/signoff-rule`, { kind: 'sides', sides: ['civil_society'] });
    sync.readDocument = read;
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(armed).toBe(false);
    const after = (await coordinator.get(`${path}/agreement`)).body as { status: string; currentHash: string; agreedHash: string | null };
    // Nina signed the text before the words were added: it is not agreed on the text as it is now.
    expect(after.status).not.toBe('agreed');
  });
});
