import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { absolutePositionToRelativePosition } from '@tiptap/y-tiptap';
import { openPlanEvents } from '../helpers/events.ts';
import { connectPeer, rawSocket, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { MessageType } from '../../shared/protocol.ts';
import { ThreadListSchema, type Thread } from '../../shared/api/index.ts';

let server: TestServer;
const peers: Peer[] = [];
const track = (p: Peer) => (peers.push(p), p);
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
const firstText = (doc: Y.Doc) => (getSectionBody(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
const plain = (t: Y.XmlText) => (t.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');

/** The anchor a browser makes with y-tiptap for characters [from, to) of the first paragraph. */
function clientAnchor(doc: Y.Doc, from: number, to: number, quote: string) {
  const body = getSectionBody(doc);
  const paragraph = body.get(0);
  const mapping = new Map([[paragraph, { nodeSize: firstText(doc).length + 2 }]]) as unknown as Parameters<typeof absolutePositionToRelativePosition>[2];
  const rel = (pos: number) => b64(Y.encodeRelativePosition(absolutePositionToRelativePosition(1 + pos, body, mapping)));
  return { start: rel(from), end: rel(to), quote };
}

/** The text between two relative positions that resolve into one Y.XmlText (null when they do not). */
function textBetweenRelative(doc: Y.Doc, start: string, end: string): string | null {
  const s = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(start, 'base64')), doc);
  const e = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(end, 'base64')), doc);
  if (!s || !e || s.type !== e.type || !(s.type instanceof Y.XmlText)) return null;
  return plain(s.type).slice(s.index, e.index);
}

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

const person = (key: string, side: 'government' | 'civil_society' | 'international') => ({
  name: `Person ${key}`,
  email: `${key.toLowerCase()}@comments.example`,
  organisation: { name: `Organisation ${key}`, side },
});

const SENTENCE = 'The Ministry will abolish the death penalty by 2028.';
const PHRASE = 'abolish the death penalty';

