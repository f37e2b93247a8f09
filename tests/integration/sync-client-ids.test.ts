import { afterEach, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { newSuggestionId, SUGGEST_INSERT } from '../../shared/doc/suggestions.ts';
import { MessageType } from '../../shared/protocol.ts';
import { awarenessMessage, deleteSetUpdate, syncStep1Message, updateMessage } from '../helpers/fuzz.ts';
import { connectPeer, rawSocket, type Peer } from '../helpers/peer.ts';
import { storedSectionOf } from '../helpers/storedSection.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';

/**
 * A member who may suggest reads a colleague's fresh Yjs client id from presence (anyone in the
 * section sees it) and writes under it before the colleague's first edit. Whatever the server does
 * with that update, the colleague's own edits under their id must go on being kept.
 */

let server: TestServer;
const peers: Peer[] = [];
const track = (p: Peer) => (peers.push(p), p);
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

/** Nina, an NGO lawyer who drafts: the colleague whose edits each case below protects. */
const addNina = (coordinator: ApiClient, planId: string) =>
  addMember(server, coordinator, planId, 'drafter', { name: 'Nina Lawyer', email: 'nina@hrc.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' } });

/** Asks for the whole section: the answer shows the server has read what was sent before. */
const stateRequest = () => syncStep1Message(new Uint8Array([0]));

const storedText = async (s: TestServer, sectionId: string) => sectionPlainText(await storedSectionOf(s, sectionId));

type Attempt = 'held back (a clock gap)' | 'refused' | 'valid';

/**
 * Updates written under `clientId` on a copy of `base`, and the one to send: a suggestion of the
 * squatter's whose first part is left out (held back), words no suggester may write (refused), or
 * a proper suggestion of theirs (valid).
 */
