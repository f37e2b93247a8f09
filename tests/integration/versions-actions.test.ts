import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { openPlanEvents } from '../helpers/events.ts';
import { importFile } from '../helpers/imports.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { sectionTextLines } from '../../shared/doc/canonical.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import {
  ActionSchema,
  AuditEntrySchema,
  ListedVersionSchema,
  RestoredVersionSchema,
  SectionAgreementSchema,
  SectionCompareSchema,
  type Action,
  type ActionChange,
  type Recommendation,
  type SectionCompare,
} from '../../shared/api/index.ts';
import { sql } from 'kysely';
import { col, rowShape } from '../../server/db/rows.ts';
import { refuseInserts } from '../helpers/refuseWrites.ts';

/**
 * Versions hold a section's actions and indicators as well as its text (issue #13): "A government
 * coordinator deleted an indicator … nothing in any version". A version keeps the actions; a
 * compare shows their changes field by field beside the text; a restore brings text and actions
 * back in one change, with ids kept, recorded with counts, announced like an action edit
 * (signatures on changed content are withdrawn visibly); a version kept before versions held
 * actions restores text only, and says so.
 */

let server: TestServer;
const peers: Peer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
});

const NGO = { name: 'Nina Lawyer', email: 'nina@hrc.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' as const } };

