import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember } from '../helpers/workspace.ts';
import { adoptedPlan, agreedPlan, agreeSection, type AgreedPlan } from '../helpers/monitoring.ts';
import { AuditPageSchema, PlanLifecycleSchema, RoundSchema, type PlanOutline } from '../../shared/api/index.ts';

/**
 * After the signature: a coordinator adopts the plan once every section is agreed or left out with
 * a reason; the adopted version and its hash are kept; stages move forward; rounds come only after
 * adoption; only coordinators do any of it.
 */
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.destroy();
});

const ACT = { title: 'Decree No. 12 on the National Human Rights Plan', number: '12', date: '2026-03-01', url: 'https://example.gov/decree-12' };

async function lifecycle(client: ApiClient, planId: string) {
  const res = await client.get(`/api/plans/${planId}/lifecycle`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return PlanLifecycleSchema.parse(res.body);
}

/** The agreed plan plus a section that nobody has signed. */
async function planWithUnagreedSection(): Promise<AgreedPlan & { annexId: string }> {
  const plan = await agreedPlan(server);
  const outline = (await plan.coordinator.post(`/api/plans/${plan.planId}/sections`, { chapterId: plan.chapterId, title: 'Annex: open questions' }))
    .body as PlanOutline;
  const annexId = outline.chapters.flatMap((c) => c.sections).find((s) => s.title === 'Annex: open questions')!.id;
  return { ...plan, annexId };
}

describe('adoption', () => {
  it('is refused while a section is not agreed, naming it, and changes nothing', async () => {
    const plan = await planWithUnagreedSection();
    const p = `/api/plans/${plan.planId}`;
    const versionsBefore = (await plan.coordinator.get(`${p}/versions`)).body;

    const refused = await plan.coordinator.post(`${p}/adoption`, { act: ACT });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('not_agreed');
    expect(refused.body.error.message).toContain('Annex: open questions');
    expect(refused.body.error.fields).toEqual({ [plan.annexId]: 'section_not_agreed' });
    // The client names the sections in the reader's language from the params, not from the English message.
    expect(refused.body.error.params).toEqual({ sections: 'Annex: open questions' });

    expect((await lifecycle(plan.coordinator, plan.planId)).stage).toBe('drafting');
    expect((await plan.coordinator.get(`${p}/versions`)).body).toEqual(versionsBefore);
  });

  it('a left-out section needs a reason; with one, the plan is adopted and the section recorded as left out', async () => {
    const plan = await planWithUnagreedSection();
    const p = `/api/plans/${plan.planId}`;
    const noReason = await plan.coordinator.post(`${p}/adoption`, { act: ACT, leftOut: [{ sectionId: plan.annexId, reason: '  ' }] });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields['leftOut.0.reason']).toBe('reason_required');

    const adopted = await plan.coordinator.post(`${p}/adoption`, {
      act: ACT,
      leftOut: [{ sectionId: plan.annexId, reason: 'Still under discussion with the Ombudsperson' }],
    });
    expect(adopted.status, JSON.stringify(adopted.body)).toBe(200);
    const life = PlanLifecycleSchema.parse(adopted.body);
    expect(life.stage).toBe('adopted');
    expect(life.adoption?.leftOut).toEqual([
      { sectionId: plan.annexId, title: 'Annex: open questions', reason: 'Still under discussion with the Ombudsperson' },
    ]);
  });

  it('keeps the adopted whole-plan version and a hash over the signed content hashes in outline order; adopting twice is refused', async () => {
    const plan = await agreedPlan(server);
    const p = `/api/plans/${plan.planId}`;
    const signed: string[] = [];
    for (const id of plan.sectionIds) signed.push((await plan.coordinator.get(`${p}/sections/${id}/agreement`)).body.agreedHash);
    expect(signed.every((h) => typeof h === 'string' && h.length > 0)).toBe(true);

    const res = await plan.coordinator.post(`${p}/adoption`, { act: ACT, monitoringBodyId: plan.ngo.organisationId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const life = PlanLifecycleSchema.parse(res.body);
    expect(life.adoption).toMatchObject({ act: ACT, adoptedBy: 'Olga Coordinator', leftOut: [] });
    expect(life.adoption!.contentHash).toBe(createHash('sha256').update(signed.join('\n')).digest('hex'));
    expect(life.monitoringBody).toMatchObject({ id: plan.ngo.organisationId, name: 'Human Rights Centre' });

    // The version: every section, text and actions, under the act's name.
    const groups = (await plan.coordinator.get(`${p}/versions`)).body as Array<{ groupId: string; name: string; sectionCount: number }>;
    const group = groups.find((g) => g.groupId === life.adoption!.versionGroupId);
    expect(group).toMatchObject({ name: `Adopted: ${ACT.title}`, label: { key: 'adopted', act: ACT.title }, sectionCount: plan.sectionIds.length });
    const versions = (await plan.coordinator.get(`${p}/sections/${plan.sectionId}/versions`)).body as Array<{ id: string; groupId: string | null }>;
    const version = versions.find((v) => v.groupId === life.adoption!.versionGroupId)!;
    const content = (await plan.coordinator.get(`${p}/versions/${version.id}`)).body;
    expect(JSON.stringify(content)).toContain('Train judges on fair trial standards');
    expect(JSON.stringify(content)).toContain('Judges trained on fair trial standards');

    // On the record.
    const audit = AuditPageSchema.parse((await plan.coordinator.get(`${p}/audit?action=plan.adopted`)).body);
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]!.summary).toContain(ACT.title);

    const again = await plan.coordinator.post(`${p}/adoption`, { act: ACT });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_adopted');
  });

  it('refuses a monitoring body that is not one of the plan’s organisations, and a left-out id that is not a section', async () => {
    const plan = await agreedPlan(server);
    const p = `/api/plans/${plan.planId}`;
    const strangerOrg = (await plan.coordinator.post('/api/plans', { title: 'Other', country: 'Belarus', periodStart: 2026, periodEnd: 2030 })).body.id;
    const outsider = await addMember(server, plan.coordinator, strangerOrg, 'drafter', {
      name: 'Oskar Outsider',
      email: 'oskar@elsewhere.example',
      organisation: { name: 'Elsewhere Foundation', side: 'civil_society' },
    });
    const badBody = await plan.coordinator.post(`${p}/adoption`, { act: ACT, monitoringBodyId: outsider.organisationId });
    expect(badBody.status).toBe(400);
    const badSection = await plan.coordinator.post(`${p}/adoption`, { act: ACT, leftOut: [{ sectionId: strangerOrg, reason: 'x' }] });
    expect(badSection.status).toBe(400);
    expect((await lifecycle(plan.coordinator, plan.planId)).stage).toBe('drafting');
  });
});

