import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { BLOCK_PROPOSAL_ATTR, encodeBlockProposal, listSuggestions, newSuggestionId, SUGGEST_SPLIT } from '../../shared/doc/suggestions.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { AuditEntrySchema, SuggestionDecisionSchema } from '../../shared/api/index.ts';

/**
 * Proposed changes of structure, end to end with real y-websocket peers: a civil-society drafter
 * who may only suggest cannot change a heading's level directly (the server refuses the update and
 * closes the socket), but can propose it and a split; the ministry decides over REST, every peer
 * follows, and the decisions are recorded with kind 'block'.
 */
let server: TestServer;
const peers: Peer[] = [];
const track = (p: Peer) => (peers.push(p), p);
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

const BODY = 'The State shall act. It shall report yearly.';

async function open(client: ApiClient, sectionId: string): Promise<Peer> {
  const peer = track(connectPeer(server.url, client, sectionId));
  await peer.synced();
  return peer;
}

const serverDoc = async (sectionId: string) => {
  const doc = await server.sync.readDocument(sectionDocName(sectionId));
  if (!doc) throw new Error('no document');
  return doc;
};
const block = (doc: Y.Doc, i: number) => getSectionBody(doc).get(i) as Y.XmlElement;
/** Each block as "name level: words". */
const shape = (doc: Y.Doc) =>
  getSectionBody(doc)
    .toArray()
    .map((b) => {
      const el = b as Y.XmlElement;
      const level = el.getAttribute('level');
      return `${el.nodeName}${level ?? ''}: ${el.toArray().map((c) => (c instanceof Y.XmlText ? c.toString().replace(/<[^>]+>/g, '') : '')).join('')}`;
    });

describe('proposed changes of structure by a person who may only suggest', () => {
  it('a heading level changed directly is refused; proposed, it is decided by the ministry', async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const gov = await addMember(server, coordinator, planId, 'drafter', { name: 'Gary Official', email: 'gary@moj.example', organisation: { name: 'Ministry of Justice', side: 'government' } });
    const ngo = await addMember(server, coordinator, planId, 'drafter', { name: 'Nina Lawyer', email: 'nina@hrc.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' } });
    const put = await coordinator.request('PUT', `/api/plans/${planId}/suggestion-rule`, { commentersSuggest: false, suggestOnlySides: ['civil_society'] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const decisions = `/api/plans/${planId}/sections/${sectionId}/suggestions/decisions`;

    const govPeer = await open(gov.client, sectionId);
    govPeer.doc.transact(() => {
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', 2 as unknown as string);
      heading.insert(0, [new Y.XmlText('Housing')]);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(BODY)]);
      getSectionBody(govPeer.doc).insert(0, [heading, paragraph]);
    });
    await eventually(() => expect(govPeer.isSaved()).toBe(true));

    // The level changed directly by the NGO drafter: refused, the socket closed, the heading as it was.
    const hostile = await open(ngo.client, sectionId);
    block(hostile.doc, 0).setAttribute('level', 3 as unknown as string);
    await eventually(() => expect(hostile.closes.map((c) => c.code)).toEqual([CloseCode.EditRefused]));
    expect(block(await serverDoc(sectionId), 0).getAttribute('level')).toBe(2);
    hostile.destroy();

    // Proposed instead: level 3, and a new paragraph at "It shall".
    const ngoPeer = await open(ngo.client, sectionId);
    const heading = { id: newSuggestionId(), author: ngo.userId, at: Date.now() };
    const split = { id: newSuggestionId(), author: ngo.userId, at: Date.now() };
    ngoPeer.doc.transact(() => {
      block(ngoPeer.doc, 0).setAttribute(BLOCK_PROPOSAL_ATTR, encodeBlockProposal(heading, { kind: 'heading', level: 3 }));
      (block(ngoPeer.doc, 1).get(0) as Y.XmlText).format(BODY.indexOf('It shall'), 1, { [SUGGEST_SPLIT]: split });
    });
    await eventually(async () => {
      for (const doc of [await serverDoc(sectionId), govPeer.doc]) {
        expect(listSuggestions(doc).map((s) => [s.id, s.kind, s.block, s.formatted])).toEqual([
          [heading.id, 'block', { kind: 'heading', level: 3 }, 'Housing'],
          [split.id, 'block', { kind: 'split' }, 'It shall report yearly.'],
        ]);
      }
    });
    expect(ngoPeer.closes).toEqual([]);
    expect(shape(await serverDoc(sectionId))).toEqual(['heading2: Housing', `paragraph: ${BODY}`]);

    // The suggester may not accept their own proposal; the ministry accepts the heading and rejects the split.
    expect((await ngo.client.post(decisions, { decision: 'accept', ids: [heading.id] })).status).toBe(403);
    const accepted = await gov.client.post(decisions, { decision: 'accept', ids: [heading.id] });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(SuggestionDecisionSchema.parse(accepted.body.decided[0])).toMatchObject({ kind: 'block', formatted: 'Housing', block: { kind: 'heading', level: 3 } });
    const rejected = await gov.client.post(decisions, { decision: 'reject', ids: [split.id], reason: 'One paragraph reads better' });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    await eventually(async () => {
      for (const doc of [await serverDoc(sectionId), govPeer.doc, ngoPeer.doc]) {
        expect(shape(doc)).toEqual(['heading3: Housing', `paragraph: ${BODY}`]);
        expect(listSuggestions(doc)).toEqual([]);
      }
    });
    for (const p of [ngoPeer, govPeer]) expect(p.closes).toEqual([]);

    // Then a split accepted: two paragraphs for everyone.
    const second = { id: newSuggestionId(), author: ngo.userId, at: Date.now() };
    (block(ngoPeer.doc, 1).get(0) as Y.XmlText).format(BODY.indexOf('It shall'), 1, { [SUGGEST_SPLIT]: second });
    await eventually(async () => expect(listSuggestions(await serverDoc(sectionId)).map((s) => s.id)).toEqual([second.id]));
    expect((await gov.client.post(decisions, { decision: 'accept', ids: [second.id] })).status).toBe(200);
    await eventually(async () => {
      for (const doc of [await serverDoc(sectionId), govPeer.doc, ngoPeer.doc]) {
        expect(shape(doc)).toEqual(['heading3: Housing', 'paragraph: The State shall act. ', 'paragraph: It shall report yearly.']);
      }
    });

    // On record, newest first, and in the audit log in words.
    const record = await ngo.client.get(decisions);
    expect(record.body.map((d: unknown) => SuggestionDecisionSchema.parse(d)).map((d: { decision: string; kind: string; block: unknown }) => [d.decision, d.kind, d.block])).toEqual([
      ['accept', 'block', { kind: 'split' }],
      ['reject', 'block', { kind: 'split' }],
      ['accept', 'block', { kind: 'heading', level: 3 }],
    ]);
    const audit = await coordinator.get(`/api/plans/${planId}/audit?action=suggestion.accepted`);
    expect(audit.body.items.map((i: unknown) => AuditEntrySchema.parse(i).summary).join('\n')).toContain('make “Housing” a heading of level 3');
  });
});
