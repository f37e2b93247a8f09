import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { requireRedis, TEST_REDIS_URL } from '../helpers/cluster.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';

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

describe('late news between processes', () => {
  it('edits of this process held back until a late update from another arrives are stored, not only acknowledged', async () => {
    await requireRedis();
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-'));
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `accord-test-${randomUUID()}:` };
    const a = await startTestServer({ dataDir, env });
    const b = await startTestServer({ dataDir, env });
    servers = [a, b];
    const { coordinator, planId, sectionId } = await setUpWorkspace(a);
    const name = sectionDocName(sectionId);
    const nina = await addMember(a, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'HRC', side: 'civil_society' },
    });

    // Olga first writes through B (B learns her client id), then her page reconnects to A.
    const olgaDoc = new Y.Doc();
    const olgaB = connectPeer(b.url, coordinator, sectionId, { doc: olgaDoc });
    await olgaB.synced();
    olgaB.typeParagraph('Olga via B.');
    await eventually(() => expect(olgaB.isSaved()).toBe(true));
    olgaB.destroy();
    // Someone else keeps B's room loaded.
    const watcher = connectPeer(b.url, coordinator, sectionId);
    peers.push(watcher);
    await watcher.synced();

    // B misses (for now) what A publishes: the Redis message is late / lost until catch-up.
    // B's room, reached past the sync server's API: only to delay what it receives.
    const roomB = (b.sync as unknown as { rooms: Map<string, any> }).rooms.get(name);
    const applyRemote = roomB.applyRemote.bind(roomB);
    const late: Array<[Uint8Array, Array<[number, string]>]> = [];
    roomB.applyRemote = (u: Uint8Array, o: Array<[number, string]>) => late.push([u, o]);

    const olgaA = connectPeer(a.url, coordinator, sectionId, { doc: olgaDoc });
    peers.push(olgaA);
    await olgaA.synced();
    olgaA.typeParagraph('Olga via A:');
    await eventually(() => expect(olgaA.isSaved()).toBe(true));

    // Nina reads it at A, then her page reconnects to B and types after Olga's words.
    const ninaDoc = new Y.Doc();
    const ninaA = connectPeer(a.url, nina.client, sectionId, { doc: ninaDoc });
    await ninaA.synced();
    await eventually(() => expect(ninaA.text()).toContain('Olga via A:'));
    ninaA.destroy();
    const ninaB = connectPeer(b.url, nina.client, sectionId, { doc: ninaDoc });
    peers.push(ninaB);
    await ninaB.synced();
    ninaB.typeChars(' NINA-FIRST');
    await new Promise((r) => setTimeout(r, 300));
    expect(roomB.doc.store.pendingStructs).not.toBeNull(); // held back in B's document

    // The late message arrives (or B catches up from storage): same path, applyRemote.
    for (const [u, o] of late) applyRemote(u, o);
    roomB.applyRemote = applyRemote;
    ninaB.typeChars(' NINA-SECOND');
    await eventually(() => expect(ninaB.isSaved()).toBe(true));
    const stored = sectionPlainText(a.sync.readDocument(name)!);
    await new Promise((r) => setTimeout(r, 300));
    expect(stored).toContain('NINA-FIRST');
  });

  it('a client id another process stored first stays its author’s when a page sends that author’s words here', async () => {
    await requireRedis();
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-'));
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `accord-test-${randomUUID()}:` };
    const a = await startTestServer({ dataDir, env });
    const b = await startTestServer({ dataDir, env });
    servers = [a, b];
    const { coordinator, planId, sectionId } = await setUpWorkspace(a);
    const name = sectionDocName(sectionId);
    const nina = await addMember(a, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'HRC', side: 'civil_society' },
    });

    const olgaDoc = new Y.Doc();
    // Someone else keeps B's room loaded.
    const watcher = connectPeer(b.url, coordinator, sectionId);
    peers.push(watcher);
    await watcher.synced();

    // B misses (for now) what A publishes: the Redis message is late / lost until catch-up.
    // B's room, reached past the sync server's API: only to delay what it receives.
    const roomB = (b.sync as unknown as { rooms: Map<string, any> }).rooms.get(name);
    const applyRemote = roomB.applyRemote.bind(roomB);
    const late: Array<[Uint8Array, Array<[number, string]>]> = [];
    roomB.applyRemote = (u: Uint8Array, o: Array<[number, string]>) => late.push([u, o]);

    const olgaA = connectPeer(a.url, coordinator, sectionId, { doc: olgaDoc });
    peers.push(olgaA);
    await olgaA.synced();
    olgaA.typeParagraph('Olga via A:');
    await eventually(() => expect(olgaA.isSaved()).toBe(true));

    // Nina reads it at A, then her page reconnects to B and types after Olga's words.
    const ninaDoc = new Y.Doc();
    const ninaA = connectPeer(a.url, nina.client, sectionId, { doc: ninaDoc });
    await ninaA.synced();
    await eventually(() => expect(ninaA.text()).toContain('Olga via A:'));
    ninaA.destroy();
    const ninaB = connectPeer(b.url, nina.client, sectionId, { doc: ninaDoc });
    peers.push(ninaB);
    await ninaB.synced();
    ninaB.typeChars(' NINA-FIRST');
    await eventually(() => expect(ninaB.isSaved()).toBe(true));
    for (const [u, o] of late) applyRemote(u, o);
    roomB.applyRemote = applyRemote;
    olgaA.destroy();
    const olgaB2 = connectPeer(b.url, coordinator, sectionId, { doc: olgaDoc });
    peers.push(olgaB2);
    await olgaB2.synced();
    olgaB2.typeChars(' OLGA-AT-B');
    await eventually(() => expect(olgaB2.isSaved()).toBe(true));
    expect(sectionPlainText(a.sync.readDocument(name)!)).toContain('OLGA-AT-B');
  });

  it('a removal made while another process was cut off from Redis still closes the person’s editor there', async () => {
    await requireRedis();
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-'));
    const prefix = `accord-test-${randomUUID()}:`;
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix };
    const a = await startTestServer({ dataDir, env });
    const b = await startTestServer({ dataDir, env });
    servers = [a, b];
    const { coordinator, planId, sectionId } = await setUpWorkspace(a);
    const nina = await addMember(a, coordinator, planId, 'drafter', { name: 'Nina', email: 'nina@ngo.example', organisation: { name: 'HRC', side: 'civil_society' } });
    const ninaB = connectPeer(b.url, nina.client, sectionId);
    peers.push(ninaB);
    await ninaB.synced();

    const admin = new Redis(TEST_REDIS_URL);
    const list = (await admin.client('LIST')) as string;
    const bSub = list.split('\n').filter((l) => l.includes(` name=${prefix}sub:`)).map((l) => /^id=(\d+) /.exec(l)![1]!);
    // Kill only B's listener (the second one to connect), then remove Nina through A at once.
    await admin.client('KILL', 'ID', bSub[bSub.length - 1]!);
    admin.disconnect();
    expect((await coordinator.delete(`/api/plans/${planId}/members/${nina.userId}`)).status).toBeLessThan(300);
    await eventually(() => expect(ninaB.closes.map((c) => c.code)).toContain(CloseCode.Forbidden), 10_000);
    ninaB.typeParagraph('written after removal');
    await new Promise((r) => setTimeout(r, 500));
    const stored = sectionPlainText(a.sync.readDocument(sectionDocName(sectionId))!);
    expect(stored).not.toContain('written after removal');
  });

  it('a sign-off rule change never agrees a section on text another process changed while it was being checked', async () => {
    await requireRedis();
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-'));
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `accord-test-${randomUUID()}:` };
    const a = await startTestServer({ dataDir, env });
    const b = await startTestServer({ dataDir, env });
    servers = [a, b];
    const { coordinator, planId, sectionId } = await setUpWorkspace(a);
    const name = sectionDocName(sectionId);
    const ngo = await addMember(a, coordinator, planId, 'drafter', { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' } });
    const paragraph = (text: string) => (doc: Y.Doc) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(text)]);
      getSectionBody(doc).push([p]);
    };
    a.sync.editDocument(name, planId, paragraph('The State will abolish the death penalty.'));
    const path = `/api/plans/${planId}/sections/${sectionId}`;
    const { currentHash } = (await coordinator.get(`${path}/agreement`)).body as { currentHash: string };
    expect((await ngo.client.post(`${path}/signoffs`, { contentHash: currentHash })).status).toBe(201);

    // B stores an edit right after A first reads the section for the rule change, before A commits.
    const sync = a.sync as unknown as { readDocument: (n: string) => Y.Doc | null };
    const read = sync.readDocument.bind(a.sync);
    let armed = true;
    sync.readDocument = (n: string) => {
      const doc = read(n);
      if (armed && n === name) {
        armed = false;
        b.sync.editDocument(name, planId, paragraph('EXCEPT IN WARTIME'));
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