describe('rounds and stages', () => {
  it('a round can be opened only after adoption', async () => {
    const plan = await agreedPlan(server, { agree: false });
    const p = `/api/plans/${plan.planId}`;
    const early = await plan.coordinator.post(`${p}/rounds`, { name: '2026 report', dueDate: '2026-12-31' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('not_adopted');
    expect((await lifecycle(plan.coordinator, plan.planId)).rounds).toEqual([]);

    for (const id of plan.sectionIds) await agreeSection(plan, id);
    expect((await plan.coordinator.post(`${p}/adoption`, { act: ACT })).status).toBe(200);
    const round = await plan.coordinator.post(`${p}/rounds`, { name: '2026 report', dueDate: '2026-12-31' });
    expect(round.status, JSON.stringify(round.body)).toBe(201);
    expect(RoundSchema.parse(round.body)).toMatchObject({ name: '2026 report', dueDate: '2026-12-31', state: 'open' });

    const bad = await plan.coordinator.post(`${p}/rounds`, { name: 'x', dueDate: '2026-02-30' });
    expect(bad.status).toBe(400);
    // Due before the adopting act: a slip, refused, and nothing written.
    const before = await plan.coordinator.post(`${p}/rounds`, { name: 'x', dueDate: '1999-01-01' });
    expect(before.status).toBe(400);
    expect(before.body.error.fields.dueDate).toBe('adopted_before');
    expect(before.body.error.fieldParams.dueDate.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await plan.coordinator.patch(`${p}/rounds/${round.body.id}`, { dueDate: '1999-01-01' })).status).toBe(400);

    const closed = await plan.coordinator.patch(`${p}/rounds/${round.body.id}`, { state: 'closed', name: '2026 annual report' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', name: '2026 annual report', dueDate: '2026-12-31' });
    expect((await plan.coordinator.patch(`${p}/rounds/${round.body.id}`, {})).status).toBe(400);
    expect((await lifecycle(plan.coordinator, plan.planId)).rounds.map((r) => r.name)).toEqual(['2026 annual report']);
  });

  it('stages only move forward; a superseded plan stays superseded', async () => {
    const plan = await adoptedPlan(server);
    const p = `/api/plans/${plan.planId}`;
    const to = (stage: string) => plan.coordinator.post(`${p}/stage`, { stage });
    expect((await to('in_implementation')).body.stage).toBe('in_implementation');
    expect((await to('midterm_review')).body.stage).toBe('midterm_review');
    const back = await to('in_implementation');
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe('stage_invalid');
    expect((await to('adopted')).status).toBe(400);
    expect((await to('superseded')).body.stage).toBe('superseded');
    expect((await to('completed')).status).toBe(409);
    expect((await lifecycle(plan.ngo.client, plan.planId)).stage).toBe('superseded');
  });

  it('a stage cannot change before adoption', async () => {
    const plan = await agreedPlan(server, { agree: false });
    const res = await plan.coordinator.post(`/api/plans/${plan.planId}/stage`, { stage: 'in_implementation' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_adopted');
  });
});

describe('only coordinators', () => {
  it('adopt, move the stage, name the monitoring body and run rounds; drafters are refused and nothing changes', async () => {
    const plan = await agreedPlan(server);
    const p = `/api/plans/${plan.planId}`;
    const drafter = plan.ministry.client;
    expect((await drafter.post(`${p}/adoption`, { act: ACT })).status).toBe(403);
    expect((await lifecycle(drafter, plan.planId)).stage).toBe('drafting');
    expect((await plan.coordinator.post(`${p}/adoption`, { act: ACT })).status).toBe(200);

    expect((await drafter.post(`${p}/stage`, { stage: 'in_implementation' })).status).toBe(403);
    expect((await drafter.request('PUT', `${p}/monitoring-body`, { organisationId: plan.ngo.organisationId })).status).toBe(403);
    expect((await drafter.post(`${p}/rounds`, { name: 'Mine', dueDate: '2026-12-31' })).status).toBe(403);
    const life = await lifecycle(drafter, plan.planId);
    expect(life).toMatchObject({ stage: 'adopted', monitoringBody: null, rounds: [] });

    const named = await plan.coordinator.request('PUT', `${p}/monitoring-body`, { organisationId: plan.ngo.organisationId });
    expect(named.status).toBe(200);
    expect(named.body.monitoringBody.name).toBe('Human Rights Centre');
    const round = (await plan.coordinator.post(`${p}/rounds`, { name: '2026 report', dueDate: '2026-12-31' })).body;
    expect((await drafter.patch(`${p}/rounds/${round.id}`, { state: 'closed' })).status).toBe(403);
    expect((await lifecycle(drafter, plan.planId)).rounds[0]!.state).toBe('open');
  });
});
