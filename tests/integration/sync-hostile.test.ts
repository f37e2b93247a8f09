import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { readStoredDocument } from '../../server/storage/readDocument.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { CloseCode, MessageType } from '../../shared/protocol.ts';
import { connectPeer, rawSocket, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { refuseDocumentWrites } from '../helpers/refuseWrites.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';

let server: TestServer;
const peers: Peer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

const mallory = {
  name: 'Mallory Drafter',
  email: 'mallory@agency.example',
  organisation: { name: 'Ministry of Interior', side: 'government' as const },
};

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/** An awareness message publishing these presences (clock 1 each). */
function awarenessMessage(entries: Array<{ clientId: number; state: unknown }>): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const { clientId, state } of entries) {
    encoding.writeVarUint(inner, clientId);
    encoding.writeVarUint(inner, 1);
    encoding.writeVarString(inner, JSON.stringify(state));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Awareness);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/** Waits until the server has read everything sent on `raw` so far (it answers in order) and kept the socket open. */
async function readBack(raw: Awaited<ReturnType<typeof rawSocket>>): Promise<void> {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeSyncStep1(e, new Y.Doc());
  raw.ws.send(encoding.toUint8Array(e));
  await eventually(() => expect(raw.messages.some((m) => m[0] === MessageType.Sync && m[1] === syncProtocol.messageYjsSyncStep2)).toBe(true));
  expect(raw.ws.readyState).toBe(raw.ws.OPEN);
}

async function storedText(s: TestServer, sectionId: string): Promise<string> {
  const doc = new Y.Doc();
  for (const u of (await readStoredDocument(s.sql, sectionDocName(sectionId)))!.updates) Y.applyUpdate(doc, u);
  return getSectionBody(doc).toString();
}


describe('a member acting against a colleague', () => {
  it("cannot write under a colleague's Yjs client id to make the server drop their edits", async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const m = await addMember(server, coordinator, planId, 'drafter', mallory);
    const olga = connectPeer(server.url, coordinator, sectionId);
    peers.push(olga);
    await olga.synced();
    olga.typeParagraph('Olga wrote this.');
    await eventually(() => expect(olga.isSaved()).toBe(true));

    // Mallory copies the document, takes Olga's client id (visible in presence) and writes ahead.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(olga.doc));
    forged.clientID = olga.doc.clientID;
    const updates: Uint8Array[] = [];
    forged.on('update', (u: Uint8Array) => updates.push(u));
    getSectionBody(forged).insert(0, [new Y.XmlText('FORGED')]);
    const raw = await rawSocket(server.url, sectionDocName(sectionId), { cookie: m.client.cookie });
    raw.ws.send(updateMessage(updates[0]!));
    // Left out of the update, not a reason to refuse the rest of it (there is nothing else).
    await readBack(raw);

    // Olga's next edits, under her own id, are stored and nothing forged is.
    olga.typeParagraph('And this too.');
    await eventually(() => expect(olga.isSaved()).toBe(true));
    expect(await storedText(server, sectionId)).toContain('And this too.');
    expect(await storedText(server, sectionId)).not.toContain('FORGED');
  });

  it('the claim survives a restart of the server', async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const m = await addMember(server, coordinator, planId, 'drafter', mallory);
    const olga = connectPeer(server.url, coordinator, sectionId);
    await olga.synced();
    olga.typeParagraph('Before the restart.');
    await eventually(() => expect(olga.isSaved()).toBe(true));
    const clientId = olga.doc.clientID;
    const state = Y.encodeStateAsUpdate(olga.doc);
    olga.destroy();
    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ dataDir });

    const forged = new Y.Doc();
    Y.applyUpdate(forged, state);
    forged.clientID = clientId;
    const updates: Uint8Array[] = [];
    forged.on('update', (u: Uint8Array) => updates.push(u));
    getSectionBody(forged).insert(0, [new Y.XmlText('FORGED')]);
    const raw = await rawSocket(server.url, sectionDocName(sectionId), { cookie: m.client.cookie });
    raw.ws.send(updateMessage(updates[0]!));
    await readBack(raw);
    expect(await storedText(server, sectionId)).not.toContain('FORGED');
    raw.ws.close();
  });

  it('cannot flood everyone with fake presences', async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const obs = await addMember(server, coordinator, planId, 'observer', mallory);
    const olga = connectPeer(server.url, coordinator, sectionId);
    peers.push(olga);
    await olga.synced();
    // Every presence Olga's page ever learns of, even one removed again a moment later.
    const seen = new Set<number>();
    olga.provider.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
      for (const id of [...added, ...updated]) seen.add(id);
    });
    const ghosts = Array.from({ length: 50 }, (_, i) => 1000 + i);
    const raw = await rawSocket(server.url, sectionDocName(sectionId), { cookie: obs.client.cookie });
    raw.ws.send(awarenessMessage(ghosts.map((clientId) => ({ clientId, state: { user: { name: `ghost ${clientId}` } } }))));
    expect((await raw.closed).code).toBe(CloseCode.BadMessage);

    // A colleague joins after Mallory was closed. The server relays to Olga in order, so once she
    // sees the colleague, anything the server relayed of Mallory's message has reached her too.
    const colleague = connectPeer(server.url, coordinator, sectionId);
    peers.push(colleague);
    await colleague.synced();
    colleague.provider.awareness.setLocalStateField('cursor', null);
    await eventually(() => expect(seen.has(colleague.doc.clientID)).toBe(true));
    expect(ghosts.filter((id) => seen.has(id))).toEqual([]);
    expect([...olga.provider.awareness.getStates().keys()].sort()).toEqual([olga.doc.clientID, colleague.doc.clientID].sort());
  });
});

