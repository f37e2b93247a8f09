import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { z } from 'zod';
import { sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { refuseDocumentWrites } from '../helpers/refuseWrites.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { storedSectionOf } from '../helpers/storedSection.ts';

let server: TestServer | undefined;
const peers: Peer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
  server = undefined;
});

const observerPerson = {
  name: 'Oleg Observer',
  email: 'oleg@watch.example',
  organisation: { name: 'Watchful Citizens', side: 'civil_society' as const },
};

/** How many updates the section's stored log holds. */
async function updateCount(s: TestServer, sectionId: string): Promise<number> {
  const name = sectionDocName(sectionId);
  return (await s.sql.theRow(z.object({ n: z.number() }), sql`SELECT count(*) AS n FROM document_updates WHERE document_name = ${name}`)).n;
}


async function typeSavedEdits(peer: Peer, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    peer.typeChars(`word${i} `);
    await eventually(() => expect(peer.isSaved()).toBe(true));
  }
}

describe('a section nobody has open', () => {
  it('is not loaded again and again when one person keeps opening and closing it (#14, finding 5)', async () => {
    server = await startTestServer({ env: { SECTION_IDLE_GRACE_MS: '60000' } });
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const observer = await addMember(server, coordinator, planId, 'observer', observerPerson);
    const loadsBefore = server.sync.documentLoads;
    for (let i = 0; i < 30; i++) {
      const p = connectPeer(server.url, observer.client, sectionId);
      await p.synced();
      p.destroy();
      await eventually(() => expect(server!.sync.connectionCount).toBe(0));
      // Still in memory between visits.
      expect(server.sync.loadedDocuments).toBe(1);
    }
    expect(server.sync.documentLoads - loadsBefore).toBe(1);
  });

  it('is compacted and unloaded once its grace period is over', async () => {
    server = await startTestServer({ env: { SECTION_IDLE_GRACE_MS: '300' } });
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const a = connectPeer(server.url, coordinator, sectionId);
    peers.push(a);
    await a.synced();
    await typeSavedEdits(a, 10);
    expect(await updateCount(server, sectionId)).toBeGreaterThan(1);
    a.destroy();
    await eventually(() => expect(server!.sync.connectionCount).toBe(0));
    expect(server.sync.loadedDocuments).toBe(1);
    await eventually(() => expect(server!.sync.loadedDocuments).toBe(0));
    // The room is let go first and its log compacted after (a round trip on PostgreSQL).
    await eventually(async () => expect(await updateCount(server!, sectionId)).toBe(1));
    // And it opens again with everything in it.
    const b = connectPeer(server.url, coordinator, sectionId);
    peers.push(b);
    await b.synced();
    await eventually(() => expect(b.text()).toContain('word9'));
  });

  it('reopened within the grace period, is the same document, with edits made in between', async () => {
    server = await startTestServer({ env: { SECTION_IDLE_GRACE_MS: '60000' } });
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const a = connectPeer(server.url, coordinator, sectionId);
    await a.synced();
    a.typeParagraph('Before leaving.');
    await eventually(() => expect(a.isSaved()).toBe(true));
    a.destroy();
    await eventually(() => expect(server!.sync.connectionCount).toBe(0));
    const second = new ApiClient(server.url);
    second.cookie = coordinator.cookie;
    const b = connectPeer(server.url, second, sectionId);
    peers.push(b);
    await b.synced();
    await eventually(() => expect(b.text()).toContain('Before leaving.'));
    b.typeParagraph('After coming back.');
    await eventually(() => expect(b.isSaved()).toBe(true));
    expect(server.sync.documentLoads).toBe(1);
  });

  it('is stored and compacted when the server shuts down within the grace period', async () => {
    server = await startTestServer({ env: { SECTION_IDLE_GRACE_MS: '60000' } });
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const a = connectPeer(server.url, coordinator, sectionId);
    await a.synced();
    await typeSavedEdits(a, 10);
    a.destroy();
    await eventually(() => expect(server!.sync.connectionCount).toBe(0));
    expect(server.sync.loadedDocuments).toBe(1);
    const dataDir = server.dataDir;
    await server.close();
    // What it stored, read by a server started on the same data that nobody opens a section on.
    server = await startTestServer({ dataDir });
    expect(await updateCount(server, sectionId)).toBe(1);
    expect(sectionPlainText(await storedSectionOf(server, sectionId))).toContain('word9');
  });
});

describe('while storage fails', () => {
  it('the log says so once per document and retry, not once per keystroke', async () => {
    const lines: Array<{ msg: string; doc?: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    server = await startTestServer({ logger });
    const { coordinator, sectionId } = await setUpWorkspace(server);
    const a = connectPeer(server.url, coordinator, sectionId);
    peers.push(a);
    await a.synced();
    const storageLines = () => lines.filter((l) => /stor/i.test(l.msg) && l.doc === sectionDocName(sectionId));

    // The database refuses writes from now on (as with a full disk).
    await refuseDocumentWrites(server, true);
    const started = Date.now();
    for (let i = 0; i < 100; i++) {
      a.typeChars('x');
      await new Promise((r) => setTimeout(r, 10));
    }
    await eventually(() => expect(a.storageFailing).toBe(true));
    const elapsed = Date.now() - started;
    // One line when it started failing, then at most one per retry (every 0.5 s, 1 s, 2 s, …).
    const retries = Math.ceil(Math.log2(elapsed / 500 + 1)) + 1;
    expect(storageLines().length).toBeGreaterThanOrEqual(1);
    expect(storageLines().length).toBeLessThanOrEqual(1 + retries);

    await refuseDocumentWrites(server, false);
    await eventually(() => expect(a.isSaved()).toBe(true), 15_000);
    expect(storageLines().some((l) => /works again/.test(l.msg))).toBe(true);
  });
});
