import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { importFile } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { RecommendationDetailSchema, RecommendationPageSchema, RecommendationSchema } from '../../shared/api/index.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  // 40 recommendations: themes, States and positions cycle (see sampleRecommendation).
  await importFile(coordinator, planId, 'recs.json', toAccordJson(Array.from({ length: 40 }, (_, i) => sampleRecommendation(i + 1))));
});
afterEach(async () => {
  await server.destroy();
});

const page = async (query = '', client = coordinator) => {
  const res = await client.get(`/api/plans/${planId}/recommendations${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return RecommendationPageSchema.parse(res.body);
};

describe('browsing recommendations', () => {
  it('pages in natural reference order with facets', async () => {
    const first = await page('?limit=10');
    expect(first.total).toBe(40);
    expect(first.items.map((r) => r.reference).slice(0, 3)).toEqual(['UPR-S8-001', 'UPR-S8-002', 'UPR-S8-003']);
    const second = await page('?limit=10&offset=10');
    expect(second.items[0]!.reference).toBe('UPR-S8-011');
    const desc = await page('?order=desc&limit=1');
    expect(desc.items[0]!.reference).toBe('UPR-S8-040');
    expect(first.facets).toEqual({
      mechanisms: ['UPR'],
      cycles: [1],
      themes: ['Death penalty', 'Detention', 'Freedom of the press', 'Torture and other CID treatment', "Women's rights"],
      states: ['Brazil', 'Canada', 'France', 'Germany', 'Japan', 'Mexico'],
      affectedPersons: ['Women'],
      sdgs: [],
    });
  });

  it('filters by mechanism, cycle, position, theme, State and affected persons, combined', async () => {
    expect((await page('?mechanism=UPR&cycle=1')).total).toBe(40);
    expect((await page('?mechanism=CAT')).total).toBe(0);
    expect((await page('?position=supported')).total).toBe(10);
    expect((await page('?theme=Death%20penalty')).total).toBe(8);
    expect((await page('?state=France')).total).toBe(6);
    expect((await page('?affected=Women')).total).toBe(20);
    const combined = await page('?theme=Death%20penalty&affected=Women&position=supported');
    expect(combined.items.every((r) => r.themes.includes('Death penalty') && r.position === 'supported')).toBe(true);
    expect((await page('?sort=position&limit=1')).items[0]!.position).toBe('supported');
    expect((await coordinator.get(`/api/plans/${planId}/recommendations?position=bogus`)).status).toBe(400);
  });

  it('searches text, references and themes, ranked, and survives hostile input', async () => {
    const hits = await page('?q=torture');
    expect(hits.total).toBe(8);
    expect(hits.items.every((r) => r.themes.includes('Torture and other CID treatment'))).toBe(true);
    expect((await page('?q=UPR-S8-017')).items.map((r) => r.reference)).toEqual(['UPR-S8-017']);
    expect((await page('?q=numb')).total).toBe(40); // the last word is a prefix
    for (const q of ['"', 'NEAR(', 'text:x', '*', 'a AND OR', "'; DROP TABLE recommendations; --"]) {
      const res = await coordinator.get(`/api/plans/${planId}/recommendations?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
  });

  it('lists unaddressed recommendations, which shrink when an action links one', async () => {
    expect((await page('?unaddressed=true')).total).toBe(40);
    const rec = (await page('?limit=1')).items[0]!;
    const action = await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/actions`, {
      title: 'Act',
      recommendationIds: [rec.id],
    });
    expect(action.status).toBe(201);
    expect((await page('?unaddressed=true')).total).toBe(39);
    expect((await page('?limit=1')).items[0]!.actionCount).toBe(1);
    const detail = RecommendationDetailSchema.parse((await coordinator.get(`/api/plans/${planId}/recommendations/${rec.id}`)).body);
    expect(detail.actions).toEqual([{ id: action.body.id, title: 'Act', sectionId, sectionTitle: 'Purpose and scope' }]);
  });
});

describe('editing recommendations', () => {
  it('creates by hand, edits only the fields sent, refuses a taken reference, deletes', async () => {
    const created = await coordinator.post(`/api/plans/${planId}/recommendations`, {
      mechanism: 'CCPR',
      stateUnderReview: 'Belarus',
      text: 'The State party should abolish the death penalty.',
      documentSymbol: 'CCPR/C/BLR/CO/5',
      position: 'pending',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const rec = RecommendationSchema.parse(created.body);
    expect(rec.reference).toBe('CCPR-001');
    expect(rec.sourceKey).toMatch(/^manual:/);
    expect(rec.language).toBe('en');

    const patched = await coordinator.patch(`/api/plans/${planId}/recommendations/${rec.id}`, {
      themes: ['Death penalty'],
      notes: 'Priority',
      language: 'ru',
    });
    expect(patched.status).toBe(200);
    const again = await coordinator.patch(`/api/plans/${planId}/recommendations/${rec.id}`, { position: 'supported' });
    expect(again.body).toMatchObject({ position: 'supported', themes: ['Death penalty'], notes: 'Priority', language: 'ru' });

    const taken = await coordinator.patch(`/api/plans/${planId}/recommendations/${rec.id}`, { reference: 'UPR-S8-001' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('reference_taken');
    const invalid = await coordinator.post(`/api/plans/${planId}/recommendations`, { mechanism: 'XYZ', text: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields).toHaveProperty('mechanism');

    expect((await coordinator.delete(`/api/plans/${planId}/recommendations/${rec.id}`)).status).toBe(204);
    expect((await coordinator.get(`/api/plans/${planId}/recommendations/${rec.id}`)).status).toBe(404);
  });

  it('lets drafters edit but only coordinators delete; commenters and observers read only; outsiders get 404', async () => {
    const rec = (await page('?limit=1')).items[0]!;
    const drafter = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Dmitry Drafter',
      email: 'd@justice.example',
      organisation: { name: 'Ministry of Justice', side: 'government' },
    });
    expect((await drafter.client.patch(`/api/plans/${planId}/recommendations/${rec.id}`, { notes: 'x' })).status).toBe(200);
    expect((await drafter.client.delete(`/api/plans/${planId}/recommendations/${rec.id}`)).status).toBe(403);
    for (const role of ['commenter', 'observer'] as const) {
      const member = await addMember(server, coordinator, planId, role, {
        name: `A ${role}`,
        email: `${role}@x.example`,
        organisation: { name: `Org ${role}`, side: 'international' },
      });
      expect((await page('?limit=1', member.client)).total).toBe(40);
      expect((await member.client.patch(`/api/plans/${planId}/recommendations/${rec.id}`, { notes: 'x' })).status).toBe(403);
      expect((await member.client.post(`/api/plans/${planId}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'B', text: 't' })).status).toBe(403);
    }
    const outsider = await addMember(server, coordinator, planId, 'observer', {
      name: 'Out',
      email: 'out@x.example',
      organisation: { name: 'Out Org', side: 'international' },
    });
    await coordinator.delete(`/api/plans/${planId}/members/${outsider.userId}`);
    expect((await outsider.client.get(`/api/plans/${planId}/recommendations`)).status).toBe(404);
  });
});
