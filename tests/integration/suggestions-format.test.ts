import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { listSuggestions, newSuggestionId, SUGGEST_FORMAT } from '../../shared/doc/suggestions.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { AuditEntrySchema, SuggestionDecisionSchema } from '../../shared/api/index.ts';
import { sql } from 'kysely';
import { col, rowShape } from '../../server/db/rows.ts';

/**
 * Proposed formatting, end to end with real y-websocket peers: a civil-society drafter who may only
 * suggest proposes bold or italic on the ministry's words; the coordinator decides over REST; every
 * peer and the server's copy follow, and the decision is recorded.
 */
let server: TestServer;
const peers: Peer[] = [];
const track = (p: Peer) => (peers.push(p), p);
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

const SENTENCE = 'The Ministry will abolish the death penalty by 2028.';

async function open(client: ApiClient | { cookie: string | undefined }, sectionId: string): Promise<Peer> {
  const peer = track(connectPeer(server.url, client, sectionId));
  await peer.synced();
  return peer;
}

const paragraphOf = (doc: Y.Doc) => (getSectionBody(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
const delta = (doc: Y.Doc) => paragraphOf(doc).toDelta() as Array<{ insert: string; attributes?: Record<string, unknown> }>;
const serverDoc = async (sectionId: string) => {
  const doc = await server.sync.readDocument(sectionDocName(sectionId));
  if (!doc) throw new Error('no document');
  return doc;
};
/** The words carrying `key` (a mark), joined. */
const wordsWith = (doc: Y.Doc, key: string) =>
  delta(doc)
    .filter((op) => op.attributes?.[key] != null)
    .map((op) => op.insert)
    .join('|');

async function setUp() {
  server = await startTestServer();
  const { coordinator, planId, sectionId } = await setUpWorkspace(server);
  const gov = await addMember(server, coordinator, planId, 'drafter', { name: 'Gary Official', email: 'gary@moj.example', organisation: { name: 'Ministry of Justice', side: 'government' } });
  const ngo = await addMember(server, coordinator, planId, 'drafter', { name: 'Nina Lawyer', email: 'nina@hrc.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' } });
  const put = await coordinator.request('PUT', `/api/plans/${planId}/suggestion-rule`, { commentersSuggest: false, suggestOnlySides: ['civil_society'] });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  const govPeer = await open(gov.client, sectionId);
  govPeer.doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(SENTENCE)]);
    getSectionBody(govPeer.doc).insert(0, [paragraph]);
  });
  await eventually(() => expect(govPeer.isSaved()).toBe(true));
  return { coordinator, planId, sectionId, gov, ngo, govPeer, decisions: `/api/plans/${planId}/sections/${sectionId}/suggestions/decisions` };
}

