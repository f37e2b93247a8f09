import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';
import {
  ActionSchema,
  AuditEntrySchema,
  ChangeDetailsSchema,
  IndicatorSchema,
  ItemHistorySchema,
  NotificationSchema,
  type AuditEntry,
  type PlanOutline,
} from '../../shared/api/index.ts';
import { summaryOf } from '../../client/features/audit/auditSummary.ts';
import { translator } from '../helpers/i18n.ts';

/**
 * Every change on the record, and proposals that keep their trail. The motivating failure: "A
 * government coordinator deleted an indicator proposed by the disability-rights organisation: 204,
 * nothing in the audit log, nothing in any version." Here each kind of change is made through the
 * API, and both the item's history (read by any member) and the coordinators' audit log must hold
 * who (name, organisation), when, and the item before and after.
 */
let server: TestServer;
let olga: ApiClient; // coordinator, Ministry of Foreign Affairs (government)
let dina: { client: ApiClient; userId: string; organisationId: string }; // drafter, Disability Rights Belarus
let dinaColleague: { client: ApiClient; userId: string };
let observer: ApiClient;
let outsider: ApiClient; // a drafter of another plan only
let planId: string;
let chapterId: string;
let sectionId: string;
let secondSectionId: string;
const startedAt = new Date().toISOString();

const DRB = 'Disability Rights Belarus';
const MFA = 'Ministry of Foreign Affairs';
const plan = () => `/api/plans/${planId}`;

