import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { importFile } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { RecommendationPageSchema } from '../../shared/api/index.ts';

/**
 * A drafter linking recommendations to an action of the section "Abolition of the death penalty"
 * opens the picker on what that section is about: the recommendations its actions already cite,
 * then those on the death penalty, and only then the rest of the registry in reference order.
 */
let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;
const ref = (n: number) => `UPR-S8-${String(n).padStart(3, '0')}`;
// sampleRecommendation: every fifth one (5, 10, … 40) is about the death penalty.
const DEATH_PENALTY = [5, 10, 15, 20, 25, 30, 35, 40].map(ref);

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  await importFile(coordinator, planId, 'recs.json', toAccordJson(Array.from({ length: 40 }, (_, i) => sampleRecommendation(i + 1))));
  const renamed = await coordinator.patch(`/api/plans/${planId}/sections/${sectionId}`, { title: 'Abolition of the death penalty' });
  expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
});
afterEach(async () => {
  await server.destroy();
});

async function references(query: string): Promise<string[]> {
  const res = await coordinator.get(`/api/plans/${planId}/recommendations${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return RecommendationPageSchema.parse(res.body).items.map((r) => r.reference);
}

async function idOf(reference: string): Promise<string> {
  const res = await coordinator.get(`/api/plans/${planId}/recommendations?q=${encodeURIComponent(reference)}&limit=1`);
  expect(res.body.items[0].reference).toBe(reference);
  return res.body.items[0].id as string;
}

describe('recommendations ranked for one section', () => {
  it('puts what the section cites first, then what matches its title, then the rest in reference order', async () => {
    const action = await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/actions`, { title: 'Protect women in detention' });
    expect(action.status, JSON.stringify(action.body)).toBe(201);
    const cited = ref(23); // about women's rights: cited, not matching the title
    const linked = await coordinator.post(`/api/plans/${planId}/actions/${action.body.id}/recommendations/${await idOf(cited)}`, {});
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);

    const near = await references(`?section=${sectionId}&limit=12`);
    expect(near[0]).toBe(cited);
    expect(new Set(near.slice(1, 9))).toEqual(new Set(DEATH_PENALTY));
    expect(near.slice(9)).toEqual([ref(1), ref(2), ref(3)]);
    // Every recommendation is still there: the section ranks, it does not filter.
    expect(RecommendationPageSchema.parse((await coordinator.get(`/api/plans/${planId}/recommendations?section=${sectionId}`)).body).total).toBe(40);
  });

  it('lets what is typed decide once something is typed, and a section not of the plan ranks nothing', async () => {
    expect((await references(`?section=${sectionId}&q=torture&limit=3`)).every((r) => !DEATH_PENALTY.includes(r))).toBe(true);
    expect(await references('?section=no-such-section&limit=3')).toEqual([ref(1), ref(2), ref(3)]);
    expect(await references('?limit=3')).toEqual([ref(1), ref(2), ref(3)]);
  });
});
