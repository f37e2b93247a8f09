import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpSampleWorkspace } from '../helpers/workspace.ts';
import {
  ActionSchema,
  CoverageSchema,
  ProposeGroupsResultSchema,
  RecommendationGroupPageSchema,
  RecommendationGroupSchema,
  type RecommendationGroup,
} from '../../shared/api/index.ts';

/**
 * Groups of recommendations that say the same thing, on the Belarus sample plan (A/HRC/15/16's
 * 167 recommendations, one per recommending State): Accord proposes, a drafter from an NGO decides.
 */
let server: TestServer;
let coordinator: ApiClient;
let drafter: ApiClient;
let commenter: ApiClient;
let planId: string;
let sectionId: string;
const plan = () => `/api/plans/${planId}`;

beforeAll(async () => {
  server = await startTestServer();
  let outline;
  ({ coordinator, planId, outline } = await setUpSampleWorkspace(server));
  sectionId = outline.chapters[0]!.sections[0]!.id;
  drafter = (await addMember(server, coordinator, planId, 'drafter', { name: 'Dina Drafter', email: 'dina@viasna.example', organisation: { name: 'Viasna', side: 'civil_society' } })).client;
  commenter = (await addMember(server, coordinator, planId, 'commenter', { name: 'Carl Commenter', email: 'carl@bhc.example', organisation: { name: 'BHC', side: 'civil_society' } })).client;
});
afterAll(async () => {
  await server?.destroy();
});

async function proposed(): Promise<RecommendationGroup[]> {
  const res = await coordinator.get(`${plan()}/recommendation-groups?status=proposed&limit=500`);
  expect(res.status).toBe(200);
  return RecommendationGroupPageSchema.parse(res.body).items;
}

/** The proposed group holding the recommendation whose reference ends with `ref` (e.g. "97.21a"). */
async function proposedWith(ref: string): Promise<RecommendationGroup> {
  const group = (await proposed()).find((g) => g.members.some((m) => m.reference.endsWith(ref)));
  expect(group, `a proposed group with ${ref}`).toBeDefined();
  return group!;
}

const refs = (g: RecommendationGroup) => g.members.map((m) => m.reference.replace(/^.*-/, '')).sort();

async function historyOf(recId: string) {
  const res = await coordinator.get(`${plan()}/history?targetType=recommendation&targetId=${recId}`);
  expect(res.status).toBe(200);
  return res.body.items as Array<{ action: string; actorName: string; details: Record<string, unknown> }>;
}

