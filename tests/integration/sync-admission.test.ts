import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { CloseCode, MessageType } from '../../shared/protocol.ts';
import { ApiClient } from '../helpers/api.ts';
import { connectPeer, rawSocket, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';

let server: TestServer;
const peers: Peer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

const ngoPerson = {
  name: 'Nina Lawyer',
  email: 'nina@ngo.example',
  organisation: { name: 'Human Rights Centre', side: 'civil_society' as const },
};

describe('who may open a section document', () => {
  it('refuses unauthenticated, foreign-origin, outdated, unknown and non-member connections with named codes', async () => {
    server = await startTestServer();
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const doc = sectionDocName(sectionId);

    const anonymous = await rawSocket(server.url, doc);
    expect((await anonymous.closed).code).toBe(CloseCode.Unauthenticated);

    const forged = await rawSocket(server.url, doc, { cookie: 'accord_session=forged-token-value' });
    expect((await forged.closed).code).toBe(CloseCode.Unauthenticated);

    const foreign = await rawSocket(server.url, doc, { cookie: coordinator.cookie, origin: 'https://evil.example' });
    expect((await foreign.closed).code).toBe(CloseCode.BadOrigin);

    const outdated = await rawSocket(server.url, doc, { cookie: coordinator.cookie, schemaVersion: 0 });
    expect((await outdated.closed).code).toBe(CloseCode.OutdatedClient);

    for (const name of ['section.doesnotexist1', 'plan.whatever', '../../etc/passwd', 'section.a', '%E0%A4%A']) {
      const bad = await rawSocket(server.url, name, { cookie: coordinator.cookie });
      expect((await bad.closed).code).toBe(CloseCode.NotFound);
    }

    // A person with an account but no membership of this plan.
    const other = await setUpOutsider(server, coordinator);
    const outsider = await rawSocket(server.url, doc, { cookie: other.cookie });
    expect((await outsider.closed).code).toBe(CloseCode.Forbidden);

    // None of this left a document in memory.
    expect(server.sync.loadedDocuments).toBe(0);
  });

  it('the provider stops retrying after a final refusal and reports why', async () => {
    server = await startTestServer();
    const { sectionId } = await setUpWorkspace(server);
    const peer = connectPeer(server.url, new ApiClient(server.url), sectionId);
    peers.push(peer);
    await eventually(() => expect(peer.closes.map((c) => c.code)).toEqual([CloseCode.Unauthenticated]));
    expect(peer.provider.shouldConnect).toBe(false);
  });
});

describe('membership changes reach open connections', () => {
  it("closes a removed member's open connection at once", async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const ngo = await addMember(server, coordinator, planId, 'drafter', ngoPerson);
    const peer = connectPeer(server.url, ngo.client, sectionId);
    peers.push(peer);
    await peer.synced();

    const res = await coordinator.delete(`/api/plans/${planId}/members/${ngo.userId}`);
    expect(res.status).toBeLessThan(300);
    await eventually(() => expect(peer.closes.map((c) => c.code)).toContain(CloseCode.Forbidden));
    // And they cannot come back.
    const again = await rawSocket(server.url, sectionDocName(sectionId), { cookie: ngo.client.cookie });
    expect((await again.closed).code).toBe(CloseCode.Forbidden);
  });

  it('a drafter lowered to commenter is reconnected read-only: their edits stop being applied', async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const ngo = await addMember(server, coordinator, planId, 'drafter', ngoPerson);
    const watcher = connectPeer(server.url, coordinator, sectionId);
    const peer = connectPeer(server.url, ngo.client, sectionId);
    peers.push(watcher, peer);
    await Promise.all([watcher.synced(), peer.synced()]);
    peer.typeParagraph('Written as drafter.');
    await eventually(() => expect(watcher.text()).toContain('Written as drafter.'));

    let disconnected = false;
    peer.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'disconnected') disconnected = true;
    });
    const res = await coordinator.patch(`/api/plans/${planId}/members/${ngo.userId}`, { role: 'commenter' });
    expect(res.status).toBeLessThan(300);
    // The connection is closed with PermissionsChanged and the provider reconnects by itself. (The
    // close may come a moment after the answer: on PostgreSQL, or from another process, the
    // connections are reviewed once the change is committed.)
    await eventually(() => expect(disconnected && peer.provider.wsconnected && peer.provider.synced).toBe(true));
    peer.typeParagraph('Written as commenter.');
    watcher.typeParagraph('Coordinator still writes.');
    await eventually(() => expect(peer.text()).toContain('Coordinator still writes.'));
    expect(watcher.text()).not.toContain('Written as commenter.');
  });
});

