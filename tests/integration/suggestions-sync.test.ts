import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import {
  listSuggestions,
  newSuggestionId,
  SUGGEST_DELETE,
  SUGGEST_INSERT,
  type SuggestionAttrs,
} from '../../shared/doc/suggestions.ts';
import { CloseCode, MessageType } from '../../shared/protocol.ts';
import {
  AuditEntrySchema,
  SectionAgreementSchema,
  SuggestionDecisionSchema,
  type SuggestionRule,
} from '../../shared/api/index.ts';

/**
 * Suggestions travel in the section text as marks, and the sync server checks every update of a
 * person who may only suggest (and every suggestion mark anyone writes). These tests drive real
 * y-websocket peers against a real server, making the edits with the same Yjs operations an
 * editor makes, and decide suggestions over REST.
 */

let server: TestServer;
const peers: Peer[] = [];
const track = (p: Peer) => (peers.push(p), p);
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

const SENTENCE = 'The Ministry will abolish the death penalty by 2028.';
const HEADING = 'Right to life';
const RULE: SuggestionRule = { commentersSuggest: true, suggestOnlySides: ['civil_society'] };

type Member = { client: ApiClient; userId: string; organisationId: string; name: string; organisation: string };

interface World {
  coordinator: ApiClient;
  planId: string;
  sectionId: string;
  gov: Member;
  ngo: Member;
  commenter: Member;
  /** The government drafter's peer: wrote the starting text, watches everything. */
  govPeer: Peer;
}

async function member(
  coordinator: ApiClient,
  planId: string,
  role: 'drafter' | 'commenter',
  name: string,
  email: string,
  organisation: { name: string; side: 'government' | 'civil_society' | 'international' },
): Promise<Member> {
  const added = await addMember(server, coordinator, planId, role, { name, email, organisation });
  const me = await added.client.get('/api/auth/me');
  expect(me.status).toBe(200);
  expect(me.body.user.id).toBe(added.userId);
  return { ...added, organisationId: me.body.organisation.id, name, organisation: organisation.name };
}

/**
 * A plan with a government drafter, a civil-society drafter and a commenter (of an international
 * organisation: it is the role that makes them suggest, not the side), the rule set, and a section
 * holding a heading and one paragraph written by the government drafter.
 */
async function setUp(rule: SuggestionRule | null = RULE): Promise<World> {
  server = await startTestServer();
  const { coordinator, planId, sectionId } = await setUpWorkspace(server);
  const gov = await member(coordinator, planId, 'drafter', 'Gary Official', 'gary@moj.example', {
    name: 'Ministry of Justice',
    side: 'government',
  });
  const ngo = await member(coordinator, planId, 'drafter', 'Nina Lawyer', 'nina@hrc.example', {
    name: 'Human Rights Centre',
    side: 'civil_society',
  });
  const commenter = await member(coordinator, planId, 'commenter', 'Carl Commenter', 'carl@un.example', {
    name: 'UN Country Team',
    side: 'international',
  });
  if (rule) {
    const put = await coordinator.request('PUT', `/api/plans/${planId}/suggestion-rule`, rule);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual(rule);
  }

  const govPeer = track(connectPeer(server.url, gov.client, sectionId));
  await govPeer.synced();
  const body = getSectionBody(govPeer.doc);
  expect(body.length).toBe(0);
  govPeer.doc.transact(() => {
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', 2 as unknown as string);
    heading.insert(0, [new Y.XmlText(HEADING)]);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(SENTENCE)]);
    body.insert(0, [heading, paragraph]);
  });
  await eventually(() => expect(govPeer.isSaved()).toBe(true));
  expect(paragraphText(await serverDoc(sectionId))).toBe(SENTENCE);
  return { coordinator, planId, sectionId, gov, ngo, commenter, govPeer };
}

// ----- reading the document -----