function squat(base: Y.Doc, clientId: number, squatterId: string, attempt: Attempt): Uint8Array {
  const forged = new Y.Doc();
  Y.applyUpdate(forged, Y.encodeStateAsUpdate(base));
  forged.clientID = clientId;
  const updates: Uint8Array[] = [];
  forged.on('update', (u: Uint8Array) => updates.push(u));
  const text = (getSectionBody(forged).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const mark = { [SUGGEST_INSERT]: { id: newSuggestionId(), author: squatterId, at: Date.now() } };
  if (attempt === 'refused') text.insert(0, 'SQUAT ');
  else {
    text.insert(0, 'SQUAT ', mark);
    text.insert(6, 'MORE ', mark);
  }
  return attempt === 'held back (a clock gap)' ? updates[1]! : updates[0]!;
}

describe("a member who writes under a colleague's client id", () => {
  for (const attempt of ['held back (a clock gap)', 'refused', 'valid'] as const) {
    it(`cannot stop the colleague's edits from being kept (update ${attempt})`, async () => {
      server = await startTestServer();
      const { coordinator, planId, sectionId } = await setUpWorkspace(server);
      const put = await coordinator.request('PUT', `/api/plans/${planId}/suggestion-rule`, { commentersSuggest: true, suggestOnlySides: [] });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      const nina = await addNina(coordinator, planId);
      const mallory = await addMember(server, coordinator, planId, 'commenter', {
        name: 'Mallory Commenter',
        email: 'mallory@un.example',
        organisation: { name: 'UN Country Team', side: 'international' },
      });
      const olga = track(connectPeer(server.url, coordinator, sectionId));
      await olga.synced();
      olga.typeParagraph('Olga wrote this.');
      await eventually(() => expect(olga.isSaved()).toBe(true));

      // Nina opens the section; her fresh client id shows in everyone's presence.
      const victim = track(connectPeer(server.url, nina.client, sectionId));
      // As the page does: its caret shows who is there (the server stamps who it really is).
      victim.provider.awareness.setLocalStateField('user', { name: 'Nina Lawyer' });
      await victim.synced();
      const victimId = await eventually(() => {
        const entry = [...olga.provider.awareness.getStates()].find(([, s]) => (s as { user?: { id: string } }).user?.id === nina.userId);
        expect(entry).toBeDefined();
        return entry![0];
      });
      expect(victimId).toBe(victim.doc.clientID);

      // Mallory writes under it before Nina's first edit, and waits until the server has read it.
      const raw = await rawSocket(server.url, sectionDocName(sectionId), { cookie: mallory.client.cookie });
      raw.ws.send(updateMessage(squat(olga.doc, victimId, mallory.userId, attempt)));
      raw.ws.send(stateRequest());
      await Promise.race([
        raw.closed,
        eventually(() => expect(raw.messages.some((m) => m[0] === MessageType.Sync && m[1] === syncProtocol.messageYjsSyncStep2)).toBe(true)),
      ]);

      // Nina types: stored, and it reaches Olga.
      victim.typeParagraph('Nina’s first words.');
      await eventually(() => expect(victim.isSaved()).toBe(true));
      await eventually(() => expect(olga.text()).toContain('Nina’s first words.'));

      // And after she reloads the page (same document, same client id), as well.
      victim.provider.disconnect();
      victim.provider.connect();
      await victim.synced();
      victim.typeChars(' And more after reconnecting.');
      await eventually(() => expect(victim.isSaved()).toBe(true));
      await eventually(() => expect(olga.text()).toContain('Nina’s first words. And more after reconnecting.'));
      expect(victim.closes).toEqual([]);

      const stored = await storedText(server, sectionId);
      expect(stored).toContain('Nina’s first words. And more after reconnecting.');
      expect(stored).not.toContain('SQUAT');
      expect(stored).not.toContain('MORE');
      raw.ws.close();
    });
  }
});

describe("a member who deletes in advance what a colleague has not typed yet", () => {
  it("cannot make the colleague's next words vanish on the server while their screen keeps them", async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const nina = await addNina(coordinator, planId);
    const eve = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Eve Drafter',
      email: 'eve@agency.example',
      organisation: { name: 'Some Agency', side: 'government' },
    });
    const olga = track(connectPeer(server.url, coordinator, sectionId));
    const victim = track(connectPeer(server.url, nina.client, sectionId));
    victim.provider.awareness.setLocalStateField('user', { name: 'Nina Lawyer' });
    await Promise.all([olga.synced(), victim.synced()]);
    victim.typeParagraph('Nina was here.');
    await eventually(() => expect(olga.text()).toContain('Nina was here.'));
    await eventually(() => expect(victim.isSaved()).toBe(true));

    // Eve, who may edit, sends a delete set over everything Nina will ever write next.
    const next = Y.getState(victim.doc.store, victim.doc.clientID);
    const raw = await rawSocket(server.url, sectionDocName(sectionId), { cookie: eve.client.cookie });
    raw.ws.send(updateMessage(deleteSetUpdate([{ client: victim.doc.clientID, clock: next, len: 1_000_000 }])));
    raw.ws.send(stateRequest());
    await eventually(() => expect(raw.messages.some((m) => m[0] === MessageType.Sync && m[1] === syncProtocol.messageYjsSyncStep2)).toBe(true));

    victim.typeParagraph('Typed after the advance deletion.');
    await eventually(() => expect(victim.isSaved()).toBe(true));
    await eventually(() => expect(olga.text()).toContain('Typed after the advance deletion.'));
    expect(await storedText(server, sectionId)).toContain('Typed after the advance deletion.');
    raw.ws.close();
  });
});

