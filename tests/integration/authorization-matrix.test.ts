import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { ApiClient } from '../helpers/api.ts';
import { emptyMatrixZip, importFile, uploadImport, uploadMatrix } from '../helpers/imports.ts';
import { connectPeer, rawSocket, type Peer } from '../helpers/peer.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, COORDINATOR_PASSWORD, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';
import { createSession, SESSION_COOKIE } from '../../server/auth/sessions.ts';
import { rememberDevice } from '../../server/auth/trustedDevices.ts';
import { hashToken } from '../../server/ids.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import { MessageType } from '../../shared/protocol.ts';
import type { PlanOutline } from '../../shared/api/index.ts';
import {
  ACTORS,
  type Actor,
  type Outcome,
  REST_POLICY,
  type RouteKey,
  statusMatches,
  SYNC_POLICY,
  type SyncOutcome,
} from '../authorization/policy.ts';

/**
 * Every registered REST route × every actor, and the sync endpoint × every actor, against the
 * written policy in tests/authorization/policy.ts. One server, one plan with real ids for every
 * route; mutations that consume something run on throwaway objects made for that case.
 */

type SignedIn = Exclude<Actor, 'signedOut'>;

interface Fixture {
  planId: string;
  chapterId: string;
  sectionId: string;
  secondSectionId: string;
  recId: string;
  rec2Id: string;
  actionId: string;
  indicatorId: string;
  organisationId: string;
  invite: { id: string; token: string };
  /** A password reset link for the observer that no case uses. */
  resetToken: string;
  clients: Record<SignedIn, ApiClient>;
  userIds: Record<SignedIn, string>;
  emails: Record<SignedIn, string>;
  /** A member of the plan (commenter) whose role the PATCH members case changes. */
  roleTargetId: string;
  /** Signed in, a member of the second plan; joins the plan whenever the DELETE members case needs someone to remove. */
  spare: { client: ApiClient; userId: string; inPlan: boolean };
}

let server: TestServer;
let f: Fixture;
let counter = 0;
const unique = () => ++counter;

const RECS_FILE = toAccordJson([1, 2, 3].map((n) => sampleRecommendation(n)));
const person = (key: string, side: 'government' | 'civil_society' | 'international') => ({
  name: `Person ${key}`,
  email: `${key.toLowerCase()}@matrix.example`,
  organisation: { name: `Organisation ${key}`, side },
});

beforeAll(async () => {
  server = await startTestServer();
  const { coordinator, planId, chapterId, sectionId } = await setUpWorkspace(server);
  const p = `/api/plans/${planId}`;

  const members = {
    drafter: await addMember(server, coordinator, planId, 'drafter', person('Drafter', 'civil_society')),
    commenter: await addMember(server, coordinator, planId, 'commenter', person('Commenter', 'civil_society')),
    observer: await addMember(server, coordinator, planId, 'observer', person('Observer', 'international')),
  };
  // Government, like the coordinator: the only side whose members she may make a reset link for.
  const roleTarget = await addMember(server, coordinator, planId, 'commenter', person('RoleTarget', 'government'));

  // A second plan: the non-member coordinates it; the spare person drafts in it.
  const other = await coordinator.post('/api/plans', { title: 'Another plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
  expect(other.status).toBe(201);
  const nonMember = await addMember(server, coordinator, other.body.id, 'coordinator', person('NonMember', 'government'));
  const spare = await addMember(server, coordinator, other.body.id, 'drafter', person('Spare', 'civil_society'));
  // The coordinator steps out of the second plan, so it is not hers at all.
  expect((await coordinator.delete(`/api/plans/${other.body.id}/members/${(await coordinator.get('/api/auth/me')).body.user.id}`)).status).toBe(200);

  const section = await coordinator.post(`${p}/sections`, { chapterId, title: 'Second section' });
  expect(section.status).toBe(200);
  const secondSectionId = (section.body as PlanOutline).chapters[0]!.sections[1]!.id;

  const { record } = await importFile(coordinator, planId, 'recs.json', RECS_FILE);
  expect(record.created).toBe(3);
  const recs = (await coordinator.get(`${p}/recommendations`)).body.items as Array<{ id: string }>;

  const org = await coordinator.post(`${p}/organisations`, { name: 'Ministry of Interior', side: 'government' });
  expect(org.status).toBe(201);
  const action = await coordinator.post(`${p}/sections/${sectionId}/actions`, {
    title: 'Introduce a moratorium on executions',
    leadAgencyId: org.body.id,
    recommendationIds: [recs[0]!.id],
  });
  expect(action.status, JSON.stringify(action.body)).toBe(201);
  const indicator = await coordinator.post(`${p}/actions/${action.body.id}/indicators`, { type: 'outcome', description: 'Sentences per year' });
  expect(indicator.status).toBe(201);
  const invite = await coordinator.post(`${p}/invites`, { role: 'observer' });
  expect(invite.status).toBe(201);
  // The fixture link is for a person of her side of its own (a newer link for the same person would replace it).
  const resetHolder = await addMember(server, coordinator, planId, 'observer', person('ResetHolder', 'government'));
  const reset = await coordinator.post(`${p}/members/${resetHolder.userId}/password-reset`, {});
  expect(reset.status, JSON.stringify(reset.body)).toBe(201);

  const clients = { coordinator, ...Object.fromEntries(Object.entries(members).map(([k, v]) => [k, v.client])), nonMember: nonMember.client } as Record<
    SignedIn,
    ApiClient
  >;
  const userIds: Record<SignedIn, string> = {
    coordinator: (await coordinator.get('/api/auth/me')).body.user.id,
    drafter: members.drafter.userId,
    commenter: members.commenter.userId,
    observer: members.observer.userId,
    nonMember: nonMember.userId,
  };
  f = {
    planId,
    chapterId,
    sectionId,
    secondSectionId,
    recId: recs[0]!.id,
    rec2Id: recs[1]!.id,
    actionId: action.body.id,
    indicatorId: indicator.body.id,
    organisationId: org.body.id,
    invite: { id: invite.body.id, token: invite.body.token },
    resetToken: String(reset.body.url).split('/').at(-1)!,
    clients,
    userIds,
    emails: {
      coordinator: 'olga@mfa.example',
      drafter: person('Drafter', 'civil_society').email,
      commenter: person('Commenter', 'civil_society').email,
      observer: person('Observer', 'international').email,
      nonMember: person('NonMember', 'government').email,
    },
    roleTargetId: roleTarget.userId,
    spare: { client: spare.client, userId: spare.userId, inPlan: false },
  };
});

afterAll(async () => {
  await server?.destroy();
});

// ---- Requests ------------------------------------------------------------------------------------

interface Req {
  path: string;
  body?: unknown;
  /** A raw upload (application/octet-stream) instead of JSON. */
  raw?: string | Uint8Array;
  /** A cookie other than the actor's own (null: none). */
  cookie?: string | null;
}

const cookieOf = (actor: Actor): string | undefined => (actor === 'signedOut' ? undefined : f.clients[actor].cookie);

/** One request with exactly the given cookie; nothing is remembered (unlike ApiClient). */
async function send(method: string, req: Req, cookie: string | undefined): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { origin: server.url };
  if (cookie) headers.cookie = cookie;
  let body: string | ArrayBuffer | undefined;
  if (req.raw !== undefined) {
    headers['content-type'] = 'application/octet-stream';
    body = typeof req.raw === 'string' ? req.raw : new Uint8Array(req.raw).buffer;
  } else if (req.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.body);
  }
  const res = await fetch(server.url + req.path, { method, headers, body, redirect: 'manual' });
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    // An event stream never ends by itself: the status is all this needs.
    await res.body?.cancel();
    return { status: res.status, body: '(event stream)' };
  }
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: res.status, body: text.slice(0, 200) };
  }
}

