import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ApiClient } from '../helpers/api.ts';
import { openPlanEvents } from '../helpers/events.ts';
import { addAction, exportPlan, ok } from '../helpers/exportPlan.ts';
import { connectPeer, rawSocket, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { CloseCode } from '../../shared/protocol.ts';
import type { BinEntry, PlanOutline } from '../../shared/api/index.ts';
import { expectAuditWorded } from '../helpers/auditWords.ts';

/**
 * Deleting is recoverable: a section (or a chapter) goes to the bin whole, vanishes from every
 * listing of the plan while there, and comes back exactly on restore. Agreed sections are refused
 * before anything changes, and only coordinators delete and restore.
 */

let server: TestServer;
let coordinator: ApiClient;
let drafter: ApiClient;
let commenter: ApiClient;
let observer: ApiClient;
let planId: string;
let chapterId: string;
let firstSectionId: string;
let sectionId: string;
const peers: Peer[] = [];
const p = () => `/api/plans/${planId}`;

const SECTION = 'Moratorium on executions';
const TYPED = 'The Ministry of Justice will draft a moratorium law within six months.';

const sectionIds = (o: PlanOutline) => o.chapters.flatMap((c) => c.sections.map((s) => s.id));
const outline = async (who = coordinator) => (await ok(who.get(p()))) as PlanOutline;
const saved = (peer: Peer) => eventually(() => expect(peer.isSaved()).toBe(true));

function anchor(peer: Peer, from: number, to: number, quote: string) {
  const text = (getSectionBody(peer.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const rel = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i, -1))).toString('base64');
  return { start: rel(from), end: rel(to), quote };
}

/** What a member reads of the section: its text, its actions (with links and indicators), its threads. */
async function sectionState(id: string) {
  const peer = connectPeer(server.url, coordinator, id);
  peers.push(peer);
  await peer.synced();
  const text = peer.text();
  peer.destroy();
  return {
    text,
    actions: await ok(coordinator.get(`${p()}/sections/${id}/actions`)),
    threads: await ok(coordinator.get(`${p()}/sections/${id}/threads?status=all`)),
  };
}

beforeAll(async () => {
  server = await startTestServer();
  ({ coordinator, planId, chapterId, sectionId: firstSectionId } = await setUpWorkspace(server));
  const person = (key: string, side: 'civil_society' | 'international') => ({
    name: `Person ${key}`,
    email: `${key.toLowerCase()}@bin.example`,
    organisation: { name: `Org ${key}`, side },
  });
  drafter = (await addMember(server, coordinator, planId, 'drafter', { ...person('Drafter', 'civil_society'), name: 'Nina Lawyer' })).client;
  commenter = (await addMember(server, coordinator, planId, 'commenter', person('Commenter', 'civil_society'))).client;
  observer = (await addMember(server, coordinator, planId, 'observer', person('Observer', 'international'))).client;
  const o = (await ok(coordinator.post(`${p()}/sections`, { chapterId, title: SECTION }))) as PlanOutline;
  sectionId = o.chapters[0]!.sections.find((s) => s.title === SECTION)!.id;
  await ok(coordinator.post(`${p()}/sections`, { chapterId, title: 'After it' }));
});

afterAll(async () => {
  for (const peer of peers) peer.destroy();
  await server?.destroy();
});

