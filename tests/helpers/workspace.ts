import { expect } from 'vitest';
import { ApiClient } from './api.ts';
import type { PlanOutline, Role, Side } from '../../shared/api/index.ts';

export const COORDINATOR_PASSWORD = 'correct horse battery staple';
export const MEMBER_PASSWORD = 'another long passphrase';

/**
 * First start of a fresh server: Olga (Ministry of Foreign Affairs, government) sets Accord up and
 * creates a plan. Returns her signed-in client and the plan's first chapter and section.
 */
export async function setUpWorkspace(
  server: { url: string },
): Promise<{ coordinator: ApiClient; planId: string; chapterId: string; sectionId: string }> {
  const coordinator = await olgaSetsUp(server, false);
  const created = await coordinator.post('/api/plans', {
    title: 'National Human Rights Plan 2026–2030',
    country: 'Belarus',
    periodStart: 2026,
    periodEnd: 2030,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const planId: string = created.body.id;
  const outline = await coordinator.get<PlanOutline>(`/api/plans/${planId}`);
  expect(outline.status).toBe(200);
  const chapter = outline.body.chapters[0]!;
  return { coordinator, planId, chapterId: chapter.id, sectionId: chapter.sections[0]!.id };
}

/**
 * Invites a person into the plan with `role` and accepts the invite with a new account (and a new
 * organisation). The returned client is signed in as them. Unless `verify` is false, the
 * coordinator then verifies the new organisation, as a coordinator does for the organisations
 * that take part (only verified organisations' signatures count).
 */
export async function addMember(
  server: { url: string },
  coordinator: ApiClient,
  planId: string,
  role: Role,
  person: { name: string; email: string; organisation: { name: string; side: Side } },
  options: { verify?: boolean } = {},
): Promise<{ client: ApiClient; userId: string; organisationId: string }> {
  const invite = await coordinator.post(`/api/plans/${planId}/invites`, { role });
  expect(invite.status, JSON.stringify(invite.body)).toBe(201);
  const client = new ApiClient(server.url);
  const accepted = await client.post(`/api/invites/${invite.body.token}/accept`, {
    account: { ...person, password: MEMBER_PASSWORD },
  });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  const me = await client.get('/api/auth/me');
  expect(me.status).toBe(200);
  const organisationId: string = me.body.organisation.id;
  if (options.verify !== false) {
    const verified = await coordinator.post(`/api/plans/${planId}/organisations/${organisationId}/verification`, {});
    // 409: verified already (a second member of the same organisation).
    expect([201, 409], JSON.stringify(verified.body)).toContain(verified.status);
  }
  return { client, userId: me.body.user.id, organisationId };
}

/**
 * First start of a fresh server with the sample plan loaded (its chapters, sections with text and
 * Belarus's UPR recommendations): Olga (Ministry of Foreign Affairs, government) sets it up. Returns
 * her signed-in client, the plan's id and its outline.
 */
export async function setUpSampleWorkspace(server: { url: string }): Promise<{ coordinator: ApiClient; planId: string; outline: PlanOutline }> {
  const coordinator = await olgaSetsUp(server, true);
  const plans = await coordinator.get<Array<{ id: string }>>('/api/plans');
  const planId = plans.body[0]!.id;
  const outline = await coordinator.get<PlanOutline>(`/api/plans/${planId}`);
  expect(outline.status).toBe(200);
  return { coordinator, planId, outline: outline.body };
}

/** Olga sets up a fresh server through the API, with or without the sample plan; her client. */
async function olgaSetsUp(server: { url: string }, loadSample: boolean): Promise<ApiClient> {
  const coordinator = new ApiClient(server.url);
  const setup = await coordinator.post('/api/setup', {
    name: 'Olga Coordinator',
    email: 'olga@mfa.example',
    password: COORDINATOR_PASSWORD,
    organisation: { name: 'Ministry of Foreign Affairs', side: 'government' },
    ...(loadSample ? { loadSample: true } : {}),
  });
  expect(setup.status, JSON.stringify(setup.body)).toBe(201);
  return coordinator;
}