// ---- Throwaway objects, made by the coordinator for cases that consume them ----------------------

const plan = () => `/api/plans/${f.planId}`;
const coord = () => f.clients.coordinator;

async function ok<T = any>(res: Promise<{ status: number; body: T }>): Promise<T> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
}

const throwaway = {
  async chapter(): Promise<string> {
    const outline = (await ok(coord().post(`${plan()}/chapters`, { title: `Throwaway chapter ${unique()}` }))) as PlanOutline;
    return outline.chapters.at(-1)!.id;
  },
  async section(): Promise<string> {
    const title = `Throwaway section ${unique()}`;
    const outline = (await ok(coord().post(`${plan()}/sections`, { chapterId: f.chapterId, title }))) as PlanOutline;
    return outline.chapters.flatMap((c) => c.sections).find((s) => s.title === title)!.id;
  },
  /** A section moved to the bin. */
  async binnedSection(): Promise<string> {
    const id = await throwaway.section();
    await ok(coord().delete(`${plan()}/sections/${id}`));
    return id;
  },
  /** A chapter with one section, moved to the bin. */
  async binnedChapter(): Promise<string> {
    const id = await throwaway.chapter();
    await ok(coord().post(`${plan()}/sections`, { chapterId: id, title: `Throwaway section ${unique()}` }));
    await ok(coord().delete(`${plan()}/chapters/${id}`));
    return id;
  },
  async invite(role = 'observer'): Promise<{ id: string; token: string }> {
    return ok(coord().post(`${plan()}/invites`, { role }));
  },
  async recommendation(): Promise<string> {
    return (await ok(coord().post(`${plan()}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'Belarus', text: 'Throwaway' }))).id;
  },
  /**
   * A group of two recommendations entered for it, proposed by Accord (and confirmed when asked).
   * Their words are this group's alone, so no other recommendation joins it.
   */
  async group(status: 'proposed' | 'confirmed' = 'proposed'): Promise<string> {
    const n = unique();
    const text = `Ensure zq${n}a zq${n}b zq${n}c zq${n}d`;
    const ids: string[] = [];
    for (const state of ['Chile', 'Peru']) {
      ids.push((await ok(coord().post(`${plan()}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'Belarus', text, recommendingStates: [state] }))).id);
    }
    await ok(coord().post(`${plan()}/recommendation-groups/propose`, {}));
    const page = await ok(coord().get(`${plan()}/recommendation-groups?status=proposed&limit=500`));
    const group = (page.items as Array<{ id: string; members: Array<{ id: string }> }>).find((g) => g.members.some((m) => m.id === ids[0]))!;
    expect(group.members.map((m) => m.id).sort()).toEqual([...ids].sort());
    if (status === 'confirmed') await ok(coord().post(`${plan()}/recommendation-groups/${group.id}/confirm`, {}));
    return group.id;
  },
  async action(): Promise<string> {
    return (await ok(coord().post(`${plan()}/sections/${f.sectionId}/actions`, { title: `Throwaway action ${unique()}` }))).id;
  },
  async indicator(): Promise<string> {
    return (await ok(coord().post(`${plan()}/actions/${f.actionId}/indicators`, { type: 'process', description: 'Throwaway' }))).id;
  },
  async import(): Promise<string> {
    const n = unique();
    const file = toAccordJson([sampleRecommendation(100 + n, { sourceKey: `throwaway:${n}`, paragraph: `200.${n}` })]);
    return (await importFile(coord(), f.planId, `throwaway-${n}.json`, file)).record.id;
  },
  async organisation(): Promise<string> {
    return (await ok(coord().post(`${plan()}/organisations`, { name: `Throwaway organisation ${unique()}`, side: 'civil_society' }))).id;
  },
  async matrixPreview(client: ApiClient): Promise<string> {
    const res = await uploadMatrix(client, f.planId, 'matrix.zip', await emptyMatrixZip());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.previewId;
  },
  async matrixImport(): Promise<string> {
    return (await ok(coord().post(`${plan()}/matrix-imports/${await throwaway.matrixPreview(coord())}/commit`, {}))).id;
  },
  async preview(client: ApiClient): Promise<string> {
    const res = await uploadImport(client, f.planId, 'recs.json', RECS_FILE);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.previewId;
  },
};

/** A confirmed group of recommendations, made once by the coordinator (reading cases). */
const groupFixture: { id?: string } = {};

/** A section in the bin, made once by the coordinator. */
const binFixture: { sectionId?: string } = {};

/** A version and a whole-plan version group of the plan, made once by the coordinator (versions cases). */
const versionFixtures: { versionId?: string; groupId?: string } = {};
async function fixtureVersion(): Promise<string> {
  versionFixtures.versionId ??= (await ok(coord().post(`${plan()}/sections/${f.secondSectionId}/versions`, { name: 'Matrix version' }))).id as string;
  return versionFixtures.versionId;
}
async function fixtureGroup(): Promise<string> {
  versionFixtures.groupId ??= (await ok(coord().post(`${plan()}/versions`, { name: 'Matrix plan version' }))).groupId as string;
  return versionFixtures.groupId;
}

/** An anchor at the start of a section's body: relative positions that resolve in its current document. */
async function bodyAnchor(sectionId: string) {
  const doc = (await server.sync.readDocument(sectionDocName(sectionId)))!;
  const rpos = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(getSectionBody(doc), 0))).toString('base64');
  return { start: rpos, end: rpos, quote: '' };
}
const commentFixtures = {
  /** A new thread of the coordinator's on the second section. */
  async thread(): Promise<{ id: string; commentId: string }> {
    const thread = await ok(coord().post(`${plan()}/sections/${f.secondSectionId}/threads`, { anchor: await bodyAnchor(f.secondSectionId), body: 'Matrix thread' }));
    return { id: thread.id, commentId: thread.comments[0].id };
  },
  async resolvedThread(): Promise<string> {
    const { id } = await commentFixtures.thread();
    await ok(coord().post(`${plan()}/threads/${id}/resolve`, {}));
    return id;
  },
};

/**
 * After adoption (issue #15): the plan adopted with every unagreed section left out, and one open
 * round, made once by the coordinator when a monitoring case first needs them.
 */
