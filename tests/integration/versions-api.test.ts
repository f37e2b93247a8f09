import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { z } from 'zod';
import { readStoredDocument } from '../../server/storage/readDocument.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import type { PlanOutline, SectionCompare, SectionDiff, Version } from '../../shared/api/index.ts';
import type { ApiClient } from '../helpers/api.ts';
import { openPlanEvents } from '../helpers/events.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';

let server: TestServer;
const peers: Peer[] = [];
const track = (peer: Peer) => (peers.push(peer), peer);

afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

/** The section's text lines as stored in the database, read without the sync server. */
async function storedLines(s: TestServer, sectionId: string): Promise<string[]> {
  const stored = await readStoredDocument(s.sql, sectionDocName(sectionId));
  const doc = new Y.Doc();
  for (const u of stored?.updates ?? []) Y.applyUpdate(doc, u);
  return sectionTextLines(doc);
}

/** The section's live text lines on the server. */
async function liveLines(s: TestServer, sectionId: string): Promise<string[]> {
  return sectionTextLines((await s.sync.readDocument(sectionDocName(sectionId)))!);
}

const wordsOf = (diff: SectionDiff, op: 'insert' | 'delete') =>
  diff.blocks
    .flat()
    .filter((p) => p.op === op)
    .map((p) => p.text)
    .join(' ')
    .split(/\s+/)
    .filter(Boolean);

async function created<T = any>(res: Promise<{ status: number; body: T }>, status = 201): Promise<T> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

/** The XmlText of the peer's paragraph containing `needle`. */
function textContaining(peer: Peer, needle: string): Y.XmlText {
  for (const block of getSectionBody(peer.doc).toArray()) {
    if (!(block instanceof Y.XmlElement)) continue;
    const t = block.get(0);
    if (t instanceof Y.XmlText && t.toString().includes(needle)) return t;
  }
  throw new Error(`no paragraph contains ${needle}`);
}

async function workspaceWithDrafter() {
  // Sections unload as soon as nobody has them open, so a restore can be checked on an unloaded one.
  server = await startTestServer({ env: { SECTION_IDLE_GRACE_MS: '0' } });
  const ws = await setUpWorkspace(server);
  const drafter = await addMember(server, ws.coordinator, ws.planId, 'drafter', {
    name: 'Nina Lawyer',
    email: 'nina@ngo.example',
    organisation: { name: 'Human Rights Centre', side: 'civil_society' },
  });
  return { ...ws, drafter: drafter.client };
}

const saved = (...ps: Peer[]) => eventually(() => expect(ps.every((p) => p.isSaved())).toBe(true));

