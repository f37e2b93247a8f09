import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { listSuggestions, newSuggestionId, SUGGEST_INSERT } from '../../shared/doc/suggestions.ts';
import { SUGGESTION_TIMES_KEY, suggestionTimeKey } from '../../shared/doc/suggestionTimes.ts';
import { CloseCode } from '../../shared/protocol.ts';

/**
 * A civil-society drafter whose computer believes it is 2001 proposes words. Everyone, the
 * ministry included, sees the suggestion dated by the server's clock, not 2001; and nobody can
 * write the server's record of those times themselves, whatever they may do to the text.
 */
let server: TestServer;
const peers: Peer[] = [];
const track = (p: Peer) => (peers.push(p), p);
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

const SENTENCE = 'The Ministry will abolish the death penalty.';
const YEAR_2001 = Date.UTC(2001, 8, 1, 12, 0, 0);

async function world() {
  server = await startTestServer();
  const { coordinator, planId, sectionId } = await setUpWorkspace(server);
  const put = await coordinator.request('PUT', `/api/plans/${planId}/suggestion-rule`, { commentersSuggest: true, suggestOnlySides: ['civil_society'] });
  expect(put.status).toBe(200);
  const gov = await addMember(server, coordinator, planId, 'drafter', { name: 'Gary Official', email: 'gary@moj.example', organisation: { name: 'Ministry of Justice', side: 'government' } });
  const ngo = await addMember(server, coordinator, planId, 'drafter', { name: 'Nina Lawyer', email: 'nina@hrc.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' } });
  const govPeer = track(connectPeer(server.url, gov.client, sectionId));
  await govPeer.synced();
  govPeer.doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(SENTENCE)]);
    getSectionBody(govPeer.doc).insert(0, [paragraph]);
  });
  await eventually(() => expect(govPeer.isSaved()).toBe(true));
  return { sectionId, gov, ngo, govPeer };
}

const textOf = (doc: Y.Doc) => (getSectionBody(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;

async function suggestWithClock(client: ApiClient, sectionId: string, at: number) {
  const peer = track(connectPeer(server.url, client, sectionId));
  await peer.synced();
  await eventually(() => expect(textOf(peer.doc).length).toBe(SENTENCE.length));
  const author = (await client.get('/api/auth/me')).body.user.id as string;
  const id = newSuggestionId();
  textOf(peer.doc).insert(SENTENCE.length - 1, ' by 2028', { [SUGGEST_INSERT]: { id, author, at } });
  return { peer, id, author };
}

describe('a suggestion is dated by the server', () => {
  it('shows the server’s time to everyone, not the author’s clock set to 2001', async () => {
    const { sectionId, ngo, govPeer } = await world();
    const before = Date.now();
    const { peer, id } = await suggestWithClock(ngo.client, sectionId, YEAR_2001);
    await eventually(() => expect(listSuggestions(govPeer.doc).find((s) => s.id === id)?.at).toEqual(expect.any(Number)));
    const after = Date.now();
    for (const doc of [govPeer.doc, peer.doc, (await server.sync.readDocument(sectionDocName(sectionId)))!]) {
      const shown = listSuggestions(doc).find((s) => s.id === id)!;
      expect(shown.inserted).toBe(' by 2028');
      expect(shown.at).toBeGreaterThanOrEqual(before);
      expect(shown.at).toBeLessThanOrEqual(after);
    }
    // Typing more into the same suggestion keeps the time the server first gave it.
    const first = listSuggestions(govPeer.doc).find((s) => s.id === id)!.at;
    const { author } = listSuggestions(peer.doc).find((s) => s.id === id)!;
    textOf(peer.doc).insert(SENTENCE.length - 1 + ' by 2028'.length, ' at the latest', { [SUGGEST_INSERT]: { id, author, at: YEAR_2001 + 1000 } });
    await eventually(() => expect(listSuggestions(govPeer.doc).find((s) => s.id === id)?.inserted).toBe(' by 2028 at the latest'));
    expect(listSuggestions(govPeer.doc).find((s) => s.id === id)!.at).toBe(first);
    expect(peer.closes).toEqual([]);
  });

  it('refuses an update that writes the record of times, from an editor as from a suggester', async () => {
    const { sectionId, gov, ngo, govPeer } = await world();
    const { id, author } = await suggestWithClock(ngo.client, sectionId, YEAR_2001);
    await eventually(() => expect(listSuggestions(govPeer.doc).find((s) => s.id === id)?.at).toEqual(expect.any(Number)));
    const stamped = listSuggestions(govPeer.doc).find((s) => s.id === id)!.at;

    // The ministry's drafter (who may edit the text) tries to backdate it, then to add a time.
    const forger = track(connectPeer(server.url, gov.client, sectionId));
    await forger.synced();
    await eventually(() => expect(listSuggestions(forger.doc).find((s) => s.id === id)?.at).toBe(stamped));
    forger.doc.getMap(SUGGESTION_TIMES_KEY).set(suggestionTimeKey(author, id), YEAR_2001);
    await eventually(() => expect(forger.closes.map((c) => c.code)).toContain(CloseCode.EditRefused));
    const serverDoc = (await server.sync.readDocument(sectionDocName(sectionId)))!;
    expect(listSuggestions(serverDoc).find((s) => s.id === id)!.at).toBe(stamped);

    const deleter = track(connectPeer(server.url, gov.client, sectionId));
    await deleter.synced();
    await eventually(() => expect(listSuggestions(deleter.doc).find((s) => s.id === id)?.at).toBe(stamped));
    deleter.doc.getMap(SUGGESTION_TIMES_KEY).delete(suggestionTimeKey(author, id));
    await eventually(() => expect(deleter.closes.map((c) => c.code)).toContain(CloseCode.EditRefused));
    expect(listSuggestions((await server.sync.readDocument(sectionDocName(sectionId)))!).find((s) => s.id === id)!.at).toBe(stamped);

    // In a fresh document (no times yet) nobody may start the record either.
    const suggester = track(connectPeer(server.url, ngo.client, sectionId));
    await suggester.synced();
    suggester.doc.getMap(SUGGESTION_TIMES_KEY).set(suggestionTimeKey(author, 'made-up-id'), YEAR_2001);
    await eventually(() => expect(suggester.closes.map((c) => c.code)).toContain(CloseCode.EditRefused));
  });
});