describe('comment anchors on the live text', () => {
  it('stay on the phrase through concurrent inserts before, inside and after it, and detach when it is deleted', async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const d1 = await addMember(server, coordinator, planId, 'drafter', person('DrafterOne', 'civil_society'));
    const d2 = await addMember(server, coordinator, planId, 'drafter', person('DrafterTwo', 'international'));
    const commenter = await addMember(server, coordinator, planId, 'commenter', person('Commenter', 'civil_society'));

    const writer = track(connectPeer(server.url, coordinator, sectionId));
    await writer.synced();
    writer.typeParagraph(SENTENCE);
    const reader = track(connectPeer(server.url, commenter.client, sectionId));
    await reader.synced();
    await eventually(() => expect(reader.text()).toContain(SENTENCE));

    const at = SENTENCE.indexOf(PHRASE);
    const anchor = clientAnchor(reader.doc, at, at + PHRASE.length, PHRASE);
    const created = await commenter.client.post(`/api/plans/${planId}/sections/${sectionId}/threads`, { anchor, body: 'Say when exactly.' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.detached).toBe(false);

    // Two other drafters type into the same paragraph at once, before, inside and after the phrase.
    const a = track(connectPeer(server.url, d1.client, sectionId));
    const b = track(connectPeer(server.url, d2.client, sectionId));
    await Promise.all([a.synced(), b.synced()]);
    await eventually(() => expect(a.text() + b.text()).toBe(SENTENCE + SENTENCE));
    firstText(a.doc).insert(0, 'Firmly, ');
    firstText(a.doc).insert(firstText(a.doc).length, ' Agreed.');
    firstText(b.doc).insert(at + 'abolish'.length, ' fully');
    const expected = 'Firmly, The Ministry will abolish fully the death penalty by 2028. Agreed.';
    await eventually(async () => {
      expect(a.text()).toBe(expected);
      expect(b.text()).toBe(expected);
      expect(sectionPlainText((await server.sync.readDocument(sectionDocName(sectionId)))!)).toBe(expected);
    });

    const threads = ThreadListSchema.parse((await coordinator.get(`/api/plans/${planId}/sections/${sectionId}/threads`)).body);
    expect(threads).toHaveLength(1);
    const thread = threads[0]!;
    expect(thread.detached).toBe(false);
    expect(thread.quote).toBe(PHRASE);
    const serverDoc = (await server.sync.readDocument(sectionDocName(sectionId)))!;
    expect(textBetweenRelative(serverDoc, thread.anchor.start, thread.anchor.end)).toBe('abolish fully the death penalty');

    // Deleting the phrase entirely: the thread stays, detached, with its quote.
    const now = plain(firstText(a.doc));
    const del = 'abolish fully the death penalty';
    firstText(a.doc).delete(now.indexOf(del), del.length);
    await eventually(async () => expect(sectionPlainText((await server.sync.readDocument(sectionDocName(sectionId)))!)).not.toContain('death'));
    const after = ThreadListSchema.parse((await coordinator.get(`/api/plans/${planId}/sections/${sectionId}/threads`)).body);
    expect(after.map((t: Thread) => [t.id, t.detached, t.quote])).toEqual([[thread.id, true, PHRASE]]);
  });

  it("refuses a commenter's text changes on the sync socket, while storing and broadcasting their comment", async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const commenter = await addMember(server, coordinator, planId, 'commenter', person('Commenter', 'civil_society'));
    const drafter = await addMember(server, coordinator, planId, 'drafter', person('Drafter', 'government'));
    const docName = sectionDocName(sectionId);

    const writer = track(connectPeer(server.url, drafter.client, sectionId));
    await writer.synced();
    writer.typeParagraph(SENTENCE);
    await eventually(async () => expect(sectionPlainText((await server.sync.readDocument(docName))!)).toBe(SENTENCE));

    // A raw update message that appends a paragraph: dropped.
    const socket = await rawSocket(server.url, docName, { cookie: commenter.client.cookie });
    await eventually(() => expect(socket.messages.some((m) => m[0] === MessageType.SaveStatus)).toBe(true));
    const forged = new Y.Doc();
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('Forged by the commenter')]);
    getSectionBody(forged).insert(0, [p]);
    socket.ws.send(updateMessage(Y.encodeStateAsUpdate(forged)));
    const seen = socket.messages.length;
    socket.ws.send(Uint8Array.of(MessageType.QueryAwareness));
    await eventually(() => expect(socket.messages.slice(seen).some((m) => m[0] === MessageType.Awareness)).toBe(true));

    // A commenter's editor typing: dropped too.
    const typing = track(connectPeer(server.url, commenter.client, sectionId));
    await typing.synced();
    await eventually(() => expect(typing.text()).toBe(SENTENCE));
    firstText(typing.doc).insert(0, 'Tampered: ');
    // On the typing peer's own socket, once the answer to this query arrives, its update was handled.
    const ws = typing.provider.ws!;
    let answered = false;
    ws.addEventListener('message', (event: MessageEvent) => {
      if (new Uint8Array(event.data as ArrayBuffer)[0] === MessageType.Awareness) answered = true;
    });
    ws.send(Uint8Array.of(MessageType.QueryAwareness));
    await eventually(() => expect(answered).toBe(true));
    expect(sectionPlainText((await server.sync.readDocument(docName))!)).toBe(SENTENCE);
    expect(writer.text()).toBe(SENTENCE);
    socket.ws.close();

    // The same person's comment is stored, returned and announced to other members.
    const events = await openPlanEvents(server.url, drafter.client, planId);
    const anchor = clientAnchor(writer.doc, 4, 12, 'Ministry');
    const created = await commenter.client.post(`/api/plans/${planId}/sections/${sectionId}/threads`, { anchor, body: 'Which ministry?' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.comments[0]).toMatchObject({ authorId: commenter.userId, body: 'Which ministry?', organisation: 'Organisation Commenter' });
    const listed = await drafter.client.get(`/api/plans/${planId}/sections/${sectionId}/threads`);
    expect(listed.body.map((t: Thread) => t.id)).toEqual([created.body.id]);
    expect(textBetweenRelative((await server.sync.readDocument(docName))!, created.body.anchor.start, created.body.anchor.end)).toBe('Ministry');
    await eventually(() => expect(events.received).toContainEqual({ type: 'comments', sectionId }));
    expect(events.received).toContainEqual({ type: 'outline' });
    await events.close();
    expect(sectionPlainText((await server.sync.readDocument(docName))!)).toBe(SENTENCE);
  });
});
