import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { openPlanEvents } from '../helpers/events.ts';
import { importFile } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { ActionSchema, CoverageSchema, IndicatorSchema, PlanOrganisationSchema, type Recommendation } from '../../shared/api/index.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let chapterId: string;
let sectionId: string;
let recs: Recommendation[];
let mfaId: string;

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, chapterId, sectionId } = await setUpWorkspace(server));
  await importFile(coordinator, planId, 'recs.json', toAccordJson(Array.from({ length: 8 }, (_, i) => sampleRecommendation(i + 1))));
  recs = (await coordinator.get(`/api/plans/${planId}/recommendations`)).body.items;
  mfaId = (await coordinator.get('/api/auth/me')).body.organisation.id;
});
afterEach(async () => {
  await server.destroy();
});

const actionsPath = (s = sectionId) => `/api/plans/${planId}/sections/${s}/actions`;

describe('plan organisations', () => {
  it("lists members' organisations and added ones, reusing a name case-insensitively", async () => {
    const list = await coordinator.get(`/api/plans/${planId}/organisations`);
    expect(list.body.map((o: { name: string }) => o.name)).toEqual(['Ministry of Foreign Affairs']);
    const stream = await openPlanEvents(server.url, coordinator, planId);
    const added = await coordinator.post(`/api/plans/${planId}/organisations`, { name: 'Ministry of Interior', side: 'government' });
    expect(added.status).toBe(201);
    PlanOrganisationSchema.parse(added.body);
    await eventually(() => expect(stream.received).toContainEqual({ type: 'organisations' }));
    await stream.close();
    const again = await coordinator.post(`/api/plans/${planId}/organisations`, { name: 'ministry of INTERIOR', side: 'government' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(added.body.id);
    expect((await coordinator.get(`/api/plans/${planId}/organisations`)).body).toHaveLength(2);
  });
});

describe('actions', () => {
  it('creates, reads, updates, links and deletes actions with indicators', async () => {
    const interior = (await coordinator.post(`/api/plans/${planId}/organisations`, { name: 'Ministry of Interior', side: 'government' })).body;
    const viasna = (await coordinator.post(`/api/plans/${planId}/organisations`, { name: 'Viasna', side: 'civil_society' })).body;
    const created = await coordinator.post(actionsPath(), {
      title: 'Introduce a moratorium on executions',
      description: 'Draft and adopt a decree.',
      leadAgencyId: mfaId,
      coImplementerIds: [interior.id],
      civilSocietyPartnerIds: [viasna.id],
      start: '2026-Q3',
      end: '2027',
      budgetAmount: 15000,
      currency: 'BYN',
      fundingSource: 'State budget',
      recommendationIds: [recs[0]!.id, recs[1]!.id],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const action = ActionSchema.parse(created.body);
    expect(action).toMatchObject({ position: 0, status: 'planned', coImplementerIds: [interior.id], civilSocietyPartnerIds: [viasna.id] });
    expect(action.recommendations.map((r) => r.reference)).toEqual(['UPR-S8-001', 'UPR-S8-002']);

    const indicator = await coordinator.post(`/api/plans/${planId}/actions/${action.id}/indicators`, {
      type: 'outcome',
      description: 'Death sentences handed down per year',
      unit: 'sentences',
      baselineValue: '2',
      baselineYear: 2025,
      targetValue: '0',
      targetYear: 2028,
      dataSource: 'Supreme Court statistics',
      disaggregation: ['sex', 'region'],
      proposedByOrganisationId: viasna.id,
    });
    expect(indicator.status, JSON.stringify(indicator.body)).toBe(201);
    const ind = IndicatorSchema.parse(indicator.body);
    const patchedInd = await coordinator.patch(`/api/plans/${planId}/indicators/${ind.id}`, { targetValue: '0 (abolished)' });
    expect(patchedInd.body).toMatchObject({ targetValue: '0 (abolished)', baselineValue: '2', disaggregation: ['sex', 'region'] });

    // PATCH changes only what is sent: links, organisations and indicators stay.
    const patched = await coordinator.patch(`/api/plans/${planId}/actions/${action.id}`, { status: 'in_progress' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'in_progress', leadAgencyId: mfaId, recommendationIds: action.recommendationIds, budgetAmount: 15000 });
    expect(patched.body.indicators).toHaveLength(1);

    const put = await coordinator.request('PUT', `/api/plans/${planId}/actions/${action.id}/recommendations`, { recommendationIds: [recs[2]!.id] });
    expect(put.body.recommendationIds).toEqual([recs[2]!.id]);
    const linked = await coordinator.post(`/api/plans/${planId}/actions/${action.id}/recommendations/${recs[3]!.id}`, {});
    expect(linked.body.recommendationIds).toEqual([recs[2]!.id, recs[3]!.id]);
    const unlinked = await coordinator.delete(`/api/plans/${planId}/actions/${action.id}/recommendations/${recs[2]!.id}`);
    expect(unlinked.body.recommendationIds).toEqual([recs[3]!.id]);

    const second = await coordinator.post(actionsPath(), { title: 'Second' });
    expect(second.body.position).toBe(1);
    const list = await coordinator.get(actionsPath());
    expect(list.body.map((a: { title: string }) => a.title)).toEqual(['Introduce a moratorium on executions', 'Second']);

    // Viasna proposed the indicator: removing it takes a reason (tests/integration/change-history.test.ts).
    expect((await coordinator.delete(`/api/plans/${planId}/indicators/${ind.id}`)).status).toBe(400);
    expect((await coordinator.request('DELETE', `/api/plans/${planId}/indicators/${ind.id}`, { reason: 'Moved to the next plan' })).status).toBe(204);
    expect((await coordinator.delete(`/api/plans/${planId}/actions/${action.id}`)).status).toBe(204);
    const after = await coordinator.get(actionsPath());
    expect(after.body.map((a: { title: string; position: number }) => [a.title, a.position])).toEqual([['Second', 0]]);
    expect((await coordinator.get(`/api/plans/${planId}/recommendations/${recs[3]!.id}`)).body.actionCount).toBe(0);
  });

  it('refuses invalid actions with 400 naming the field', async () => {
    const other = await coordinator.post('/api/plans', { title: 'Other', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    const otherRec = await coordinator.post(`/api/plans/${other.body.id}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'B', text: 't' });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: 'x', start: '2028', end: '2027-Q4' }, 'end'],
      [{ title: 'x', start: '2027-Q3', end: '2027-Q2' }, 'end'],
      [{ title: 'x', start: '2027-13' }, 'start'],
      [{ title: 'x', start: '1850' }, 'start'],
      [{ title: 'x', end: '2999' }, 'end'],
      [{ title: 'x', end: '2027-02-30' }, 'end'],
      [{ title: 'x', end: '2027-04-31' }, 'end'],
      [{ title: 'x', leadAgencyId: 'AAAAAAAAAAAAAAAAAAAAAA' }, 'leadAgencyId'],
      [{ title: 'x', coImplementerIds: ['AAAAAAAAAAAAAAAAAAAAAA'] }, 'coImplementerIds'],
      [{ title: 'x', recommendationIds: [otherRec.body.id] }, 'recommendationIds'],
      [{ title: '' }, 'title'],
      [{ title: 'x', currency: 'euro' }, 'currency'],
      [{ title: 'x', currency: 'RUBLES' }, 'currency'],
      [{ title: 'x', currency: 'XYZ' }, 'currency'],
    ];
    for (const [body, field] of cases) {
      const res = await coordinator.post(actionsPath(), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.fields, JSON.stringify(res.body)).toHaveProperty(field);
    }
    // Each says what is wrong, in a code the client words in the reader's language.
    const early = await coordinator.post(actionsPath(), { title: 'x', start: '1850' });
    expect(early.body.error.fields.start, JSON.stringify(early.body)).toBe('due_year_range');
    expect((await coordinator.post(actionsPath(), { title: 'x', end: '2027-02-30' })).body.error.fields.end).toBe('no_such_date');
    expect((await coordinator.post(actionsPath(), { title: 'x', start: '2028-02-29', end: '2028-12-31' })).status).toBe(201);
    expect((await coordinator.post(actionsPath(), { title: 'x', currency: 'XYZ' })).body.error.fields.currency).toBe('currency_code');
    expect((await coordinator.post(actionsPath(), { title: 'x', currency: 'BYN' })).status).toBe(201);
    const bad = await coordinator.post(actionsPath(), { title: 'x', leadAgencyId: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect(bad.body.error.message).toContain('AAAAAAAAAAAAAAAAAAAAAA');
    const ok = await coordinator.post(actionsPath(), { title: 'x', start: '2027', end: '2027-Q1' });
    expect(ok.status).toBe(201);
    const endOnly = await coordinator.patch(`/api/plans/${planId}/actions/${ok.body.id}`, { end: '2026' });
    expect(endOnly.status).toBe(400);
    expect((await coordinator.post(actionsPath('AAAAAAAAAAAAAAAAAAAAAA'), { title: 'x' })).status).toBe(404);
    const ind = await coordinator.post(`/api/plans/${planId}/actions/${ok.body.id}/indicators`, { type: 'impact', description: 'x' });
    expect(ind.status).toBe(400);
    expect(ind.body.error.fields).toHaveProperty('type');
  });

  it('a section in the bin takes its actions out of every listing, and brings them back on restore', async () => {
    const section = await coordinator.post(`/api/plans/${planId}/sections`, { chapterId, title: 'Temporary' });
    const tempId = section.body.chapters[0].sections[1].id as string;
    const a = await coordinator.post(actionsPath(tempId), { title: 'Binned', recommendationIds: [recs[0]!.id] });
    await coordinator.post(`/api/plans/${planId}/actions/${a.body.id}/indicators`, { type: 'process', description: 'x' });
    expect((await coordinator.get(`/api/plans/${planId}/recommendations/${recs[0]!.id}`)).body.actionCount).toBe(1);
    const stream = await openPlanEvents(server.url, coordinator, planId);
    expect((await coordinator.delete(`/api/plans/${planId}/sections/${tempId}`)).status).toBe(200);
    await eventually(() => expect(stream.received).toContainEqual({ type: 'recommendations' }));
    await stream.close();
    const rec = (await coordinator.get(`/api/plans/${planId}/recommendations/${recs[0]!.id}`)).body;
    expect(rec.actionCount).toBe(0);
    expect(rec.actions).toEqual([]);
    expect((await coordinator.patch(`/api/plans/${planId}/actions/${a.body.id}`, { title: 'y' })).status).toBe(404);
    expect((await coordinator.get(actionsPath(tempId))).status).toBe(404);

    expect((await coordinator.post(`/api/plans/${planId}/bin/sections/${tempId}/restore`, {})).status).toBe(200);
    const back = (await coordinator.get(`/api/plans/${planId}/recommendations/${recs[0]!.id}`)).body;
    expect(back.actionCount).toBe(1);
    expect(back.actions.map((x: { id: string }) => x.id)).toEqual([a.body.id]);
    const actions = (await coordinator.get(actionsPath(tempId))).body;
    expect(actions[0]).toMatchObject({ id: a.body.id, title: 'Binned', recommendationIds: [recs[0]!.id] });
    expect(actions[0].indicators).toHaveLength(1);
    // Leave the plan as the later tests expect it.
    expect((await coordinator.delete(`/api/plans/${planId}/actions/${a.body.id}`)).status).toBe(204);
    expect((await coordinator.delete(`/api/plans/${planId}/sections/${tempId}`)).status).toBe(200);
  });
});

describe('live updates and coverage', () => {
  it('a second member sees an action created through the API live', async () => {
    const ngo = await addMember(server, coordinator, planId, 'commenter', {
      name: 'Nina Lawyer',
      email: 'nina@ngo.example',
      organisation: { name: 'Lawtrend', side: 'civil_society' },
    });
    const stream = await openPlanEvents(server.url, ngo.client, planId);
    expect(stream.res.status).toBe(200);
    const created = await coordinator.post(actionsPath(), { title: 'Live action', recommendationIds: [recs[0]!.id] });
    expect(created.status).toBe(201);
    await eventually(() => {
      expect(stream.received).toContainEqual({ type: 'actions', sectionId });
      expect(stream.received).toContainEqual({ type: 'recommendations' });
    }, 1000);
    const seen = await ngo.client.get(actionsPath());
    expect(seen.body.map((a: { title: string }) => a.title)).toEqual(['Live action']);
    await stream.close();
  });

  it('coverage changes when an action links a recommendation, and lists weak actions', async () => {
    const before = CoverageSchema.parse((await coordinator.get(`/api/plans/${planId}/coverage`)).body);
    // Positions cycle supported_in_part, noted, pending, supported: 8 recommendations → 4 count as supported.
    expect(before.totals).toEqual({ recommendations: 8, addressed: 0, supported: 4, supportedAddressed: 0 });
    expect(before.unaddressedSupported).toHaveLength(4);
    const target = recs.find((r) => r.position === 'supported')!;
    const a = await coordinator.post(actionsPath(), { title: 'Weak', recommendationIds: [target.id] });
    const after = CoverageSchema.parse((await coordinator.get(`/api/plans/${planId}/coverage`)).body);
    expect(after.totals).toEqual({ recommendations: 8, addressed: 1, supported: 4, supportedAddressed: 1 });
    expect(after.unaddressedSupported.map((r) => r.id)).not.toContain(target.id);
    const theme = after.byTheme.find((b) => b.key === target.themes[0])!;
    expect(theme.addressed).toBe(1);
    expect(theme.byPosition.supported.addressed).toBe(1);
    expect(after.byMechanism).toHaveLength(1);
    expect(after.weakActions).toEqual([{ actionId: a.body.id, sectionId, title: 'Weak', problems: ['no_indicator', 'no_lead_agency', 'no_timeline'] }]);
    await coordinator.patch(`/api/plans/${planId}/actions/${a.body.id}`, { leadAgencyId: mfaId, start: '2026', end: '2027' });
    await coordinator.post(`/api/plans/${planId}/actions/${a.body.id}/indicators`, { type: 'structural', description: 'Law adopted' });
    expect((await coordinator.get(`/api/plans/${planId}/coverage`)).body.weakActions).toEqual([]);
  });
});

describe('roles', () => {
  it('commenters and observers get 403 on every write, outsiders 404, everyone in the plan can read', async () => {
    const a = (await coordinator.post(actionsPath(), { title: 'A' })).body;
    const ind = (await coordinator.post(`/api/plans/${planId}/actions/${a.id}/indicators`, { type: 'process', description: 'x' })).body;
    const rec = recs[0]!.id;
    const writes: Array<[string, string, unknown?]> = [
      ['POST', actionsPath(), { title: 'x' }],
      ['PATCH', `/api/plans/${planId}/actions/${a.id}`, { title: 'x' }],
      ['DELETE', `/api/plans/${planId}/actions/${a.id}`],
      ['PUT', `/api/plans/${planId}/actions/${a.id}/recommendations`, { recommendationIds: [] }],
      ['POST', `/api/plans/${planId}/actions/${a.id}/recommendations/${rec}`, {}],
      ['DELETE', `/api/plans/${planId}/actions/${a.id}/recommendations/${rec}`],
      ['POST', `/api/plans/${planId}/actions/${a.id}/indicators`, { type: 'process', description: 'x' }],
      ['PATCH', `/api/plans/${planId}/indicators/${ind.id}`, { description: 'y' }],
      ['DELETE', `/api/plans/${planId}/indicators/${ind.id}`],
      ['POST', `/api/plans/${planId}/organisations`, { name: 'New', side: 'government' }],
      ['POST', `/api/plans/${planId}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'B', text: 't' }],
      ['PATCH', `/api/plans/${planId}/recommendations/${rec}`, { notes: 'x' }],
      ['DELETE', `/api/plans/${planId}/recommendations/${rec}`],
      ['POST', `/api/plans/${planId}/imports/AAAAAAAAAAAAAAAAAAAAAA/commit`, {}],
      ['POST', `/api/plans/${planId}/imports/AAAAAAAAAAAAAAAAAAAAAA/undo`, {}],
    ];
    const reads = [
      actionsPath(),
      `/api/plans/${planId}/organisations`,
      `/api/plans/${planId}/coverage`,
      `/api/plans/${planId}/recommendations`,
      `/api/plans/${planId}/recommendations/${rec}`,
      `/api/plans/${planId}/imports`,
    ];
    const people = [];
    for (const role of ['commenter', 'observer'] as const) {
      people.push({
        expected: 403,
        ...(await addMember(server, coordinator, planId, role, {
          name: `A ${role}`,
          email: `${role}@x.example`,
          organisation: { name: `Org ${role}`, side: 'international' },
        })),
      });
    }
    const outsider = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Gone',
      email: 'gone@x.example',
      organisation: { name: 'Gone Org', side: 'international' },
    });
    await coordinator.delete(`/api/plans/${planId}/members/${outsider.userId}`);
    people.push({ expected: 404, ...outsider });

    for (const person of people) {
      for (const [method, path, body] of writes) {
        const res = await person.client.request(method, path, body);
        expect(res.status, `${method} ${path}`).toBe(person.expected);
      }
      for (const path of reads) {
        expect((await person.client.get(path)).status, path).toBe(person.expected === 403 ? 200 : 404);
      }
    }
    // Nothing changed.
    expect((await coordinator.get(actionsPath())).body).toHaveLength(1);
    expect((await coordinator.get(`/api/plans/${planId}/recommendations/${rec}`)).status).toBe(200);
  });
});