async function ok<T = any>(res: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

const actionCount = async (recommendationId: string) =>
  (await server.sql.theRow(rowShape({ n: col.int }), sql`SELECT action_count AS n FROM recommendations WHERE id = ${recommendationId}`)).n;
const versionCount = async () => (await server.sql.theRow(rowShape({ n: col.int }), sql`SELECT count(*) AS n FROM versions`)).n;

const liveLines = async (sectionId: string) => sectionTextLines((await server.sync.readDocument(sectionDocName(sectionId)))!);
/** An action as it stands, without the one field a restore is allowed to move (when it was last written). */
const stable = ({ updatedAt: _, ...a }: Action) => a;

/**
 * A plan whose first section has text and two actions: A1 (lead, co-implementer, partner,
 * timeline, budget, two recommendations, two indicators) and A2 (one recommendation, one
 * indicator); and an NGO drafter.
 */
async function scene() {
  server = await startTestServer();
  const ws = await setUpWorkspace(server);
  const { coordinator, planId, sectionId } = ws;
  const p = `/api/plans/${planId}`;
  const ngo = await addMember(server, coordinator, planId, 'drafter', NGO);
  await importFile(coordinator, planId, 'recs.json', toAccordJson(Array.from({ length: 3 }, (_, i) => sampleRecommendation(i + 1))));
  const recs: Recommendation[] = (await ok(coordinator.get(`${p}/recommendations`))).items;
  const mfa: string = (await ok(coordinator.get('/api/auth/me'))).organisation.id;
  const interior = await ok(coordinator.post(`${p}/organisations`, { name: 'Ministry of Interior', side: 'government' }), 201);
  const viasna = await ok(coordinator.post(`${p}/organisations`, { name: 'Viasna', side: 'civil_society' }), 201);

  const peer = connectPeer(server.url, coordinator, sectionId);
  peers.push(peer);
  await peer.synced();
  peer.typeParagraph('The death penalty is abolished in law and in practice.');
  await eventually(() => expect(peer.isSaved()).toBe(true));

  const a1 = ActionSchema.parse(
    await ok(
      coordinator.post(`${p}/sections/${sectionId}/actions`, {
        title: 'Introduce a moratorium on executions',
        description: 'Draft and adopt a decree.',
        leadAgencyId: mfa,
        coImplementerIds: [interior.id],
        civilSocietyPartnerIds: [viasna.id],
        start: '2026-Q3',
        end: '2027',
        status: 'planned',
        budgetAmount: 15000,
        currency: 'BYN',
        fundingSource: 'State budget',
        recommendationIds: [recs[0]!.id, recs[1]!.id],
      }),
      201,
    ),
  );
  const i1 = await ok(
    coordinator.post(`${p}/actions/${a1.id}/indicators`, {
      type: 'outcome',
      description: 'Death sentences handed down per year',
      baselineValue: '2',
      baselineYear: 2025,
      targetValue: '0',
      targetYear: 2028,
      dataSource: 'Supreme Court statistics',
      disaggregation: ['sex', 'region'],
      proposedByOrganisationId: viasna.id,
    }),
    201,
  );
  const i2 = await ok(
    coordinator.post(`${p}/actions/${a1.id}/indicators`, { type: 'process', description: 'Judges trained on fair trial standards', targetValue: '200' }),
    201,
  );
  const a2 = ActionSchema.parse(
    await ok(
      coordinator.post(`${p}/sections/${sectionId}/actions`, { title: 'Publish execution statistics', leadAgencyId: interior.id, recommendationIds: [recs[2]!.id] }),
      201,
    ),
  );
  const i3 = await ok(coordinator.post(`${p}/actions/${a2.id}/indicators`, { type: 'structural', description: 'Statistics published every year' }), 201);
  const actionsNow = async (): Promise<Action[]> => (await ok(coordinator.get(`${p}/sections/${sectionId}/actions`))).map((a: unknown) => ActionSchema.parse(a));
  return { ...ws, p, ngo, recs, mfa, interior, viasna, peer, a1, a2, i1, i2, i3, actionsNow };
}

async function restoredAudit(coordinator: ApiClient, p: string) {
  const page = await ok(coordinator.get(`${p}/audit?action=version.restored`));
  return (page.items as unknown[]).map((e) => AuditEntrySchema.parse(e));
}

const changeOf = (cmp: SectionCompare, actionId: string): ActionChange | undefined => cmp.actions.changes.find((c) => c.actionId === actionId);

describe('a version holds actions and indicators', () => {
  it('compare shows each change of text, action and indicator; restore brings them all back, keeping ids, in one recorded change', async () => {
    const s = await scene();
    const { coordinator, p, sectionId, ngo, peer } = s;
    const keptActions = await s.actionsNow();
    const version = ListedVersionSchema.parse(await ok(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'Agreed with NGOs' }), 201));
    const versionText: string[] = (await ok(coordinator.get(`${p}/versions/${version.id}`))).text;
    expect(version.holdsActions).toBe(true);
    // The version itself shows what it keeps.
    const content = await ok(coordinator.get(`${p}/versions/${version.id}`));
    expect(content.actions.actions.map((a: { title: string }) => a.title)).toEqual(['Introduce a moratorium on executions', 'Publish execution statistics']);

    // Later: the text changes, A1 is edited, an indicator changes, another is deleted, A2 is deleted, A3 is added.
    peer.typeParagraph('Exceptions apply in wartime.');
    await eventually(() => expect(peer.isSaved()).toBe(true));
    await ok(coordinator.patch(`${p}/actions/${s.a1.id}`, { title: 'Consider a moratorium on executions', status: 'delayed', budgetAmount: 5000, coImplementerIds: [] }));
    await ok(coordinator.patch(`${p}/indicators/${s.i1.id}`, { targetValue: '1' }));
    await ok(coordinator.delete(`${p}/indicators/${s.i2.id}`), 204);
    await ok(coordinator.delete(`${p}/actions/${s.a2.id}`), 204);
    const a3 = ActionSchema.parse(await ok(coordinator.post(`${p}/sections/${sectionId}/actions`, { title: 'Train police investigators' }), 201));
    const i4 = await ok(coordinator.post(`${p}/actions/${a3.id}/indicators`, { type: 'process', description: 'Investigators trained' }), 201);
    expect(await actionCount(s.recs[2]!.id)).toBe(0);

    // --- Compare the version with the current state: text and actions side by side.
    const cmp = SectionCompareSchema.parse(await ok(ngo.client.get(`${p}/sections/${sectionId}/compare?from=${version.id}&to=current`)));
    expect(cmp.blocks.flat().filter((part) => part.op === 'insert').map((part) => part.text).join('')).toContain('Exceptions apply in wartime.');
    expect(cmp.actions).toMatchObject({ from: 'actions', to: 'actions', comparable: true });
    expect(cmp.actions.summary).toEqual({ actionsAdded: 1, actionsRemoved: 1, actionsChanged: 1, indicatorsAdded: 1, indicatorsRemoved: 2, indicatorsChanged: 1 });
    const a1Change = changeOf(cmp, s.a1.id)!;
    expect(a1Change.change).toBe('changed');
    expect(a1Change.fields).toEqual([
      { field: 'title', from: 'Introduce a moratorium on executions', to: 'Consider a moratorium on executions' },
      { field: 'status', from: 'planned', to: 'delayed' },
      { field: 'coImplementers', from: 'Ministry of Interior', to: null },
      { field: 'budgetAmount', from: '15000', to: '5000' },
    ]);
    expect(a1Change.indicators).toEqual([
      { indicatorId: s.i1.id, description: 'Death sentences handed down per year', change: 'changed', fields: [{ field: 'targetValue', from: '0', to: '1' }] },
      {
        indicatorId: s.i2.id,
        description: 'Judges trained on fair trial standards',
        change: 'removed',
        fields: [
          { field: 'type', from: 'process', to: null },
          { field: 'description', from: 'Judges trained on fair trial standards', to: null },
          { field: 'targetValue', from: '200', to: null },
          // New indicators are proposed by their creator's organisation.
          { field: 'proposedBy', from: 'Ministry of Foreign Affairs', to: null },
        ],
      },
    ]);
    expect(changeOf(cmp, a3.id)).toMatchObject({ change: 'added', title: 'Train police investigators', indicators: [{ indicatorId: i4.id, change: 'added' }] });
    expect(changeOf(cmp, s.a2.id)).toMatchObject({ change: 'removed', title: 'Publish execution statistics', indicators: [{ indicatorId: s.i3.id, change: 'removed' }] });
    expect(changeOf(cmp, s.a2.id)!.fields).toContainEqual({ field: 'recommendations', from: s.recs[2]!.reference, to: null });
    expect(changeOf(cmp, s.a2.id)!.fields).toContainEqual({ field: 'leadAgency', from: 'Ministry of Interior', to: null });

    // --- Restore it, as the NGO drafter, while the coordinator watches the plan's events.
    const events = await openPlanEvents(server.url, coordinator, s.planId);
    let restored;
    try {
      restored = RestoredVersionSchema.parse(await ok(ngo.client.post(`${p}/versions/${version.id}/restore`, {}), 201));
      await eventually(() => {
        expect(events.received).toContainEqual({ type: 'actions', sectionId });
        expect(events.received).toContainEqual({ type: 'recommendations' });
        expect(events.received).toContainEqual({ type: 'versions', sectionId });
      });
    } finally {
      await events.close();
    }
    // Counts are from the state before the restore to the version: A2 and its indicator and I2 re-added, A3 and I4 removed, A1 and I1 changed.
    expect(restored.actionsRestore).toEqual({
      restored: true,
      summary: { actionsAdded: 1, actionsRemoved: 1, actionsChanged: 1, indicatorsAdded: 2, indicatorsRemoved: 1, indicatorsChanged: 1 },
      skippedRecommendations: [],
      skippedOrganisations: [],
    });
    expect(restored).toMatchObject({ kind: 'restore', holdsActions: true, contentHash: version.contentHash });

    // Text back, and every action exactly as kept: same ids, fields, organisations, links, indicators (with their ids) and order.
    expect(await liveLines(sectionId)).toEqual(versionText);
    await eventually(() => expect(sectionTextLines(peer.doc)).toEqual(versionText));
    const after = await s.actionsNow();
    expect(after.map(stable)).toEqual(keptActions.map(stable));
    expect(after.map((a) => a.id)).toEqual([s.a1.id, s.a2.id]);
    expect(after[0]!.indicators.map((i) => i.id)).toEqual([s.i1.id, s.i2.id]);
    expect(after[1]!.indicators.map((i) => i.id)).toEqual([s.i3.id]);
    // The added action and its indicator are gone; the re-created action keeps its creator; links are counted again.
    expect(await server.sql.row(rowShape({ one: col.int }), sql`SELECT 1 AS one FROM actions WHERE id = ${a3.id}`)).toBeUndefined();
    expect(await server.sql.row(rowShape({ one: col.int }), sql`SELECT 1 AS one FROM indicators WHERE id = ${i4.id}`)).toBeUndefined();
    expect(await server.sql.row(rowShape({ c: col.text }), sql`SELECT created_by AS c FROM actions WHERE id = ${s.a2.id}`)).toEqual({
      c: (await ok(coordinator.get('/api/auth/me'))).user.id,
    });
    expect(await actionCount(s.recs[2]!.id)).toBe(1);

    // On the record: one entry, by the NGO drafter, with the counts.
    const audit = await restoredAudit(coordinator, p);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorName: NGO.name, targetId: sectionId });
    const { title } = await server.sql.theRow(rowShape({ title: col.text }), sql`SELECT title FROM sections WHERE id = ${sectionId}`);
    expect(audit[0]!.summary).toBe(
      `Nina Lawyer restored the version “Agreed with NGOs” of “${title}” (actions: 1 re-added, 1 removed, 1 changed; indicators: 2 re-added, 1 removed, 1 changed)`,
    );
    expect(audit[0]!.details.actions).toEqual(restored.actionsRestore);
    // ...and in each item's own history: A3 removed by the restore (with it as the reason), I2 back, A1 changed back.
    const itemHistory = async (type: string, id: string) =>
      (await ok(ngo.client.get(`${p}/history?targetType=${type}&targetId=${id}`))).items as Array<{ action: string; actorName: string; details: Record<string, unknown> }>;
    const a3Removed = (await itemHistory('action', a3.id)).find((e) => e.action === 'action.deleted')!;
    expect(a3Removed).toMatchObject({ actorName: NGO.name, details: { reason: 'restoring the version “Agreed with NGOs”' } });
    expect((await itemHistory('indicator', s.i2.id)).map((e) => e.action)[0]).toBe('indicator.created');
    expect((await itemHistory('action', s.a1.id)).find((e) => e.action === 'action.updated' && e.actorName === NGO.name)).toMatchObject({
      details: { before: { title: 'Consider a moratorium on executions' }, after: { title: 'Introduce a moratorium on executions' } },
    });

    // Nothing is lost by restoring: the state before it is a version with its actions, and restoring that brings A3 back.
    const history = (await ok(coordinator.get(`${p}/sections/${sectionId}/versions`))).map((v: unknown) => ListedVersionSchema.parse(v));
    expect(history.map((h: { kind: string }) => h.kind)).toEqual(['restore', 'before_restore', 'manual']);
    const undo = RestoredVersionSchema.parse(await ok(coordinator.post(`${p}/versions/${history[1]!.id}/restore`, {}), 201));
    expect(undo.actionsRestore).toMatchObject({ restored: true, summary: { actionsAdded: 1, actionsRemoved: 1, actionsChanged: 1 } });
    const undone = await s.actionsNow();
    expect(undone.map((a) => a.id)).toEqual([s.a1.id, a3.id]);
    expect(undone[1]!.indicators.map((i) => i.id)).toEqual([i4.id]);
    expect(undone[0]).toMatchObject({ title: 'Consider a moratorium on executions', status: 'delayed', budgetAmount: 5000, coImplementerIds: [] });
  });

  it('links to recommendations deleted since are left out of a restore and reported', async () => {
    const s = await scene();
    const { coordinator, p, sectionId } = s;
    const version = await ok(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'Before the import was corrected' }), 201);
    await ok(coordinator.delete(`${p}/recommendations/${s.recs[2]!.id}`), 204);
    await ok(coordinator.delete(`${p}/actions/${s.a2.id}`), 204);

    const restored = RestoredVersionSchema.parse(await ok(coordinator.post(`${p}/versions/${version.id}/restore`, {}), 201));
    expect(restored.actionsRestore).toMatchObject({
      restored: true,
      summary: { actionsAdded: 1, indicatorsAdded: 1 },
      skippedRecommendations: [{ id: s.recs[2]!.id, name: s.recs[2]!.reference, actionTitle: 'Publish execution statistics' }],
    });
    const back = (await s.actionsNow()).find((a) => a.id === s.a2.id)!;
    expect(back.recommendationIds).toEqual([]);
    expect(back.indicators.map((i) => i.id)).toEqual([s.i3.id]);
    const audit = await restoredAudit(coordinator, p);
    expect(audit[0]!.summary).toContain('1 link(s) to deleted recommendations left out');
  });

  it('a version kept before versions held actions restores its text only, leaves the actions, and says so', async () => {
    const s = await scene();
    const { coordinator, p, sectionId, peer } = s;
    const version = await ok(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'Old text' }), 201);
    const versionText: string[] = (await ok(coordinator.get(`${p}/versions/${version.id}`))).text;
    // As a version kept before migration 016 is stored.
    await server.sql.run(sql`UPDATE versions SET actions = NULL WHERE id = ${version.id}`);

    peer.typeParagraph('A later paragraph.');
    await eventually(() => expect(peer.isSaved()).toBe(true));
    await ok(coordinator.delete(`${p}/indicators/${s.i2.id}`), 204);
    await ok(coordinator.post(`${p}/sections/${sectionId}/actions`, { title: 'Added after the old version' }), 201);
    const actionsBefore = await s.actionsNow();

    const listed = (await ok(coordinator.get(`${p}/sections/${sectionId}/versions`))).map((v: unknown) => ListedVersionSchema.parse(v));
    expect(listed.find((v: { id: string }) => v.id === version.id)!.holdsActions).toBe(false);
    expect((await ok(coordinator.get(`${p}/versions/${version.id}`))).actions).toBeNull();
    const cmp = SectionCompareSchema.parse(await ok(coordinator.get(`${p}/sections/${sectionId}/compare?from=${version.id}&to=current`)));
    expect(cmp.actions).toMatchObject({ from: 'text_only', to: 'actions', comparable: false, changes: [] });
    expect(cmp.summary.changedBlocks).toBe(1);

    const restored = RestoredVersionSchema.parse(await ok(coordinator.post(`${p}/versions/${version.id}/restore`, {}), 201));
    expect(restored.actionsRestore).toEqual({ restored: false, reason: 'text_only' });
    expect(await liveLines(sectionId)).toEqual(versionText);
    expect((await s.actionsNow()).map(stable)).toEqual(actionsBefore.map(stable));
    const audit = await restoredAudit(coordinator, p);
    expect(audit[0]!.summary).toContain('text only: the version was kept before versions held actions, so the actions were left as they are');
    expect(audit[0]!.details.actions).toEqual({ restored: false, reason: 'text_only' });
  });
});

