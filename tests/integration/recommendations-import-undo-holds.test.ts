/**
 * Undoing an import takes back what that file brought, not what a later file or people have built
 * on since. A later import whose rows found recommendations "already in the plan" holds them: undoing
 * the earlier import that created them keeps them, and says which and why; undoing the later one
 * then removes them once nothing else holds them. The same for a recommendation linked to an
 * action, in a confirmed group, assessed in a monitoring round or edited by hand since.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { ok } from '../helpers/exportPlan.ts';
import { importFile, uploadImport } from '../helpers/imports.ts';
import { monitoredPlan } from '../helpers/monitoringPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import { ImportRecordSchema, RecommendationPageSchema, UndoImportResultSchema } from '../../shared/api/index.ts';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.destroy();
});

const csv = () => readFileSync(belarusPath(BELARUS_FILES.verbatimCsv));
const report = () => readFileSync(belarusPath(BELARUS_FILES.reportText));

describe('undoing an import whose recommendations a later import found already in the plan', () => {
  it('keeps them while the later import is in effect, says why, and undoing the later one removes them', async () => {
    const { coordinator, planId } = await setUpWorkspace(server);
    const p = `/api/plans/${planId}`;
    const total = async () => RecommendationPageSchema.parse(await ok(coordinator.get(`${p}/recommendations?limit=1`))).total;

    // A: a CSV copy of A/HRC/15/16 creates the 167 recommendations.
    const a = await importFile(coordinator, planId, 'belarus.csv', csv());
    expect(a.record).toMatchObject({ created: 167 });
    // B: the report itself finds each of them already in the plan, and writes nothing.
    const preview = await uploadImport(coordinator, planId, 'A-HRC-15-16.txt', report(), { documentSymbol: 'A/HRC/15/16' });
    expect(preview.body.counts).toEqual({ create: 0, update: 0, unchanged: 167, rejected: 0 });
    expect(preview.body.warnings).toContainEqual(expect.objectContaining({ code: 'already_in_plan', params: expect.objectContaining({ n: 167 }) }));
    const b = ImportRecordSchema.parse(await ok(coordinator.post(`${p}/imports/${preview.body.previewId}/commit`, {})));
    expect(b).toMatchObject({ created: 0, updated: 0, kept: 0, held: 167 });

    // Undoing A: B relies on all of them, so every one stays, and the answer says so.
    const undoneA = UndoImportResultSchema.parse(await ok(coordinator.post(`${p}/imports/${a.record.id}/undo`, {})));
    expect(undoneA).toMatchObject({
      state: 'undone',
      kept: 167,
      keptByReason: { import: 167, actions: 0, group: 0, assessment: 0, edited: 0 },
      heldBy: ['A-HRC-15-16.txt'],
      released: 0,
    });
    expect(undoneA.keptRecommendations).toHaveLength(50);
    expect(undoneA.keptRecommendations[0]).toMatchObject({ reference: 'BLR-C1-97.1a', reasons: ['import'] });
    expect(await total()).toBe(167);
    // The history says it too, and search still finds them (their index entries are intact).
    const list = (await ok(coordinator.get(`${p}/imports`))).map((r: unknown) => ImportRecordSchema.parse(r));
    expect(list.find((r: { id: string }) => r.id === a.record.id)).toMatchObject({ state: 'undone', kept: 167 });
    expect(RecommendationPageSchema.parse(await ok(coordinator.get(`${p}/recommendations?q=torture`))).total).toBeGreaterThan(0);

    // Undoing B: nothing else holds them now, so they go, as undoing A alone would have done.
    const undoneB = UndoImportResultSchema.parse(await ok(coordinator.post(`${p}/imports/${b.id}/undo`, {})));
    expect(undoneB).toMatchObject({ state: 'undone', kept: 0, released: 167 });
    expect(await total()).toBe(0);
    expect(RecommendationPageSchema.parse(await ok(coordinator.get(`${p}/recommendations?q=torture`))).total).toBe(0);
    // A's history no longer counts them as kept: they are gone.
    const after = (await ok(coordinator.get(`${p}/imports`))).map((r: unknown) => ImportRecordSchema.parse(r));
    expect(after.find((r: { id: string }) => r.id === a.record.id)).toMatchObject({ kept: 0 });
  });

  it('undone the other way round, the later import leaves them and the earlier one removes them', async () => {
    const { coordinator, planId } = await setUpWorkspace(server);
    const p = `/api/plans/${planId}`;
    const total = async () => RecommendationPageSchema.parse(await ok(coordinator.get(`${p}/recommendations?limit=1`))).total;
    const a = await importFile(coordinator, planId, 'belarus.csv', csv());
    // The same file again: every row matches its own recommendation, unchanged.
    const again = await importFile(coordinator, planId, 'belarus.csv', csv());
    expect(again.preview.counts).toMatchObject({ unchanged: 167 });

    expect(UndoImportResultSchema.parse(await ok(coordinator.post(`${p}/imports/${again.record.id}/undo`, {})))).toMatchObject({ kept: 0, released: 0 });
    expect(await total()).toBe(167);
    expect(UndoImportResultSchema.parse(await ok(coordinator.post(`${p}/imports/${a.record.id}/undo`, {})))).toMatchObject({ kept: 0, released: 0 });
    expect(await total()).toBe(0);
  });

  it('a re-import of the same file holds its rows too, and a file created by hand is never removed by an undo', async () => {
    const { coordinator, planId } = await setUpWorkspace(server);
    const p = `/api/plans/${planId}`;
    const total = async () => RecommendationPageSchema.parse(await ok(coordinator.get(`${p}/recommendations?limit=1`))).total;
    const a = await importFile(coordinator, planId, 'belarus.csv', csv());
    const again = await importFile(coordinator, planId, 'belarus.csv', csv());
    const byHand = await ok(coordinator.post(`${p}/recommendations`, { reference: 'HAND-1', mechanism: 'UPR', stateUnderReview: 'Belarus', text: 'Abolish the death penalty', language: 'en' }));

    expect(UndoImportResultSchema.parse(await ok(coordinator.post(`${p}/imports/${a.record.id}/undo`, {})))).toMatchObject({
      kept: 167,
      heldBy: ['belarus.csv'],
    });
    expect(UndoImportResultSchema.parse(await ok(coordinator.post(`${p}/imports/${again.record.id}/undo`, {})))).toMatchObject({ released: 167 });
    expect(await total()).toBe(1);
    expect((await coordinator.get(`${p}/recommendations/${byHand.id}`)).status).toBe(200);
  });
});

describe('undoing an import whose recommendations people have built on', () => {
  it('keeps those linked to actions, assessed, grouped or edited, deletes the rest, and says why', async () => {
    // Two recommendations imported from recs.json; the first is linked to an action.
    const m = await monitoredPlan(server);
    const { p, olga } = m;
    const importId = (await ok(olga.get(`${p}/imports`)))[0].id as string;
    // The second is assessed by an NGO in the monitoring round.
    await ok(m.helsinki.client.request('PUT', `${p}/rounds/${m.roundId}/assessments`, {
      targetType: 'recommendation',
      targetId: m.rec2Id,
      rating: 'not_implemented',
      justification: 'Nothing has changed according to our monitoring.',
      evidenceLinks: [],
    }));

    const undone = UndoImportResultSchema.parse(await ok(olga.post(`${p}/imports/${importId}/undo`, {})));
    expect(undone).toMatchObject({ kept: 2, keptByReason: { import: 0, actions: 1, group: 0, assessment: 1, edited: 0 }, heldBy: [] });
    expect(Object.fromEntries(undone.keptRecommendations.map((r) => [r.id, r.reasons]))).toEqual({ [m.recId]: ['actions'], [m.rec2Id]: ['assessment'] });
    // Both are still there, and the action still cites the first.
    expect((await olga.get(`${p}/recommendations/${m.recId}`)).body.actions).toHaveLength(1);
    expect((await olga.get(`${p}/recommendations/${m.rec2Id}`)).status).toBe(200);
  });

  it('keeps a recommendation in a confirmed group or edited by hand, and deletes the untouched ones', async () => {
    const { coordinator, planId } = await setUpWorkspace(server);
    const p = `/api/plans/${planId}`;
    const a = await importFile(coordinator, planId, 'belarus.csv', csv());
    // 97.48 b and c are the same sentence from Uzbekistan and Tajikistan: Accord proposes them as a group.
    await ok(coordinator.post(`${p}/recommendation-groups/propose`, {}));
    const groups = (await ok(coordinator.get(`${p}/recommendation-groups`))).items as Array<{ id: string; members: Array<{ reference: string }> }>;
    expect(groups.length).toBeGreaterThan(0);
    const group = groups[0]!;
    await ok(coordinator.post(`${p}/recommendation-groups/${group.id}/confirm`, {}));
    // A proposed group nobody confirmed is Accord's guess: it holds nothing.
    const recs = RecommendationPageSchema.parse(await ok(coordinator.get(`${p}/recommendations?limit=200`))).items;
    const grouped = new Set(group.members.map((r) => r.reference));
    const edited = recs.find((r) => !grouped.has(r.reference))!;
    await ok(coordinator.patch(`${p}/recommendations/${edited.id}`, { notes: 'The Ministry of Justice leads on this.' }));

    const undone = UndoImportResultSchema.parse(await ok(coordinator.post(`${p}/imports/${a.record.id}/undo`, {})));
    expect(undone.kept).toBe(grouped.size + 1);
    expect(undone.keptByReason).toEqual({ import: 0, actions: 0, group: grouped.size, assessment: 0, edited: 1 });
    const left = RecommendationPageSchema.parse(await ok(coordinator.get(`${p}/recommendations?limit=200`))).items.map((r) => r.reference).sort();
    expect(left).toEqual([...grouped, edited.reference].sort());
  });
});