describe('section versions', () => {
  it('compares a version with the current text: exactly the words typed and removed', async () => {
    const { coordinator, planId, sectionId } = await workspaceWithDrafter();
    const p = `/api/plans/${planId}`;
    const a = track(connectPeer(server.url, coordinator, sectionId));
    await a.synced();
    a.typeParagraph('The Ministry of Justice will draft a law on the abolition of the death penalty.');
    a.typeParagraph('Civil society will be consulted.');
    await saved(a);

    const v = await created<Version>(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'Draft for the 3rd consultation meeting' }));
    expect(v).toMatchObject({ planId, sectionId, kind: 'manual', groupId: null, createdBy: 'Olga Coordinator', label: null });
    expect(v.contentHash).toMatch(/^[0-9a-f]{64}$/);

    // Keep typing: add "and adopt" before " a law", remove "draft ", add a paragraph in Cyrillic.
    const t = textContaining(a, 'Ministry of Justice');
    const s = t.toString();
    t.insert(s.indexOf(' a law'), ' and adopt');
    const t2 = t.toString();
    t.delete(t2.indexOf('draft '), 'draft '.length);
    a.typeParagraph('Общественные организации');
    await saved(a);

    const diff = await created<SectionDiff>(coordinator.get(`${p}/sections/${sectionId}/compare?from=${v.id}&to=current`), 200);
    expect(wordsOf(diff, 'insert')).toEqual(['and', 'adopt', 'Общественные', 'организации']);
    expect(wordsOf(diff, 'delete')).toEqual(['draft']);
    expect(diff.summary.changedBlocks).toBe(2);
    // "will draft a law" → "will and adopt a law": "draft" gave way to "and adopt".
    expect(diff.summary.insertedChars).toBe('and adopt'.length + 'Общественные организации'.length);
    expect(diff.summary.deletedChars).toBe('draft'.length);

    // Version against version: nothing changed between a version and itself.
    const same = await created<SectionDiff>(coordinator.get(`${p}/sections/${sectionId}/compare?from=${v.id}&to=${v.id}`), 200);
    expect(same.summary).toEqual({ insertedChars: 0, deletedChars: 0, changedBlocks: 0 });

    // The version's own text and blocks.
    const content = await created(coordinator.get(`${p}/versions/${v.id}`), 200);
    expect(content.text).toEqual([
      'The Ministry of Justice will draft a law on the abolition of the death penalty.',
      'Civil society will be consulted.',
    ]);
    expect(content.blocks.map((b: { type: string }) => b.type)).toEqual(['paragraph', 'paragraph']);
  });

  it('names who wrote since a version, which is whose writing a restore takes back', async () => {
    const { coordinator, drafter, planId, sectionId } = await workspaceWithDrafter();
    const p = `/api/plans/${planId}`;
    const olga = track(connectPeer(server.url, coordinator, sectionId));
    await olga.synced();
    olga.typeParagraph('The Ministry of Justice will draft a law.');
    await saved(olga);
    const v = await created<Version>(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'Before the consultation' }));
    const compare = (to: string) => created<SectionCompare>(coordinator.get(`${p}/sections/${sectionId}/compare?from=${v.id}&to=${to}`), 200);
    expect((await compare('current')).writtenBy).toEqual([]);

    const nina = track(connectPeer(server.url, drafter, sectionId));
    await nina.synced();
    nina.typeParagraph('Civil society will be consulted on the draft.');
    await saved(nina);
    expect((await compare('current')).writtenBy).toEqual([{ name: 'Nina Lawyer', organisation: 'Human Rights Centre' }]);

    // Between two versions too; and someone who only deleted wrote nothing.
    const later = await created<Version>(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'After the consultation' }));
    expect((await compare(later.id)).writtenBy).toEqual([{ name: 'Nina Lawyer', organisation: 'Human Rights Centre' }]);
    const t = textContaining(olga, 'Ministry of Justice');
    t.delete(0, 4);
    await saved(olga);
    expect((await compare('current')).writtenBy).toEqual([{ name: 'Nina Lawyer', organisation: 'Human Rights Centre' }]);
    olga.typeParagraph('The Ministry will report yearly.');
    await saved(olga);
    expect((await compare('current')).writtenBy).toEqual(
      expect.arrayContaining([
        { name: 'Nina Lawyer', organisation: 'Human Rights Centre' },
        { name: 'Olga Coordinator', organisation: 'Ministry of Foreign Affairs' },
      ]),
    );
  });

  it('restores a version as a new change: live for connected peers, stored, in the history, and editable after', async () => {
    const { coordinator, drafter, planId, sectionId } = await workspaceWithDrafter();
    const p = `/api/plans/${planId}`;
    const a = track(connectPeer(server.url, coordinator, sectionId));
    const b = track(connectPeer(server.url, drafter, sectionId));
    await Promise.all([a.synced(), b.synced()]);
    a.typeParagraph('Article 1. Everyone has the right to life.');
    a.typeParagraph('Article 2. No one shall be subjected to torture.');
    await saved(a);
    await eventually(() => expect(b.text()).toContain('Article 2'));

    const v = await created<Version>(drafter.post(`${p}/sections/${sectionId}/versions`, { name: 'Agreed wording with NGOs' }));
    const versionText: string[] = (await created(drafter.get(`${p}/versions/${v.id}`), 200)).text;

    // Later edits by both peers: a rewrite and a new paragraph.
    const t = textContaining(a, 'Article 1');
    t.delete(0, t.length);
    t.insert(0, 'Article 1 (rewritten).');
    b.typeParagraph('Article 3. A later addition.');
    await saved(a, b);
    await eventually(async () => expect(await liveLines(server, sectionId)).toContain('Article 3. A later addition.'));
    const beforeRestore = await liveLines(server, sectionId);

    const events = await openPlanEvents(server.url, coordinator, planId);
    try {
      const restored = await created<Version>(drafter.post(`${p}/versions/${v.id}/restore`, {}));
      expect(restored.kind).toBe('restore');
      expect(restored.contentHash).toBe(v.contentHash);

      // Exactly the version's text, on the server, in storage and at both peers.
      expect(await liveLines(server, sectionId)).toEqual(versionText);
      expect(await storedLines(server, sectionId)).toEqual(versionText);
      await eventually(() => {
        expect(sectionTextLines(a.doc)).toEqual(versionText);
        expect(sectionTextLines(b.doc)).toEqual(versionText);
      });

      // History: restore, before_restore (with the text before), then the version itself.
      const history = await created<Version[]>(coordinator.get(`${p}/sections/${sectionId}/versions`), 200);
      expect(history.map((h) => h.kind)).toEqual(['restore', 'before_restore', 'manual']);
      expect(history[0]!.id).toBe(restored.id);
      // Names Accord gave carry a label the browser words in the reader's language; a typed name has none.
      const from = { name: v.name, label: null };
      expect(history.map((h) => h.label)).toEqual([{ key: 'restored', from }, { key: 'before_restore', from }, null]);
      const before = await created(coordinator.get(`${p}/versions/${history[1]!.id}`), 200);
      expect(before.text).toEqual(beforeRestore);
      await eventually(() => expect(events.received).toContainEqual({ type: 'versions', sectionId }));
    } finally {
      await events.close();
    }

    // Audit entries for keeping and restoring.
    const actions = (await server.sql.rows(z.object({ action: z.string() }), sql`SELECT action FROM audit_log WHERE plan_id = ${planId} ORDER BY id`)).map(
      (r) => r.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['version.created', 'version.restored']));

    // Editing goes on normally after the restore, by both peers.
    textContaining(b, 'Article 2').insert(0, 'Amended: ');
    a.typeParagraph('Article 4. After the restore.');
    await saved(a, b);
    await eventually(() => {
      expect(a.text()).toBe(b.text());
      expect(a.text()).toContain('Amended: Article 2');
      expect(a.text()).toContain('Article 4. After the restore.');
    });
    expect(await storedLines(server, sectionId)).toEqual(sectionTextLines(a.doc));
  });

  it('restores while nobody has the section open', async () => {
    const { coordinator, planId, sectionId } = await workspaceWithDrafter();
    const p = `/api/plans/${planId}`;
    const a = track(connectPeer(server.url, coordinator, sectionId));
    await a.synced();
    a.typeParagraph('First wording.');
    await saved(a);
    const v = await created<Version>(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'First' }));
    a.typeParagraph('Second paragraph.');
    await saved(a);
    a.destroy();
    await eventually(() => expect(server.sync.loadedDocuments).toBe(0));

    await created(coordinator.post(`${p}/versions/${v.id}/restore`, {}));
    expect(await storedLines(server, sectionId)).toEqual(['First wording.']);
    expect(server.sync.loadedDocuments).toBe(0);
    const late = track(connectPeer(server.url, coordinator, sectionId));
    await late.synced();
    await eventually(() => expect(sectionTextLines(late.doc)).toEqual(['First wording.']));
  });

  it('a restore during concurrent typing converges for everyone, without a crash', async () => {
    const { coordinator, drafter, planId, sectionId } = await workspaceWithDrafter();
    const p = `/api/plans/${planId}`;
    const a = track(connectPeer(server.url, coordinator, sectionId));
    const b = track(connectPeer(server.url, drafter, sectionId));
    await Promise.all([a.synced(), b.synced()]);
    a.typeParagraph('Base text of the section.');
    await saved(a);
    const v = await created<Version>(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'Base' }));

    b.typeParagraph('Typing ');
    let typing = true;
    const typer = (async () => {
      let n = 0;
      while (typing) {
        b.typeChars(`w${n++} `);
        if (n % 5 === 0) b.typeParagraph('New line ');
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    const restores = await Promise.all([
      coordinator.post(`${p}/versions/${v.id}/restore`, {}),
      new Promise((r) => setTimeout(r, 15)).then(() => coordinator.post(`${p}/versions/${v.id}/restore`, {})),
    ]);
    await new Promise((r) => setTimeout(r, 50));
    typing = false;
    await typer;
    for (const r of restores) expect(r.status, JSON.stringify(r.body)).toBe(201);

    await saved(a, b);
    await eventually(async () => {
      const live = await liveLines(server, sectionId);
      expect(sectionTextLines(a.doc)).toEqual(live);
      expect(sectionTextLines(b.doc)).toEqual(live);
      expect(await storedLines(server, sectionId)).toEqual(live);
    });
    expect((await liveLines(server, sectionId))[0]).toBe('Base text of the section.');
    expect((await coordinator.get('/api/health')).status).toBe(200);
    const history = await created<Version[]>(coordinator.get(`${p}/sections/${sectionId}/versions`), 200);
    expect(history.filter((h) => h.kind === 'restore')).toHaveLength(2);
    expect(history.filter((h) => h.kind === 'before_restore')).toHaveLength(2);
  });

  it('refuses to restore into an agreed section, and keeps the agreed text when a section becomes agreed', async () => {
    const { coordinator, planId, sectionId } = await workspaceWithDrafter();
    const p = `/api/plans/${planId}`;
    const a = track(connectPeer(server.url, coordinator, sectionId));
    await a.synced();
    a.typeParagraph('Agreed wording.');
    await saved(a);
    const v = await created<Version>(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'Before agreement' }));

    await server.sql.run(sql`UPDATE sections SET status = 'agreed' WHERE id = ${sectionId}`);
    server.events.emit('sectionAgreed', planId, sectionId, 'f'.repeat(64));
    const res = await coordinator.post(`${p}/versions/${v.id}/restore`, {});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('section_agreed');

    // The agreed text is kept after the event, not within it (registerVersionHooks): on PostgreSQL
    // that write may still be under way when the refusal comes back.
    const history = await eventually(async () => {
      const listed = await created<Version[]>(coordinator.get(`${p}/sections/${sectionId}/versions`), 200);
      expect(listed.map((h) => h.kind)).toEqual(['signoff', 'manual']);
      return listed;
    });
    expect(history[0]).toMatchObject({ createdBy: 'Accord', contentHash: v.contentHash, label: { key: 'signoff' } });
  });
});