const monitoringFixtures: { roundId?: string } = {};
async function adoptedFixture(): Promise<void> {
  const { stage } = await server.sql.theRow(z.object({ stage: z.string() }), sql`SELECT stage FROM plans WHERE id = ${f.planId}`);
  if (stage === 'drafting') await ok(coord().post(`${plan()}/adoption`, await adoptionBody()));
}
/** Puts the plan back before adoption (the database only: adoption has no undo). */
async function unadopt(): Promise<void> {
  await server.sql.run(sql`DELETE FROM plan_adoptions WHERE plan_id = ${f.planId}`);
  await server.sql.run(sql`UPDATE plans SET stage = 'drafting' WHERE id = ${f.planId}`);
}
async function roundFixture(): Promise<string> {
  await adoptedFixture();
  monitoringFixtures.roundId ??= (await ok(coord().post(`${plan()}/rounds`, { name: 'Matrix round', dueDate: '2027-01-31' }))).id as string;
  return monitoringFixtures.roundId;
}
/** A new draft report of the coordinator's on the fixture action, for a case that consumes it. */
async function draftFixture(): Promise<string> {
  const roundId = await roundFixture();
  return (await ok(coord().post(`${plan()}/rounds/${roundId}/actions/${f.actionId}/reports`, { status: 'in_progress', narrative: 'Matrix draft' }))).id as string;
}
/** One evidence file, made once by the coordinator, for the download case. */
let evidenceFileId: Promise<string> | null = null;
const evidenceFixture = () =>
  (evidenceFileId ??= (async () => {
    const reportId = await draftFixture();
    const res = await send('POST', { path: `${plan()}/reports/${reportId}/evidence?name=notes.txt`, raw: 'What was done, in words.' }, f.clients.coordinator.cookie);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return (res.body as { id: string }).id;
  })());

/** The body adopting the plan now: every section that is not agreed left out. */
async function adoptionBody() {
  const open = await server.sql.rows(
    z.object({ id: z.string() }),
    sql`SELECT id FROM sections WHERE plan_id = ${f.planId} AND deleted_at IS NULL AND status <> 'agreed'`,
  );
  return { act: { title: 'Matrix decree', date: '2026-06-01' }, leftOut: open.map((s) => ({ sectionId: s.id, reason: 'Not agreed in the matrix' })) };
}

// ---- One valid request per route (a body that succeeds for a permitted actor) --------------------

interface Case {
  /** The request for this actor; may first create what it consumes. */
  request(actor: Actor): Req | Promise<Req>;
  /** Runs after the request: puts back what a permitted call changed that later cases rely on. */
  after?(actor: Actor, status: number): void | Promise<void>;
}

