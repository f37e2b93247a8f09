import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { absolutePositionToRelativePosition } from '@tiptap/y-tiptap';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { listSuggestions, SUGGEST_INSERT } from '../../shared/doc/suggestions.ts';
import { closeReasonKey, CloseCode } from '../../shared/protocol.ts';
import { ThreadListSchema, type SuggestionRule } from '../../shared/api/index.ts';
import type { ApiClient } from '../helpers/api.ts';

/**
 * What one member who may only suggest can do to a section others work in: no more open
 * suggestions than the limit, none longer than the limit (each refused with a close code the
 * person's page words for them), and no retyping of others' words as their own, which would take
 * the comments made on those words with them. Real server, real y-websocket peers, real comments.
 */

let server: TestServer;
const peers: Peer[] = [];
const track = (p: Peer) => (peers.push(p), p);
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

const SENTENCE = 'The Ministry will abolish the death penalty by 2028.';
const RULE: SuggestionRule = { commentersSuggest: true, suggestOnlySides: ['civil_society'] };

interface World {
  planId: string;
  sectionId: string;
  coordinator: ApiClient;
  /** A government drafter: wrote the paragraph, keeps editing. */
  govPeer: Peer;
  /** A civil-society drafter, who may only suggest. */
  ngo: { client: ApiClient; userId: string };
}

async function setUp(): Promise<World> {
  server = await startTestServer();
  const { coordinator, planId, sectionId } = await setUpWorkspace(server);
  const gov = await addMember(server, coordinator, planId, 'drafter', {
    name: 'Gary Official',
    email: 'gary@moj.example',
    organisation: { name: 'Ministry of Justice', side: 'government' },
  });
  const ngo = await addMember(server, coordinator, planId, 'drafter', {
    name: 'Nina Lawyer',
    email: 'nina@hrc.example',
    organisation: { name: 'Human Rights Centre', side: 'civil_society' },
  });
  const put = await coordinator.request('PUT', `/api/plans/${planId}/suggestion-rule`, RULE);
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  const govPeer = track(connectPeer(server.url, gov.client, sectionId));
  await govPeer.synced();
  govPeer.typeParagraph(SENTENCE);
  await eventually(() => expect(govPeer.isSaved()).toBe(true));
  return { planId, sectionId, coordinator, govPeer, ngo };
}