describe('whole-plan versions', () => {
  it('keeps every section under one name and summarises the changes per section', async () => {
    const { coordinator, planId, chapterId, sectionId } = await workspaceWithDrafter();
    const p = `/api/plans/${planId}`;
    const addSection = async (title: string) => {
      const outline = await created<PlanOutline>(coordinator.post(`${p}/sections`, { chapterId, title }), 200);
      return outline.chapters.flatMap((c) => c.sections).find((s) => s.title === title)!.id;
    };
    const second = await addSection('Freedom of assembly');
    const third = await addSection('To be removed');

    const a = track(connectPeer(server.url, coordinator, sectionId));
    const b = track(connectPeer(server.url, coordinator, second));
    await Promise.all([a.synced(), b.synced()]);
    a.typeParagraph('Right to life.');
    b.typeParagraph('Peaceful assembly is protected.');
    await saved(a, b);

    const g1 = await created(coordinator.post(`${p}/versions`, { name: 'Draft for the 3rd consultation meeting' }));
    expect(g1).toMatchObject({ name: 'Draft for the 3rd consultation meeting', sectionCount: 3, createdBy: 'Olga Coordinator' });
    const perSection = await created<Version[]>(coordinator.get(`${p}/sections/${second}/versions`), 200);
    expect(perSection[0]).toMatchObject({ groupId: g1.groupId, name: 'Draft for the 3rd consultation meeting' });

    // Changes: edit the first, leave the second, delete the third, add a fourth.
    a.typeChars(' Everywhere.');
    await saved(a);
    await created(coordinator.delete(`${p}/sections/${third}`), 200);
    const fourth = await addSection('Children');

    const g2 = await created(coordinator.post(`${p}/versions`, { name: 'Draft for the 4th meeting' }));
    const groups = await created<Array<{ groupId: string }>>(coordinator.get(`${p}/versions`), 200);
    expect(groups.map((g) => g.groupId)).toEqual([g2.groupId, g1.groupId]);

    const cmp = await created(coordinator.get(`${p}/compare?from=${g1.groupId}&to=${g2.groupId}`), 200);
    expect(cmp.from).toMatchObject({ groupId: g1.groupId, name: 'Draft for the 3rd consultation meeting' });
    expect(cmp.to).toMatchObject({ groupId: g2.groupId });
    const bySection = Object.fromEntries(cmp.sections.map((s: { sectionId: string }) => [s.sectionId, s]));
    expect(bySection[sectionId]).toMatchObject({ change: 'changed', insertedChars: ' Everywhere.'.length, deletedChars: 0, changedBlocks: 1 });
    expect(bySection[second]).toMatchObject({ change: 'unchanged', changedBlocks: 0 });
    expect(bySection[third]).toMatchObject({ change: 'removed', title: 'To be removed' });
    expect(bySection[fourth]).toMatchObject({ change: 'added', title: 'Children' });
    expect(cmp.added).toEqual([fourth]);
    expect(cmp.removed).toEqual([third]);

    // Against the current plan.
    b.typeParagraph('Notification, not permission.');
    await saved(b);
    const now = await created(coordinator.get(`${p}/compare?from=${g2.groupId}&to=current`), 200);
    expect(now.to).toMatchObject({ groupId: null });
    expect(now.sections.filter((s: { change: string }) => s.change !== 'unchanged').map((s: { sectionId: string }) => s.sectionId)).toEqual([second]);

    expect((await coordinator.get(`${p}/compare?from=${g1.groupId}&to=nonexistent-group`)).status).toBe(404);
    expect((await coordinator.get(`${p}/compare`)).status).toBe(400);
  });
});