const headingOf = (doc: Y.Doc) => getSectionBody(doc).get(0) as Y.XmlElement;
const paragraphOf = (doc: Y.Doc) => (getSectionBody(doc).get(1) as Y.XmlElement).get(0) as Y.XmlText;
const plain = (t: Y.XmlText) =>
  (t.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
const paragraphText = (doc: Y.Doc) => plain(paragraphOf(doc));

/** Everything in the section body, formatting and attributes included, in a comparable form. */
function snapshot(doc: Y.Doc): unknown {
  const walk = (node: Y.XmlFragment | Y.XmlElement): unknown[] =>
    node.toArray().map((child) =>
      child instanceof Y.XmlText
        ? ['#text', child.toDelta()]
        : child instanceof Y.XmlElement
          ? [child.nodeName, child.getAttributes(), ...walk(child)]
          : ['#other'],
    );
  return walk(getSectionBody(doc));
}

/** The server's current document (what it stores and what anyone connecting receives). */
async function serverDoc(sectionId: string): Promise<Y.Doc> {
  const doc = await server.sync.readDocument(sectionDocName(sectionId));
  if (!doc) throw new Error('no document');
  return doc;
}

/** Runs of the paragraph carrying a suggestion mark, as [text, mark, id, author]. */
function markedRuns(doc: Y.Doc): Array<[string, string, string, string]> {
  const out: Array<[string, string, string, string]> = [];
  for (const op of paragraphOf(doc).toDelta() as Array<{ insert: unknown; attributes?: Record<string, SuggestionAttrs> }>) {
    for (const mark of [SUGGEST_INSERT, SUGGEST_DELETE]) {
      const a = op.attributes?.[mark];
      if (a) out.push([op.insert as string, mark, a.id, a.author]);
    }
  }
  return out;
}

const mark = (author: string, id = newSuggestionId()): SuggestionAttrs => ({ id, author, at: Date.now() });

// ----- the connection -----

/** Codes of every close of the peer's socket (terminal or not), as the provider saw them. */
function closeCodes(peer: Peer): number[] {
  const codes: number[] = [];
  peer.provider.on('connection-close', (event) => {
    if (event) codes.push(event.code);
  });
  return codes;
}

/**
 * Waits until the server has handled everything this peer sent so far: the server reads one
 * socket's messages in order, and answers a query for awareness at once.
 */
async function handled(peer: Peer): Promise<void> {
  const ws = peer.provider.ws;
  if (!ws) throw new Error('peer is not connected');
  let answered = false;
  const onMessage = (event: MessageEvent) => {
    if (new Uint8Array(event.data as ArrayBuffer)[0] === MessageType.Awareness) answered = true;
  };
  ws.addEventListener('message', onMessage);
  ws.send(Uint8Array.of(MessageType.QueryAwareness));
  await eventually(() => expect(answered).toBe(true));
  ws.removeEventListener('message', onMessage);
}

async function open(client: ApiClient, sectionId: string): Promise<Peer> {
  const peer = track(connectPeer(server.url, client, sectionId));
  await peer.synced();
  return peer;
}

/**
 * Opens a new connection as `client`, makes `edit` on its document, and expects the server to
 * refuse it: the socket closes with EditRefused, and neither the server's document nor the
 * government drafter's copy changed.
 */
async function expectRefused(w: World, client: ApiClient, what: string, edit: (doc: Y.Doc) => void): Promise<void> {
  const before = snapshot(await serverDoc(w.sectionId));
  const peer = await open(client, w.sectionId);
  await eventually(() => expect(snapshot(peer.doc)).toEqual(before));
  edit(peer.doc);
  expect(snapshot(peer.doc), `${what}: the edit changes the local copy`).not.toEqual(before);
  await eventually(() => expect(peer.closes.map((c) => c.code), what).toEqual([CloseCode.EditRefused]));
  // A refusal is final: the provider does not come back with the same edit.
  expect(peer.provider.shouldConnect, what).toBe(false);
  expect(snapshot(await serverDoc(w.sectionId)), what).toEqual(before);
  expect(snapshot(w.govPeer.doc), what).toEqual(before);
  expect(w.govPeer.closes, what).toEqual([]);
  expect(w.govPeer.provider.wsconnected, what).toBe(true);
  peer.destroy();
}

/** Waits until the government drafter's peer and the server both hold what `peer` holds. */
async function converged(w: World, peer: Peer): Promise<void> {
  await eventually(async () => {
    const expected = snapshot(peer.doc);
    expect(snapshot(w.govPeer.doc)).toEqual(expected);
    expect(snapshot(await serverDoc(w.sectionId))).toEqual(expected);
    expect(peer.isSaved()).toBe(true);
  });
  expect(peer.closes).toEqual([]);
  expect(peer.provider.wsconnected).toBe(true);
}

const decisionsPath = (w: World) => `/api/plans/${w.planId}/sections/${w.sectionId}/suggestions/decisions`;

describe('a person who may only suggest (acceptance item 3)', () => {
  for (const who of ['ngo', 'commenter'] as const) {
    it(`${who === 'ngo' ? 'a civil-society drafter' : 'a commenter'}: only changes to their own suggestions are kept`, async () => {
      const w = await setUp();
      const person = w[who];
      const other = who === 'ngo' ? w.commenter : w.ngo;
      const gov = w.gov.userId;

      // The government drafter proposes an insertion of their own: someone else's suggestion.
      const govMark = mark(gov);
      paragraphOf(w.govPeer.doc).insert(SENTENCE.indexOf(' by 2028'), ' in law', { [SUGGEST_INSERT]: govMark });
      await eventually(async () => expect(markedRuns(await serverDoc(w.sectionId))).toEqual([[' in law', SUGGEST_INSERT, govMark.id, gov]]));
      const withGov = paragraphText(w.govPeer.doc);
      expect(withGov).toBe('The Ministry will abolish the death penalty in law by 2028.');
      const govAt = withGov.indexOf(' in law');

      // A watcher that stays connected through every refusal.
      const coordinatorPeer = await open(w.coordinator, w.sectionId);

      // Refused: typing plain text outside any suggestion.
      await expectRefused(w, person.client, 'plain insertion', (doc) => paragraphOf(doc).insert(0, 'Urgently, '));
      // Refused again on a new connection: each update is checked, not only a connection's first.
      await expectRefused(w, person.client, 'plain insertion at the end', (doc) =>
        paragraphOf(doc).insert(paragraphOf(doc).length, ' Agreed.'),
      );
      // Refused: deleting existing plain text.
      await expectRefused(w, person.client, 'deleting plain text', (doc) => paragraphOf(doc).delete(4, 'Ministry '.length));
      // Refused: removing another person's suggestion mark (accepting it by hand)…
      await expectRefused(w, person.client, "removing another's mark", (doc) =>
        paragraphOf(doc).format(govAt, ' in law'.length, { [SUGGEST_INSERT]: null }),
      );
      // …or deleting the text of another person's insertion (rejecting it by hand).
      await expectRefused(w, person.client, "deleting another's insertion", (doc) => paragraphOf(doc).delete(govAt, ' in law'.length));
      // Refused: a suggestion made in another person's name, inserted or as a deletion mark.
      await expectRefused(w, person.client, 'insertion in the government drafter’s name', (doc) =>
        paragraphOf(doc).insert(0, 'Urgently, ', { [SUGGEST_INSERT]: mark(gov) }),
      );
      await expectRefused(w, person.client, 'insertion in the other suggester’s name', (doc) =>
        paragraphOf(doc).insert(0, 'Urgently, ', { [SUGGEST_INSERT]: mark(other.userId) }),
      );
      await expectRefused(w, person.client, 'deletion in the government drafter’s name', (doc) =>
        paragraphOf(doc).format(4, 'Ministry'.length, { [SUGGEST_DELETE]: mark(gov) }),
      );
      // Refused: a mark in their own name that takes over the id of someone else's suggestion
      // (deciding "their own" suggestion would then decide the other person's too).
      await expectRefused(w, person.client, 'own mark on another’s suggestion id', (doc) =>
        paragraphOf(doc).insert(0, 'Urgently, ', { [SUGGEST_INSERT]: mark(person.userId, govMark.id) }),
      );
      // Refused: changing formatting or structure of existing text.
      await expectRefused(w, person.client, 'heading level', (doc) => headingOf(doc).setAttribute('level', 3 as unknown as string));
      await expectRefused(w, person.client, 'bold', (doc) => paragraphOf(doc).format(4, 'Ministry'.length, { bold: {} }));

      // Nothing of it reached anyone: a fresh reader gets the text as it was, and the watchers
      // were never disconnected.
      const reader = await open(w.coordinator, w.sectionId);
      expect(paragraphText(reader.doc)).toBe(withGov);
      expect(snapshot(reader.doc)).toEqual(snapshot(w.govPeer.doc));
      expect(headingOf(reader.doc).getAttribute('level')).toBe(2);
      expect(coordinatorPeer.closes).toEqual([]);
      expect(coordinatorPeer.provider.wsconnected).toBe(true);
      reader.destroy();

      // Other peers' later edits still sync, to each other and to the server.
      paragraphOf(w.govPeer.doc).insert(0, 'By law, ');
      await eventually(async () => {
        expect(paragraphText(coordinatorPeer.doc)).toBe('By law, ' + withGov);
        expect(paragraphText(await serverDoc(w.sectionId))).toBe('By law, ' + withGov);
      });

      // Allowed: their own suggestions, in one connection that stays open throughout.
      const peer = await open(person.client, w.sectionId);
      const own = mark(person.userId);
      const at = paragraphText(peer.doc).indexOf('abolish');
      paragraphOf(peer.doc).insert(at, 'completely ', { [SUGGEST_INSERT]: own });
      await converged(w, peer);
      expect(paragraphText(w.govPeer.doc)).toBe('By law, The Ministry will completely abolish the death penalty in law by 2028.');
      expect(markedRuns(w.govPeer.doc)).toEqual([
        ['completely ', SUGGEST_INSERT, own.id, person.userId],
        [' in law', SUGGEST_INSERT, govMark.id, gov],
      ]);

      // A deletion: existing text marked with their own suggestionDelete.
      const ownDelete = mark(person.userId);
      const by = paragraphText(peer.doc).indexOf('by 2028');
      paragraphOf(peer.doc).format(by, 'by 2028'.length, { [SUGGEST_DELETE]: ownDelete });
      await converged(w, peer);
      expect(markedRuns(w.govPeer.doc)).toContainEqual(['by 2028', SUGGEST_DELETE, ownDelete.id, person.userId]);
      expect(listSuggestions(await serverDoc(w.sectionId)).map((s) => [s.id, s.kind, s.inserted, s.deleted])).toEqual([
        [own.id, 'insert', 'completely ', ''],
        [govMark.id, 'insert', ' in law', ''],
        [ownDelete.id, 'delete', '', 'by 2028'],
      ]);

      // Deleting text inside their own insertion.
      const ly = paragraphText(peer.doc).indexOf('completely ') + 'complete'.length;
      paragraphOf(peer.doc).delete(ly, 2);
      await converged(w, peer);
      expect(markedRuns(w.govPeer.doc)[0]).toEqual(['complete ', SUGGEST_INSERT, own.id, person.userId]);

      // Removing their own deletion mark (withdrawing it in the text).
      paragraphOf(peer.doc).format(paragraphText(peer.doc).indexOf('by 2028'), 'by 2028'.length, { [SUGGEST_DELETE]: null });
      await converged(w, peer);
      expect(markedRuns(w.govPeer.doc).map(([text, m]) => [text, m])).toEqual([
        ['complete ', SUGGEST_INSERT],
        [' in law', SUGGEST_INSERT],
      ]);
      const final = 'By law, The Ministry will complete abolish the death penalty in law by 2028.';
      expect(paragraphText(w.govPeer.doc)).toBe(final);

      // The government drafter keeps editing freely alongside, and the suggester receives it.
      paragraphOf(w.govPeer.doc).insert(paragraphOf(w.govPeer.doc).length, ' Reviewed.');
      await eventually(() => expect(paragraphText(peer.doc)).toBe(final + ' Reviewed.'));
      await converged(w, peer);
      expect(peer.closes).toEqual([]);

      // What the server kept is stored: after a restart a fresh peer reads exactly it.
      const expected = snapshot(w.govPeer.doc);
      for (const p of peers.splice(0)) p.destroy();
      const dataDir = server.dataDir;
      await server.close();
      server = await startTestServer({ dataDir });
      const afterRestart = await open(w.coordinator, w.sectionId);
      expect(snapshot(afterRestart.doc)).toEqual(expected);
      expect(paragraphText(afterRestart.doc)).toBe(final + ' Reviewed.');
      expect(headingOf(afterRestart.doc).getAttribute('level')).toBe(2);
    });
  }
});

describe('suggestions in another person’s name', () => {
  it('a government drafter who edits freely may not invent a suggestion in the NGO drafter’s name', async () => {
    const w = await setUp();
    const ngoSuggestion = mark(w.ngo.userId);
    // Refused: an insertion marked as the NGO drafter's, and a deletion marked as theirs.
    await expectRefused(w, w.gov.client, 'insertion in the NGO drafter’s name', (doc) =>
      paragraphOf(doc).insert(0, 'Never ', { [SUGGEST_INSERT]: ngoSuggestion }),
    );
    await expectRefused(w, w.gov.client, 'deletion in the NGO drafter’s name', (doc) =>
      paragraphOf(doc).format(4, 'Ministry'.length, { [SUGGEST_DELETE]: mark(w.ngo.userId) }),
    );
    // The same drafter's own suggestion, and plain typing, are kept and reach others.
    const ngoPeer = await open(w.ngo.client, w.sectionId);
    const gov2 = await open(w.gov.client, w.sectionId);
    const own = mark(w.gov.userId);
    paragraphOf(gov2.doc).insert(0, 'Firmly, ', { [SUGGEST_INSERT]: own });
    paragraphOf(gov2.doc).insert(paragraphOf(gov2.doc).length, ' Plain.');
    await converged(w, gov2);
    await eventually(() => expect(markedRuns(ngoPeer.doc)).toEqual([['Firmly, ', SUGGEST_INSERT, own.id, w.gov.userId]]));
    expect(paragraphText(ngoPeer.doc)).toBe('Firmly, ' + SENTENCE + ' Plain.');
    expect(listSuggestions(await serverDoc(w.sectionId)).map((s) => s.author)).toEqual([w.gov.userId]);
  });

  it('a government drafter may not stretch the NGO drafter’s existing suggestion over other words', async () => {
    const w = await setUp();
    const ngoPeer = await open(w.ngo.client, w.sectionId);
    const ngoDeletion = mark(w.ngo.userId);
    const at = SENTENCE.indexOf('Ministry');
    paragraphOf(ngoPeer.doc).format(0, 3, { [SUGGEST_DELETE]: ngoDeletion });
    await converged(w, ngoPeer);
    // Her id, in her name, on words she never proposed to delete: the decision would blame her.
    await expectRefused(w, w.gov.client, 'her existing suggestion stretched over “Ministry”', (doc) =>
      paragraphOf(doc).format(at, 'Ministry'.length, { [SUGGEST_DELETE]: ngoDeletion }),
    );
    expect(listSuggestions(await serverDoc(w.sectionId)).map((s) => s.deleted)).toEqual([SENTENCE.slice(0, 3)]);
  });
});

describe('deciding suggestions over REST', () => {
  it('accepts, rejects by organisation, accepts all; suggesters may only withdraw their own; all recorded', async () => {
    const w = await setUp();
    const ngoPeer = await open(w.ngo.client, w.sectionId);
    const commenterPeer = await open(w.commenter.client, w.sectionId);
    const everyone = [w.govPeer, ngoPeer, commenterPeer];

    // Four open suggestions: two of the NGO drafter's, one of the commenter's, one of the government's.
    const s1 = mark(w.ngo.userId);
    paragraphOf(ngoPeer.doc).insert(SENTENCE.indexOf('abolish'), 'completely ', { [SUGGEST_INSERT]: s1 });
    const s2 = mark(w.ngo.userId);
    paragraphOf(ngoPeer.doc).format(paragraphText(ngoPeer.doc).indexOf(' by 2028'), ' by 2028'.length, { [SUGGEST_DELETE]: s2 });
    await converged(w, ngoPeer);
    const s3 = mark(w.commenter.userId);
    paragraphOf(commenterPeer.doc).insert(0, 'Urgently, ', { [SUGGEST_INSERT]: s3 });
    await converged(w, commenterPeer);
    const s4 = mark(w.gov.userId);
    paragraphOf(w.govPeer.doc).insert(paragraphOf(w.govPeer.doc).length - 1, ' at the latest', { [SUGGEST_INSERT]: s4 });
    await eventually(() => {
      for (const p of everyone) expect(listSuggestions(p.doc).map((s) => s.id)).toEqual([s3.id, s1.id, s2.id, s4.id]);
    });
    expect(paragraphText(await serverDoc(w.sectionId))).toBe('Urgently, The Ministry will completely abolish the death penalty by 2028 at the latest.');

    // The government drafter accepts the NGO's insertion: every peer has it as plain text, live.
    const accepted = await w.gov.client.post(decisionsPath(w), { decision: 'accept', ids: [s1.id] });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.decided).toHaveLength(1);
    expect(SuggestionDecisionSchema.parse(accepted.body.decided[0])).toMatchObject({
      suggestionId: s1.id,
      decision: 'accept',
      kind: 'insert',
      inserted: 'completely ',
      deleted: '',
      authorName: 'Nina Lawyer',
      authorOrganisation: 'Human Rights Centre',
      decidedByName: 'Gary Official',
      decidedByOrganisation: 'Ministry of Justice',
    });
    await eventually(async () => {
      for (const p of [...everyone, { doc: await serverDoc(w.sectionId) }]) {
        expect(paragraphText(p.doc)).toBe('Urgently, The Ministry will completely abolish the death penalty by 2028 at the latest.');
        expect(listSuggestions(p.doc).map((s) => s.id)).toEqual([s3.id, s2.id, s4.id]);
      }
    });
    // No peer was disconnected by the server's edit.
    for (const p of everyone) expect(p.closes).toEqual([]);
    const listed = await w.ngo.client.get(decisionsPath(w));
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    expect(SuggestionDecisionSchema.parse(listed.body[0])).toMatchObject({
      suggestionId: s1.id,
      decision: 'accept',
      authorName: 'Nina Lawyer',
      decidedByName: 'Gary Official',
    });

    // A person who may only suggest cannot accept, not even their own…
    const ngoAccept = await w.ngo.client.post(decisionsPath(w), { decision: 'accept', ids: [s2.id] });
    expect(ngoAccept.status, JSON.stringify(ngoAccept.body)).toBe(403);
    // …nor reject someone else's, alone or together with their own (then nothing is decided).
    const ngoRejectOthers = await w.ngo.client.post(decisionsPath(w), { decision: 'reject', ids: [s3.id] });
    expect(ngoRejectOthers.status, JSON.stringify(ngoRejectOthers.body)).toBe(403);
    const ngoRejectMixed = await w.ngo.client.post(decisionsPath(w), { decision: 'reject', ids: [s2.id, s3.id] });
    expect(ngoRejectMixed.status, JSON.stringify(ngoRejectMixed.body)).toBe(403);
    const commenterAccept = await w.commenter.client.post(decisionsPath(w), { decision: 'accept', ids: [s3.id] });
    expect(commenterAccept.status, JSON.stringify(commenterAccept.body)).toBe(403);
    expect(listSuggestions(await serverDoc(w.sectionId)).map((s) => s.id)).toEqual([s3.id, s2.id, s4.id]);

    // They may withdraw their own: the deletion mark goes, the text stays.
    const withdrawn = await w.ngo.client.post(decisionsPath(w), { decision: 'reject', ids: [s2.id] });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body.decided.map((d: { suggestionId: string; decision: string; kind: string }) => [d.suggestionId, d.decision, d.kind])).toEqual([
      [s2.id, 'reject', 'delete'],
    ]);
    await eventually(() => {
      for (const p of everyone) {
        expect(listSuggestions(p.doc).map((s) => s.id)).toEqual([s3.id, s4.id]);
        expect(paragraphText(p.doc)).toContain('penalty by 2028 at the latest.');
      }
    });

    // A decided suggestion is gone: deciding it again is a conflict, and changes nothing.
    const before = snapshot(await serverDoc(w.sectionId));
    const stale = await w.gov.client.post(decisionsPath(w), { decision: 'accept', ids: [s1.id] });
    expect(stale.status, JSON.stringify(stale.body)).toBe(409);
    expect(stale.body.error.code).toBe('suggestion_gone');
    const staleOwn = await w.ngo.client.post(decisionsPath(w), { decision: 'reject', ids: [s2.id] });
    expect(staleOwn.status).toBe(409);
    expect(staleOwn.body.error.code).toBe('suggestion_gone');
    expect(snapshot(await serverDoc(w.sectionId))).toEqual(before);

    // Reject everything of one organisation: the commenter's insertion disappears for everyone.
    const byOrg = await w.gov.client.post(decisionsPath(w), { decision: 'reject', organisationId: w.commenter.organisationId });
    expect(byOrg.status, JSON.stringify(byOrg.body)).toBe(200);
    expect(byOrg.body.decided.map((d: { suggestionId: string }) => d.suggestionId)).toEqual([s3.id]);
    expect(byOrg.body.decided[0]).toMatchObject({ authorName: 'Carl Commenter', authorOrganisation: 'UN Country Team' });
    await eventually(() => {
      for (const p of everyone) {
        expect(paragraphText(p.doc)).toBe('The Ministry will completely abolish the death penalty by 2028 at the latest.');
        expect(listSuggestions(p.doc).map((s) => s.id)).toEqual([s4.id]);
      }
    });

    // "Reject all" by a suggester covers only their own.
    const s5 = mark(w.ngo.userId);
    paragraphOf(ngoPeer.doc).insert(0, 'Finally, ', { [SUGGEST_INSERT]: s5 });
    await converged(w, ngoPeer);
    const ngoAll = await w.ngo.client.post(decisionsPath(w), { decision: 'reject', all: true });
    expect(ngoAll.status, JSON.stringify(ngoAll.body)).toBe(200);
    expect(ngoAll.body.decided.map((d: { suggestionId: string }) => d.suggestionId)).toEqual([s5.id]);
    await eventually(() => {
      for (const p of everyone) expect(listSuggestions(p.doc).map((s) => s.id)).toEqual([s4.id]);
    });

    // Accept all: the government drafter's own insertion becomes text.
    const all = await w.gov.client.post(decisionsPath(w), { decision: 'accept', all: true });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.decided.map((d: { suggestionId: string }) => d.suggestionId)).toEqual([s4.id]);
    await eventually(async () => {
      for (const p of [...everyone, { doc: await serverDoc(w.sectionId) }]) {
        expect(listSuggestions(p.doc)).toEqual([]);
        expect(markedRuns(p.doc)).toEqual([]);
        expect(paragraphText(p.doc)).toBe('The Ministry will completely abolish the death penalty by 2028 at the latest.');
      }
    });
    // Nothing left to decide: "all" decides nothing and is not an error.
    const nothing = await w.gov.client.post(decisionsPath(w), { decision: 'accept', all: true });
    expect(nothing.status).toBe(200);
    expect(nothing.body.decided).toEqual([]);

    // The record, newest first.
    const record = await w.coordinator.get(decisionsPath(w));
    expect(record.status).toBe(200);
    expect(
      record.body.map((d: { suggestionId: string; decision: string; authorName: string; decidedByName: string }) => [
        d.suggestionId,
        d.decision,
        d.authorName,
        d.decidedByName,
      ]),
    ).toEqual([
      [s4.id, 'accept', 'Gary Official', 'Gary Official'],
      [s5.id, 'reject', 'Nina Lawyer', 'Nina Lawyer'],
      [s3.id, 'reject', 'Carl Commenter', 'Gary Official'],
      [s2.id, 'reject', 'Nina Lawyer', 'Nina Lawyer'],
      [s1.id, 'accept', 'Nina Lawyer', 'Gary Official'],
    ]);

    // The audit log has one entry per decision.
    const auditOf = async (action: string) => {
      const res = await w.coordinator.get(`/api/plans/${w.planId}/audit?action=${action}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.items as unknown[]).map((e) => AuditEntrySchema.parse(e));
    };
    const acceptedAudit = await auditOf('suggestion.accepted');
    expect(acceptedAudit.map((e) => [e.details.suggestionId, e.actorName, e.targetId])).toEqual([
      [s4.id, 'Gary Official', w.sectionId],
      [s1.id, 'Gary Official', w.sectionId],
    ]);
    expect(acceptedAudit[1]!.summary).toContain('Nina Lawyer');
    const rejectedAudit = await auditOf('suggestion.rejected');
    expect(rejectedAudit.map((e) => [e.details.suggestionId, e.actorName])).toEqual([
      [s5.id, 'Nina Lawyer'],
      [s3.id, 'Gary Official'],
      [s2.id, 'Nina Lawyer'],
    ]);
    // The audit log is the coordinators'.
    expect((await w.gov.client.get(`/api/plans/${w.planId}/audit?action=suggestion.accepted`)).status).toBe(403);
  });
});

describe('a rejection with a reason', () => {
  it('is recorded, listed for everyone and in the audit log; a blank or overlong reason is handled', async () => {
    const w = await setUp();
    const ngoPeer = await open(w.ngo.client, w.sectionId);
    const s1 = mark(w.ngo.userId);
    paragraphOf(ngoPeer.doc).insert(0, 'Immediately, ', { [SUGGEST_INSERT]: s1 });
    await converged(w, ngoPeer);
    const tooLong = await w.gov.client.post(decisionsPath(w), { decision: 'reject', ids: [s1.id], reason: 'x'.repeat(1001) });
    expect(tooLong.status).toBe(400);
    expect(listSuggestions(await serverDoc(w.sectionId)).map((s) => s.id)).toEqual([s1.id]);
    const why = 'The moratorium comes first; abolition needs a referendum.';
    const rejected = await w.gov.client.post(decisionsPath(w), { decision: 'reject', ids: [s1.id], reason: `  ${why}  ` });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    const listed = await w.ngo.client.get(decisionsPath(w));
    expect(listed.body.map((d: unknown) => SuggestionDecisionSchema.parse(d)).map((d: { reason: string | null }) => d.reason)).toEqual([why]);
    const audit = await w.coordinator.get(`/api/plans/${w.planId}/audit?action=suggestion.rejected`);
    const entry = AuditEntrySchema.parse(audit.body.items[0]);
    expect(entry.summary).toContain(why);
    expect(entry.details.reason).toBe(why);
  });
});

describe('signing while suggestions are open', () => {
  it('is refused with open_suggestions until every suggestion is decided', async () => {
    const w = await setUp();
    const sectionPath = `/api/plans/${w.planId}/sections/${w.sectionId}`;
    const agreement = async (client: ApiClient) => {
      const res = await client.get(`${sectionPath}/agreement`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return SectionAgreementSchema.parse(res.body);
    };
    const ngoPeer = await open(w.ngo.client, w.sectionId);
    const s = mark(w.ngo.userId);
    paragraphOf(ngoPeer.doc).format(4, 'Ministry'.length, { [SUGGEST_DELETE]: s });
    await converged(w, ngoPeer);

    const { currentHash } = await agreement(w.coordinator);
    const refused = await w.coordinator.post(`${sectionPath}/signoffs`, { contentHash: currentHash });
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.error.code).toBe('open_suggestions');
    const ngoRefused = await w.ngo.client.post(`${sectionPath}/signoffs`, { contentHash: (await agreement(w.ngo.client)).currentHash });
    expect(ngoRefused.status).toBe(409);
    expect(ngoRefused.body.error.code).toBe('open_suggestions');
    expect((await agreement(w.coordinator)).signoffs).toEqual([]);

    // Accepting the deletion removes the word; then both sides sign the new text.
    const decided = await w.gov.client.post(`${sectionPath}/suggestions/decisions`, { decision: 'accept', ids: [s.id] });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    await eventually(() => expect(paragraphText(ngoPeer.doc)).toBe('The  will abolish the death penalty by 2028.'));
    const now = await agreement(w.coordinator);
    expect(now.currentHash).not.toBe(currentHash);
    const signed = await w.coordinator.post(`${sectionPath}/signoffs`, { contentHash: now.currentHash });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    const ngoSigned = await w.ngo.client.post(`${sectionPath}/signoffs`, { contentHash: now.currentHash });
    expect(ngoSigned.status, JSON.stringify(ngoSigned.body)).toBe(201);
    expect(ngoSigned.body.status).toBe('agreed');
  });
});

describe('changing the rule', () => {
  it('reconnects exactly the people whose access changed, who then have their new access', async () => {
    const w = await setUp();
    const ngoPeer = await open(w.ngo.client, w.sectionId);
    const commenterPeer = await open(w.commenter.client, w.sectionId);
    const ngoCloses = closeCodes(ngoPeer);
    const commenterCloses = closeCodes(commenterPeer);
    const govCloses = closeCodes(w.govPeer);

    // Under the rule, the commenter's suggestion is kept.
    const kept = mark(w.commenter.userId);
    paragraphOf(commenterPeer.doc).insert(0, 'Kept, ', { [SUGGEST_INSERT]: kept });
    await converged(w, commenterPeer);
    expect(paragraphText(w.govPeer.doc)).toBe('Kept, ' + SENTENCE);

    // Only coordinators set the rule.
    const notCoordinator = await w.gov.client.request('PUT', `/api/plans/${w.planId}/suggestion-rule`, {
      commentersSuggest: false,
      suggestOnlySides: [],
    });
    expect(notCoordinator.status).toBe(403);
    expect(ngoCloses).toEqual([]);

    // Commenters no longer suggest; civil-society drafters edit freely.
    const put = await w.coordinator.request('PUT', `/api/plans/${w.planId}/suggestion-rule`, {
      commentersSuggest: false,
      suggestOnlySides: [],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await w.ngo.client.get(`/api/plans/${w.planId}/suggestion-rule`)).body).toEqual({ commentersSuggest: false, suggestOnlySides: [] });
    await eventually(() => {
      expect(ngoCloses).toEqual([CloseCode.PermissionsChanged]);
      expect(commenterCloses).toEqual([CloseCode.PermissionsChanged]);
    });
    // Both reconnect by themselves; the government drafter's access did not change: not closed.
    await eventually(() => {
      for (const p of [ngoPeer, commenterPeer]) expect(p.provider.wsconnected && p.provider.synced).toBe(true);
    });
    expect(govCloses).toEqual([]);
    expect(w.govPeer.provider.wsconnected).toBe(true);

    // The commenter is now read-only: even their own suggestion is dropped, without a refusal.
    const dropped = mark(w.commenter.userId);
    paragraphOf(commenterPeer.doc).insert(0, 'Dropped, ', { [SUGGEST_INSERT]: dropped });
    await handled(commenterPeer);
    // The NGO drafter now edits plain text.
    const ngoAt = paragraphText(ngoPeer.doc).indexOf('abolish');
    paragraphOf(ngoPeer.doc).insert(ngoAt, 'fully ');
    await eventually(() => expect(paragraphText(w.govPeer.doc)).toBe('Kept, The Ministry will fully abolish the death penalty by 2028.'));
    await eventually(() => expect(paragraphText(commenterPeer.doc)).toContain('fully abolish'));
    expect(paragraphText(await serverDoc(w.sectionId))).toBe('Kept, The Ministry will fully abolish the death penalty by 2028.');
    expect(listSuggestions(await serverDoc(w.sectionId)).map((s) => s.id)).toEqual([kept.id]);
    expect(listSuggestions(w.govPeer.doc).map((s) => s.id)).toEqual([kept.id]);
    expect(commenterPeer.closes).toEqual([]);
    expect(commenterCloses).toEqual([CloseCode.PermissionsChanged]);
    expect(commenterPeer.provider.wsconnected).toBe(true);
    expect(ngoCloses).toEqual([CloseCode.PermissionsChanged]);
    // (Its local copy still holds the dropped suggestion: a reconnect with suggesting access would
    // send it again, so it leaves before the rule changes back.)
    commenterPeer.destroy();

    // Back to the first rule: the NGO drafter is closed again and may then only suggest.
    const back = await w.coordinator.request('PUT', `/api/plans/${w.planId}/suggestion-rule`, RULE);
    expect(back.status).toBe(200);
    await eventually(() => expect(ngoCloses).toEqual([CloseCode.PermissionsChanged, CloseCode.PermissionsChanged]));
    await eventually(() => expect(ngoPeer.provider.wsconnected && ngoPeer.provider.synced).toBe(true));
    paragraphOf(ngoPeer.doc).insert(0, 'Plain again, ');
    await eventually(() => expect(ngoPeer.closes.map((c) => c.code)).toEqual([CloseCode.EditRefused]));
    expect(paragraphText(await serverDoc(w.sectionId))).toBe('Kept, The Ministry will fully abolish the death penalty by 2028.');
    expect(govCloses).toEqual([]);
  });
});
