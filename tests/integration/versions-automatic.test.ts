import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import type { ListedVersion, RestoredVersion } from '../../shared/api/index.ts';
import { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { sql } from 'kysely';
import { z } from 'zod';

/**
 * Automatic versions with a real server and real Yjs clients. The pause is configured short
 * (AUTO_VERSION_PAUSE_MS); the daily version is reached by moving an injected clock a day ahead.
 */

let server: TestServer;
const peers: Peer[] = [];
const track = (peer: Peer) => (peers.push(peer), peer);

afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

const PAUSE_MS = 300;
const DAY_MS = 24 * 60 * 60 * 1000;

async function workspace(options: { env?: Record<string, string>; clock?: { now(): number } } = {}) {
  server = await startTestServer({ env: { AUTO_VERSION_PAUSE_MS: String(PAUSE_MS), ...options.env }, clock: options.clock });
  const ws = await setUpWorkspace(server);
  const drafter = await addMember(server, ws.coordinator, ws.planId, 'drafter', {
    name: 'Nina Lawyer',
    email: 'nina@ngo.example',
    organisation: { name: 'Human Rights Centre', side: 'civil_society' },
  });
  return { ...ws, drafter: drafter.client };
}

const saved = (...ps: Peer[]) => eventually(() => expect(ps.every((p) => p.isSaved())).toBe(true));

async function versionsOf(client: ApiClient, planId: string, sectionId: string): Promise<ListedVersion[]> {
  const res = await client.get<ListedVersion[]>(`/api/plans/${planId}/sections/${sectionId}/versions`);
  expect(res.status).toBe(200);
  return res.body;
}

const automatic = (vs: ListedVersion[]) => vs.filter((v) => v.kind === 'automatic');

async function textOfVersion(client: ApiClient, planId: string, versionId: string): Promise<string[]> {
  const res = await client.get(`/api/plans/${planId}/versions/${versionId}`);
  expect(res.status).toBe(200);
  return res.body.text;
}

/** Lets several pauses go by, to show that nothing is kept when nothing changed. */
const severalPauses = () => new Promise((r) => setTimeout(r, PAUSE_MS * 4));

function paragraphContaining(peer: Peer, needle: string): Y.XmlText {
  for (const block of getSectionBody(peer.doc).toArray()) {
    if (!(block instanceof Y.XmlElement)) continue;
    const t = block.get(0);
    if (t instanceof Y.XmlText && t.toString().includes(needle)) return t;
  }
  throw new Error(`no paragraph contains ${needle}`);
}

describe('automatic versions', () => {
  it('keeps the text after a pause in editing, made by "Automatic" and naming whose edits it holds', async () => {
    const { coordinator, drafter, planId, sectionId } = await workspace();
    const a = track(connectPeer(server.url, coordinator, sectionId));
    const b = track(connectPeer(server.url, drafter, sectionId));
    await Promise.all([a.synced(), b.synced()]);
    a.typeParagraph('The Ministry of Justice will draft a law on the abolition of the death penalty.');
    await saved(a);
    b.typeParagraph('Civil society will be consulted.');
    await saved(b);

    const [kept] = await eventually(async () => {
      const auto = automatic(await versionsOf(coordinator, planId, sectionId));
      expect(auto).toHaveLength(1);
      return auto;
    });
    expect(kept).toMatchObject({ kind: 'automatic', createdBy: 'Automatic', groupId: null, holdsActions: true });
    expect(kept!.editedBy).toEqual(['Olga Coordinator', 'Nina Lawyer']);
    expect(await textOfVersion(coordinator, planId, kept!.id)).toEqual([
      'The Ministry of Justice will draft a law on the abolition of the death penalty.',
      'Civil society will be consulted.',
    ]);
    const audit = await server.sql.rows(
      z.object({ actorId: z.string().nullable(), actorName: z.string(), summary: z.string(), details: z.string() }),
      sql`SELECT actor_id AS "actorId", actor_name AS "actorName", summary, details FROM audit_log WHERE plan_id = ${planId} AND action = 'version.created'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: null, actorName: 'Accord' });
    expect(audit[0]!.summary).toContain('saved automatically after edits by Olga Coordinator, Nina Lawyer');
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ versionId: kept!.id, automatic: true });

    // Nobody edits: several pauses later there is still one.
    await severalPauses();
    expect(automatic(await versionsOf(coordinator, planId, sectionId))).toHaveLength(1);

    // Only the drafter edits next: the next automatic version names only her.
    paragraphContaining(b, 'Civil society').insert(0, 'Independent ');
    await saved(b);
    const second = await eventually(async () => {
      const auto = automatic(await versionsOf(coordinator, planId, sectionId));
      expect(auto).toHaveLength(2);
      return auto[0]!;
    });
    expect(second.editedBy).toEqual(['Nina Lawyer']);
    expect(await textOfVersion(coordinator, planId, second.id)).toContain('Independent Civil society will be consulted.');
  });

  it('keeps nothing when the text is the same as the latest version', async () => {
    const { coordinator, planId, sectionId } = await workspace();
    const a = track(connectPeer(server.url, coordinator, sectionId));
    await a.synced();

    // Typed and kept by hand at once: the pause that follows finds nothing new.
    a.typeParagraph('Article 1. Everyone has the right to life.');
    await saved(a);
    const manual = await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/versions`, { name: 'Sent to the ministries' });
    expect(manual.status).toBe(201);
    await severalPauses();
    expect((await versionsOf(coordinator, planId, sectionId)).map((v) => v.kind)).toEqual(['manual']);

    // A word typed and taken back again: stored changes, but the same text.
    const t = paragraphContaining(a, 'Article 1');
    t.insert(0, 'Draft ');
    await saved(a);
    t.delete(0, 'Draft '.length);
    await saved(a);
    await severalPauses();
    expect((await versionsOf(coordinator, planId, sectionId)).map((v) => v.kind)).toEqual(['manual']);
  });

  it('keeps a version at least daily while edits keep coming without a pause', async () => {
    let now = Date.parse('2026-03-02T09:00:00Z');
    const clock = { now: () => now };
    // The pause is long here: only the daily rule can keep a version during this test.
    const { coordinator, drafter, planId, sectionId } = await workspace({ env: { AUTO_VERSION_PAUSE_MS: String(60_000) }, clock });
    const a = track(connectPeer(server.url, coordinator, sectionId));
    const b = track(connectPeer(server.url, drafter, sectionId));
    await Promise.all([a.synced(), b.synced()]);

    a.typeParagraph('Morning: the first words.');
    await saved(a);
    now += 6 * 60 * 60 * 1000;
    b.typeParagraph('Afternoon: more words.');
    await saved(b);
    expect(automatic(await versionsOf(coordinator, planId, sectionId))).toHaveLength(0);

    // A day after the first edit not yet kept, with editing still going on.
    now += 18 * 60 * 60 * 1000 + 1;
    a.typeParagraph('Next morning: still editing.');
    await saved(a);
    const daily = await eventually(async () => {
      const auto = automatic(await versionsOf(coordinator, planId, sectionId));
      expect(auto).toHaveLength(1);
      return auto[0]!;
    });
    expect(daily.editedBy).toEqual(['Olga Coordinator', 'Nina Lawyer']);
    expect(await textOfVersion(coordinator, planId, daily.id)).toEqual([
      'Morning: the first words.',
      'Afternoon: more words.',
      'Next morning: still editing.',
    ]);

    // The next day starts from there: an edit an hour later keeps nothing yet, one a day later does.
    now += 60 * 60 * 1000;
    b.typeParagraph('An hour later.');
    await saved(b);
    now += DAY_MS;
    b.typeParagraph('A day later.');
    await saved(b);
    const next = await eventually(async () => {
      const auto = automatic(await versionsOf(coordinator, planId, sectionId));
      expect(auto).toHaveLength(2);
      return auto[0]!;
    });
    expect(next.editedBy).toEqual(['Nina Lawyer']);
    expect((await textOfVersion(coordinator, planId, next.id)).slice(-2)).toEqual(['An hour later.', 'A day later.']);
  });

  it('restores an automatic version like a named one, live and in the history', async () => {
    const { coordinator, drafter, planId, sectionId } = await workspace();
    const a = track(connectPeer(server.url, coordinator, sectionId));
    const b = track(connectPeer(server.url, drafter, sectionId));
    await Promise.all([a.synced(), b.synced()]);
    a.typeParagraph('Article 2. No one shall be subjected to torture.');
    await saved(a);
    const kept = await eventually(async () => {
      const auto = automatic(await versionsOf(coordinator, planId, sectionId));
      expect(auto).toHaveLength(1);
      return auto[0]!;
    });

    // A mistaken (or malicious) change: the article is emptied.
    const t = paragraphContaining(b, 'Article 2');
    t.delete(0, t.length);
    t.insert(0, 'Article 2. Deleted.');
    await saved(b);

    const res = await coordinator.post<RestoredVersion>(`/api/plans/${planId}/versions/${kept.id}/restore`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: 'restore', contentHash: kept.contentHash });
    const expected = ['Article 2. No one shall be subjected to torture.'];
    expect(sectionTextLines((await server.sync.readDocument(sectionDocName(sectionId)))!)).toEqual(expected);
    await eventually(() => {
      expect(sectionTextLines(a.doc)).toEqual(expected);
      expect(sectionTextLines(b.doc)).toEqual(expected);
    });

    // The mistaken text was kept before restoring (automatically too, after its pause, or by the
    // restore itself): either way it can be compared. The restore adds no automatic version of its own.
    await severalPauses();
    const history = await versionsOf(coordinator, planId, sectionId);
    expect(history[0]!.kind).toBe('restore');
    expect(history.map((v) => v.kind)).toContain('before_restore');
    const before = history.find((v) => v.kind === 'before_restore')!;
    expect(await textOfVersion(coordinator, planId, before.id)).toEqual(['Article 2. Deleted.']);
  });

  it('keeps edits still waiting for their pause when the server stops', async () => {
    const { coordinator, planId, sectionId } = await workspace({ env: { AUTO_VERSION_PAUSE_MS: String(60_000) } });
    const a = track(connectPeer(server.url, coordinator, sectionId));
    await a.synced();
    a.typeParagraph('Typed a moment before the server was stopped.');
    await saved(a);
    expect(automatic(await versionsOf(coordinator, planId, sectionId))).toHaveLength(0);

    for (const p of peers.splice(0)) p.destroy();
    const { dataDir } = server;
    await server.close();
    server = await startTestServer({ dataDir });
    const again = new ApiClient(server.url);
    again.cookie = coordinator.cookie;
    const kept = automatic(await versionsOf(again, planId, sectionId));
    expect(kept).toHaveLength(1);
    expect(kept[0]!.editedBy).toEqual(['Olga Coordinator']);
    expect(await textOfVersion(again, planId, kept[0]!.id)).toEqual(['Typed a moment before the server was stopped.']);
  });
});
