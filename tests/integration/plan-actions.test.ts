import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { ActionSchema, type Action, type PlanOutline } from '../../shared/api/index.ts';

/**
 * GET /api/plans/:planId/actions: the whole plan's actions in one request (the progress page), the
 * same as reading every live section's actions in outline order, one section at a time.
 */
let server: TestServer;
let coordinator: ApiClient;
let planId: string;

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId } = await setUpWorkspace(server));
});
afterEach(async () => {
  await server.destroy();
});

const p = () => `/api/plans/${planId}`;

async function ok<T = any>(pending: Promise<{ status: number; body: T }>): Promise<T> {
  const res = await pending;
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

const outline = async (): Promise<PlanOutline> => ok(coordinator.get(`${p()}`));

/** Section ids in the order a reader sees them: chapters by position, then their sections. */
const sectionsInOrder = (o: PlanOutline): string[] =>
  o.chapters
    .slice()
    .sort((a, b) => a.position - b.position)
    .flatMap((c) => c.sections.slice().sort((a, b) => a.position - b.position).map((s) => s.id));

/** What the progress page used to assemble: one request per live section, concatenated. */
async function perSection(reader: ApiClient = coordinator): Promise<Action[]> {
  const lists = [];
  for (const sectionId of sectionsInOrder(await outline())) {
    lists.push(z.array(ActionSchema).parse(await ok(reader.get(`${p()}/sections/${sectionId}/actions`))));
  }
  return lists.flat();
}

async function planWide(reader: ApiClient = coordinator): Promise<Action[]> {
  return z.array(ActionSchema).parse(await ok(reader.get(`${p()}/actions`)));
}

describe("the plan's actions in one request", () => {
  it('equals every live section’s list in outline order, and leaves out what is in the bin', async () => {
    const mfaId: string = (await ok(coordinator.get('/api/auth/me'))).organisation.id;
    const interior = await ok(coordinator.post(`${p()}/organisations`, { name: 'Ministry of Interior', side: 'government' }));
    const viasna = await ok(coordinator.post(`${p()}/organisations`, { name: 'Viasna', side: 'civil_society' }));
    const recs = [];
    for (const [i, text] of ['Abolish the death penalty', 'Ratify OP-CAT', 'Protect human rights defenders'].entries()) {
      recs.push(await ok(coordinator.post(`${p()}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'Belarus', text, reference: `1.${i + 1}`, themes: [] })));
    }

    // A second chapter with two sections, besides what a new plan starts with.
    let o = (await ok(coordinator.post(`${p()}/chapters`, { title: 'Civic space' }))) as PlanOutline;
    const civic = o.chapters.find((c) => c.title === 'Civic space')!;
    o = await ok(coordinator.post(`${p()}/sections`, { chapterId: civic.id, title: 'Defenders' }));
    o = await ok(coordinator.post(`${p()}/sections`, { chapterId: civic.id, title: 'Assembly' }));
    const firstChapterId = o.chapters.find((c) => c.id !== civic.id)!.id;
    o = await ok(coordinator.post(`${p()}/sections`, { chapterId: firstChapterId, title: 'Treaties' }));
    const [defenders, assembly] = o.chapters.find((c) => c.id === civic.id)!.sections;
    const [firstA, firstB] = o.chapters.find((c) => c.id === firstChapterId)!.sections;
    expect(firstA && firstB && defenders && assembly, 'two sections in each chapter').toBeTruthy();

    // Actions created out of outline order, with organisations, links and indicators.
    const add = async (sectionId: string, title: string, extra: object = {}) =>
      ActionSchema.parse(await ok(coordinator.post(`${p()}/sections/${sectionId}/actions`, { title, leadAgencyId: mfaId, ...extra })));
    const a1 = await add(assembly!.id, 'Repeal the permit rule for assemblies', { coImplementerIds: [interior.id], recommendationIds: [recs[2].id] });
    await add(defenders!.id, 'Register human rights organisations', { civilSocietyPartnerIds: [viasna.id], recommendationIds: [recs[2].id, recs[0].id] });
    await add(firstB!.id, 'Ratify OP-CAT', { recommendationIds: [recs[1].id] });
    const a4 = await add(firstA!.id, 'Introduce a moratorium', { coImplementerIds: [interior.id], civilSocietyPartnerIds: [viasna.id], start: '2027', end: '2028-Q2' });
    await add(firstA!.id, 'Publish execution statistics');
    await ok(coordinator.post(`${p()}/actions/${a4.id}/indicators`, { type: 'outcome', description: 'Executions carried out', targetValue: '0', disaggregation: ['sex'] }));
    await ok(coordinator.post(`${p()}/actions/${a4.id}/indicators`, { type: 'structural', description: 'Decree adopted', targetValue: '1' }));
    await ok(coordinator.post(`${p()}/actions/${a1.id}/indicators`, { type: 'process', description: 'Permits refused', unit: 'permits' }));
    // Outline order is not creation order: the new chapter goes first, and its sections swap.
    await ok(coordinator.patch(`${p()}/chapters/${civic.id}`, { position: 0 }));
    await ok(coordinator.patch(`${p()}/sections/${assembly!.id}`, { position: 0 }));

    const before = await planWide();
    expect(before.map((a) => a.title)).toEqual([
      'Repeal the permit rule for assemblies',
      'Register human rights organisations',
      'Introduce a moratorium',
      'Publish execution statistics',
      'Ratify OP-CAT',
    ]);
    expect(before).toEqual(await perSection());
    expect(before.find((a) => a.id === a4.id)!.indicators.map((i) => i.description)).toEqual(['Executions carried out', 'Decree adopted']);

    // An observer reads the same list.
    const { client: observer } = await addMember(server, coordinator, planId, 'observer', {
      name: 'Oleg Observer',
      email: 'oleg@un.example',
      organisation: { name: 'UN Office', side: 'government' },
    });
    expect(await planWide(observer)).toEqual(before);

    // A binned section's actions leave the list, and come back with it.
    await ok(coordinator.delete(`${p()}/sections/${defenders!.id}`));
    const binned = await planWide();
    expect(binned.map((a) => a.title)).toEqual(['Repeal the permit rule for assemblies', 'Introduce a moratorium', 'Publish execution statistics', 'Ratify OP-CAT']);
    expect(binned).toEqual(await perSection());
    // So do a binned chapter's.
    await ok(coordinator.delete(`${p()}/chapters/${civic.id}`));
    expect((await planWide()).map((a) => a.title)).toEqual(['Introduce a moratorium', 'Publish execution statistics', 'Ratify OP-CAT']);
    expect(await planWide()).toEqual(await perSection());

    await ok(coordinator.post(`${p()}/bin/chapters/${civic.id}/restore`, {}));
    await ok(coordinator.post(`${p()}/bin/sections/${defenders!.id}/restore`, {}));
    const restored = await planWide();
    expect(restored.map((a) => a.id).sort()).toEqual(before.map((a) => a.id).sort());
    expect(restored).toEqual(await perSection());
  });

  it('is an empty list for a plan without actions', async () => {
    expect(await planWide()).toEqual([]);
  });
});