describe('one change, stored whole or not at all', () => {
  it('when the audit entry cannot be written, the restore changes neither the text nor any action', async () => {
    const s = await scene();
    const { coordinator, p, sectionId, peer } = s;
    const version = await ok(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'First reading' }), 201);
    peer.typeParagraph('Added in the second reading.');
    await eventually(() => expect(peer.isSaved()).toBe(true));
    await ok(coordinator.delete(`${p}/indicators/${s.i2.id}`), 204);
    await ok(coordinator.patch(`${p}/actions/${s.a1.id}`, { status: 'completed' }));
    await ok(coordinator.post(`${p}/sections/${sectionId}/actions`, { title: 'Added in the second reading' }), 201);
    const textBefore = await liveLines(sectionId);
    const actionsBefore = await s.actionsNow();

    // The audit entry is the last thing written in the restore's transaction.
    const restore = await refuseInserts(server, 'audit_log');
    const res = await coordinator.post(`${p}/versions/${version.id}/restore`, {});
    await restore();
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.body.error.code).toBe('storage_failed');
    expect(await liveLines(sectionId)).toEqual(textBefore);
    expect(await s.actionsNow()).toEqual(actionsBefore);
    expect(await server.sql.row(rowShape({ n: col.int }), sql`SELECT count(*) AS n FROM versions WHERE kind IN ('before_restore', 'restore')`)).toEqual({ n: 0 });

    // Once the audit log takes entries again, the same restore goes through whole.
    const restored = RestoredVersionSchema.parse(await ok(coordinator.post(`${p}/versions/${version.id}/restore`, {}), 201));
    expect(restored.actionsRestore).toMatchObject({ restored: true, summary: { actionsRemoved: 1, actionsChanged: 1, indicatorsAdded: 1 } });
    expect((await s.actionsNow()).map((a) => a.id)).toEqual([s.a1.id, s.a2.id]);
  });
});