const serverDoc = async (sectionId: string) => (await server.sync.readDocument(sectionDocName(sectionId)))!;
const textOf = (doc: Y.Doc) => (getSectionBody(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
const openOf = (doc: Y.Doc, author: string) => listSuggestions(doc).filter((s) => s.author === author);
const idFor = (n: number) => `limit-${String(n).padStart(6, '0')}`;

async function open(client: ApiClient, sectionId: string): Promise<Peer> {
  const peer = track(connectPeer(server.url, client, sectionId));
  await peer.synced();
  await eventually(() => expect(sectionPlainText(peer.doc)).toContain('2028'));
  return peer;
}

/** The drafter goes on typing, and the server and their own copy take it. */
async function othersKeepEditing(w: World, words: string): Promise<void> {
  w.govPeer.typeChars(words);
  await eventually(async () => {
    expect(sectionPlainText(await serverDoc(w.sectionId))).toContain(words);
    expect(w.govPeer.isSaved()).toBe(true);
  });
  expect(w.govPeer.closes).toEqual([]);
  expect(w.govPeer.provider.wsconnected).toBe(true);
}

describe('one member who may only suggest', () => {
  it('makes at most 500 open suggestions in a section: the next is refused with a reason their page explains, and others keep editing', async () => {
    const w = await setUp();
    const peer = await open(w.ngo.client, w.sectionId);
    const text = textOf(peer.doc);
    // 500 one-word proposals, sent as a page would send a paste (one message), all taken.
    peer.doc.transact(() => {
      for (let n = 0; n < 500; n++) text.insert(text.length - 1, ` w${n}`, { [SUGGEST_INSERT]: { id: idFor(n), author: w.ngo.userId, at: 1 } });
    });
    await eventually(async () => expect(openOf(await serverDoc(w.sectionId), w.ngo.userId)).toHaveLength(500));
    expect(peer.closes).toEqual([]);

    // The 501st is refused: nothing of it is kept, and the page is told why.
    text.insert(0, 'Indeed, ', { [SUGGEST_INSERT]: { id: idFor(500), author: w.ngo.userId, at: 2 } });
    await eventually(() => expect(peer.closes.map((c) => c.code)).toEqual([CloseCode.SuggestionLimit]));
    expect(peer.closes[0]!.reason).toMatch(/too many open suggestions/);
    expect(closeReasonKey[CloseCode.SuggestionLimit]).toBe('sync.closed.suggestionLimit');
    expect(peer.provider.shouldConnect).toBe(false);
    expect(openOf(await serverDoc(w.sectionId), w.ngo.userId)).toHaveLength(500);
    expect(sectionPlainText(await serverDoc(w.sectionId))).not.toContain('Indeed');

    await othersKeepEditing(w, ' Reviewed.');

    // Withdrawing one of their own makes room for a new one.
    const again = await open(w.ngo.client, w.sectionId);
    const t = textOf(again.doc);
    const at = sectionPlainText(again.doc).indexOf(' w0 ');
    t.delete(at, ' w0'.length);
    await eventually(async () => expect(openOf(await serverDoc(w.sectionId), w.ngo.userId)).toHaveLength(499));
    t.insert(0, 'Indeed, ', { [SUGGEST_INSERT]: { id: idFor(500), author: w.ngo.userId, at: 3 } });
    await eventually(async () => expect(sectionPlainText(await serverDoc(w.sectionId))).toContain('Indeed, '));
    expect(openOf(await serverDoc(w.sectionId), w.ngo.userId)).toHaveLength(500);
    expect(again.closes).toEqual([]);
  });

  it('makes no suggestion longer than 20,000 characters', async () => {
    const w = await setUp();
    const peer = await open(w.ngo.client, w.sectionId);
    const text = textOf(peer.doc);
    const mark = { [SUGGEST_INSERT]: { id: idFor(1), author: w.ngo.userId, at: 1 } };
    text.insert(0, 'a'.repeat(19_990), mark);
    await eventually(async () => expect(openOf(await serverDoc(w.sectionId), w.ngo.userId)).toHaveLength(1));
    // Typing on past the limit, in the same suggestion.
    text.insert(19_990, 'b'.repeat(11), mark);
    await eventually(() => expect(peer.closes.map((c) => c.code)).toEqual([CloseCode.SuggestionLimit]));
    expect(peer.closes[0]!.reason).toMatch(/suggestion too long/);
    expect(sectionPlainText(await serverDoc(w.sectionId))).not.toContain('b'.repeat(11));
    await othersKeepEditing(w, ' Reviewed.');
  });

  it('may not retype others’ words as their own: the words stay the drafter’s, and the comment on them stays attached', async () => {
    const w = await setUp();
    const peer = await open(w.ngo.client, w.sectionId);
    const word = 'abolish';
    const at = SENTENCE.indexOf(word);
    // A comment on the drafter's word, anchored as the editor anchors it.
    const body = getSectionBody(peer.doc);
    const mapping = new Map([[body.get(0), { nodeSize: textOf(peer.doc).length + 2 }]]) as unknown as Parameters<typeof absolutePositionToRelativePosition>[2];
    const rel = (pos: number) => Buffer.from(Y.encodeRelativePosition(absolutePositionToRelativePosition(1 + pos, body, mapping))).toString('base64');
    const created = await w.coordinator.post(`/api/plans/${w.planId}/sections/${w.sectionId}/threads`, {
      anchor: { start: rel(at), end: rel(at + word.length), quote: word },
      body: 'By which law?',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.detached).toBe(false);

    // First an ordinary proposal: the same word again, right after the drafter's.
    const text = textOf(peer.doc);
    text.insert(at + word.length, word, { [SUGGEST_INSERT]: { id: idFor(1), author: w.ngo.userId, at: 1 } });
    await eventually(async () => expect(openOf(await serverDoc(w.sectionId), w.ngo.userId)).toHaveLength(1));
    // Then, in one update, the drafter's word deleted and their own made plain: the text reads the same.
    peer.doc.transact(() => {
      text.delete(at, word.length);
      text.format(at, word.length, { [SUGGEST_INSERT]: null });
    });
    expect(sectionPlainText(peer.doc)).toBe(SENTENCE);
    await eventually(() => expect(peer.closes.map((c) => c.code)).toEqual([CloseCode.EditRefused]));

    const threads = ThreadListSchema.parse((await w.coordinator.get(`/api/plans/${w.planId}/sections/${w.sectionId}/threads`)).body);
    expect(threads.map((t) => [t.quote, t.detached])).toEqual([[word, false]]);
    // The word is still the drafter's characters (their client id), under the proposal beside it.
    const items: string[] = [];
    for (let item = textOf(await serverDoc(w.sectionId))._start; item; item = item.right) {
      if (!item.deleted && item.content instanceof Y.ContentString) items.push(`${item.id.client === w.govPeer.doc.clientID ? 'gov' : 'ngo'}:${item.content.str}`);
    }
    expect(items.join('|')).toContain(`gov:${SENTENCE.slice(0, at + word.length)}`);
    await othersKeepEditing(w, ' Reviewed.');
  });
});
