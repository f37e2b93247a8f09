import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { ApiClient } from '../helpers/api.ts';
import { connectPeer, rawSocket, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { CloseCode, MessageType } from '../../shared/protocol.ts';
import { DocumentLockedError } from '../../server/sync/errors.ts';
import { serverEdit } from '../helpers/serverEdit.ts';
import { sql } from 'kysely';
import { col, rowShape } from '../../server/db/rows.ts';

/**
 * Agreed means read-only for everyone, enforced by the sync server: no connection's update to an
 * agreed section is applied, stored or broadcast, coordinators' included.
 */

let server: TestServer;
let coordinator: ApiClient;
let ngo: ApiClient;
let planId: string;
let sectionId: string;
let peers: Peer[] = [];

beforeEach(async () => {
  // Sections unload as soon as nobody has them open, so a test can reload one from storage.
  server = await startTestServer({ env: { SECTION_IDLE_GRACE_MS: '0' } });
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  ngo = (
    await addMember(server, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@hrc.example',
      organisation: { name: 'Human Rights Centre', side: 'civil_society' },
    })
  ).client;
});
afterEach(async () => {
  for (const p of peers) p.destroy();
  peers = [];
  await server.destroy();
});

const sectionPath = () => `/api/plans/${planId}/sections/${sectionId}`;
const docName = () => sectionDocName(sectionId);
const storedRows = async () =>
  (await server.sql.theRow(rowShape({ n: col.int }), sql`SELECT count(*) AS n FROM document_updates WHERE document_name = ${docName()}`)).n;
const storedText = async () => sectionPlainText((await server.sync.readDocument(docName()))!);

/** A peer that also records every close code its socket saw (transient ones included). */
async function editor(client: ApiClient): Promise<Peer & { codes: number[] }> {
  const peer = Object.assign(connectPeer(server.url, client, sectionId), { codes: [] as number[] });
  peer.provider.on('connection-close', (event) => {
    if (event) peer.codes.push(event.code);
  });
  peers.push(peer);
  await peer.synced();
  return peer;
}

/** Resolves once the server handled everything this peer sent before (messages on one socket are handled in order). */
async function roundTrip(peer: Peer): Promise<void> {
  const ws = peer.provider.ws!;
  let answered = false;
  const onMessage = (event: MessageEvent) => {
    if (new Uint8Array(event.data as ArrayBuffer)[0] === MessageType.Awareness) answered = true;
  };
  ws.addEventListener('message', onMessage);
  ws.send(Uint8Array.of(MessageType.QueryAwareness));
  await eventually(() => expect(answered).toBe(true));
  ws.removeEventListener('message', onMessage);
}

function paragraphUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  getSectionBody(doc).insert(0, [paragraph]);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc));
  return encoding.toUint8Array(encoder);
}

async function agree(): Promise<string> {
  const { currentHash } = (await coordinator.get(`${sectionPath()}/agreement`)).body;
  expect((await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).status).toBe(201);
  const res = await ngo.post(`${sectionPath()}/signoffs`, { contentHash: currentHash });
  expect(res.body.status).toBe('agreed');
  return currentHash;
}

