/**
 * SDG targets of recommendations (issue #19): filtering the list by goal and by target, coverage
 * per goal, entering and correcting them by hand with the server's checks, the codes kept from a
 * UHRI export, and Annex A of the exports printing them with the goals' names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { exportPlan, exportText, squash } from '../helpers/exportPlan.ts';
import { importFile } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { CoverageSchema, RecommendationPageSchema, RecommendationSchema } from '../../shared/api/index.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;

/** Six recommendations: 1 and 2 on goal 16 (two targets of it for 2), 3 on 5.1, 4 on goal 16 as a whole, 5 and 6 on none. */
const SDGS: Record<number, string[]> = { 1: ['16.3'], 2: ['16.3', '16.10'], 3: ['5.1'], 4: ['16'], 5: [], 6: [] };

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  await importFile(
    coordinator,
    planId,
    'recs.json',
    toAccordJson(Object.entries(SDGS).map(([n, sdgTargets]) => sampleRecommendation(Number(n), { sdgTargets, position: 'supported' }))),
  );
});
afterEach(async () => {
  await server.destroy();
});

const base = () => `/api/plans/${planId}`;

const page = async (query = '') => {
  const res = await coordinator.get(`${base()}/recommendations${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return RecommendationPageSchema.parse(res.body);
};
const paragraphs = async (query: string) => (await page(query)).items.map((r) => r.paragraph).sort();

const coverage = async () => {
  const res = await coordinator.get(`${base()}/coverage`);
  expect(res.status).toBe(200);
  return CoverageSchema.parse(res.body);
};

describe('filtering by SDG', () => {
  it('takes a goal with all its targets, or one target, lists the codes present, and refuses a target that does not exist', async () => {
    expect((await page()).facets.sdgs).toEqual(['5.1', '16', '16.3', '16.10']);
    expect(await paragraphs('?sdg=16')).toEqual(['97.1', '97.2', '97.4']);
    expect(await paragraphs('?sdg=16.3')).toEqual(['97.1', '97.2']);
    expect(await paragraphs('?sdg=16.10')).toEqual(['97.2']);
    expect(await paragraphs('?sdg=5')).toEqual(['97.3']);
    expect((await page('?sdg=1')).total).toBe(0);
    // Combined with another filter.
    expect(await paragraphs(`?sdg=16&state=${encodeURIComponent(sampleRecommendation(2).recommendingStates[0]!)}`)).toEqual(['97.2']);

    for (const bad of ['16.11', '18', '0', 'peace', '16.3.1', 'SDG%2016']) {
      const res = await coordinator.get(`${base()}/recommendations?sdg=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.fields.sdg, bad).toBe('invalid_sdg_target');
    }
  });
});

describe('coverage by SDG', () => {
  it('counts each recommendation once per goal, and how many an action addresses; goals nothing links to are left out', async () => {
    const before = await coverage();
    expect(before.bySdg.map((b) => [b.key, b.total, b.addressed])).toEqual([
      ['5', 1, 0],
      ['16', 3, 0],
    ]);

    const two = (await page('?sdg=16.10')).items[0]!;
    const action = await coordinator.post(`${base()}/sections/${sectionId}/actions`, { title: 'Independent judiciary law', recommendationIds: [two.id] });
    expect(action.status, JSON.stringify(action.body)).toBe(201);
    const after = await coverage();
    const goal16 = after.bySdg.find((b) => b.key === '16')!;
    expect([goal16.total, goal16.addressed]).toEqual([3, 1]);
    expect(goal16.byPosition.supported).toEqual({ total: 3, addressed: 1 });
    expect(after.bySdg.find((b) => b.key === '5')!.addressed).toBe(0);
  });
});

