import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, MEMBER_PASSWORD } from '../helpers/workspace.ts';
import { adoptedPlan, agreedPlan, agreeSection, type AdoptedPlan } from '../helpers/monitoring.ts';
import { AuditPageSchema, ProgressReportSchema, SectionAgreementSchema, type ProgressReport } from '../../shared/api/index.ts';
import { expectAuditWorded } from '../helpers/auditWords.ts';

/**
 * Progress reports: what an action's implementers did in a round. Reporting never touches what was
 * signed; a submitted report is never changed, only corrected once by a new report; only the
 * action's lead agency and co-implementers (and coordinators) report.
 */
let server: TestServer;
let plan: AdoptedPlan;
beforeEach(async () => {
  server = await startTestServer();
  plan = await adoptedPlan(server);
});
afterEach(async () => {
  await server.destroy();
});

const p = () => `/api/plans/${plan.planId}`;
const reportsPath = (actionId = plan.actionId, roundId = plan.roundId) => `${p()}/rounds/${roundId}/actions/${actionId}/reports`;

function report(res: { status: number; body: unknown }, status = 201): ProgressReport {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return ProgressReportSchema.parse(res.body);
}

const IN_PROGRESS = () => ({
  status: 'in_progress',
  narrative: 'Two training sessions held in Minsk and Brest.',
  spentAmount: 25000,
  values: [
    {
      indicatorId: plan.indicatorId,
      value: 45,
      date: '2026-09-30',
      source: 'Judicial Training Centre register',
      disaggregated: [
        { dimension: 'sex', group: 'women', value: 20 },
        { dimension: 'sex', group: 'men', value: 25 },
      ],
    },
  ],
});

async function agreementOf(client: ApiClient, sectionId: string) {
  const res = await client.get(`${p()}/sections/${sectionId}/agreement`);
  expect(res.status).toBe(200);
  return SectionAgreementSchema.parse(res.body);
}

/** A second person of the Ministry of Justice (the lead agency) joins the plan with `role`. */
async function joinMinistry(role: 'commenter' | 'observer', name: string, email: string): Promise<{ client: ApiClient }> {
  const invite = await plan.coordinator.post(`${p()}/invites`, { role, organisationId: plan.ministry.organisationId });
  expect(invite.status).toBe(201);
  const client = new ApiClient(server.url);
  const accepted = await client.post(`/api/invites/${invite.body.token}/accept`, {
    account: { name, email, password: MEMBER_PASSWORD, organisation: { id: plan.ministry.organisationId } },
  });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return { client };
}

describe('progress lives outside the signed content', () => {
  it('reporting, submitting and correcting never change a section’s signed hash, its agreement or its action', async () => {
    const before = await agreementOf(plan.coordinator, plan.sectionId);
    expect(before.status).toBe('agreed');
    const actionBefore = (await plan.coordinator.get(`${p()}/sections/${plan.sectionId}/actions`)).body;

    const draft = report(await plan.ministry.client.post(reportsPath(), IN_PROGRESS()));
    expect(draft).toMatchObject({ state: 'draft', status: 'in_progress', currency: 'EUR', spentAmount: 25000, corrects: null, correctedBy: null });
    expect(draft.author).toEqual({ name: 'Marat Ministry', organisation: 'Ministry of Justice' });
    expect(draft.values[0]).toMatchObject({ indicatorId: plan.indicatorId, value: 45, roundId: plan.roundId });
    expect((await plan.ministry.client.post(`${p()}/reports/${draft.id}/evidence-links`, { url: 'https://example.gov/training-report', label: 'Training report' })).status).toBe(201);
    report(await plan.ministry.client.patch(`${p()}/reports/${draft.id}`, { ...IN_PROGRESS(), narrative: 'Three sessions held.' }), 200);
    const submitted = report(await plan.ministry.client.post(`${p()}/reports/${draft.id}/submit`, {}), 200);
    report(await plan.ministry.client.post(reportsPath(), { status: 'delayed', reason: 'Trainers not yet hired', corrects: submitted.id }));

    const after = await agreementOf(plan.coordinator, plan.sectionId);
    expect(after.status).toBe('agreed');
    expect(after.currentHash).toBe(before.currentHash);
    expect(after.agreedHash).toBe(before.agreedHash);
    expect(after.signoffs.map((s) => ({ id: s.id, contentHash: s.contentHash, withdrawnAt: s.withdrawnAt }))).toEqual(
      before.signoffs.map((s) => ({ id: s.id, contentHash: s.contentHash, withdrawnAt: null })),
    );
    // The action as agreed: its own status ("planned") and indicators are not progress.
    expect((await plan.coordinator.get(`${p()}/sections/${plan.sectionId}/actions`)).body).toEqual(actionBefore);
    const withdrawn = AuditPageSchema.parse((await plan.coordinator.get(`${p()}/audit?action=section.signoff_withdrawn`)).body);
    expect(withdrawn.total).toBe(0);
  });
});