describe('a suggester whose refused update is followed by other words under the same ids', () => {
  it('is judged on what the section holds, not on what was refused', async () => {
    // One open suggestion per person: her second is refused for the limit, after it was tried.
    server = await startTestServer({ env: { SUGGESTIONS_PER_PERSON: '1' } });
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const put = await coordinator.request('PUT', `/api/plans/${planId}/suggestion-rule`, { commentersSuggest: true, suggestOnlySides: [] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const alice = await addMember(server, coordinator, planId, 'commenter', {
      name: 'Alice Commenter',
      email: 'alice@un.example',
      organisation: { name: 'UN Country Team', side: 'international' },
    });
    const olga = track(connectPeer(server.url, coordinator, sectionId));
    await olga.synced();
    olga.typeParagraph('The State shall protect.');
    await eventually(() => expect(olga.isSaved()).toBe(true));

    let clientId = 424242;
    const write = (words: string, marked: boolean): Uint8Array => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(olga.doc));
      doc.clientID = clientId;
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      const body = getSectionBody(doc);
      const text = (body.get(body.length - 1) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(4, words, marked ? { [SUGGEST_INSERT]: { id: newSuggestionId(), author: alice.userId, at: Date.now() } } : undefined);
      return updates[0]!;
    };
    const own = await rawSocket(server.url, sectionDocName(sectionId), { cookie: alice.client.cookie });
    own.ws.send(updateMessage(write('mine ', true)));
    await eventually(() => expect(olga.text()).toContain('mine'));
    own.ws.close();
    await own.closed;
    clientId = 535353;
    // A proper suggestion of hers, past her limit: refused, closed.
    const first = await rawSocket(server.url, sectionDocName(sectionId), { cookie: alice.client.cookie });
    first.ws.send(updateMessage(write('x'.repeat(20), true)));
    expect((await first.closed).code).toBe(4419);
    // The same ids and length as plain words, which a suggester may never write: refused too.
    const second = await rawSocket(server.url, sectionDocName(sectionId), { cookie: alice.client.cookie });
    second.ws.send(updateMessage(write('E'.repeat(20), false)));
    expect((await second.closed).code).toBe(4409);
    expect(await storedText(server, sectionId)).not.toContain('EEEE');
    expect(olga.text()).not.toContain('EEEE');
  });
});

describe("an editor who places words against a colleague's next words", () => {
  it("cannot get the colleague's own suggestion refused when they type", async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const put = await coordinator.request('PUT', `/api/plans/${planId}/suggestion-rule`, { commentersSuggest: true, suggestOnlySides: [] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const ana = await addMember(server, coordinator, planId, 'commenter', {
      name: 'Ana Commenter',
      email: 'ana@un.example',
      organisation: { name: 'UN Country Team', side: 'international' },
    });
    const eve = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Eve Drafter',
      email: 'eve@agency.example',
      organisation: { name: 'Some Agency', side: 'government' },
    });
    const olga = track(connectPeer(server.url, coordinator, sectionId));
    await olga.synced();
    olga.typeParagraph('The State shall protect.');
    await eventually(() => expect(olga.isSaved()).toBe(true));
    const victim = track(connectPeer(server.url, ana.client, sectionId));
    victim.provider.awareness.setLocalStateField('user', { name: 'Ana Commenter' });
    await victim.synced();
    await eventually(() => expect(olga.provider.awareness.getStates().has(victim.doc.clientID)).toBe(true));

    // Eve writes Ana's next words on a copy of her own, then sends only her words placed after them.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(olga.doc));
    forged.clientID = victim.doc.clientID;
    const forgedText = (getSectionBody(forged).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    forgedText.insert(10, 'firmly ', { [SUGGEST_INSERT]: { id: newSuggestionId(), author: ana.userId, at: Date.now() } });
    const before = Y.encodeStateVector(forged);
    forged.clientID = 777777;
    forgedText.insert(17, 'EVIL ');
    const planted = Y.encodeStateAsUpdate(forged, before);
    const raw = await rawSocket(server.url, sectionDocName(sectionId), { cookie: eve.client.cookie });
    raw.ws.send(updateMessage(planted));
    raw.ws.send(stateRequest());
    await Promise.race([raw.closed, eventually(() => expect(raw.messages.some((m) => m[0] === MessageType.Sync && m[1] === syncProtocol.messageYjsSyncStep2)).toBe(true))]);

    // Ana suggests those very words, as her page would write them.
    const text = (getSectionBody(victim.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(10, 'firmly ', { [SUGGEST_INSERT]: { id: newSuggestionId(), author: ana.userId, at: Date.now() } });
    await eventually(() => expect(olga.text()).toContain('firmly'));
    await eventually(() => expect(victim.isSaved()).toBe(true));
    expect(victim.closes).toEqual([]);
    raw.ws.close();
  });
});

describe('a person who comes back online before the server noticed their old connection die', () => {
  /**
   * Nina's network drops; the server still holds her old connection (the heartbeat takes up to a
   * minute), and with it her presence under her document's client id. Offline she moves words: the
   * browser sends, on reconnecting, one update that deletes them where they were and writes them
   * where they go, under that same client id. Her old connection is hers, not someone else's: the
   * move arrives whole. Before, her new words were taken out as "another's" and the deletion kept,
   * so everyone else lost the words, and her screen said "Saving…" until she reloaded.
   */
  it('has her offline edits kept whole, and her presence stays', async () => {
    server = await startTestServer();
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const nina = await addNina(coordinator, planId);
    const olga = track(connectPeer(server.url, coordinator, sectionId));
    await olga.synced();
    olga.typeParagraph('Abolish the death penalty.');
    await eventually(() => expect(olga.isSaved()).toBe(true));

    // Her old connection: it published her presence under her client id, then went silent.
    const doc = new Y.Doc();
    const old = await rawSocket(server.url, sectionDocName(sectionId), { cookie: nina.client.cookie });
    old.ws.send(awarenessMessage([{ clientId: doc.clientID, clock: 1, json: JSON.stringify({ user: { name: 'Nina Lawyer' } }) }]));
    old.ws.send(stateRequest());
    await eventually(() => expect(old.messages.some((m) => m[0] === MessageType.Sync && m[1] === syncProtocol.messageYjsSyncStep2)).toBe(true));
    await eventually(() => expect([...olga.provider.awareness.getStates().keys()]).toContain(doc.clientID));

    // Offline, on her copy of the section: the sentence moved into a new paragraph of hers.
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(olga.doc));
    const body = getSectionBody(doc);
    const at = body.toArray().findIndex((p) => p instanceof Y.XmlElement && p.toString().includes('Abolish the death penalty.'));
    expect(at).toBeGreaterThanOrEqual(0);
    doc.transact(() => {
      body.delete(at, 1);
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('Abolish the death penalty, now.')]);
      body.insert(body.length, [p]);
    });

    // Back online: a new connection from the same document, the old one still open on the server.
    const back = track(connectPeer(server.url, nina.client, sectionId, { doc }));
    back.provider.awareness.setLocalStateField('user', { name: 'Nina Lawyer' });
    await back.synced();
    await eventually(() => expect(back.isSaved()).toBe(true));
    await eventually(() => expect(olga.text()).toContain('Abolish the death penalty, now.'));
    expect(await storedText(server, sectionId)).toContain('Abolish the death penalty, now.');
    expect(back.closes).toEqual([]);

    // The old connection is found dead and closed: her presence, now the new connection's, stays
    // (before, Olga saw "Nina … is no longer in this section" while Nina typed).
    const removed: number[] = [];
    olga.provider.awareness.on('change', ({ removed: gone }: { removed: number[] }) => removed.push(...gone));
    old.ws.terminate();
    await old.closed;
    await new Promise((r) => setTimeout(r, 500));
    expect(removed).not.toContain(doc.clientID);
    expect([...olga.provider.awareness.getStates().keys()]).toContain(doc.clientID);
  });
});

