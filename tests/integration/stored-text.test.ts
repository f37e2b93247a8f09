import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionPlainText } from '../../shared/doc/schema.ts';
import { listSuggestions, newSuggestionId, SUGGEST_INSERT } from '../../shared/doc/suggestions.ts';
import { SectionAgreementSchema, type Version } from '../../shared/api/index.ts';
import { sql, type RawBuilder } from 'kysely';
import { col, rowShape } from '../../server/db/rows.ts';
import { storedSectionOf } from '../helpers/storedSection.ts';
import { refuseAllWrites, refuseInserts } from '../helpers/refuseWrites.ts';

/**
 * What is signed is stored. A sign-off, an export or a version carries only text a crash cannot
 * take back: while some edits to a section are not stored, they are refused with a clear message.
 * A change the server makes to a text (accepting a suggestion, restoring a version) is stored
 * together with its records, or not made at all: nobody sees it, and nothing stores it later.
 *
 * Storage failures are injected in the server's own database: either it refuses every write (on
 * SQLite `query_only`, as a full disk or a read-only file; on PostgreSQL a trigger on every table),
 * or one table refuses its rows (a trigger), which is how the text change and its records could
 * come apart.
 */

let server: TestServer;
const peers: Peer[] = [];
const track = (p: Peer) => (peers.push(p), p);
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

interface World {
  coordinator: ApiClient;
  ngo: { client: ApiClient; userId: string };
  planId: string;
  sectionId: string;
  /** The coordinator's editor, holding the section's text. */
  writer: Peer;
  /** The NGO drafter's editor: sees what everyone else receives. */
  watcher: Peer;
}

const FIRST = 'The State will abolish the death penalty by 2028.';

async function setUp(): Promise<World> {
  server = await startTestServer();
  const { coordinator, planId, sectionId } = await setUpWorkspace(server);
  const ngo = await addMember(server, coordinator, planId, 'drafter', {
    name: 'Nina Lawyer',
    email: 'nina@hrc.example',
    organisation: { name: 'Human Rights Centre', side: 'civil_society' },
  });
  const writer = track(connectPeer(server.url, coordinator, sectionId));
  const watcher = track(connectPeer(server.url, ngo.client, sectionId));
  await Promise.all([writer.synced(), watcher.synced()]);
  writer.typeParagraph(FIRST);
  await eventually(() => expect(writer.isSaved()).toBe(true));
  await eventually(() => expect(watcher.text()).toContain(FIRST));
  return { coordinator, ngo, planId, sectionId, writer, watcher };
}

/** The section's text as stored in the database, as a restarted server would load it. */
const storedDoc = (sectionId: string): Promise<Y.Doc> => storedSectionOf(server, sectionId);
const storedText = async (sectionId: string) => sectionPlainText(await storedDoc(sectionId));

const count = async (query: RawBuilder<unknown>) => (await server.sql.theRow(rowShape({ n: col.int }), query)).n;
const auditCount = (planId: string, action: string) =>
  count(sql`SELECT count(*) AS n FROM audit_log WHERE plan_id = ${planId} AND action = ${action}`);

const FAILURES = [
  ['the database refuses every write', () => refuseAllWrites(server)],
] as const;

/**
 * After storage is back: the writer types once more and waits until it is stored. Anything kept in
 * memory for a retry would have been stored (and sent) with it, so what is stored and what the
 * watcher has now is final.
 */
async function afterRecovery(w: World, words: string): Promise<void> {
  w.writer.typeParagraph(words);
  await eventually(() => expect(w.writer.isSaved()).toBe(true), 15_000);
  await eventually(() => expect(w.watcher.text()).toContain(words));
  expect(await storedText(w.sectionId)).toContain(words);
}

const unsavedEdits = (res: { status: number; body: any }, cannot: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(res.body.error.code).toBe('unsaved_edits');
  expect(res.body.error.message).toMatch(new RegExp(`^Some edits to (this section|the plan) are not stored yet, so it cannot be ${cannot} now\\. Try again in a moment\\.$`));
};

