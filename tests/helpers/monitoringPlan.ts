import { expect } from 'vitest';
import { ApiClient } from './api.ts';
import { importFile } from './imports.ts';
import { sampleRecommendation } from './recommendations.ts';
import { addMember, MEMBER_PASSWORD, setUpWorkspace } from './workspace.ts';
import { toAccordJson } from '../../server/import/index.ts';
import type { Role, Side } from '../../shared/api/index.ts';

/**
 * An adopted plan with one open reporting round, for the assessment, progress and notice tests:
 * Olga (Ministry of Foreign Affairs) coordinates; Pavel drafts for the Ministry of Justice, which
 * leads the one action (linked to recommendation 97.1, with one indicator: baseline 12 in 2025,
 * target 40 in 2030); Nina and Lev are commenters of the verified Helsinki Committee, Vera drafts
 * for the verified Viasna, Ivan comments for an unverified NGO, Oleg observes.
 */

const person = (name: string, email: string, organisation: string, side: Side) => ({ name, email, organisation: { name: organisation, side } });

/** A member of an organisation already in the plan (invited into it by the coordinator). */
export async function addColleague(server: { url: string }, coordinator: ApiClient, planId: string, role: Role, organisationId: string, name: string, email: string) {
  const invite = await coordinator.post(`/api/plans/${planId}/invites`, { role, organisationId });
  expect(invite.status, JSON.stringify(invite.body)).toBe(201);
  const client = new ApiClient(server.url);
  const accepted = await client.post(`/api/invites/${invite.body.token}/accept`, { account: { name, email, password: MEMBER_PASSWORD } });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  const me = await client.get('/api/auth/me');
  expect(me.body.organisation.id).toBe(organisationId);
  return { client, userId: me.body.user.id as string, organisationId };
}

import { ok } from './exportPlan.ts';

export { ok };

export async function monitoredPlan(
  server: { url: string },
  options: { dueDate?: string; actionEnd?: string | null; round?: boolean; indicator?: Record<string, unknown> } = {},
) {
  const { coordinator: olga, planId, sectionId } = await setUpWorkspace(server);
  const p = `/api/plans/${planId}`;
  const ministry = await addMember(server, olga, planId, 'drafter', person('Pavel Drafter', 'pavel@justice.example', 'Ministry of Justice', 'government'));
  const helsinki = await addMember(server, olga, planId, 'commenter', person('Nina Monitor', 'nina@helsinki.example', 'Helsinki Committee', 'civil_society'));
  const helsinkiColleague = await addColleague(server, olga, planId, 'commenter', helsinki.organisationId, 'Lev Monitor', 'lev@helsinki.example');
  const viasna = await addMember(server, olga, planId, 'drafter', person('Vera Researcher', 'vera@viasna.example', 'Viasna', 'civil_society'));
  const unverified = await addMember(server, olga, planId, 'commenter', person('Ivan Newcomer', 'ivan@new.example', 'New Voices', 'civil_society'), {
    verify: false,
  });
  const observer = await addMember(server, olga, planId, 'observer', person('Oleg Observer', 'oleg@un.example', 'UN Office', 'international'));

  await importFile(olga, planId, 'recs.json', toAccordJson([1, 2].map((n) => sampleRecommendation(n))));
  const recs = (await ok(olga.get(`${p}/recommendations`))).items as Array<{ id: string; reference: string }>;
  const action = await ok(
    olga.post(`${p}/sections/${sectionId}/actions`, {
      title: 'Train judges on the prohibition of torture',
      leadAgencyId: ministry.organisationId,
      recommendationIds: [recs[0]!.id],
      end: options.actionEnd === undefined ? '2030' : options.actionEnd,
    }),
  );
  const indicator = await ok(
    olga.post(`${p}/actions/${action.id}/indicators`, {
      type: 'outcome',
      description: 'Judges trained',
      unit: 'judges',
      baselineValue: '12',
      baselineYear: 2025,
      targetValue: '40',
      targetYear: 2030,
      ...options.indicator,
    }),
  );

  const open = (await ok(olga.get(p))).chapters.flatMap((c: { sections: Array<{ id: string; status?: string }> }) => c.sections);
  await ok(
    olga.post(`${p}/adoption`, {
      act: { title: 'Decree No. 1 on the National Human Rights Plan', date: '2026-06-01' },
      leftOut: open.filter((s: { status?: string }) => s.status !== 'agreed').map((s: { id: string }) => ({ sectionId: s.id, reason: 'Agreed separately' })),
    }),
  );
  const round = options.round === false ? { id: '' } : await ok(olga.post(`${p}/rounds`, { name: 'Mid-term 2028', dueDate: options.dueDate ?? '2099-01-31' }));
  return {
    planId,
    p,
    sectionId,
    olga,
    ministry,
    helsinki,
    helsinkiColleague,
    viasna,
    unverified,
    observer,
    recId: recs[0]!.id as string,
    rec2Id: recs[1]!.id as string,
    actionId: action.id as string,
    indicatorId: indicator.id as string,
    roundId: round.id as string,
  };
}

/** Pavel reports the action in the round with the given status (and values), and submits the report. */
export async function submitReport(
  m: Awaited<ReturnType<typeof monitoredPlan>>,
  body: { status: string; reason?: string; values?: unknown[]; corrects?: string },
  client: ApiClient = m.ministry.client,
): Promise<{ id: string }> {
  const draft = await ok(client.post(`${m.p}/rounds/${m.roundId}/actions/${m.actionId}/reports`, { narrative: 'Two trainings held', ...body }));
  return ok(client.post(`${m.p}/reports/${draft.id}/submit`, {}));
}