/** One finished export of the plan, made once by the coordinator. */
let exportId: Promise<string> | null = null;
const finishedExport = () =>
  (exportId ??= (async () => {
    const job = await ok(coord().post(`${plan()}/exports`, { format: 'md', scope: 'current' }));
    for (let i = 0; i < 500; i++) {
      const now = await ok(coord().get(`${plan()}/exports/${job.id}`));
      if (now.state !== 'running') return job.id as string;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the export did not finish');
  })());

const is2xx = (status: number) => status >= 200 && status < 300;

const CASES: Record<RouteKey, Case> = {
  'GET /api/health': { request: () => ({ path: '/api/health' }) },
  'GET /api/setup/status': { request: () => ({ path: '/api/setup/status' }) },
  'POST /api/setup': {
    request: () => ({
      path: '/api/setup',
      body: { name: 'Second Admin', email: 'admin2@x.example', password: 'a long enough password', organisation: { name: 'X', side: 'government' } },
    }),
  },
  'POST /api/auth/sign-in': {
    // Signed-out visitors sign in with an existing account's credentials (the non-member's).
    request: (actor) => {
      const who: SignedIn = actor === 'signedOut' ? 'nonMember' : actor;
      return { path: '/api/auth/sign-in', body: { email: f.emails[who], password: who === 'coordinator' ? COORDINATOR_PASSWORD : MEMBER_PASSWORD } };
    },
  },
  'POST /api/auth/sign-out': {
    // A fresh session of the actor's, so their own session survives for the other cases.
    request: async (actor) => ({
      path: '/api/auth/sign-out',
      cookie: actor === 'signedOut' ? null : `${SESSION_COOKIE}=${(await createSession(server.sql, f.userIds[actor])).token}`,
    }),
  },
  'GET /api/auth/me': { request: () => ({ path: '/api/auth/me' }) },
  'PUT /api/auth/me/language': { request: () => ({ path: '/api/auth/me/language', body: { language: 'be' } }) },
  'POST /api/auth/password': {
    // The actor's own password, set to itself: later cases still sign in with it.
    request: (actor) => {
      const who: SignedIn = actor === 'signedOut' ? 'nonMember' : actor;
      const password = who === 'coordinator' ? COORDINATOR_PASSWORD : MEMBER_PASSWORD;
      return { path: '/api/auth/password', body: { currentPassword: password, newPassword: password } };
    },
  },
  'GET /api/auth/sessions': { request: () => ({ path: '/api/auth/sessions' }) },
  'DELETE /api/auth/sessions/:sessionId': {
    // A fresh session of the actor's own (a signed-out visitor names the non-member's).
    request: async (actor) => {
      const { token } = await createSession(server.sql, f.userIds[actor === 'signedOut' ? 'nonMember' : actor]);
      const { id } = await server.sql.theRow(z.object({ id: z.string() }), sql`SELECT id FROM sessions WHERE token_hash = ${hashToken(token)}`);
      return { path: `/api/auth/sessions/${id}` };
    },
  },
  'POST /api/auth/sessions/end-others': { request: () => ({ path: '/api/auth/sessions/end-others', body: {} }) },
  'GET /api/auth/trusted-browsers': { request: () => ({ path: '/api/auth/trusted-browsers' }) },
  'DELETE /api/auth/trusted-browsers/:browserId': {
    // A browser newly trusted for the actor's own account (a signed-out visitor names the non-member's).
    request: async (actor) => {
      const token = await rememberDevice(server.sql, { now: () => Date.now() }, f.userIds[actor === 'signedOut' ? 'nonMember' : actor], undefined);
      const { id } = await server.sql.theRow(z.object({ id: z.string() }), sql`SELECT id FROM trusted_devices WHERE token_hash = ${hashToken(token)}`);
      return { path: `/api/auth/trusted-browsers/${id}` };
    },
  },
  'GET /api/auth/session': { request: () => ({ path: '/api/auth/session' }) },
  'GET /api/plans': { request: () => ({ path: '/api/plans' }) },
  'POST /api/plans': {
    request: () => ({ path: '/api/plans', body: { title: 'Scratch plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 } }),
  },
  'GET /api/plans/:planId': { request: () => ({ path: plan() }) },
  'PATCH /api/plans/:planId': { request: () => ({ path: plan(), body: { title: 'National Human Rights Plan 2026–2030' } }) },
  'POST /api/plans/:planId/chapters': { request: () => ({ path: `${plan()}/chapters`, body: { title: 'Scratch chapter' } }) },
  'PATCH /api/plans/:planId/chapters/:chapterId': {
    request: () => ({ path: `${plan()}/chapters/${f.chapterId}`, body: { title: 'Introduction' } }),
  },
  'DELETE /api/plans/:planId/chapters/:chapterId': { request: async () => ({ path: `${plan()}/chapters/${await throwaway.chapter()}` }) },
  'POST /api/plans/:planId/sections': {
    request: () => ({ path: `${plan()}/sections`, body: { chapterId: f.chapterId, title: 'Scratch section' } }),
  },
  'PATCH /api/plans/:planId/sections/:sectionId': {
    request: () => ({ path: `${plan()}/sections/${f.secondSectionId}`, body: { title: 'Second section' } }),
  },
  'DELETE /api/plans/:planId/sections/:sectionId': { request: async () => ({ path: `${plan()}/sections/${await throwaway.section()}` }) },
  'GET /api/plans/:planId/events': { request: () => ({ path: `${plan()}/events` }) },
  'GET /api/plans/:planId/bin': { request: () => ({ path: `${plan()}/bin` }) },
  'GET /api/plans/:planId/bin/sections/:sectionId': {
    request: async () => ({ path: `${plan()}/bin/sections/${(binFixture.sectionId ??= await throwaway.binnedSection())}` }),
  },
  'POST /api/plans/:planId/bin/sections/:sectionId/restore': {
    request: async () => ({ path: `${plan()}/bin/sections/${await throwaway.binnedSection()}/restore`, body: {} }),
  },
  'POST /api/plans/:planId/bin/chapters/:chapterId/restore': {
    request: async () => ({ path: `${plan()}/bin/chapters/${await throwaway.binnedChapter()}/restore`, body: {} }),
  },

  'GET /api/plans/:planId/members': { request: () => ({ path: `${plan()}/members` }) },
  'PATCH /api/plans/:planId/members/:userId': {
    request: () => ({ path: `${plan()}/members/${f.roleTargetId}`, body: { role: 'commenter' } }),
  },
  'DELETE /api/plans/:planId/members/:userId': {
    request: async () => {
      if (!f.spare.inPlan) {
        const invite = await throwaway.invite('drafter');
        await ok(f.spare.client.post(`/api/invites/${invite.token}/accept`, {}));
        f.spare.inPlan = true;
      }
      return { path: `${plan()}/members/${f.spare.userId}` };
    },
    after: (_actor, status) => {
      if (is2xx(status)) f.spare.inPlan = false;
    },
  },
  'POST /api/plans/:planId/members/:userId/restore': {
    // Each actor tries to bring back someone the coordinator has just removed.
    request: async () => {
      if (!f.spare.inPlan) {
        const invite = await throwaway.invite('drafter');
        await ok(f.spare.client.post(`/api/invites/${invite.token}/accept`, {}));
      }
      await ok(f.clients.coordinator.delete(`${plan()}/members/${f.spare.userId}`));
      f.spare.inPlan = false;
      return { path: `${plan()}/members/${f.spare.userId}/restore`, body: {} };
    },
    after: (_actor, status) => {
      if (is2xx(status)) f.spare.inPlan = true;
    },
  },
  'POST /api/plans/:planId/leave': {
    request: () => ({ path: `${plan()}/leave`, body: {} }),
    // A member who left comes back in the same role: they are that role in every other case.
    after: async (actor, status) => {
      if (!is2xx(status) || actor === 'nonMember' || actor === 'signedOut') return;
      const { token } = await throwaway.invite(actor);
      await ok(f.clients[actor].post(`/api/invites/${token}/accept`, {}));
    },
  },
  'POST /api/plans/:planId/invites': { request: () => ({ path: `${plan()}/invites`, body: { role: 'commenter' } }) },
  'GET /api/plans/:planId/invites': { request: () => ({ path: `${plan()}/invites` }) },
  'DELETE /api/plans/:planId/invites/:inviteId': {
    request: async () => ({ path: `${plan()}/invites/${(await throwaway.invite()).id}` }),
  },
  'GET /api/invites/:token': { request: () => ({ path: `/api/invites/${f.invite.token}` }) },
  'POST /api/plans/:planId/members/:userId/password-reset': {
    request: () => ({ path: `${plan()}/members/${f.roleTargetId}/password-reset`, body: {} }),
  },
  'GET /api/password-resets/:token': { request: () => ({ path: `/api/password-resets/${f.resetToken}` }) },
  'POST /api/password-resets/:token': {
    // A newcomer each time: using the link ends all of that person's sessions.
    request: async () => {
      const { token } = await throwaway.invite();
      const n = unique();
      const account = { name: `Forgetful ${n}`, email: `forgetful${n}@x.example`, password: MEMBER_PASSWORD, organisation: { name: `Forgetful Agency ${n}`, side: 'government' } };
      const newcomer = new ApiClient(server.url);
      await ok(newcomer.post(`/api/invites/${token}/accept`, { account }));
      const me = await ok(newcomer.get('/api/auth/me'));
      const userId = me.user.id as string;
      // Verified as government, the coordinator's side: only then may she make the link.
      await ok(coord().post(`${plan()}/organisations/${me.organisation.id}/verification`, {}));
      const reset = await ok(coord().post(`${plan()}/members/${userId}/password-reset`, {}));
      return { path: `/api/password-resets/${String(reset.url).split('/').at(-1)}`, body: { password: 'a brand new passphrase' } };
    },
  },
  'POST /api/invites/:token/accept': {
    request: async (actor) => {
      const { token } = await throwaway.invite();
      const n = unique();
      const body =
        actor === 'signedOut'
          ? { account: { name: `Newcomer ${n}`, email: `newcomer${n}@x.example`, password: MEMBER_PASSWORD, organisation: { name: `New NGO ${n}`, side: 'civil_society' } } }
          : {};
      return { path: `/api/invites/${token}/accept`, body };
    },
    // The non-member joined: take them out again, they are the outsider of every other case.
    after: async (actor, status) => {
      if (actor === 'nonMember' && is2xx(status)) await ok(coord().delete(`${plan()}/members/${f.userIds.nonMember}`));
    },
  },

  'POST /api/plans/:planId/imports/preview': { request: () => ({ path: `${plan()}/imports/preview?filename=recs.json`, raw: RECS_FILE }) },
  'POST /api/plans/:planId/imports/:previewId/commit': {
    // A preview only its author can commit: the actor's own when they may upload, else the coordinator's.
    request: async (actor) => {
      const author = actor === 'drafter' ? f.clients.drafter : coord();
      return { path: `${plan()}/imports/${await throwaway.preview(author)}/commit`, body: {} };
    },
  },
  'GET /api/plans/:planId/imports': { request: () => ({ path: `${plan()}/imports` }) },
  'POST /api/plans/:planId/imports/:importId/undo': {
    request: async () => ({ path: `${plan()}/imports/${await throwaway.import()}/undo`, body: {} }),
  },
  'GET /api/plans/:planId/matrix-imports/template': { request: () => ({ path: `${plan()}/matrix-imports/template?language=be` }) },
  'POST /api/plans/:planId/matrix-imports/preview': { request: async () => ({ path: `${plan()}/matrix-imports/preview?filename=matrix.zip`, raw: await emptyMatrixZip() }) },
  'POST /api/plans/:planId/matrix-imports/:previewId/commit': {
    // A preview only its author can commit: the actor's own when they may upload, else the coordinator's.
    request: async (actor) => {
      const author = actor === 'drafter' ? f.clients.drafter : coord();
      return { path: `${plan()}/matrix-imports/${await throwaway.matrixPreview(author)}/commit`, body: {} };
    },
  },
  'GET /api/plans/:planId/matrix-imports': { request: () => ({ path: `${plan()}/matrix-imports` }) },
  'POST /api/plans/:planId/matrix-imports/:importId/undo': {
    request: async () => ({ path: `${plan()}/matrix-imports/${await throwaway.matrixImport()}/undo`, body: {} }),
  },
  'GET /api/plans/:planId/recommendations': { request: () => ({ path: `${plan()}/recommendations?q=reform` }) },
  'GET /api/plans/:planId/recommendations/export': { request: () => ({ path: `${plan()}/recommendations/export?format=accord-csv` }) },
  'POST /api/plans/:planId/recommendations': {
    request: () => ({ path: `${plan()}/recommendations`, body: { mechanism: 'UPR', stateUnderReview: 'Belarus', text: 'Entered by hand' } }),
  },
  'GET /api/plans/:planId/recommendations/:recId': { request: () => ({ path: `${plan()}/recommendations/${f.recId}` }) },
  'PATCH /api/plans/:planId/recommendations/:recId': {
    request: () => ({ path: `${plan()}/recommendations/${f.recId}`, body: { notes: 'Reviewed' } }),
  },
  'DELETE /api/plans/:planId/recommendations/:recId': {
    request: async () => ({ path: `${plan()}/recommendations/${await throwaway.recommendation()}` }),
  },

  'GET /api/plans/:planId/recommendations/:recId/group': { request: () => ({ path: `${plan()}/recommendations/${f.recId}/group` }) },
  'GET /api/plans/:planId/recommendation-groups': { request: () => ({ path: `${plan()}/recommendation-groups?status=proposed` }) },
  'GET /api/plans/:planId/recommendation-groups/:groupId': {
    request: async () => ({ path: `${plan()}/recommendation-groups/${(groupFixture.id ??= await throwaway.group('confirmed'))}` }),
  },
  'POST /api/plans/:planId/recommendation-groups/propose': { request: () => ({ path: `${plan()}/recommendation-groups/propose`, body: {} }) },
  'POST /api/plans/:planId/recommendation-groups/:groupId/confirm': {
    request: async () => ({ path: `${plan()}/recommendation-groups/${await throwaway.group()}/confirm`, body: {} }),
  },
  'POST /api/plans/:planId/recommendation-groups/:groupId/split': {
    request: async () => {
      const id = await throwaway.group();
      const members = (await ok(coord().get(`${plan()}/recommendation-groups/${id}`))).members as Array<{ id: string }>;
      return { path: `${plan()}/recommendation-groups/${id}/split`, body: { parts: [[members[0]!.id], [members[1]!.id]] } };
    },
  },
  'POST /api/plans/:planId/recommendation-groups/:groupId/dismiss': {
    request: async () => ({ path: `${plan()}/recommendation-groups/${await throwaway.group()}/dismiss`, body: {} }),
  },

  'GET /api/plans/:planId/actions': { request: () => ({ path: `${plan()}/actions` }) },
  'GET /api/plans/:planId/sections/:sectionId/actions': { request: () => ({ path: `${plan()}/sections/${f.sectionId}/actions` }) },
  'POST /api/plans/:planId/sections/:sectionId/actions': {
    request: () => ({ path: `${plan()}/sections/${f.secondSectionId}/actions`, body: { title: 'Scratch action', leadAgencyId: f.organisationId } }),
  },
  'PATCH /api/plans/:planId/actions/:actionId': { request: () => ({ path: `${plan()}/actions/${f.actionId}`, body: { status: 'in_progress' } }) },
  'PUT /api/plans/:planId/sections/:sectionId/actions/:actionId/position': {
    request: () => ({ path: `${plan()}/sections/${f.sectionId}/actions/${f.actionId}/position`, body: { position: 0 } }),
  },
  'DELETE /api/plans/:planId/actions/:actionId': {
    // The coordinator's organisation proposed it: others remove it only with a reason.
    request: async () => ({ path: `${plan()}/actions/${await throwaway.action()}`, body: { reason: 'Checked by the authorization matrix' } }),
  },
  'PUT /api/plans/:planId/actions/:actionId/recommendations': {
    request: () => ({ path: `${plan()}/actions/${f.actionId}/recommendations`, body: { recommendationIds: [f.recId] } }),
  },
  'POST /api/plans/:planId/actions/:actionId/recommendations/:recId': {
    request: () => ({ path: `${plan()}/actions/${f.actionId}/recommendations/${f.rec2Id}`, body: {} }),
  },
  'DELETE /api/plans/:planId/actions/:actionId/recommendations/:recId': {
    request: () => ({ path: `${plan()}/actions/${f.actionId}/recommendations/${f.rec2Id}` }),
  },
  'POST /api/plans/:planId/actions/:actionId/recommendation-groups/:groupId': {
    request: async () => ({ path: `${plan()}/actions/${await throwaway.action()}/recommendation-groups/${await throwaway.group('confirmed')}`, body: {} }),
  },
  'POST /api/plans/:planId/actions/:actionId/indicators': {
    request: () => ({ path: `${plan()}/actions/${f.actionId}/indicators`, body: { type: 'process', description: 'Scratch indicator' } }),
  },
  'PATCH /api/plans/:planId/indicators/:indicatorId': {
    request: () => ({ path: `${plan()}/indicators/${f.indicatorId}`, body: { targetValue: '0' } }),
  },
  'DELETE /api/plans/:planId/indicators/:indicatorId': {
    request: async () => ({ path: `${plan()}/indicators/${await throwaway.indicator()}`, body: { reason: 'Checked by the authorization matrix' } }),
  },
  'GET /api/plans/:planId/organisations': { request: () => ({ path: `${plan()}/organisations` }) },
  'POST /api/plans/:planId/organisations': {
    request: () => ({ path: `${plan()}/organisations`, body: { name: 'Ministry of Justice', side: 'government' } }),
  },
  'GET /api/plans/:planId/coverage': { request: () => ({ path: `${plan()}/coverage` }) },
  'POST /api/plans/:planId/exports': { request: () => ({ path: `${plan()}/exports`, body: { format: 'md', scope: 'agreed' } }) },
  'GET /api/plans/:planId/exports': { request: () => ({ path: `${plan()}/exports` }) },
  'PUT /api/plans/:planId/export-retention': { request: () => ({ path: `${plan()}/export-retention`, body: { days: 30 } }) },
  'GET /api/plans/:planId/exports/:exportId': { request: async () => ({ path: `${plan()}/exports/${await finishedExport()}` }) },
  'GET /api/plans/:planId/exports/:exportId/file': { request: async () => ({ path: `${plan()}/exports/${await finishedExport()}/file` }) },

  'GET /api/plans/:planId/sections/:sectionId/agreement': { request: () => ({ path: `${plan()}/sections/${f.sectionId}/agreement` }) },
  'POST /api/plans/:planId/sections/:sectionId/status': {
    request: async () => ({ path: `${plan()}/sections/${await throwaway.section()}/status`, body: { status: 'in_review' } }),
  },
  'POST /api/plans/:planId/sections/:sectionId/signoffs': {
    // A fresh section each time: one signer never completes the default rule, so it is never locked.
    request: async () => {
      const sectionId = await throwaway.section();
      const { currentHash } = await ok(coord().get(`${plan()}/sections/${sectionId}/agreement`));
      return { path: `${plan()}/sections/${sectionId}/signoffs`, body: { contentHash: currentHash } };
    },
  },
  'POST /api/plans/:planId/sections/:sectionId/signoffs/withdraw': {
    // The actor signs a fresh section first (where they may), so there is a signature of theirs to
    // withdraw. Commenters and observers cannot sign, so they pass the role check and have none (409).
    request: async (actor) => {
      const sectionId = await throwaway.section();
      if (actor === 'coordinator' || actor === 'drafter') {
        const client = f.clients[actor];
        const { currentHash } = await ok(client.get(`${plan()}/sections/${sectionId}/agreement`));
        await ok(client.post(`${plan()}/sections/${sectionId}/signoffs`, { contentHash: currentHash }));
      }
      return { path: `${plan()}/sections/${sectionId}/signoffs/withdraw`, body: { reason: 'Checked by the authorization matrix' } };
    },
  },
  'POST /api/plans/:planId/sections/:sectionId/reopen': {
    request: async () => {
      const sectionId = await throwaway.section();
      await ok(coord().post(`${plan()}/sections/${sectionId}/status`, { status: 'in_review' }));
      return { path: `${plan()}/sections/${sectionId}/reopen`, body: { reason: 'Checked by the authorization matrix' } };
    },
  },
  'GET /api/plans/:planId/signoff-rule': { request: () => ({ path: `${plan()}/signoff-rule` }) },
  'PUT /api/plans/:planId/signoff-rule': {
    request: () => ({ path: `${plan()}/signoff-rule`, body: { kind: 'sides', sides: ['government', 'civil_society'] } }),
  },
  'GET /api/plans/:planId/audit': { request: () => ({ path: `${plan()}/audit?limit=5` }) },
  'GET /api/plans/:planId/audit.csv': { request: () => ({ path: `${plan()}/audit.csv` }) },
  'GET /api/plans/:planId/history': { request: () => ({ path: `${plan()}/history?targetType=action&targetId=${f.actionId}` }) },

  'POST /api/plans/:planId/organisations/:organisationId/verification': {
    request: async () => ({ path: `${plan()}/organisations/${await throwaway.organisation()}/verification`, body: {} }),
  },
  'DELETE /api/plans/:planId/organisations/:organisationId/verification': {
    request: async () => {
      const id = await throwaway.organisation();
      await ok(coord().post(`${plan()}/organisations/${id}/verification`, {}));
      return { path: `${plan()}/organisations/${id}/verification`, body: { reason: 'Checked by the authorization matrix' } };
    },
  },
  'GET /api/plans/:planId/sections/:sectionId/positions': { request: () => ({ path: `${plan()}/sections/${f.sectionId}/positions` }) },
  'POST /api/plans/:planId/sections/:sectionId/positions': {
    request: () => ({ path: `${plan()}/sections/${f.secondSectionId}/positions`, body: { text: 'We do not agree with this provision.' } }),
  },
  'POST /api/plans/:planId/positions/:positionId/withdraw': {
    // A position of the actor's own organisation where they may record one; else the coordinator's.
    request: async (actor) => {
      const author = actor === 'drafter' || actor === 'commenter' ? f.clients[actor] : coord();
      const position = await ok(author.post(`${plan()}/sections/${f.secondSectionId}/positions`, { text: 'A position to withdraw.' }));
      return { path: `${plan()}/positions/${position.id}/withdraw`, body: {} };
    },
  },
  'GET /api/notifications': { request: () => ({ path: '/api/notifications' }) },
  'POST /api/notifications/read': { request: () => ({ path: '/api/notifications/read', body: {} }) },

  'GET /api/plans/:planId/sections/:sectionId/versions': { request: () => ({ path: `${plan()}/sections/${f.secondSectionId}/versions` }) },
  'POST /api/plans/:planId/sections/:sectionId/versions': {
    request: () => ({ path: `${plan()}/sections/${f.secondSectionId}/versions`, body: { name: 'Draft for the consultation' } }),
  },
  'GET /api/plans/:planId/versions/:versionId': { request: async () => ({ path: `${plan()}/versions/${await fixtureVersion()}` }) },
  'GET /api/plans/:planId/sections/:sectionId/compare': {
    request: async () => ({ path: `${plan()}/sections/${f.secondSectionId}/compare?from=${await fixtureVersion()}&to=current` }),
  },
  'POST /api/plans/:planId/versions/:versionId/restore': {
    request: async () => ({ path: `${plan()}/versions/${await fixtureVersion()}/restore`, body: {} }),
  },
  'GET /api/plans/:planId/versions': { request: () => ({ path: `${plan()}/versions` }) },
  'POST /api/plans/:planId/versions': { request: () => ({ path: `${plan()}/versions`, body: { name: 'Draft for the 3rd consultation meeting' } }) },
  'GET /api/plans/:planId/compare': { request: async () => ({ path: `${plan()}/compare?from=${await fixtureGroup()}&to=current` }) },

  'GET /api/plans/:planId/sections/:sectionId/threads': { request: () => ({ path: `${plan()}/sections/${f.secondSectionId}/threads?status=all` }) },
  'POST /api/plans/:planId/sections/:sectionId/threads': {
    request: async () => ({ path: `${plan()}/sections/${f.secondSectionId}/threads`, body: { anchor: await bodyAnchor(f.secondSectionId), body: 'A comment' } }),
  },
  'POST /api/plans/:planId/threads/:threadId/comments': {
    request: async () => ({ path: `${plan()}/threads/${(await commentFixtures.thread()).id}/comments`, body: { body: 'A reply' } }),
  },
  'PATCH /api/plans/:planId/comments/:commentId': {
    request: async () => ({ path: `${plan()}/comments/${(await commentFixtures.thread()).commentId}`, body: { body: 'Edited' } }),
  },
  'DELETE /api/plans/:planId/comments/:commentId': {
    request: async () => ({ path: `${plan()}/comments/${(await commentFixtures.thread()).commentId}` }),
  },
  'POST /api/plans/:planId/threads/:threadId/resolve': {
    request: async () => ({ path: `${plan()}/threads/${(await commentFixtures.thread()).id}/resolve`, body: {} }),
  },
  'POST /api/plans/:planId/threads/:threadId/reopen': {
    request: async () => ({ path: `${plan()}/threads/${await commentFixtures.resolvedThread()}/reopen`, body: {} }),
  },

  'GET /api/plans/:planId/sections/:sectionId/suggestions/decisions': {
    request: () => ({ path: `${plan()}/sections/${f.secondSectionId}/suggestions/decisions` }),
  },
  'POST /api/plans/:planId/sections/:sectionId/suggestions/decisions': {
    request: () => ({ path: `${plan()}/sections/${f.secondSectionId}/suggestions/decisions`, body: { decision: 'reject', all: true } }),
  },
  'GET /api/plans/:planId/suggestion-rule': { request: () => ({ path: `${plan()}/suggestion-rule` }) },
  'PUT /api/plans/:planId/suggestion-rule': {
    request: () => ({ path: `${plan()}/suggestion-rule`, body: { commentersSuggest: false, suggestOnlySides: [] } }),
  },

  'GET /api/plans/:planId/signoff-rules': { request: () => ({ path: `${plan()}/signoff-rules` }) },
  'PUT /api/plans/:planId/chapters/:chapterId/signoff-rule': {
    request: async () => ({ path: `${plan()}/chapters/${await throwaway.chapter()}/signoff-rule`, body: { kind: 'sides', sides: ['civil_society'] } }),
  },
  'DELETE /api/plans/:planId/chapters/:chapterId/signoff-rule': {
    // A throwaway chapter with its own rule, so a permitted call has one to remove.
    request: async () => {
      const chapterId = await throwaway.chapter();
      await ok(coord().request('PUT', `${plan()}/chapters/${chapterId}/signoff-rule`, { kind: 'sides', sides: ['civil_society'] }));
      return { path: `${plan()}/chapters/${chapterId}/signoff-rule` };
    },
  },

  'GET /api/plans/:planId/lifecycle': { request: () => ({ path: `${plan()}/lifecycle` }) },
  'POST /api/plans/:planId/adoption': {
    // Each actor meets the plan before adoption, so a permitted call adopts it and a refused one changes nothing.
    request: async () => {
      await unadopt();
      return { path: `${plan()}/adoption`, body: await adoptionBody() };
    },
    after: () => adoptedFixture(),
  },
  'POST /api/plans/:planId/stage': {
    request: async () => {
      await adoptedFixture();
      await server.sql.run(sql`UPDATE plans SET stage = 'adopted' WHERE id = ${f.planId}`);
      return { path: `${plan()}/stage`, body: { stage: 'in_implementation' } };
    },
  },
  'PUT /api/plans/:planId/monitoring-body': {
    request: () => ({ path: `${plan()}/monitoring-body`, body: { organisationId: f.organisationId } }),
  },
  'POST /api/plans/:planId/rounds': {
    request: async () => {
      await adoptedFixture();
      return { path: `${plan()}/rounds`, body: { name: 'Scratch round', dueDate: '2027-06-30' } };
    },
  },
  'PATCH /api/plans/:planId/rounds/:roundId': {
    request: async () => ({ path: `${plan()}/rounds/${await roundFixture()}`, body: { name: 'Matrix round' } }),
  },

  'GET /api/plans/:planId/rounds/:roundId/reports': { request: async () => ({ path: `${plan()}/rounds/${await roundFixture()}/reports` }) },
  'POST /api/plans/:planId/rounds/:roundId/actions/:actionId/reports': {
    request: async () => ({ path: `${plan()}/rounds/${await roundFixture()}/actions/${f.actionId}/reports`, body: { status: 'not_started' } }),
  },
  'PATCH /api/plans/:planId/reports/:reportId': {
    request: async () => ({ path: `${plan()}/reports/${await draftFixture()}`, body: { status: 'in_progress', narrative: 'Edited' } }),
  },
  'POST /api/plans/:planId/reports/:reportId/submit': {
    request: async () => ({ path: `${plan()}/reports/${await draftFixture()}/submit`, body: {} }),
  },
  'DELETE /api/plans/:planId/reports/:reportId': { request: async () => ({ path: `${plan()}/reports/${await draftFixture()}` }) },
  'POST /api/plans/:planId/reports/:reportId/evidence': {
    request: async () => ({ path: `${plan()}/reports/${await draftFixture()}/evidence?name=notes.txt`, raw: 'What was done, in words.' }),
  },
  'POST /api/plans/:planId/reports/:reportId/evidence-links': {
    request: async () => ({ path: `${plan()}/reports/${await draftFixture()}/evidence-links`, body: { url: 'https://example.org/decree', label: 'Decree' } }),
  },
  'DELETE /api/plans/:planId/evidence/:evidenceId': {
    request: async () => {
      const reportId = await draftFixture();
      const link = await ok(coord().post(`${plan()}/reports/${reportId}/evidence-links`, { url: 'https://example.org/x' }));
      return { path: `${plan()}/evidence/${link.id}` };
    },
  },
  'GET /api/plans/:planId/evidence/:evidenceId': { request: async () => ({ path: `${plan()}/evidence/${await evidenceFixture()}` }) },
  'GET /api/plans/:planId/rounds/:roundId/assessments': { request: async () => ({ path: `${plan()}/rounds/${await roundFixture()}/assessments` }) },
  'PUT /api/plans/:planId/rounds/:roundId/assessments': {
    // Upsert: each permitted actor's organisation records (then keeps) its own assessment of the first recommendation.
    request: async () => ({
      path: `${plan()}/rounds/${await roundFixture()}/assessments`,
      body: { targetType: 'recommendation', targetId: f.recId, rating: 'not_implemented', justification: 'No moratorium has been declared.' },
    }),
  },
  'GET /api/plans/:planId/progress': { request: async () => ({ path: `${plan()}/progress?roundId=${await roundFixture()}` }) },
  'GET /api/plans/:planId/rounds/:roundId/progress-report': {
    request: async () => ({ path: `${plan()}/rounds/${await roundFixture()}/progress-report?format=pdf` }),
  },  'GET /api/plans/:planId/publication': { request: () => ({ path: `${plan()}/publication` }) },
  'POST /api/plans/:planId/publication': { request: () => ({ path: `${plan()}/publication`, body: { slug: PUBLIC_SLUG } }) },
  'DELETE /api/plans/:planId/publication': {
    // Each actor meets the plan published, so a permitted call takes it down and a refused one changes nothing.
    request: async () => {
      await publishedFixture();
      return { path: `${plan()}/publication` };
    },
  },
  'GET /public-record.css': { request: () => ({ path: '/public-record.css' }) },
  'GET /p/:slug': { request: async () => ({ path: `/p/${await publishedFixture()}` }) },
  'GET /p/:slug/actions': { request: async () => ({ path: `/p/${await publishedFixture()}/actions?status=not_reported` }) },
  'GET /p/:slug/recommendations': { request: async () => ({ path: `/p/${await publishedFixture()}/recommendations?q=death` }) },
  'GET /p/:slug/recommendations/:recommendationId': { request: async () => ({ path: `/p/${await publishedFixture()}/recommendations/${f.recId}` }) },
  'GET /p/:slug/progress': { request: async () => ({ path: `/p/${await publishedFixture()}/progress` }) },
  'GET /p/:slug/data': { request: async () => ({ path: `/p/${await publishedFixture()}/data` }) },
  'GET /p/:slug/data/:file': { request: async () => ({ path: `/p/${await publishedFixture()}/data/matrix.csv` }) },
  'GET /p/:slug/data/snapshot.json': { request: async () => ({ path: `/p/${await publishedFixture()}/data/snapshot.json` }) },
};

/** The matrix plan's public address. */
const PUBLIC_SLUG = 'matrix-plan';
/** Publishes the matrix plan (as its coordinator) unless a publication is in force; returns its slug. */
async function publishedFixture(): Promise<string> {
  const state = await ok(coord().get(`${plan()}/publication`));
  if (!state.current) await ok(coord().post(`${plan()}/publication`, { slug: PUBLIC_SLUG }));
  return PUBLIC_SLUG;
}

// ---- Route enumeration (Express 5 / router 2 internals) -------------------------------------------

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * Every route registered in the app, as "METHOD /mount/path". Express 5 keeps its router at
 * `app.router`; a layer of `app.use(path, …)` or `router.use(…)` keeps its mount path in `rawPath`
 * and a nested router's layers in `handle.stack`; a route layer has `route.path` and `route.methods`.
 */
function registeredRoutes(app: unknown): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) found.push(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${prefix}${String(layer.route.path)}`);
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as { router: { stack: Layer[] } }).router.stack, '');
  return found;
}

/** The request path must be one the route's pattern matches, so a case cannot test the wrong route. */
function patternOf(key: string): RegExp {
  const path = key.slice(key.indexOf(' ') + 1);
  return new RegExp(`^${path.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
}

/** Every row of every table but sessions (signing in and out adds and removes them), in a stable order. */
async function snapshot(): Promise<string> {
  const tables = await server.sql.rows(
    z.object({ name: z.string() }),
    server.sql.engine === 'sqlite'
      ? sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'sessions' ORDER BY name`
      : sql`SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'sessions' ORDER BY table_name`,
  );
  // A snapshot of no tables would let every refused request pass as changing nothing.
  expect(tables.map((t) => t.name)).toContain('plans');
  const rows: Array<[string, string[]]> = [];
  for (const { name } of tables) {
    rows.push([name, (await server.sql.rows(z.record(z.string(), z.unknown()), sql`SELECT * FROM ${sql.table(name)}`)).map((r) => JSON.stringify(r)).sort()]);
  }
  return JSON.stringify(rows);
}

const describeOutcome = (o: Outcome | SyncOutcome) => (typeof o === 'number' ? String(o) : o);

// ---- Tests ---------------------------------------------------------------------------------------

describe('the policy table', () => {
  it('names every route registered in the running app, and no route that does not exist', () => {
    // The running server's Express app is its HTTP server's request listener.
    const app = server.http.listeners('request')[0];
    const registered = registeredRoutes(app);
    expect(registered.length).toBeGreaterThan(10);
    const written = Object.keys(REST_POLICY);
    expect(registered.filter((r) => !written.includes(r)), 'registered routes missing from the policy').toEqual([]);
    expect(written.filter((r) => !registered.includes(r)), 'policy rows naming no registered route').toEqual([]);
    expect(new Set(registered).size, 'a route registered twice').toBe(registered.length);
  });
});

describe('REST routes × actors', () => {
  for (const [key, policy] of Object.entries(REST_POLICY) as Array<[RouteKey, (typeof REST_POLICY)[RouteKey]]>) {
    describe(`${key} (${policy.description})`, () => {
      for (const actor of ACTORS) {
        const expected: Outcome = policy.outcomes[actor];
        it(`${actor} → ${describeOutcome(expected)}`, async () => {
          const c = CASES[key];
          const req = await c.request(actor);
          expect(req.path.split('?')[0]).toMatch(patternOf(key));
          const cookie = req.cookie === undefined ? cookieOf(actor) : (req.cookie ?? undefined);
          const method = key.split(' ')[0]!;
          const before = method === 'GET' ? '' : await snapshot();
          const res = await send(method, req, cookie);
          const unchanged = method === 'GET' || is2xx(res.status) || (await snapshot()) === before;
          await c.after?.(actor, res.status);
          expect(statusMatches(expected, res.status), `${key} as ${actor}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`).toBe(
            true,
          );
          expect(unchanged, `${key} as ${actor} was refused (${res.status}) but changed the database`).toBe(true);
        });
      }
    });
  }

  it('left the fixtures in place', async () => {
    const outline = (await ok(coord().get(plan()))) as PlanOutline;
    const sectionIds = outline.chapters.flatMap((c) => c.sections.map((s) => s.id));
    expect(sectionIds).toEqual(expect.arrayContaining([f.sectionId, f.secondSectionId]));
    const action = (await ok(coord().get(`${plan()}/sections/${f.sectionId}/actions`))).find((a: { id: string }) => a.id === f.actionId);
    expect(action.recommendationIds).toEqual([f.recId]);
    expect(action.indicators.map((i: { id: string }) => i.id)).toContain(f.indicatorId);
    const members = (await ok(coord().get(`${plan()}/members`))) as Array<{ userId: string; role: string }>;
    expect(members.find((m) => m.userId === f.userIds.nonMember)).toBeUndefined();
    expect(members.find((m) => m.userId === f.userIds.commenter)?.role).toBe('commenter');
    expect((await send('GET', { path: `/api/invites/${f.invite.token}` }, undefined)).status).toBe(200);
    expect((await send('GET', { path: `/api/password-resets/${f.resetToken}` }, undefined)).status).toBe(200);
  });
});

/** A Yjs update message that adds one paragraph, as a client typing it would send. */
function paragraphUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  getSectionBody(doc).insert(0, [paragraph]);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc));
  return encoding.toUint8Array(encoder);
}

for (const [key, policy] of Object.entries(SYNC_POLICY)) {
  describe(`${key} × actors (${policy.description})`, () => {
    let watcher: Peer;
    beforeAll(async () => {
      watcher = connectPeer(server.url, f.clients.coordinator, f.sectionId);
      await watcher.synced();
    });
    afterAll(() => watcher?.destroy());

    for (const actor of ACTORS) {
      const expected: SyncOutcome = policy.outcomes[actor];
      it(`${actor} → ${describeOutcome(expected)}`, async () => {
        const docName = sectionDocName(f.sectionId);
        const socket = await rawSocket(server.url, docName, { cookie: cookieOf(actor) });
        if (typeof expected === 'number') {
          expect((await socket.closed).code).toBe(expected);
          return;
        }
        // The server's greeting ends with the save status: everything before it has arrived.
        await eventually(() => expect(socket.messages.some((m) => m[0] === MessageType.SaveStatus)).toBe(true));
        const text = `Typed by the ${actor} #${unique()}`;
        socket.ws.send(paragraphUpdate(text));
        if (expected === 'write') {
          await eventually(() => expect(watcher.text()).toContain(text));
        } else {
          // Messages on one socket are handled in order: once the answer to this query arrives,
          // the update before it has been handled (and dropped).
          const seen = socket.messages.length;
          socket.ws.send(Uint8Array.of(MessageType.QueryAwareness));
          await eventually(() => expect(socket.messages.slice(seen).some((m) => m[0] === MessageType.Awareness)).toBe(true));
          expect(sectionPlainText(server.sync.loadedDocument(docName)!)).not.toContain(text);
          expect(watcher.text()).not.toContain(text);
          expect(socket.ws.readyState).toBe(WebSocket.OPEN);
        }
        socket.ws.close();
        await socket.closed;
      });
    }
  });
}