describe('a submitted report is never changed, only corrected', () => {
  it('refuses edits and deletion once submitted; a correction names it, once', async () => {
    const draft = report(await plan.ministry.client.post(reportsPath(), IN_PROGRESS()));
    const submitted = report(await plan.ministry.client.post(`${p()}/reports/${draft.id}/submit`, {}), 200);
    expect(submitted.state).toBe('submitted');
    expect(submitted.submittedAt).not.toBeNull();

    for (const res of [
      await plan.ministry.client.patch(`${p()}/reports/${draft.id}`, { status: 'completed' }),
      await plan.coordinator.patch(`${p()}/reports/${draft.id}`, { status: 'completed' }),
      await plan.ministry.client.delete(`${p()}/reports/${draft.id}`),
      await plan.ministry.client.post(`${p()}/reports/${draft.id}/submit`, {}),
      await plan.ministry.client.post(`${p()}/reports/${draft.id}/evidence-links`, { url: 'https://example.gov/late' }),
    ]) {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.error.code).toBe('report_submitted');
    }

    const correction = report(await plan.ministry.client.post(reportsPath(), { status: 'delayed', reason: 'Trainers not yet hired', corrects: draft.id }));
    expect(correction).toMatchObject({ state: 'draft', corrects: draft.id });
    const second = await plan.ministry.client.post(reportsPath(), { status: 'completed', corrects: draft.id });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('already_corrected');
    // A draft is not corrected, it is edited.
    expect((await plan.ministry.client.post(reportsPath(), { status: 'completed', corrects: correction.id })).status).toBe(400);

    const listed = (await plan.ministry.client.get(`${p()}/rounds/${plan.roundId}/reports?actionId=${plan.actionId}`)).body.map((r: unknown) =>
      ProgressReportSchema.parse(r),
    );
    expect(listed.map((r: ProgressReport) => [r.id, r.state, r.correctedBy])).toEqual([
      [draft.id, 'submitted', correction.id],
      [correction.id, 'draft', null],
    ]);
    // The original stands unchanged beside its correction.
    expect(listed[0]).toMatchObject({ status: 'in_progress', narrative: IN_PROGRESS().narrative, values: [expect.objectContaining({ value: 45 })] });
  });

  it('a draft is deleted by its organisation; a delayed or cancelled report says why', async () => {
    expect((await plan.ministry.client.post(reportsPath(), { status: 'delayed' })).status).toBe(400);
    expect((await plan.ministry.client.post(reportsPath(), { status: 'cancelled', reason: '' })).status).toBe(400);
    const draft = report(await plan.ministry.client.post(reportsPath(), { status: 'cancelled', reason: 'Merged into action 2.1' }));
    expect((await plan.ministry.client.delete(`${p()}/reports/${draft.id}`)).status).toBe(204);
    expect((await plan.ministry.client.get(`${p()}/rounds/${plan.roundId}/reports`)).body).toEqual([]);
  });
});