describe('bad input', () => {
  it('a malformed or oversized message closes only its own connection', async () => {
    server = await startTestServer({ env: { MAX_MESSAGE_BYTES: '65536' } });
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const a = connectPeer(server.url, coordinator, sectionId);
    peers.push(a);
    await a.synced();

    const garbage: Uint8Array[] = [
      new Uint8Array([MessageType.Sync, 2, 200, 1, 2]), // update whose length runs past the end
      new Uint8Array([MessageType.Sync, 2, 5, 0xff, 0xff, 0xff, 0xff, 0xff]), // not a Yjs update
      new Uint8Array([MessageType.Sync, 9]), // unknown sync message
      new Uint8Array([77]), // unknown message type
      new Uint8Array([MessageType.Awareness, 3, 1, 1, 1]), // truncated awareness
      awarenessWithState('not json'),
    ];
    for (const message of garbage) {
      const raw = await rawSocket(server.url, sectionDocName(sectionId), { cookie: coordinator.cookie });
      raw.ws.send(message);
      expect((await raw.closed).code).toBe(CloseCode.BadMessage);
    }
    const big = await rawSocket(server.url, sectionDocName(sectionId), { cookie: coordinator.cookie });
    big.ws.send(new Uint8Array(70_000));
    expect((await big.closed).code).toBe(CloseCode.MessageTooLarge);

    const text = await rawSocket(server.url, sectionDocName(sectionId), { cookie: coordinator.cookie });
    text.ws.send('hello');
    expect((await text.closed).code).toBe(CloseCode.BadMessage);

    // The well-behaved client never noticed.
    a.typeParagraph('Still working.');
    await eventually(() => expect(a.isSaved()).toBe(true));
    expect(a.provider.wsconnected).toBe(true);
    expect(a.closes).toEqual([]);
  });

  it("awareness carries the server's knowledge of the person, whatever the client claims", async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const ngo = await addMember(server, coordinator, planId, 'drafter', ngoPerson);
    const a = connectPeer(server.url, coordinator, sectionId);
    const b = connectPeer(server.url, ngo.client, sectionId);
    peers.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    b.provider.awareness.setLocalStateField('user', { name: 'Olga Coordinator', organisation: 'Ministry of Foreign Affairs' });
    await eventually(() => {
      const seen = a.provider.awareness.getStates().get(b.doc.clientID) as { user?: { name: string; organisation: string; side: string } };
      expect(seen?.user).toMatchObject({ name: 'Nina Lawyer', organisation: 'Human Rights Centre', side: 'civil_society' });
    });
  });
});

function awarenessWithState(state: string): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, 12345);
  encoding.writeVarUint(inner, 1);
  encoding.writeVarString(inner, state);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Awareness);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/** Someone with an account who is not a member of the workspace's plan: they joined another plan. */
async function setUpOutsider(s: TestServer, coordinator: ApiClient): Promise<ApiClient> {
  const other = await coordinator.post('/api/plans', { title: 'Another plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
  const outsider = await addMember(s, coordinator, other.body.id, 'drafter', {
    name: 'Oscar Outsider',
    email: 'oscar@elsewhere.example',
    organisation: { name: 'Other NGO', side: 'civil_society' },
  });
  void Y;
  return outsider.client;
}
