import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { DocumentStore } from '../../server/storage/DocumentStore.ts';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { newSuggestionId, SUGGEST_INSERT } from '../../shared/doc/suggestions.ts';
import { MessageType } from '../../shared/protocol.ts';
import { connectPeer, rawSocket, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';

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

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

function stateRequest(): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.Sync);
  syncProtocol.writeSyncStep1(e, new Y.Doc());
  return encoding.toUint8Array(e);
}

function storedText(s: TestServer, sectionId: string): string {
  const doc = new Y.Doc();
  for (const u of new DocumentStore(s.db).load(sectionDocName(sectionId))!.updates) Y.applyUpdate(doc, u);
  return sectionPlainText(doc);
}

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
      const nina = await addMember(server, coordinator, planId, 'drafter', {
        name: 'Nina Lawyer',
        email: 'nina@hrc.example',
        organisation: { name: 'Human Rights Centre', side: 'civil_society' },
      });
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

      const stored = storedText(server, sectionId);
      expect(stored).toContain('Nina’s first words. And more after reconnecting.');
      expect(stored).not.toContain('SQUAT');
      expect(stored).not.toContain('MORE');
      raw.ws.close();
    });
  }
});