describe('entering and correcting SDG targets', () => {
  it('stores what people write as codes, refuses ones that name no target with the field named, and re-indexes on edit', async () => {
    const created = await coordinator.post(`${base()}/recommendations`, {
      mechanism: 'CEDAW',
      stateUnderReview: 'Belarus',
      text: 'The State party should adopt a law on domestic violence.',
      sdgTargets: ['SDG 16.3', '5.A', '5.2 Eliminate all forms of violence against all women and girls', '16.3'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const rec = RecommendationSchema.parse(created.body);
    expect(rec.sdgTargets).toEqual(['5.2', '5.a', '16.3']);
    expect((await coordinator.get(`${base()}/recommendations/${rec.id}`)).body.sdgTargets).toEqual(['5.2', '5.a', '16.3']);
    expect((await page('?sdg=5.a')).items.map((r) => r.id)).toEqual([rec.id]);

    const refused = await coordinator.post(`${base()}/recommendations`, {
      mechanism: 'CEDAW',
      stateUnderReview: 'Belarus',
      text: 'Another one',
      sdgTargets: ['5.1', '16.11'],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual({ 'sdgTargets.1': 'invalid_sdg_target' });
    expect((await page()).total).toBe(7); // nothing was created

    const edited = await coordinator.patch(`${base()}/recommendations/${rec.id}`, { sdgTargets: ['Goal 10'] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.sdgTargets).toEqual(['10']);
    expect((await page('?sdg=5')).items.map((r) => r.paragraph)).toEqual(['97.3']);
    expect((await page('?sdg=10')).items.map((r) => r.id)).toEqual([rec.id]);

    const badEdit = await coordinator.patch(`${base()}/recommendations/${rec.id}`, { sdgTargets: ['17.a'] });
    expect(badEdit.status).toBe(400);
    expect(badEdit.body.error.fields).toEqual({ 'sdgTargets.0': 'invalid_sdg_target' });
    expect((await coordinator.get(`${base()}/recommendations/${rec.id}`)).body.sdgTargets).toEqual(['10']);

    expect((await coverage()).bySdg.map((b) => b.key)).toEqual(['5', '10', '16']);
  });

  it('keeps the codes of a UHRI export, which writes each target with its words', async () => {
    const csv = readFileSync(join(import.meta.dirname, '../fixtures/import/uhri-sample.csv'));
    const { preview } = await importFile(coordinator, planId, 'uhri-sample.csv', csv);
    const targets = preview.rows.flatMap((r: { recommendation: { sdgTargets: string[] } }) => r.recommendation.sdgTargets);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(t).toMatch(/^\d{1,2}(\.(\d{1,2}|[a-c]))?$/);
    expect((await page('?sdg=5.1')).total).toBeGreaterThan(0);
  });
});

describe('SDG targets in the exports', () => {
  it('prints them under the recommendation in Annex A, with the goal names in the export language', async () => {
    const two = (await page('?sdg=16.10')).items[0]!;
    const action = await coordinator.post(`${base()}/sections/${sectionId}/actions`, { title: 'Independent judiciary law', recommendationIds: [two.id] });
    expect(action.status).toBe(201);

    const expected = {
      en: 'SDG targets: Goal 16 (Peace, justice and strong institutions): 16.3, 16.10',
      ru: 'Задачи ЦУР: Цель 16 (Мир, правосудие и эффективные институты): 16.3, 16.10',
      be: 'Задачы ЦУР: Мэта 16 (Мір, правасуддзе і эфектыўныя інстытуты): 16.3, 16.10',
    };
    for (const format of ['md', 'html', 'docx', 'pdf'] as const) {
      const { bytes } = await exportPlan(server, coordinator, planId, format);
      const text = squash(await exportText(format, bytes));
      expect(text, format).toContain(squash(expected.en));
    }
    for (const language of ['ru', 'be'] as const) {
      const { bytes } = await exportPlan(server, coordinator, planId, 'md', 'current', language);
      expect(squash(await exportText('md', bytes)), language).toContain(squash(expected[language]));
    }
  });
});