describe('proposed formatting (bold, italic) by a person who may only suggest', () => {
  it('is refused when applied directly, kept as a proposal, and carried out or dropped by the coordinator’s decision', async () => {
    const w = await setUp();

    // Bold put on directly by the NGO drafter: the server refuses the edit and closes the socket.
    const hostile = await open(w.ngo.client, w.sectionId);
    paragraphOf(hostile.doc).format(SENTENCE.indexOf('abolish'), 'abolish'.length, { bold: {} });
    await eventually(() => expect(hostile.closes.map((c) => c.code)).toEqual([CloseCode.EditRefused]));
    expect(wordsWith(await serverDoc(w.sectionId), 'bold')).toBe('');
    hostile.destroy();

    // Proposals: bold on "abolish", italic on "death penalty".
    const ngoPeer = await open(w.ngo.client, w.sectionId);
    const bold = { id: newSuggestionId(), author: w.ngo.userId, at: Date.now(), mark: 'bold', set: true, href: null };
    const italic = { id: newSuggestionId(), author: w.ngo.userId, at: Date.now(), mark: 'italic', set: true, href: null };
    paragraphOf(ngoPeer.doc).format(SENTENCE.indexOf('abolish'), 'abolish'.length, { [SUGGEST_FORMAT]: bold });
    paragraphOf(ngoPeer.doc).format(SENTENCE.indexOf('death penalty'), 'death penalty'.length, { [SUGGEST_FORMAT]: italic });
    await eventually(async () => {
      for (const doc of [await serverDoc(w.sectionId), w.govPeer.doc]) {
        expect(listSuggestions(doc).map((s) => [s.id, s.kind, s.formatted, s.format?.mark])).toEqual([
          [bold.id, 'format', 'abolish', 'bold'],
          [italic.id, 'format', 'death penalty', 'italic'],
        ]);
      }
    });
    expect(ngoPeer.closes).toEqual([]);
    // A proposal is not yet formatting.
    expect(wordsWith(await serverDoc(w.sectionId), 'bold')).toBe('');

    // The suggester may not accept their own proposal.
    const selfAccept = await w.ngo.client.post(w.decisions, { decision: 'accept', ids: [bold.id] });
    expect(selfAccept.status).toBe(403);

    // The coordinator accepts the bold: everyone's copy has "abolish" in bold, with no proposal left on it.
    const accepted = await w.coordinator.post(w.decisions, { decision: 'accept', ids: [bold.id] });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(SuggestionDecisionSchema.parse(accepted.body.decided[0])).toMatchObject({
      suggestionId: bold.id,
      decision: 'accept',
      kind: 'format',
      formatted: 'abolish',
      format: { mark: 'bold', set: true, href: null },
      authorName: 'Nina Lawyer',
    });
    // Kept as what it is: a formatting decision, not a word replacement.
    const stored = await server.sql.row(
      rowShape({ kind: col.text, inserted: col.text, deleted: col.text, formatted: col.text, format: col.nullableText }),
      sql`SELECT kind, inserted, deleted, formatted, format FROM suggestion_decisions WHERE suggestion_id = ${bold.id}`,
    );
    expect(stored).toEqual({
      kind: 'format',
      inserted: '',
      deleted: '',
      formatted: 'abolish',
      format: JSON.stringify({ mark: 'bold', set: true, href: null }),
    });
    await eventually(async () => {
      for (const doc of [await serverDoc(w.sectionId), w.govPeer.doc, ngoPeer.doc]) {
        expect(wordsWith(doc, 'bold')).toBe('abolish');
        expect(listSuggestions(doc).map((s) => s.id)).toEqual([italic.id]);
      }
    });

    // The government drafter rejects the italic: nothing is italic, and no proposal is left.
    const rejected = await w.gov.client.post(w.decisions, { decision: 'reject', ids: [italic.id], reason: 'Plain text in the plan' });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    await eventually(async () => {
      for (const doc of [await serverDoc(w.sectionId), w.govPeer.doc, ngoPeer.doc]) {
        expect(wordsWith(doc, 'italic')).toBe('');
        expect(wordsWith(doc, SUGGEST_FORMAT)).toBe('');
        expect(listSuggestions(doc)).toEqual([]);
      }
    });
    expect(delta(await serverDoc(w.sectionId)).map((op) => op.insert).join('')).toBe(SENTENCE);
    for (const p of [ngoPeer, w.govPeer]) expect(p.closes).toEqual([]);

    // Both decisions are on record (kept across reads: from the database), newest first.
    const record = await w.ngo.client.get(w.decisions);
    expect(record.status).toBe(200);
    expect(record.body.map((d: unknown) => SuggestionDecisionSchema.parse(d)).map((d: { suggestionId: string; decision: string; kind: string; formatted: string; format: unknown }) => [d.suggestionId, d.decision, d.kind, d.formatted, d.format])).toEqual([
      [italic.id, 'reject', 'format', 'death penalty', { mark: 'italic', set: true, href: null }],
      [bold.id, 'accept', 'format', 'abolish', { mark: 'bold', set: true, href: null }],
    ]);
    const audit = await w.coordinator.get(`/api/plans/${w.planId}/audit?action=suggestion.accepted`);
    expect(audit.status).toBe(200);
    expect(AuditEntrySchema.parse(audit.body.items[0]).summary).toContain('make “abolish” bold');
  });
});