describe('someone else’s presence', () => {
  it('a near-limit presence that browsers echo back does not get them disconnected', async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const obs = await addMember(server, coordinator, planId, 'observer', mallory);
    const olga = connectPeer(server.url, coordinator, sectionId);
    peers.push(olga);
    await olga.synced();
    // Just under the server's limit; the server's stamp of who it is takes it over the limit.
    const raw = await rawSocket(server.url, sectionDocName(sectionId), { cookie: obs.client.cookie });
    raw.ws.send(awarenessMessage([{ clientId: 424242, state: { pad: 'x'.repeat(16 * 1024 - 20) } }]));
    await eventually(() => expect(olga.provider.awareness.getStates().has(424242)).toBe(true));
    // Olga's browser relays everyone's presence changes back; then she keeps typing.
    olga.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
    olga.typeParagraph('Still here.');
    await eventually(() => expect(olga.isSaved()).toBe(true));
    expect(olga.closes).toEqual([]);
    expect(olga.provider.wsconnected).toBe(true);
    raw.ws.close();
  });
});

describe('oversized presences', () => {
  it('are skipped for clients the connection does not publish (a stale echo), and refused for its own', async () => {
    server = await startTestServer();
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const raw = await rawSocket(server.url, sectionDocName(sectionId), { cookie: coordinator.cookie });
    raw.ws.send(awarenessMessage([{ clientId: 5150, state: { cursor: null } }]));
    // Someone who left a moment ago, echoed back with their big state: skipped, not an error.
    raw.ws.send(awarenessMessage([{ clientId: 777777, state: { pad: 'x'.repeat(20 * 1024) } }]));
    const probe = Uint8Array.of(MessageType.QueryAwareness);
    raw.ws.send(probe);
    await eventually(() => expect(raw.messages.some((m) => m[0] === MessageType.Awareness && m.includes(Buffer.from('cursor')))).toBe(true));
    expect(raw.messages.some((m) => m.includes(Buffer.from('xxxxxxxx')))).toBe(false);
    // The connection's own presence grown too large: that is an error.
    raw.ws.send(awarenessMessage([{ clientId: 5150, state: { pad: 'x'.repeat(20 * 1024) } }]));
    expect((await raw.closed).code).toBe(CloseCode.BadMessage);
  });
});

describe('sessions', () => {
  it('signing out closes that session’s open sync socket', async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const ngo = await addMember(server, coordinator, planId, 'drafter', mallory);
    const peer = connectPeer(server.url, ngo.client, sectionId);
    const other = connectPeer(server.url, coordinator, sectionId);
    peers.push(peer, other);
    await Promise.all([peer.synced(), other.synced()]);
    expect((await ngo.client.post('/api/auth/sign-out')).status).toBe(204);
    await eventually(() => expect(peer.closes.map((c) => c.code)).toContain(CloseCode.Unauthenticated));
    // Other sessions are untouched.
    expect(other.provider.wsconnected).toBe(true);
  });
});

describe('storage failure', () => {
  it('keeps edits in memory, says they are not saved, and stores them when storage is back', async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const ngo = await addMember(server, coordinator, planId, 'drafter', mallory);
    const a = connectPeer(server.url, coordinator, sectionId);
    const b = connectPeer(server.url, ngo.client, sectionId);
    peers.push(a, b);
    await Promise.all([a.synced(), b.synced()]);

    // The database refuses writes from now on (as with a full disk or a read-only file).
    await refuseDocumentWrites(server, true);
    a.typeParagraph('Typed while storage fails.');
    await eventually(() => expect(a.storageFailing).toBe(true));
    expect(a.isSaved()).toBe(false);
    // Nobody receives what is not stored, and a newcomer is asked to come back later.
    expect(b.text()).not.toContain('Typed while storage fails.');
    const late = await rawSocket(server.url, sectionDocName(sectionId), { cookie: coordinator.cookie });
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MessageType.Sync);
    syncProtocol.writeSyncStep1(step1, new Y.Doc());
    late.ws.send(encoding.toUint8Array(step1));
    expect((await late.closed).code).toBe(CloseCode.StorageUnavailable);

    await refuseDocumentWrites(server, false);
    await eventually(() => expect(a.isSaved()).toBe(true), 15_000);
    await eventually(() => expect(b.text()).toContain('Typed while storage fails.'));
    expect(a.storageFailing).toBe(false);
    expect(await storedText(server, sectionId)).toContain('Typed while storage fails.');
  });
});