describe('restoring actions and agreement', () => {
  it('a restore that changes actions withdraws signatures on the old content visibly, in the restorer’s name; an agreed section refuses it and nothing changes', async () => {
    const s = await scene();
    const { coordinator, p, sectionId, ngo } = s;
    const agreement = async (client: ApiClient = coordinator) => SectionAgreementSchema.parse(await ok(client.get(`${p}/sections/${sectionId}/agreement`)));
    const sign = async (client: ApiClient) => ok(client.post(`${p}/sections/${sectionId}/signoffs`, { contentHash: (await agreement(client)).currentHash }), 201);
    const version = await ok(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'With both indicators' }), 201);

    // An indicator is deleted; the NGO signs what is there now.
    await ok(coordinator.delete(`${p}/indicators/${s.i2.id}`), 204);
    await sign(ngo.client);
    expect((await agreement()).signoffs.filter((x) => x.withdrawnAt === null)).toHaveLength(1);

    // Restoring brings the indicator back: the signature was on other content, so it ends, naming who restored.
    const events = await openPlanEvents(server.url, coordinator, s.planId);
    try {
      await ok(coordinator.post(`${p}/versions/${version.id}/restore`, {}), 201);
      await eventually(() => {
        expect(events.received).toContainEqual({ type: 'actions', sectionId });
        expect(events.received).toContainEqual({ type: 'agreement', sectionId });
      });
    } finally {
      await events.close();
    }
    const seen = await agreement(ngo.client);
    expect(seen.signoffs).toHaveLength(1);
    expect(seen.signoffs[0]).toMatchObject({ name: NGO.name, withdrawnByName: 'Olga Coordinator' });
    expect(seen.signoffs[0]!.withdrawnAt).not.toBeNull();
    const notices = await ok(ngo.client.get('/api/notifications'));
    expect(notices.map((n: { kind: string }) => n.kind)).toContain('signoff_withdrawn');
    expect((await s.actionsNow())[0]!.indicators.map((i) => i.id)).toEqual([s.i1.id, s.i2.id]);

    // Both sides sign: agreed. A restore is refused, and neither the text nor the actions change.
    await ok(coordinator.delete(`${p}/indicators/${s.i2.id}`), 204);
    await sign(ngo.client);
    await sign(coordinator);
    expect((await agreement()).status).toBe('agreed');
    const textBefore = await liveLines(sectionId);
    const actionsBefore = await s.actionsNow();
    const versionsBefore = await versionCount();
    const refused = await coordinator.post(`${p}/versions/${version.id}/restore`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('section_agreed');
    expect(await liveLines(sectionId)).toEqual(textBefore);
    expect(await s.actionsNow()).toEqual(actionsBefore);
    expect(await versionCount()).toBe(versionsBefore);
    expect(await restoredAudit(coordinator, p)).toHaveLength(1);
  });
});