describe('groups of recommendations that say the same thing', () => {
  it('shows a clear empty state before anything is proposed, and refuses proposing to a commenter', async () => {
    expect(RecommendationGroupPageSchema.parse((await coordinator.get(`${plan()}/recommendation-groups`)).body)).toEqual({ total: 0, items: [] });
    expect((await commenter.post(`${plan()}/recommendation-groups/propose`, {})).status).toBe(403);
  });

  it('proposes groups across States, among them the report’s own 97.21 and 98.4 groups', async () => {
    const res = await drafter.post(`${plan()}/recommendation-groups/propose`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const result = ProposeGroupsResultSchema.parse(res.body);
    expect(result.compared).toBe(167);
    expect(result.proposed).toBeGreaterThan(5);
    expect(refs(await proposedWith('97.21a'))).toEqual(['97.21a', '97.21b', '97.21c']);
    expect(refs(await proposedWith('98.4a'))).toEqual(expect.arrayContaining(['98.4a', '98.4b', '98.4c', '98.4d', '98.4e']));
    const group = await proposedWith('97.21a');
    expect(group.status).toBe('proposed');
    expect(group.proposed.name).toBe('Dina Drafter');
    expect(group.confirmed).toBeNull();
  });

  it('a commenter may not confirm; a drafter confirms, on the record and in every member’s history', async () => {
    const group = await proposedWith('97.21a');
    expect((await commenter.post(`${plan()}/recommendation-groups/${group.id}/confirm`, {})).status).toBe(403);
    const res = await drafter.post(`${plan()}/recommendation-groups/${group.id}/confirm`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const confirmed = RecommendationGroupSchema.parse(res.body);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.confirmed?.name).toBe('Dina Drafter');
    for (const member of confirmed.members) {
      const entry = (await historyOf(member.id)).find((e) => e.action === 'recommendation_group.confirmed');
      expect(entry?.actorName).toBe('Dina Drafter');
      expect(entry?.details.memberIds).toEqual(confirmed.members.map((m) => m.id));
    }
    const detail = await coordinator.get(`${plan()}/recommendations/${confirmed.members[0]!.id}/group`);
    expect(detail.body.group.id).toBe(group.id);
    // Proposing again keeps what a person confirmed.
    expect((await drafter.post(`${plan()}/recommendation-groups/propose`, {})).status).toBe(200);
    expect(RecommendationGroupSchema.parse((await coordinator.get(`${plan()}/recommendation-groups/${group.id}`)).body).status).toBe('confirmed');
  });

  it('linking an action to a confirmed group links all its members, and coverage counts the group once', async () => {
    const before = CoverageSchema.parse((await coordinator.get(`${plan()}/coverage`)).body);
    const group = RecommendationGroupPageSchema.parse((await coordinator.get(`${plan()}/recommendation-groups?status=confirmed`)).body).items[0]!;
    expect(before.asks.confirmedGroups).toBe(1);
    expect(before.asks.total).toBe(before.totals.recommendations - (group.members.length - 1));

    const action = (await drafter.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Adopt an anti-discrimination law' })).body;
    const linked = await drafter.post(`${plan()}/actions/${action.id}/recommendation-groups/${group.id}`, {});
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(ActionSchema.parse(linked.body).recommendationIds.sort()).toEqual(group.members.map((m) => m.id).sort());
    for (const member of group.members) expect((await historyOf(member.id)).some((e) => e.action === 'link.added')).toBe(true);

    const after = CoverageSchema.parse((await coordinator.get(`${plan()}/coverage`)).body);
    expect(after.totals.addressed).toBe(before.totals.addressed + group.members.length);
    expect(after.asks.addressed).toBe(before.asks.addressed + 1);

    // A proposal is not yet one ask: it cannot be linked.
    const open = await proposedWith('98.4a');
    const refused = await drafter.post(`${plan()}/actions/${action.id}/recommendation-groups/${open.id}`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('recommendation_group_not_confirmed');
  });

  it('splits a group: removes a member, or breaks it into two, and refuses parts that are not its members', async () => {
    const group = await proposedWith('98.4a');
    const ids = group.members.map((m) => m.id);
    const bad = await drafter.post(`${plan()}/recommendation-groups/${group.id}/split`, { parts: [[ids[0], ids[0]]] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('recommendation_group_parts_invalid');

    const removed = await drafter.post(`${plan()}/recommendation-groups/${group.id}/split`, { parts: [ids.slice(0, -1)] });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body).toHaveLength(1);
    expect(removed.body[0].members.map((m: { id: string }) => m.id)).toEqual(ids.slice(0, -1));
    expect((await coordinator.get(`${plan()}/recommendations/${ids.at(-1)}/group`)).body.group).toBeNull();

    const broken = await drafter.post(`${plan()}/recommendation-groups/${group.id}/split`, { parts: [ids.slice(0, 2), ids.slice(2, -1)] });
    expect(broken.status).toBe(200);
    const parts = (broken.body as RecommendationGroup[]).map((g) => g.members.map((m) => m.id));
    expect(parts).toEqual([ids.slice(0, 2), ids.slice(2, -1)]);
    const entry = (await historyOf(ids[0]!)).find((e) => e.action === 'recommendation_group.split');
    expect(entry?.actorName).toBe('Dina Drafter');
  });

  it('dismisses a group, and proposing again does not bring the same set back', async () => {
    const group = await proposedWith('97.4b');
    const members = group.members.map((m) => m.id).sort();
    expect((await drafter.post(`${plan()}/recommendation-groups/${group.id}/dismiss`, {})).status).toBe(204);
    expect((await coordinator.get(`${plan()}/recommendation-groups/${group.id}`)).status).toBe(404);
    expect((await historyOf(members[0]!)).some((e) => e.action === 'recommendation_group.dismissed')).toBe(true);
    expect((await drafter.post(`${plan()}/recommendation-groups/propose`, {})).status).toBe(200);
    expect((await proposed()).some((g) => JSON.stringify(g.members.map((m) => m.id).sort()) === JSON.stringify(members))).toBe(false);
  });

  it('a group of two whose member is deleted is a group no more', async () => {
    const group = await proposedWith('97.3a');
    expect(group.members).toHaveLength(2);
    expect((await coordinator.delete(`${plan()}/recommendations/${group.members[0]!.id}`)).status).toBe(204);
    expect((await coordinator.get(`${plan()}/recommendation-groups/${group.id}`)).status).toBe(404);
    expect((await coordinator.get(`${plan()}/recommendations/${group.members[1]!.id}/group`)).body.group).toBeNull();
  });
});