describe('while some edits to a section are not stored (acceptance item 1)', () => {
  it('refuses to sign, export or keep a version, with a clear message; once the edits are stored, signing works', async () => {
    const w = await setUp();
    const section = `/api/plans/${w.planId}/sections/${w.sectionId}`;
    const before = SectionAgreementSchema.parse((await w.coordinator.get(`${section}/agreement`)).body);

    // Only the section's text fails to store: sign-offs, versions and audit rows could be written.
    const restore = await refuseInserts(server, 'document_updates');
    w.writer.typeParagraph('Words a crash would take back.');
    await eventually(() => expect(w.writer.storageFailing).toBe(true));
    expect(w.watcher.text()).not.toContain('Words a crash would take back.');

    unsavedEdits(await w.coordinator.get(`${section}/agreement`), 'checked for agreement');
    unsavedEdits(await w.coordinator.post(`${section}/signoffs`, { contentHash: before.currentHash }), 'signed');
    unsavedEdits(await w.ngo.client.post(`${section}/signoffs`, { contentHash: before.currentHash }), 'signed');
    unsavedEdits(await w.coordinator.post(`/api/plans/${w.planId}/exports`, { format: 'md', scope: 'current' }), 'exported');
    unsavedEdits(await w.coordinator.post(`${section}/versions`, { name: 'Draft for the round table' }), 'kept as a version');
    unsavedEdits(await w.coordinator.post(`/api/plans/${w.planId}/versions`, { name: 'Whole plan, March' }), 'kept as a version');
    // Nothing was recorded for any of them.
    expect(await count(sql`SELECT count(*) AS n FROM section_signoffs WHERE section_id = ${w.sectionId}`)).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM versions WHERE plan_id = ${w.planId}`)).toBe(0);
    expect(await auditCount(w.planId, 'export.created')).toBe(0);
    expect(await auditCount(w.planId, 'section.signed')).toBe(0);

    await restore();
    await eventually(() => expect(w.writer.isSaved()).toBe(true), 15_000);
    await eventually(() => expect(w.watcher.text()).toContain('Words a crash would take back.'));

    // The text both sides now read, and sign, is the stored one, the words typed during the failure included.
    const now = SectionAgreementSchema.parse((await w.coordinator.get(`${section}/agreement`)).body);
    expect(now.currentHash).not.toBe(before.currentHash);
    expect((await w.coordinator.post(`${section}/signoffs`, { contentHash: now.currentHash })).status).toBe(201);
    const signed = await w.ngo.client.post(`${section}/signoffs`, { contentHash: now.currentHash });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect(SectionAgreementSchema.parse(signed.body).status).toBe('agreed');
    expect(await storedText(w.sectionId)).toContain('Words a crash would take back.');
    const exported = await w.coordinator.post(`/api/plans/${w.planId}/exports`, { format: 'md', scope: 'current' });
    expect(exported.status, JSON.stringify(exported.body)).toBe(202);
    expect((await w.coordinator.post(`${section}/versions`, { name: 'Agreed, for the record' })).status).toBe(201);
  });
});

describe('a server-side change whose storage fails (acceptance item 2)', () => {
  const decisionFailures = [
    ...FAILURES,
    ['the decision cannot be recorded', () => refuseInserts(server, 'suggestion_decisions')],
    ['the audit entry cannot be written', () => refuseInserts(server, 'audit_log')],
  ] as const;
  for (const [what, fail] of decisionFailures) {
    it(`accepting a suggestion leaves neither the text change nor the decision when ${what}`, async () => {
      const w = await setUp();
      // The NGO drafter proposes words, in their own name.
      const id = newSuggestionId();
      const text = (getSectionBody(w.watcher.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(FIRST.indexOf(' by 2028'), ' in law', { [SUGGEST_INSERT]: { id, author: w.ngo.userId, at: Date.now() } });
      await eventually(() => expect(w.watcher.isSaved()).toBe(true));
      await eventually(() => expect(listSuggestions(w.writer.doc).map((s) => s.id)).toEqual([id]));
      const decisions = `/api/plans/${w.planId}/sections/${w.sectionId}/suggestions/decisions`;

      const restore = await fail();
      const res = await w.coordinator.post(decisions, { decision: 'accept', ids: [id] });
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(res.body.error.code).toBe('storage_failed');
      expect(res.body.error.message).toBe('The change could not be saved, so nothing was changed. Try again in a moment.');
      await restore();
      await afterRecovery(w, 'Typed after storage came back.');

      // Still a suggestion: in the database, for both editors, and in no record.
      expect(listSuggestions(await storedDoc(w.sectionId)).map((s) => s.id)).toEqual([id]);
      expect(listSuggestions(w.writer.doc).map((s) => s.id)).toEqual([id]);
      expect(listSuggestions(w.watcher.doc).map((s) => s.id)).toEqual([id]);
      expect(await count(sql`SELECT count(*) AS n FROM suggestion_decisions WHERE section_id = ${w.sectionId}`)).toBe(0);
      expect(await auditCount(w.planId, 'suggestion.accepted')).toBe(0);
      expect((await w.coordinator.get(decisions)).body).toEqual([]);

      // Deciding again once storage works: the change and its record, together.
      const again = await w.coordinator.post(decisions, { decision: 'accept', ids: [id] });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(listSuggestions(await storedDoc(w.sectionId))).toEqual([]);
      expect(await storedText(w.sectionId)).toContain('abolish the death penalty in law by 2028');
      await eventually(() => expect(listSuggestions(w.watcher.doc)).toEqual([]));
      expect(await count(sql`SELECT count(*) AS n FROM suggestion_decisions WHERE section_id = ${w.sectionId}`)).toBe(1);
      expect(await auditCount(w.planId, 'suggestion.accepted')).toBe(1);
    });
  }

  const restoreFailures = [
    ...FAILURES,
    ['the versions cannot be kept', () => refuseInserts(server, 'versions')],
    ['the audit entry cannot be written', () => refuseInserts(server, 'audit_log')],
  ] as const;
  for (const [what, fail] of restoreFailures) {
    it(`restoring a version leaves neither the text change nor its versions when ${what}`, async () => {
      const w = await setUp();
      const kept = await w.coordinator.post<Version>(`/api/plans/${w.planId}/sections/${w.sectionId}/versions`, { name: 'First reading' });
      expect(kept.status, JSON.stringify(kept.body)).toBe(201);
      w.writer.typeParagraph('Added in the second reading.');
      await eventually(() => expect(w.writer.isSaved()).toBe(true));
      await eventually(() => expect(w.watcher.text()).toContain('Added in the second reading.'));
      const versionsBefore = await count(sql`SELECT count(*) AS n FROM versions WHERE plan_id = ${w.planId}`);

      const restore = await fail();
      const res = await w.coordinator.post(`/api/plans/${w.planId}/versions/${kept.body.id}/restore`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(res.body.error.code).toBe('storage_failed');
      await restore();
      await afterRecovery(w, 'Typed after storage came back.');

      // The second reading is still there: in the database and for both editors; no version, no audit entry.
      expect(await storedText(w.sectionId)).toContain('Added in the second reading.');
      expect(w.writer.text()).toContain('Added in the second reading.');
      expect(w.watcher.text()).toContain('Added in the second reading.');
      expect(await count(sql`SELECT count(*) AS n FROM versions WHERE plan_id = ${w.planId}`)).toBe(versionsBefore);
      expect(await count(sql`SELECT count(*) AS n FROM versions WHERE plan_id = ${w.planId} AND kind IN ('before_restore', 'restore')`)).toBe(0);
      expect(await auditCount(w.planId, 'version.restored')).toBe(0);

      // Restoring again once storage works: the change, both versions and the audit entry, together.
      const again = await w.coordinator.post<Version>(`/api/plans/${w.planId}/versions/${kept.body.id}/restore`, {});
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(again.body.contentHash).toBe(kept.body.contentHash);
      expect(await storedText(w.sectionId)).not.toContain('Added in the second reading.');
      await eventually(() => expect(w.watcher.text()).not.toContain('Added in the second reading.'));
      expect(await count(sql`SELECT count(*) AS n FROM versions WHERE plan_id = ${w.planId} AND kind IN ('before_restore', 'restore')`)).toBe(2);
      expect(await auditCount(w.planId, 'version.restored')).toBe(1);
    });
  }
});