describe('observed values', () => {
  it('only for the action’s own indicators and the disaggregations they name', async () => {
    const foreign = await plan.ministry.client.post(reportsPath(), {
      ...IN_PROGRESS(),
      values: [{ indicatorId: plan.recommendationId, value: 1, date: '2026-09-30' }],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields).toHaveProperty('values.0.indicatorId');
    const byAge = await plan.ministry.client.post(reportsPath(), {
      ...IN_PROGRESS(),
      values: [{ indicatorId: plan.indicatorId, value: 45, date: '2026-09-30', disaggregated: [{ dimension: 'age', group: '18-30', value: 5 }] }],
    });
    expect(byAge.status).toBe(400);
    expect(byAge.body.error.message).toContain('not disaggregated by “age”');
    const badDate = await plan.ministry.client.post(reportsPath(), { ...IN_PROGRESS(), values: [{ indicatorId: plan.indicatorId, value: 45, date: '30.09.2026' }] });
    expect(badDate.status).toBe(400);
    expect((await plan.ministry.client.get(`${p()}/rounds/${plan.roundId}/reports`)).body).toEqual([]);
  });
});

describe('who reports', () => {
  it('the lead agency’s drafter and commenter and the coordinator may; another organisation’s drafter and observers may not', async () => {
    const ministryCommenter = await joinMinistry('commenter', 'Mila Ministry', 'mila@justice.example');
    const ministryObserver = await joinMinistry('observer', 'Oleg Ministry', 'oleg@justice.example');
    report(await plan.ministry.client.post(reportsPath(), { status: 'not_started' }));
    report(await ministryCommenter.client.post(reportsPath(), { status: 'not_started' }));
    const coordinators = report(await plan.coordinator.post(reportsPath(), { status: 'not_started' }));

    for (const client of [plan.ngo.client, ministryObserver.client]) {
      const refused = await client.post(reportsPath(), { status: 'in_progress' });
      expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    }
    // Someone else's draft: the NGO may not touch it; the ministry may not change the coordinator's organisation's draft.
    expect((await plan.ngo.client.patch(`${p()}/reports/${coordinators.id}`, { status: 'completed' })).status).toBe(403);
    expect((await plan.ministry.client.patch(`${p()}/reports/${coordinators.id}`, { status: 'completed' })).status).toBe(403);
    expect((await plan.ngo.client.delete(`${p()}/reports/${coordinators.id}`)).status).toBe(403);

    // Everyone in the plan reads them.
    expect((await ministryObserver.client.get(`${p()}/rounds/${plan.roundId}/reports`)).body).toHaveLength(3);
  });

  it('the adopted plan’s agreed sections are not reopened: the refusal changes nothing', async () => {
    const before = await agreementOf(plan.coordinator, plan.sectionId);
    const res = await plan.coordinator.post(`${p()}/sections/${plan.sectionId}/reopen`, { reason: 'A late change' });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect((res.body as { error: { code: string } }).error.code).toBe('plan_adopted');
    expect(await agreementOf(plan.coordinator, plan.sectionId)).toEqual(before);
  });

  it('a coordinator from civil society does not file the government’s report: their side records assessments', async () => {
    expect((await plan.coordinator.patch(`${p()}/members/${plan.ngo.userId}`, { role: 'coordinator' })).status).toBe(200);
    const refused = await plan.ngo.client.post(reportsPath(), { status: 'completed' });
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    expect((refused.body as { error: { code: string } }).error.code).toBe('not_implementer');
    expect((await plan.coordinator.get(`${p()}/rounds/${plan.roundId}/reports`)).body).toEqual([]);
  });

  it('a co-implementer’s drafter reports on the action too', async () => {
    await server.destroy();
    server = await startTestServer();
    const agreed = await agreedPlan(server, { agree: false });
    const partner = await addMember(server, agreed.coordinator, agreed.planId, 'drafter', {
      name: 'Pavel Prosecutor',
      email: 'pavel@prosecutor.example',
      organisation: { name: 'Prosecutor General’s Office', side: 'government' },
    });
    const path = `/api/plans/${agreed.planId}`;
    expect((await agreed.coordinator.patch(`${path}/actions/${agreed.actionId}`, { coImplementerIds: [partner.organisationId] })).status).toBe(200);
    for (const id of agreed.sectionIds) await agreeSection(agreed, id);
    expect((await agreed.coordinator.post(`${path}/adoption`, { act: { title: 'Decree', date: '2026-03-01' } })).status).toBe(200);
    const round = (await agreed.coordinator.post(`${path}/rounds`, { name: 'Round', dueDate: '2026-12-31' })).body;
    const res = await partner.client.post(`${path}/rounds/${round.id}/actions/${agreed.actionId}/reports`, { status: 'in_progress' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});

describe('when reports are taken', () => {
  it('not in a closed round, nor once the plan is completed', async () => {
    const draft = report(await plan.ministry.client.post(reportsPath(), { status: 'in_progress' }));
    expect((await plan.coordinator.patch(`${p()}/rounds/${plan.roundId}`, { state: 'closed' })).status).toBe(200);
    const closed = await plan.ministry.client.post(reportsPath(), { status: 'in_progress' });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('round_closed');
    expect((await plan.ministry.client.post(`${p()}/reports/${draft.id}/submit`, {})).body.error.code).toBe('round_closed');

    const next = (await plan.coordinator.post(`${p()}/rounds`, { name: '2027 report', dueDate: '2027-12-31' })).body;
    expect((await plan.coordinator.post(`${p()}/stage`, { stage: 'completed' })).status).toBe(200);
    const late = await plan.ministry.client.post(reportsPath(plan.actionId, next.id), { status: 'completed' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('not_reporting');
  });

  it('an unknown action or round is 404', async () => {
    expect((await plan.ministry.client.post(reportsPath(plan.recommendationId), { status: 'in_progress' })).status).toBe(404);
    expect((await plan.ministry.client.post(reportsPath(plan.actionId, plan.actionId), { status: 'in_progress' })).status).toBe(404);
  });
});

it('words every audit entry it wrote in the reader’s language', async () => {
  await expectAuditWorded(server);
});