describe('a person with the section open in two tabs', () => {
  /**
   * A page echoes every presence it receives, its person's other tab's among them. Those echoes
   * are not the page's own: taking them over moved presences between the tabs, left ids behind in
   * a closed tab's place, and after a few visits in the second tab closed the first one as a
   * flood of presences.
   */
  it('keeps both tabs open and each presence with its own tab, however often the second is reopened', async () => {
    server = await startTestServer();
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const first = track(connectPeer(server.url, coordinator, sectionId));
    first.provider.awareness.setLocalStateField('user', { name: 'Olga' });
    await first.synced();
    for (let visit = 0; visit < 6; visit++) {
      const second = connectPeer(server.url, coordinator, sectionId);
      second.provider.awareness.setLocalStateField('user', { name: 'Olga' });
      await second.synced();
      await eventually(() => expect([...first.provider.awareness.getStates().keys()]).toContain(second.doc.clientID));
      second.destroy();
      // The closed tab's presence goes; the open tab's stays.
      await eventually(() => expect([...first.provider.awareness.getStates().keys()]).not.toContain(second.doc.clientID));
    }
    const watcher = track(connectPeer(server.url, coordinator, sectionId));
    await watcher.synced();
    await eventually(() => expect([...watcher.provider.awareness.getStates().keys()]).toContain(first.doc.clientID));
    expect(first.closes).toEqual([]);
    first.typeParagraph('Still here after six visits.');
    await eventually(() => expect(first.isSaved()).toBe(true));
  });
});