beforeAll(async () => {
  server = await startTestServer();
  ({ coordinator: olga, planId, chapterId, sectionId } = await setUpWorkspace(server));
  dina = await addMember(server, olga, planId, 'drafter', { name: 'Dina Sokal', email: 'dina@drb.example', organisation: { name: DRB, side: 'civil_society' } });
  // A second member of the same organisation, invited as such by the coordinator.
  const invite = await olga.post(`${plan()}/invites`, { role: 'commenter', organisationId: dina.organisationId });
  expect(invite.status, JSON.stringify(invite.body)).toBe(201);
  const colleague = new ApiClient(server.url);
  expect((await colleague.post(`/api/invites/${invite.body.token}/accept`, { account: { name: 'Pavel Drb', email: 'pavel@drb.example', password: MEMBER_PASSWORD } })).status).toBe(200);
  dinaColleague = { client: colleague, userId: (await colleague.get('/api/auth/me')).body.user.id };
  observer = (await addMember(server, olga, planId, 'observer', { name: 'Oleg Observer', email: 'oleg@un.example', organisation: { name: 'UN Office', side: 'international' } })).client;
  const other = await olga.post('/api/plans', { title: 'Another plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
  outsider = (await addMember(server, olga, other.body.id, 'drafter', { name: 'Ira Outsider', email: 'ira@x.example', organisation: { name: 'Other NGO', side: 'civil_society' } })).client;
  const outline = await olga.post(`${plan()}/sections`, { chapterId, title: 'Accessibility' });
  secondSectionId = (outline.body as PlanOutline).chapters[0]!.sections.find((s) => s.title === 'Accessibility')!.id;
});
afterAll(async () => {
  await server?.destroy();
});

async function history(targetType: string, targetId: string, client: ApiClient = olga): Promise<AuditEntry[]> {
  const res = await client.get(`${plan()}/history?targetType=${targetType}&targetId=${targetId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return ItemHistorySchema.parse(res.body).items;
}

async function audit(query: string): Promise<AuditEntry[]> {
  const res = await olga.get(`${plan()}/audit?limit=500&${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as unknown[]).map((e) => AuditEntrySchema.parse(e));
}

/**
 * The newest entry of `action` in the item's history: it names who (name and organisation), when,
 * and the item before and after; the audit log holds the same entry.
 */
async function change(
  targetType: string,
  targetId: string,
  action: string,
  expected: { by: string; organisation: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null },
): Promise<AuditEntry> {
  const entry = (await history(targetType, targetId)).find((e) => e.action === action);
  expect(entry, `${action} in the history of ${targetType} ${targetId}`).toBeDefined();
  expect(entry!.actorName).toBe(expected.by);
  expect(entry!.actorOrganisation).toBe(expected.organisation);
  expect(entry!.at >= startedAt && entry!.at <= new Date().toISOString(), entry!.at).toBe(true);
  const details = ChangeDetailsSchema.parse(entry!.details);
  if (expected.before === null) expect(details.before).toBeNull();
  else expect(details.before).toMatchObject(expected.before);
  if (expected.after === null) expect(details.after).toBeNull();
  else expect(details.after).toMatchObject(expected.after);
  const inLog = (await audit(`action=${action}`)).find((e) => e.id === entry!.id);
  expect(inLog, `${action} #${entry!.id} in the audit log`).toEqual(entry);
  return entry!;
}

async function notices(client: ApiClient) {
  const res = await client.get('/api/notifications');
  expect(res.status).toBe(200);
  return (res.body as unknown[]).map((n) => NotificationSchema.parse(n));
}

const actionsOf = async (section: string) => ((await olga.get(`${plan()}/sections/${section}/actions`)).body as unknown[]).map((a) => ActionSchema.parse(a));

describe('actions', () => {
  it('creation, update, move and deletion are on the record; deleting another organisation’s proposal needs a reason, which its members are told', async () => {
    const created = await dina.client.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Accessible polling stations', status: 'planned' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const action = ActionSchema.parse(created.body);
    // Proposed by the organisation of the person who entered it.
    expect(action.proposedByOrganisationId).toBe(dina.organisationId);
    const made = await change('action', action.id, 'action.created', { by: 'Dina Sokal', organisation: DRB, before: null, after: { title: 'Accessible polling stations', status: 'planned' } });
    expect(made.details).toMatchObject({ sectionId, proposedByOrganisationName: DRB, proposedBySide: 'civil_society' });

    const patched = await olga.patch(`${plan()}/actions/${action.id}`, { title: 'Accessible polling stations in every district', status: 'in_progress' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const updated = await change('action', action.id, 'action.updated', {
      by: 'Olga Coordinator',
      organisation: MFA,
      before: { title: 'Accessible polling stations', status: 'planned' },
      after: { title: 'Accessible polling stations in every district', status: 'in_progress' },
    });
    expect(ChangeDetailsSchema.parse(updated.details).changed?.sort()).toEqual(['status', 'title']);
    // The proposing organisation is told its proposal was changed, and by whom.
    for (const member of [dina.client, dinaColleague.client]) {
      const changedNotice = (await notices(member)).find((n) => n.kind === 'proposal_changed');
      expect(changedNotice?.summary).toBe(`Olga Coordinator (${MFA}) changed the action “Accessible polling stations in every district” proposed by ${DRB}: title, status.`);
    }
    // Nothing is recorded for a PATCH that changes nothing.
    const count = (await history('action', action.id)).length;
    expect((await olga.patch(`${plan()}/actions/${action.id}`, { status: 'in_progress' })).status).toBe(200);
    expect(await history('action', action.id)).toHaveLength(count);

    expect((await olga.patch(`${plan()}/actions/${action.id}`, { sectionId: secondSectionId })).status).toBe(200);
    await change('action', action.id, 'action.moved', {
      by: 'Olga Coordinator',
      organisation: MFA,
      before: { sectionId, position: 0 },
      after: { sectionId: secondSectionId, position: 0 },
    });
    expect((await actionsOf(secondSectionId)).map((a) => a.id)).toEqual([action.id]);

    // Olga's organisation did not propose it: no reason, no deletion.
    const refused = await olga.delete(`${plan()}/actions/${action.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(`proposed by ${DRB}`);
    expect((await olga.request('DELETE', `${plan()}/actions/${action.id}`, { reason: '   ' })).status).toBe(400);
    expect((await actionsOf(secondSectionId)).map((a) => a.id)).toEqual([action.id]);
    expect((await history('action', action.id)).some((e) => e.action === 'action.deleted')).toBe(false);

    const reason = 'Covered by the electoral code reform in action 3';
    expect((await olga.request('DELETE', `${plan()}/actions/${action.id}`, { reason })).status).toBe(204);
    expect(await actionsOf(secondSectionId)).toEqual([]);
    const deleted = await change('action', action.id, 'action.deleted', {
      by: 'Olga Coordinator',
      organisation: MFA,
      before: { title: 'Accessible polling stations in every district', status: 'in_progress', proposedByOrganisationId: dina.organisationId },
      after: null,
    });
    expect(deleted.details).toMatchObject({ reason, proposedByOrganisationId: dina.organisationId, proposedByOrganisationName: DRB, withdrawnByProposer: false });
    expect(deleted.summary).toBe(`Olga Coordinator (${MFA}) deleted the action “Accessible polling stations in every district” proposed by ${DRB}. Reason: “${reason}”`);
    for (const member of [dina.client, dinaColleague.client]) {
      const removed = (await notices(member)).find((n) => n.kind === 'proposal_removed');
      expect(removed?.summary).toContain(reason);
      expect(removed?.summary).toContain('Olga Coordinator');
    }
    // Nobody else is told.
    expect((await notices(olga)).filter((n) => n.kind.startsWith('proposal_'))).toEqual([]);
  });

  it('an organisation withdrawing its own proposal needs no reason, and the record says it was withdrawn', async () => {
    const action = ActionSchema.parse((await dina.client.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Sign language interpreters in courts' })).body);
    expect((await dina.client.delete(`${plan()}/actions/${action.id}`)).status).toBe(204);
    const deleted = await change('action', action.id, 'action.deleted', { by: 'Dina Sokal', organisation: DRB, before: { title: 'Sign language interpreters in courts' }, after: null });
    expect(deleted.details).toMatchObject({ withdrawnByProposer: true, reason: null, proposedByOrganisationName: DRB });
  });
});

describe('putting an item in another organisation’s name', () => {
  it('tells every member of that organisation at once, and they may change who proposed it', async () => {
    const action = ActionSchema.parse((await olga.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Ratify the Convention on the Rights of Persons with Disabilities' })).body);
    const named = await olga.post(`${plan()}/actions/${action.id}/indicators`, {
      type: 'structural',
      description: 'Number of executions carried out per year',
      proposedByOrganisationId: dina.organisationId,
    });
    expect(named.status, JSON.stringify(named.body)).toBe(201);
    const indicator = IndicatorSchema.parse(named.body);
    for (const member of [dina.client, dinaColleague.client]) {
      const told = (await notices(member)).filter((n) => n.text?.key === 'proposal_named_indicator');
      expect(told).toEqual([
        expect.objectContaining({
          kind: 'proposal_changed',
          text: { key: 'proposal_named_indicator', params: { who: `Olga Coordinator (${MFA})`, indicator: 'Number of executions carried out per year' } },
        }),
      ]);
    }
    // Not hers: a member of the organisation named takes its name off.
    const corrected = await dina.client.patch(`${plan()}/indicators/${indicator.id}`, { proposedByOrganisationId: null });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    expect(corrected.body.proposedByOrganisationId).toBeNull();

    // The same for an action named as theirs when it was made, or later.
    const action2 = ActionSchema.parse(
      (await olga.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Abolish the death penalty', proposedByOrganisationId: dina.organisationId })).body,
    );
    expect((await notices(dina.client)).some((n) => n.text?.key === 'proposal_named_action' && n.text.params.title === 'Abolish the death penalty')).toBe(true);
    expect((await olga.patch(`${plan()}/actions/${action.id}`, { proposedByOrganisationId: dina.organisationId })).status).toBe(200);
    expect((await notices(dinaColleague.client)).filter((n) => n.text?.key === 'proposal_named_action').map((n) => n.text!.params.title).sort()).toEqual([
      'Abolish the death penalty',
      'Ratify the Convention on the Rights of Persons with Disabilities',
    ]);
    expect(action2.proposedByOrganisationId).toBe(dina.organisationId);
    // One's own organisation's proposal tells nobody.
    await olga.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Train judges' });
    expect((await notices(olga)).some((n) => n.text?.key === 'proposal_named_action')).toBe(false);
  });
});

describe('indicators', () => {
  it('creation, update and deletion are on the record with the action; the motivating deletion needs a reason and is told', async () => {
    const action = ActionSchema.parse((await olga.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Adopt an accessibility standard' })).body);
    const created = await dina.client.post(`${plan()}/actions/${action.id}/indicators`, { type: 'outcome', description: 'Share of polling stations with step-free access', targetValue: '50%', targetYear: 2028 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const indicator = IndicatorSchema.parse(created.body);
    expect(indicator.proposedByOrganisationId).toBe(dina.organisationId);
    const made = await change('indicator', indicator.id, 'indicator.created', {
      by: 'Dina Sokal',
      organisation: DRB,
      before: null,
      after: { description: 'Share of polling stations with step-free access', targetValue: '50%', targetYear: 2028 },
    });
    expect(made.details).toMatchObject({ actionId: action.id, proposedByOrganisationName: DRB });
    // Adding to Olga's action is a change to her organisation's proposal: she is told.
    expect((await notices(olga)).find((n) => n.kind === 'proposal_changed')?.summary).toContain('Dina Sokal (Disability Rights Belarus) added the indicator');

    expect((await olga.patch(`${plan()}/indicators/${indicator.id}`, { targetValue: '20%' })).status).toBe(200);
    await change('indicator', indicator.id, 'indicator.updated', {
      by: 'Olga Coordinator',
      organisation: MFA,
      before: { description: 'Share of polling stations with step-free access', targetValue: '50%' },
      after: { targetValue: '20%' },
    });
    expect((await notices(dina.client)).some((n) => n.kind === 'proposal_changed' && n.summary.includes('changed the target of the indicator'))).toBe(true);

    // Re-attributing it to one's own organisation (to delete it without a reason) is refused.
    const reattributed = await olga.patch(`${plan()}/indicators/${indicator.id}`, { proposedByOrganisationId: (await olga.get('/api/auth/me')).body.organisation.id });
    expect(reattributed.status).toBe(403);
    expect(reattributed.body.error.code).toBe('proposal_not_yours');

    // The motivating failure: refused without a reason, and nothing is deleted.
    const refused = await olga.delete(`${plan()}/indicators/${indicator.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(`This indicator was proposed by ${DRB}. Say why you remove it: the reason is recorded and ${DRB} will be told.`);
    expect((await actionsOf(sectionId)).find((a) => a.id === action.id)!.indicators.map((i) => i.id)).toEqual([indicator.id]);

    const reason = 'The Central Election Commission does not collect this figure';
    expect((await olga.request('DELETE', `${plan()}/indicators/${indicator.id}`, { reason })).status).toBe(204);
    expect((await actionsOf(sectionId)).find((a) => a.id === action.id)!.indicators).toEqual([]);
    const deleted = await change('indicator', indicator.id, 'indicator.deleted', {
      by: 'Olga Coordinator',
      organisation: MFA,
      before: { description: 'Share of polling stations with step-free access', targetValue: '20%', proposedByOrganisationId: dina.organisationId },
      after: null,
    });
    expect(deleted.details).toMatchObject({ reason, actionId: action.id, proposedByOrganisationName: DRB, proposedBySide: 'civil_society', withdrawnByProposer: false });
    const told = (await notices(dina.client)).find((n) => n.kind === 'proposal_removed' && n.summary.includes('indicator'));
    expect(told?.summary).toBe(`Olga Coordinator (${MFA}) deleted the indicator “Share of polling stations with step-free access” proposed by ${DRB}. Reason: “${reason}”`);
    expect(told?.link).toBe(`/plans/${planId}/sections/${sectionId}#action-${action.id}`);

    // The action's history holds its indicators' entries too.
    const ofAction = (await history('action', action.id)).map((e) => e.action);
    expect(ofAction).toEqual(['indicator.deleted', 'indicator.updated', 'indicator.created', 'action.created']);
  });

  it('deleting an action takes its indicators on the record, and a proposer of one of them must be given a reason', async () => {
    const action = ActionSchema.parse((await olga.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Train election officials' })).body);
    const indicator = IndicatorSchema.parse((await dina.client.post(`${plan()}/actions/${action.id}/indicators`, { type: 'process', description: 'Officials trained on accessibility' })).body);
    expect((await olga.delete(`${plan()}/actions/${action.id}`)).status).toBe(400);
    expect((await olga.request('DELETE', `${plan()}/actions/${action.id}`, { reason: 'Merged into the standard' })).status).toBe(204);
    const withAction = await change('indicator', indicator.id, 'indicator.deleted', { by: 'Olga Coordinator', organisation: MFA, before: { description: 'Officials trained on accessibility' }, after: null });
    expect(withAction.details).toMatchObject({ withAction: true, reason: 'Merged into the standard', proposedByOrganisationName: DRB });
    expect((await notices(dina.client)).some((n) => n.kind === 'proposal_removed' && n.summary.includes('Officials trained on accessibility'))).toBe(true);
  });
});

describe('links, recommendations, outline, organisations and memberships', () => {
  it('links added and removed are in the action’s and the recommendation’s history', async () => {
    const rec = (await olga.post(`${plan()}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'Belarus', text: 'Ratify the CRPD', reference: 'H-1' })).body;
    const action = ActionSchema.parse((await olga.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Ratify the Convention' })).body);
    expect((await dina.client.post(`${plan()}/actions/${action.id}/recommendations/${rec.id}`, {})).status).toBe(200);
    // Linking twice changes nothing and records nothing.
    expect((await dina.client.post(`${plan()}/actions/${action.id}/recommendations/${rec.id}`, {})).status).toBe(200);
    expect((await history('action', action.id)).filter((e) => e.action === 'link.added')).toHaveLength(1);
    await change('action', action.id, 'link.added', { by: 'Dina Sokal', organisation: DRB, before: null, after: { recommendationId: rec.id, reference: 'H-1' } });
    expect((await dina.client.delete(`${plan()}/actions/${action.id}/recommendations/${rec.id}`)).status).toBe(200);
    await change('action', action.id, 'link.removed', { by: 'Dina Sokal', organisation: DRB, before: { recommendationId: rec.id, reference: 'H-1' }, after: null });
    expect((await history('recommendation', rec.id)).map((e) => e.action)).toEqual(['link.removed', 'link.added', 'recommendation.created']);
  });

  it('recommendations entered, edited and deleted by hand', async () => {
    const created = await dina.client.post(`${plan()}/recommendations`, { mechanism: 'CRPD', stateUnderReview: 'Belarus', text: 'Adopt a disability strategy', reference: 'H-2' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    await change('recommendation', id, 'recommendation.created', { by: 'Dina Sokal', organisation: DRB, before: null, after: { reference: 'H-2', text: 'Adopt a disability strategy', mechanism: 'CRPD' } });
    expect((await dina.client.patch(`${plan()}/recommendations/${id}`, { notes: 'Raised at the March consultation', position: 'supported' })).status).toBe(200);
    const edited = await change('recommendation', id, 'recommendation.updated', {
      by: 'Dina Sokal',
      organisation: DRB,
      before: { reference: 'H-2', notes: null },
      after: { reference: 'H-2', notes: 'Raised at the March consultation', position: 'supported' },
    });
    expect(ChangeDetailsSchema.parse(edited.details).changed?.sort()).toEqual(['notes', 'position']);
    expect((await olga.delete(`${plan()}/recommendations/${id}`)).status).toBe(204);
    await change('recommendation', id, 'recommendation.deleted', { by: 'Olga Coordinator', organisation: MFA, before: { reference: 'H-2', notes: 'Raised at the March consultation' }, after: null });
  });

  it('chapters and sections created, renamed and moved', async () => {
    const outline = (await olga.post(`${plan()}/chapters`, { title: 'Political rights' })).body as PlanOutline;
    const chapter = outline.chapters.at(-1)!;
    await change('chapter', chapter.id, 'chapter.created', { by: 'Olga Coordinator', organisation: MFA, before: null, after: { title: 'Political rights', position: 1 } });
    expect((await olga.patch(`${plan()}/chapters/${chapter.id}`, { title: 'Civil and political rights' })).status).toBe(200);
    await change('chapter', chapter.id, 'chapter.renamed', { by: 'Olga Coordinator', organisation: MFA, before: { title: 'Political rights' }, after: { title: 'Civil and political rights' } });
    expect((await olga.patch(`${plan()}/chapters/${chapter.id}`, { position: 0 })).status).toBe(200);
    await change('chapter', chapter.id, 'chapter.moved', { by: 'Olga Coordinator', organisation: MFA, before: { position: 1 }, after: { position: 0 } });

    const withSection = (await olga.post(`${plan()}/sections`, { chapterId: chapter.id, title: 'Elections' })).body as PlanOutline;
    const section = withSection.chapters.find((c) => c.id === chapter.id)!.sections[0]!;
    await change('section', section.id, 'section.created', { by: 'Olga Coordinator', organisation: MFA, before: null, after: { title: 'Elections', chapterId: chapter.id } });
    expect((await olga.patch(`${plan()}/sections/${section.id}`, { title: 'Free elections' })).status).toBe(200);
    await change('section', section.id, 'section.renamed', { by: 'Olga Coordinator', organisation: MFA, before: { title: 'Elections' }, after: { title: 'Free elections' } });
    expect((await olga.patch(`${plan()}/sections/${section.id}`, { chapterId, position: 0 })).status).toBe(200);
    const moved = await change('section', section.id, 'section.moved', { by: 'Olga Coordinator', organisation: MFA, before: { chapterId: chapter.id, position: 0 }, after: { chapterId, position: 0 } });
    expect(ChangeDetailsSchema.parse(moved.details).names).toMatchObject({ [chapter.id]: 'Civil and political rights', [chapterId]: 'Introduction' });
  });

  it('organisations created or added to the plan, by a drafter or by an invitee naming their own', async () => {
    const created = await dina.client.post(`${plan()}/organisations`, { name: 'Belarusian Association of the Deaf', side: 'civil_society' });
    expect(created.status).toBe(201);
    await change('organisation', created.body.id, 'organisation.created', { by: 'Dina Sokal', organisation: DRB, before: null, after: { name: 'Belarusian Association of the Deaf', side: 'civil_society' } });
    // An organisation that exists (in another plan) is added, not created again.
    const existing = await dina.client.post(`${plan()}/organisations`, { name: 'other ngo', side: 'civil_society' });
    expect(existing.status).toBe(201);
    await change('organisation', existing.body.id, 'organisation.added', { by: 'Dina Sokal', organisation: DRB, before: null, after: { name: 'Other NGO' } });
    // An invitee's self-named organisation is created in their own name.
    const newcomer = await addMember(server, olga, planId, 'commenter', { name: 'Ales Newcomer', email: 'ales@x.example', organisation: { name: 'Deaf Youth', side: 'civil_society' } }, { verify: false });
    await change('organisation', newcomer.organisationId, 'organisation.created', { by: 'Ales Newcomer', organisation: 'Deaf Youth', before: null, after: { name: 'Deaf Youth' } });
  });

  it('memberships joined, changed and ended', async () => {
    const member = await addMember(server, olga, planId, 'commenter', { name: 'Yana Member', email: 'yana@x.example', organisation: { name: 'Women’s Network', side: 'civil_society' } });
    await change('member', member.userId, 'member.joined', { by: 'Yana Member', organisation: 'Women’s Network', before: null, after: { name: 'Yana Member', role: 'commenter' } });
    expect((await olga.patch(`${plan()}/members/${member.userId}`, { role: 'drafter' })).status).toBe(200);
    await change('member', member.userId, 'member.role_changed', { by: 'Olga Coordinator', organisation: MFA, before: { role: 'commenter' }, after: { role: 'drafter' } });
    expect((await olga.delete(`${plan()}/members/${member.userId}`)).status).toBe(200);
    await change('member', member.userId, 'member.removed', { by: 'Olga Coordinator', organisation: MFA, before: { name: 'Yana Member', role: 'drafter' }, after: null });
  });
});

describe('reading the record', () => {
  it('every change on the record has the details its sentence needs in the reader’s language', async () => {
    const t = await translator('be');
    const items = await audit('');
    expect(items.length).toBeGreaterThan(0);
    expect(items.filter((e) => summaryOf(e, t, 'be') === null).map((e) => e.action)).toEqual([]);
  });

  it('the audit log filters by kind of item, by one item with what belongs to it, and by organisation', async () => {
    const action = ActionSchema.parse((await olga.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Publish an accessibility report' })).body);
    const indicator = IndicatorSchema.parse((await olga.post(`${plan()}/actions/${action.id}/indicators`, { type: 'process', description: 'Report published' })).body);
    const proposed = IndicatorSchema.parse((await dina.client.post(`${plan()}/actions/${action.id}/indicators`, { type: 'outcome', description: 'Report discussed with DPOs' })).body);
    const indicators = await audit('targetType=indicator');
    expect(indicators.length).toBeGreaterThanOrEqual(2);
    expect(indicators.every((e) => e.targetType === 'indicator')).toBe(true);
    const item = await audit(`targetType=action&targetId=${action.id}`);
    expect(item.map((e) => [e.action, e.targetId])).toEqual([
      ['indicator.created', proposed.id],
      ['indicator.created', indicator.id],
      ['action.created', action.id],
    ]);
    // Dina and Pavel joining, and Dina's indicator.
    const drb = await audit(`organisation=${encodeURIComponent(DRB)}`);
    expect(drb.length).toBeGreaterThanOrEqual(3);
    expect(drb.every((e) => e.actorOrganisation === DRB)).toBe(true);
    expect((await olga.get(`${plan()}/audit?targetType=Not-a-kind`)).status).toBe(400);
  });

  it('every member reads an item’s history, observers too; nobody outside the plan does', async () => {
    const action = ActionSchema.parse((await olga.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Accessible voting materials' })).body);
    const path = `${plan()}/history?targetType=action&targetId=${action.id}`;
    expect((await history('action', action.id, observer)).map((e) => e.action)).toEqual(['action.created']);
    expect((await history('action', action.id, dinaColleague.client)).map((e) => e.action)).toEqual(['action.created']);
    expect((await outsider.get(path)).status).toBe(404);
    expect((await new ApiClient(server.url).get(path)).status).toBe(401);
    expect((await observer.get(`${plan()}/history?targetType=invite&targetId=${action.id}`)).status).toBe(400);
    // Coordinators' business (invitation links, password resets) is not in anyone's item history.
    // (Olga may reset only someone of her own side: a government observer.)
    const clerk = await addMember(server, olga, planId, 'observer', {
      name: 'Ivan Clerk',
      email: 'ivan@interior.example',
      organisation: { name: 'Ministry of Interior', side: 'government' },
    });
    expect((await olga.post(`${plan()}/members/${clerk.userId}/password-reset`, {})).status).toBe(201);
    expect((await history('member', clerk.userId, clerk.client)).map((e) => e.action)).toEqual(['member.joined']);
  });

  it('the history of an item that never changed since it was recorded says so by being empty', async () => {
    expect(await history('section', sectionId, observer)).toEqual([]);
  });
});
