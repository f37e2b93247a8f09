import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { sql } from 'kysely';
import { z } from 'zod';
import { readStoredDocument } from '../../server/storage/readDocument.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { MessageType } from '../../shared/protocol.ts';
import { connectPeer, rawSocket, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { serverEdit } from '../helpers/serverEdit.ts';

let server: TestServer;
const peers: Peer[] = [];
function track(peer: Peer): Peer {
  peers.push(peer);
  return peer;
}

afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

/** The section's text as stored in the database, read without the sync server. */
async function storedText(s: TestServer, sectionId: string): Promise<string> {
  const stored = await readStoredDocument(s.sql, sectionDocName(sectionId));
  const doc = new Y.Doc();
  for (const u of stored?.updates ?? []) Y.applyUpdate(doc, u);
  return getSectionBody(doc).toString();
}

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

describe('live co-drafting of one section', () => {
  it('two people from different organisations converge, and a late joiner receives the full state', async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const ngo = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@ngo.example',
      organisation: { name: 'Human Rights Centre', side: 'civil_society' },
    });

    const a = track(connectPeer(server.url, coordinator, sectionId));
    const b = track(connectPeer(server.url, ngo.client, sectionId));
    await Promise.all([a.synced(), b.synced()]);

    a.typeParagraph('The Ministry of Justice will draft a law on the abolition of the death penalty.');
    b.typeParagraph('Civil society organisations will be consulted on the draft.');
    await eventually(() => {
      expect(a.text()).toContain('consulted on the draft');
      expect(b.text()).toContain('abolition of the death penalty');
      expect(a.text()).toBe(b.text());
    });
    await eventually(() => expect(a.isSaved() && b.isSaved()).toBe(true));

    const late = track(connectPeer(server.url, coordinator, sectionId));
    await late.synced();
    await eventually(() => expect(late.text()).toBe(a.text()));
    expect(server.sync.loadedDocuments).toBe(1);
  });

  it("a person's edits are acknowledged as saved only once they are in the database", async () => {
    server = await startTestServer();
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const a = track(connectPeer(server.url, coordinator, sectionId));
    await a.synced();
    a.typeParagraph('Stored before acknowledged.');
    expect(a.isSaved()).toBe(false);
    await eventually(() => expect(a.isSaved()).toBe(true));
    expect(await storedText(server, sectionId)).toContain('Stored before acknowledged.');
  });

  it('keeps every section after a restart of the server', async () => {
    server = await startTestServer();
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const a = track(connectPeer(server.url, coordinator, sectionId));
    await a.synced();
    a.typeParagraph('Text that must survive a restart.');
    await eventually(() => expect(a.isSaved()).toBe(true));
    a.destroy();
    const dataDir = server.dataDir;
    await server.close();

    server = await startTestServer({ dataDir });
    const cookieClient = coordinator; // sessions are stored in SQLite and survive the restart
    const b = track(connectPeer(server.url, cookieClient, sectionId));
    await b.synced();
    await eventually(() => expect(b.text()).toContain('Text that must survive a restart.'));
  });

  it('unloads a document when the last person leaves and compacts its update log', async () => {
    server = await startTestServer({ env: { COMPACT_AFTER_UPDATES: '5', SECTION_IDLE_GRACE_MS: '0' } });
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const a = track(connectPeer(server.url, coordinator, sectionId));
    await a.synced();
    for (let i = 0; i < 20; i++) {
      a.typeChars(`word${i} `);
      await eventually(() => expect(a.isSaved()).toBe(true));
    }
    const name = sectionDocName(sectionId);
    const updateCount = async () =>
      (await server.sql.theRow(z.object({ n: z.number() }), sql`SELECT count(*) AS n FROM document_updates WHERE document_name = ${name}`)).n;
    expect(await updateCount()).toBeLessThan(6);
    a.destroy();
    await eventually(() => expect(server.sync.loadedDocuments).toBe(0));
    expect(await updateCount()).toBe(1);
    expect(await storedText(server, sectionId)).toContain('word19');
  });
});

describe('edits made by the server itself', () => {
  it('reach everyone in the section and storage, and read back through readDocument', async () => {
    server = await startTestServer({ env: { SECTION_IDLE_GRACE_MS: '0' } });
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const name = sectionDocName(sectionId);
    // Not open by anyone: the edit is stored and the document unloaded again.
    await serverEdit(server, name, planId, (doc) => getSectionBody(doc).insert(0, [new Y.XmlText('Server wrote this.')]));
    expect(server.sync.loadedDocuments).toBe(0);
    expect(await storedText(server, sectionId)).toContain('Server wrote this.');

    // Open: the edit arrives live.
    const a = track(connectPeer(server.url, coordinator, sectionId));
    await a.synced();
    await serverEdit(server, name, planId, (doc) => getSectionBody(doc).insert(0, [new Y.XmlText('And this, live. ')]));
    await eventually(() => expect(getSectionBody(a.doc).toString()).toContain('And this, live.'));
    expect(getSectionBody((await server.sync.readDocument(name))!).toString()).toContain('And this, live.');
    expect(await server.sync.readDocument('section.doesnotexist1')).toBeNull();
  });
});

describe('read-only roles', () => {
  it("an observer's updates are not applied, stored or broadcast", async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const observer = await addMember(server, coordinator, planId, 'observer', {
      name: 'Olaf Observer',
      email: 'olaf@eu.example',
      organisation: { name: 'EU Delegation', side: 'international' },
    });
    const drafter = track(connectPeer(server.url, coordinator, sectionId));
    await drafter.synced();
    drafter.typeParagraph('Agreed wording.');
    await eventually(() => expect(drafter.isSaved()).toBe(true));
    const before = await storedText(server, sectionId);

    // A well-behaved client library writing locally: its updates are sent and must be dropped.
    const obs = track(connectPeer(server.url, observer.client, sectionId));
    await obs.synced();
    await eventually(() => expect(obs.text()).toContain('Agreed wording.'));
    obs.typeParagraph('Observer rewrote this.');

    // A modified client sending a raw update message.
    const evil = new Y.Doc();
    getSectionBody(evil).insert(0, [new Y.XmlText('raw injected text')]);
    const raw = await rawSocket(server.url, sectionDocName(sectionId), { cookie: observer.client.cookie });
    raw.ws.send(updateMessage(Y.encodeStateAsUpdate(evil)));

    // The drafter's own later edit arrives, proving the server processed what came before it.
    drafter.typeParagraph('Later edit.');
    await eventually(() => expect(obs.text()).toContain('Later edit.'));
    expect(drafter.text()).not.toContain('Observer rewrote this.');
    expect(drafter.text()).not.toContain('raw injected text');
    expect(server.sync.loadedDocument(sectionDocName(sectionId))!.getXmlFragment('body').toString()).not.toContain(
      'raw injected text',
    );
    expect(await storedText(server, sectionId)).not.toContain('Observer rewrote');
    expect(await storedText(server, sectionId)).not.toContain('raw injected text');
    expect(await storedText(server, sectionId)).toContain(before.length ? 'Agreed wording.' : '');
    raw.ws.close();
  });
});