describe('the bin', () => {
  it('takes a section out of everything while someone types in it, and restores it exactly', async () => {
    // Nina drafts; the section has an action with an indicator and a linked recommendation, and a thread.
    const nina = connectPeer(server.url, drafter, sectionId);
    peers.push(nina);
    await nina.synced();
    nina.typeParagraph(TYPED);
    await saved(nina);
    const { action, recommendation } = await addAction(drafter, planId, sectionId, {
      lead: 'Ministry of Justice',
      partner: 'Viasna',
      recText: 'Establish a moratorium on executions with a view to abolishing the death penalty',
      title: 'Draft a moratorium law',
    });
    await ok(drafter.post(`${p()}/sections/${sectionId}/threads`, { anchor: anchor(nina, 4, 12, 'Ministry'), body: 'Which ministry?' }));
    const before = await sectionState(sectionId);
    expect(before.text).toContain(TYPED);
    expect(before.actions).toHaveLength(1);
    expect(before.actions[0].indicators).toHaveLength(1);
    expect(before.threads).toHaveLength(1);
    const orderBefore = sectionIds(await outline());
    const groupBefore = await ok(coordinator.post(`${p()}/versions`, { name: 'Before the bin' }));
    expect((await ok(coordinator.get(`${p()}/recommendations/${recommendation.id}`))).actionCount).toBe(1);

    const ninaEvents = await openPlanEvents(server.url, drafter, planId);
    const res = await coordinator.delete(`${p()}/sections/${sectionId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    // Nina is told at once: her connection closes with SectionDeleted, which is not retried; her outline follows.
    await eventually(() => expect(nina.closes.map((c) => c.code)).toContain(CloseCode.SectionDeleted));
    await eventually(() => expect(ninaEvents.received).toContainEqual({ type: 'outline' }));
    await ninaEvents.close();
    await new Promise((r) => setTimeout(r, 700));
    expect(nina.provider.wsconnected || nina.provider.wsconnecting).toBe(false);
    expect(server.sync.loadedDocument(sectionDocName(sectionId))).toBeUndefined();
    // Who moved it, for anyone who had it open.
    const told = await ok(drafter.get(`${p()}/bin/sections/${sectionId}`));
    expect(told).toMatchObject({ title: SECTION, deletedBy: { name: 'Olga Coordinator', organisation: 'Ministry of Foreign Affairs' } });

    // Gone from every listing of the plan's content.
    expect(sectionIds(await outline(drafter))).not.toContain(sectionId);
    expect((await coordinator.get(`${p()}/sections/${sectionId}/actions`)).status).toBe(404);
    expect((await coordinator.get(`${p()}/sections/${sectionId}/threads?status=all`)).status).toBe(404);
    expect((await coordinator.get(`${p()}/sections/${sectionId}/versions`)).status).toBe(404);
    expect((await coordinator.patch(`${p()}/actions/${action.id}`, { title: 'Changed in the bin' })).status).toBe(404);
    const coverage = await ok(coordinator.get(`${p()}/coverage`));
    expect(coverage.totals.addressed).toBe(0);
    expect(coverage.weakActions.map((a: { actionId: string }) => a.actionId)).not.toContain(action.id);
    const rec = await ok(coordinator.get(`${p()}/recommendations/${recommendation.id}`));
    expect(rec.actionCount).toBe(0);
    expect(rec.actions).toEqual([]);
    const unaddressed = await ok(coordinator.get(`${p()}/recommendations?unaddressed=true&q=moratorium`));
    expect(unaddressed.items.map((r: { id: string }) => r.id)).toContain(recommendation.id);
    const md = (await exportPlan(server, coordinator, planId, 'md')).bytes.toString('utf8');
    expect(md).not.toContain(SECTION);
    expect(md).not.toContain(TYPED);
    expect(md).not.toContain('Draft a moratorium law');
    const group = await ok(coordinator.post(`${p()}/versions`, { name: 'While in the bin' }));
    expect(group.sectionCount).toBe(groupBefore.sectionCount - 1);
    const cmp = await ok(coordinator.get(`${p()}/compare?from=${groupBefore.groupId}&to=current`));
    expect(cmp.removed).toEqual([sectionId]);

    // The sync endpoint refuses to open it, for any member.
    for (const who of [coordinator, drafter]) {
      const socket = await rawSocket(server.url, sectionDocName(sectionId), { cookie: who.cookie });
      expect((await socket.closed).code).toBe(CloseCode.SectionDeleted);
    }

    // In the audit log and in the bin.
    const [entry] = (await ok(coordinator.get(`${p()}/audit?action=section.deleted`))).items;
    expect(entry).toMatchObject({
      actorName: 'Olga Coordinator',
      actorOrganisation: 'Ministry of Foreign Affairs',
      action: 'section.deleted',
      targetId: sectionId,
      details: { title: SECTION },
    });
    expect(entry.summary).toContain(SECTION);
    const bin = (await ok(coordinator.get(`${p()}/bin`))) as BinEntry[];
    expect(bin).toEqual([
      expect.objectContaining({
        kind: 'section',
        id: sectionId,
        title: SECTION,
        chapterTitle: 'Introduction',
        deletedBy: { name: 'Olga Coordinator', organisation: 'Ministry of Foreign Affairs' },
        daysLeft: 30,
      }),
    ]);

    // Restored: where it was, with its text, actions, indicators, links and threads exactly.
    const restored = await coordinator.post(`${p()}/bin/sections/${sectionId}/restore`, {});
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(sectionIds(restored.body as PlanOutline)).toEqual(orderBefore);
    const after = await sectionState(sectionId);
    expect(after).toEqual(before);
    expect((await ok(coordinator.get(`${p()}/recommendations/${recommendation.id}`))).actionCount).toBe(1);
    expect((await ok(coordinator.get(`${p()}/coverage`))).totals.addressed).toBe(1);
    expect(await ok(coordinator.get(`${p()}/bin`))).toEqual([]);
    const [restoredEntry] = (await ok(coordinator.get(`${p()}/audit?action=section.restored`))).items;
    expect(restoredEntry).toMatchObject({
      actorName: 'Olga Coordinator',
      actorOrganisation: 'Ministry of Foreign Affairs',
      targetId: sectionId,
      details: { title: SECTION },
    });
    expect((await drafter.get(`${p()}/bin/sections/${sectionId}`)).status).toBe(404);
  });

  it('refuses deleting and restoring to everyone but coordinators, changing nothing', async () => {
    const binnedId = (await ok(coordinator.post(`${p()}/sections`, { chapterId, title: 'Binned by Olga' }))).chapters[0].sections.at(-1).id as string;
    await ok(coordinator.delete(`${p()}/sections/${binnedId}`));
    const before = { outline: await outline(), bin: await ok(coordinator.get(`${p()}/bin`)) };
    for (const who of [drafter, commenter, observer]) {
      const attempts = [
        await who.delete(`${p()}/sections/${sectionId}`),
        await who.delete(`${p()}/chapters/${chapterId}`),
        await who.post(`${p()}/bin/sections/${binnedId}/restore`, {}),
        await who.get(`${p()}/bin`),
      ];
      expect(attempts.map((a) => a.status)).toEqual([403, 403, 403, 403]);
      // Any member may learn who moved a section to the bin.
      expect((await who.get(`${p()}/bin/sections/${binnedId}`)).status).toBe(200);
    }
    expect(await outline()).toEqual(before.outline);
    expect(await ok(coordinator.get(`${p()}/bin`))).toEqual(before.bin);
    expect((await coordinator.post(`${p()}/bin/sections/${binnedId}/restore`, { force: true })).status).toBe(400);
  });

  it('refuses to delete an agreed section, or a chapter holding one, with 409 before anything changes', async () => {
    const { currentHash } = await ok(coordinator.get(`${p()}/sections/${firstSectionId}/agreement`));
    await ok(coordinator.post(`${p()}/sections/${firstSectionId}/signoffs`, { contentHash: currentHash }));
    const agreed = await ok(drafter.post(`${p()}/sections/${firstSectionId}/signoffs`, { contentHash: currentHash }));
    expect(agreed.status).toBe('agreed');
    const auditBefore = (await ok(coordinator.get(`${p()}/audit`))).total;
    const before = await outline();

    const section = await coordinator.delete(`${p()}/sections/${firstSectionId}`);
    expect(section.status).toBe(409);
    expect(section.body.error).toMatchObject({ code: 'section_agreed' });
    expect(section.body.error.message).toBe('“Purpose and scope” is agreed and cannot be deleted. A coordinator must reopen it first.');
    const chapter = await coordinator.delete(`${p()}/chapters/${chapterId}`);
    expect(chapter.status).toBe(409);
    expect(chapter.body.error.message).toContain('“Purpose and scope”');

    expect(await outline()).toEqual(before);
    expect((await ok(coordinator.get(`${p()}/audit`))).total).toBe(auditBefore);
    expect((await ok(coordinator.get(`${p()}/bin`))).map((e: BinEntry) => e.id)).not.toContain(chapterId);
  });

  it('bins a chapter with its sections and restores them together; one of its sections waits for the chapter', async () => {
    const o1 = (await ok(coordinator.post(`${p()}/chapters`, { title: 'Freedom of assembly' }))) as PlanOutline;
    const assembly = o1.chapters.at(-1)!.id;
    await ok(coordinator.post(`${p()}/sections`, { chapterId: assembly, title: 'Notification' }));
    const o2 = (await ok(coordinator.post(`${p()}/sections`, { chapterId: assembly, title: 'Policing' }))) as PlanOutline;
    const [notification, policing] = o2.chapters.at(-1)!.sections.map((s) => s.id) as [string, string];
    const writer = connectPeer(server.url, coordinator, policing);
    peers.push(writer);
    await writer.synced();
    writer.typeParagraph('Police may not disperse a peaceful assembly.');
    await saved(writer);
    const chaptersBefore = (await outline()).chapters.map((c) => c.id);

    await ok(coordinator.delete(`${p()}/chapters/${assembly}`));
    await eventually(() => expect(writer.closes.map((c) => c.code)).toContain(CloseCode.SectionDeleted));
    expect((await outline()).chapters.map((c) => c.id)).not.toContain(assembly);
    const entry = ((await ok(coordinator.get(`${p()}/bin`))) as BinEntry[]).find((e) => e.id === assembly)!;
    expect(entry).toMatchObject({ kind: 'chapter', title: 'Freedom of assembly', sections: ['Notification', 'Policing'] });
    const [chapterAudit] = (await ok(coordinator.get(`${p()}/audit?action=chapter.deleted`))).items;
    expect(chapterAudit).toMatchObject({ actorName: 'Olga Coordinator', targetId: assembly, details: { title: 'Freedom of assembly' } });

    const early = await coordinator.post(`${p()}/bin/sections/${policing}/restore`, {});
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('Restore the chapter first');

    const back = (await ok(coordinator.post(`${p()}/bin/chapters/${assembly}/restore`, {}))) as PlanOutline;
    expect(back.chapters.map((c) => c.id)).toEqual(chaptersBefore);
    expect(back.chapters.at(-1)!.sections.map((s) => s.id)).toEqual([notification, policing]);
    expect((await sectionState(policing)).text).toContain('Police may not disperse a peaceful assembly.');
    const [chapterRestored] = (await ok(coordinator.get(`${p()}/audit?action=chapter.restored`))).items;
    expect(chapterRestored).toMatchObject({ actorName: 'Olga Coordinator', targetId: assembly, details: { title: 'Freedom of assembly' } });

    // A section deleted on its own before its chapter waits for the chapter to come back.
    await ok(coordinator.delete(`${p()}/sections/${notification}`));
    await ok(coordinator.delete(`${p()}/chapters/${assembly}`));
    const waiting = await coordinator.post(`${p()}/bin/sections/${notification}/restore`, {});
    expect(waiting.status).toBe(409);
    expect(waiting.body.error).toMatchObject({ code: 'chapter_in_bin' });
    const onlyPolicing = (await ok(coordinator.post(`${p()}/bin/chapters/${assembly}/restore`, {}))) as PlanOutline;
    expect(onlyPolicing.chapters.at(-1)!.sections.map((s) => s.id)).toEqual([policing]);
    const again = (await ok(coordinator.post(`${p()}/bin/sections/${notification}/restore`, {}))) as PlanOutline;
    expect(again.chapters.at(-1)!.sections.map((s) => s.id)).toEqual([notification, policing]);
  });
});

it('words every audit entry it wrote in the reader’s language', async () => {
  await expectAuditWorded(server);
});