describe('whole-plan versions hold actions too', () => {
  it('the plan comparison counts action and indicator changes per section, even where the text did not change', async () => {
    const s = await scene();
    const { coordinator, p, sectionId } = s;
    const group = await ok(coordinator.post(`${p}/versions`, { name: 'Sent to the ministries' }), 201);
    await ok(coordinator.patch(`${p}/indicators/${s.i1.id}`, { baselineYear: 2024 }));
    await ok(coordinator.delete(`${p}/indicators/${s.i3.id}`), 204);

    const cmp = await ok(coordinator.get(`${p}/compare?from=${group.groupId}&to=current`));
    const row = cmp.sections.find((x: { sectionId: string }) => x.sectionId === sectionId);
    expect(row).toMatchObject({
      change: 'changed',
      changedBlocks: 0,
      actions: { actionsAdded: 0, actionsRemoved: 0, actionsChanged: 2, indicatorsAdded: 0, indicatorsRemoved: 1, indicatorsChanged: 1 },
    });
    expect(cmp.totals).toMatchObject({ changedSections: 1, changedActions: 2 });

    // The section's row of the group is a version like any other: restoring it brings the indicator back.
    const row0 = (await ok(coordinator.get(`${p}/sections/${sectionId}/versions`))).find((v: { groupId: string | null }) => v.groupId === group.groupId);
    const restored = RestoredVersionSchema.parse(await ok(coordinator.post(`${p}/versions/${row0.id}/restore`, {}), 201));
    expect(restored.actionsRestore).toMatchObject({ restored: true, summary: { indicatorsAdded: 1, indicatorsChanged: 1 } });
    expect((await s.actionsNow())[1]!.indicators.map((i) => i.id)).toEqual([s.i3.id]);
    expect((await s.actionsNow())[0]!.indicators[0]!.baselineYear).toBe(2025);
  });
});
