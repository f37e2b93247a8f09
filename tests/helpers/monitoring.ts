import { expect } from 'vitest';
import type { ApiClient } from './api.ts';
import { ok } from './exportPlan.ts';
import { addMember, setUpWorkspace } from './workspace.ts';
import type { PlanLifecycle, PlanOutline } from '../../shared/api/index.ts';

/**
 * A plan as it stands after the signature, for the monitoring tests (issue #15): Olga (Ministry of
 * Foreign Affairs, government) coordinates; Marat drafts for the Ministry of Justice, the lead
 * agency of the one action; Nina drafts for the Human Rights Centre, a verified civil-society
 * organisation. The action answers one UPR recommendation and has one indicator (numeric baseline
 * and target, disaggregated by sex). Every section is agreed by both sides.
 */

export const MINISTRY = { name: 'Marat Ministry', email: 'marat@justice.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };
export const NGO = { name: 'Nina Lawyer', email: 'nina@hrc.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' as const } };

export interface Member {
  client: ApiClient;
  userId: string;
  organisationId: string;
}

export interface AgreedPlan {
  coordinator: ApiClient;
  planId: string;
  chapterId: string;
  sectionId: string;
  /** Every section of the plan, in outline order. */
  sectionIds: string[];
  recommendationId: string;
  actionId: string;
  indicatorId: string;
  /** A drafter of the action's lead agency (government). */
  ministry: Member;
  /** A drafter of a verified civil-society organisation; signs with Olga, and may assess. */
  ngo: Member;
}

export interface AdoptedPlan extends AgreedPlan {
  lifecycle: PlanLifecycle;
  /** An open reporting round. */
  roundId: string;
}


/** Both sides sign the section's current content; with the default rule it is then agreed. */
export async function agreeSection(p: { coordinator: ApiClient; ngo: Member; planId: string }, sectionId: string): Promise<string> {
  const path = `/api/plans/${p.planId}/sections/${sectionId}`;
  const { currentHash } = await ok(p.coordinator.get(`${path}/agreement`));
  await ok(p.coordinator.post(`${path}/signoffs`, { contentHash: currentHash }), 201);
  const agreed = await ok(p.ngo.client.post(`${path}/signoffs`, { contentHash: currentHash }), 201);
  expect(agreed.status).toBe('agreed');
  return currentHash as string;
}

/** The plan with its action, indicator and people, every section agreed; not adopted yet. */
export async function agreedPlan(server: { url: string }, options: { agree?: boolean } = {}): Promise<AgreedPlan> {
  const { coordinator, planId, chapterId, sectionId } = await setUpWorkspace(server);
  const p = `/api/plans/${planId}`;
  const ministry = await addMember(server, coordinator, planId, 'drafter', MINISTRY);
  const ngo = await addMember(server, coordinator, planId, 'drafter', NGO);
  const rec = await ok(
    coordinator.post(`${p}/recommendations`, {
      mechanism: 'UPR',
      stateUnderReview: 'Belarus',
      text: 'Establish a moratorium on the death penalty with a view to its abolition.',
    }),
    201,
  );
  const action = await ok(
    coordinator.post(`${p}/sections/${sectionId}/actions`, {
      title: 'Train judges on fair trial standards',
      leadAgencyId: ministry.organisationId,
      recommendationIds: [rec.id],
      start: '2026',
      end: '2027-Q4',
      budgetAmount: 120000,
      currency: 'EUR',
    }),
    201,
  );
  const indicator = await ok(
    coordinator.post(`${p}/actions/${action.id}/indicators`, {
      type: 'outcome',
      description: 'Judges trained on fair trial standards',
      unit: 'judges',
      baselineValue: '10',
      baselineYear: 2025,
      targetValue: '200',
      targetYear: 2030,
      disaggregation: ['sex'],
    }),
    201,
  );
  const outline = (await ok(coordinator.get(p))) as PlanOutline;
  const sectionIds = outline.chapters.flatMap((c) => c.sections.map((s) => s.id));
  const plan: AgreedPlan = {
    coordinator,
    planId,
    chapterId,
    sectionId,
    sectionIds,
    recommendationId: rec.id,
    actionId: action.id,
    indicatorId: indicator.id,
    ministry,
    ngo,
  };
  if (options.agree !== false) for (const id of sectionIds) await agreeSection(plan, id);
  return plan;
}

/** The agreed plan, adopted by decree with the NGO's organisation as monitoring body, with one open round. */
export async function adoptedPlan(server: { url: string }): Promise<AdoptedPlan> {
  const plan = await agreedPlan(server);
  const p = `/api/plans/${plan.planId}`;
  await ok(
    plan.coordinator.post(`${p}/adoption`, {
      act: { title: 'Decree No. 12 on the National Human Rights Plan', number: '12', date: '2026-03-01', url: 'https://example.gov/decree-12' },
      monitoringBodyId: plan.ngo.organisationId,
    }),
    200,
  );
  const round = await ok(plan.coordinator.post(`${p}/rounds`, { name: '2026 report', dueDate: '2026-12-31' }), 201);
  const lifecycle = (await ok(plan.coordinator.get(`${p}/lifecycle`))) as PlanLifecycle;
  return { ...plan, lifecycle, roundId: round.id };
}