describe('an agreed section in the sync server', () => {
  it('applies, stores and broadcasts no update from any connection; editors are reconnected read-only', async () => {
    const olga = await editor(coordinator);
    const nina = await editor(ngo);
    olga.typeParagraph('Agreed wording.');
    await eventually(() => expect(nina.text()).toContain('Agreed wording.'));
    await eventually(() => expect(olga.isSaved()).toBe(true));

    const hash = await agree();
    // Both editors were closed with PermissionsChanged, reconnected by themselves, and stay connected.
    await eventually(() => {
      expect(olga.codes).toContain(CloseCode.PermissionsChanged);
      expect(nina.codes).toContain(CloseCode.PermissionsChanged);
      expect(olga.provider.wsconnected && olga.provider.synced).toBe(true);
      expect(nina.provider.wsconnected && nina.provider.synced).toBe(true);
    });
    const rows = await storedRows();
    const ninaReceived = nina.received.length;

    // The coordinator's own editor tries to write.
    olga.typeParagraph('Coordinator edit after agreement.');
    await roundTrip(olga);
    // A hand-made update on a raw socket, as the coordinator.
    const raw = await rawSocket(server.url, docName(), { cookie: coordinator.cookie });
    await eventually(() => expect(raw.messages.some((m) => m[0] === MessageType.SaveStatus)).toBe(true));
    raw.ws.send(paragraphUpdate('Raw edit after agreement.'));
    const seen = raw.messages.length;
    raw.ws.send(Uint8Array.of(MessageType.QueryAwareness));
    await eventually(() => expect(raw.messages.slice(seen).some((m) => m[0] === MessageType.Awareness)).toBe(true));

    // Not applied, not stored, not broadcast.
    const loaded = sectionPlainText(server.sync.loadedDocument(docName())!);
    expect(loaded).toContain('Agreed wording.');
    expect(loaded).not.toContain('after agreement');
    expect(await storedText()).not.toContain('after agreement');
    expect(await storedRows()).toBe(rows);
    expect(nina.received.length).toBe(ninaReceived);
    expect(nina.text()).not.toContain('after agreement');
    expect(raw.messages.slice(seen).some((m) => m[0] === MessageType.Sync && m[1] === syncProtocol.messageYjsUpdate)).toBe(false);
    // Nobody was thrown out: they read on.
    expect(raw.ws.readyState).toBe(WebSocket.OPEN);
    expect(olga.provider.wsconnected && nina.provider.wsconnected).toBe(true);
    expect(olga.closes).toEqual([]);
    expect((await coordinator.get(`${sectionPath()}/agreement`)).body).toMatchObject({ status: 'agreed', currentHash: hash });
    raw.ws.close();
    await raw.closed;
  });

  it('is locked when its document is loaded again later, and editable again once reopened', async () => {
    const olga = await editor(coordinator);
    olga.typeParagraph('Agreed wording.');
    await eventually(() => expect(olga.isSaved()).toBe(true));
    await agree();
    olga.destroy();
    await eventually(() => expect(server.sync.loadedDocument(docName())).toBeUndefined());

    // Loaded from storage with the section agreed: locked from the start.
    const raw = await rawSocket(server.url, docName(), { cookie: coordinator.cookie });
    await eventually(() => expect(raw.messages.some((m) => m[0] === MessageType.SaveStatus)).toBe(true));
    raw.ws.send(paragraphUpdate('Written into a cold agreed section.'));
    const seen = raw.messages.length;
    raw.ws.send(Uint8Array.of(MessageType.QueryAwareness));
    await eventually(() => expect(raw.messages.slice(seen).some((m) => m[0] === MessageType.Awareness)).toBe(true));
    expect(await storedText()).not.toContain('cold agreed');

    // Reopened: the raw socket (an editor) is told to reconnect; a drafter's edit is applied.
    const nina = await editor(ngo);
    const reopened = await coordinator.post(`${sectionPath()}/reopen`, { reason: 'A deadline must change' });
    expect(reopened.status).toBe(200);
    expect((await raw.closed).code).toBe(CloseCode.PermissionsChanged);
    await eventually(() => {
      expect(nina.codes).toContain(CloseCode.PermissionsChanged);
      expect(nina.provider.wsconnected && nina.provider.synced).toBe(true);
    });
    nina.typeParagraph('Amended after reopening.');
    await eventually(() => expect(nina.isSaved()).toBe(true));
    expect(await storedText()).toContain('Amended after reopening.');
  });

  it('refuses server-side edits (restores) of an agreed section', async () => {
    await agree();
    await expect(
      serverEdit(server, docName(), planId, (doc) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText('Restored over an agreed text')]);
        getSectionBody(doc).insert(0, [p]);
      }),
    ).rejects.toThrow(DocumentLockedError);
    expect(await storedText()).not.toContain('Restored');
  });
});