describe('who may use versions', () => {
  it('commenters and observers read and compare; only coordinators and drafters keep and restore; outsiders get 404', async () => {
    const { coordinator, planId, sectionId } = await workspaceWithDrafter();
    const p = `/api/plans/${planId}`;
    const person = (key: string) => ({ name: key, email: `${key}@x.example`, organisation: { name: `Org ${key}`, side: 'civil_society' as const } });
    const commenter = (await addMember(server, coordinator, planId, 'commenter', person('commenter'))).client;
    const observer = (await addMember(server, coordinator, planId, 'observer', person('observer'))).client;
    const other = await coordinator.post('/api/plans', { title: 'Other plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    const outsider = (await addMember(server, coordinator, other.body.id, 'coordinator', person('outsider'))).client;

    const v = await created<Version>(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'V1' }));
    const g = await created(coordinator.post(`${p}/versions`, { name: 'G1' }));
    const reads = [
      `${p}/sections/${sectionId}/versions`,
      `${p}/versions/${v.id}`,
      `${p}/sections/${sectionId}/compare?from=${v.id}&to=current`,
      `${p}/versions`,
      `${p}/compare?from=${g.groupId}&to=current`,
    ];
    const writes: Array<[string, unknown]> = [
      [`${p}/sections/${sectionId}/versions`, { name: 'Not allowed' }],
      [`${p}/versions/${v.id}/restore`, {}],
      [`${p}/versions`, { name: 'Not allowed' }],
    ];
    const count = async () => (await server.sql.theRow(z.object({ n: z.number() }), sql`SELECT count(*) AS n FROM versions`)).n;
    const before = await count();
    for (const [client, readStatus, writeStatus] of [
      [commenter, 200, 403],
      [observer, 200, 403],
      [outsider, 404, 404],
    ] as Array<[ApiClient, number, number]>) {
      for (const path of reads) expect((await client.get(path)).status, path).toBe(readStatus);
      for (const [path, body] of writes) expect((await client.post(path, body)).status, path).toBe(writeStatus);
    }
    expect(await count()).toBe(before);

    // A version of another plan is not found through this plan; malformed input is a 400.
    expect((await outsider.get(`/api/plans/${other.body.id}/versions/${v.id}`)).status).toBe(404);
    expect((await coordinator.post(`${p}/sections/${sectionId}/versions`, { name: '' })).status).toBe(400);
    expect((await coordinator.get(`${p}/sections/${sectionId}/compare?from=bad`)).status).toBe(400);
  });
});
