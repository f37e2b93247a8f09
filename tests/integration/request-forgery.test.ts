import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient } from '../helpers/api.ts';
import { importFile, uploadImport } from '../helpers/imports.ts';
import { rawSocket } from '../helpers/peer.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { createSession, SESSION_COOKIE } from '../../server/auth/sessions.ts';
import { hashToken, newToken } from '../../server/ids.ts';
import { toAccordJson } from '../../server/import/index.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { CloseCode } from '../../shared/protocol.ts';
import type { PlanOutline } from '../../shared/api/index.ts';

/**
 * Requests that carry someone's authority without their say-so, or carry it further than it
 * reaches: no cookie, a forged one, an expired session, another website's page, and a coordinator
 * of one plan reaching into another. Every one is refused, and the database is exactly as before.
 */

let server: TestServer;
/** Olga: coordinator of plan A. */
let olga: ApiClient;
let olgaId: string;
/** Bruno: coordinator of plan B, which Olga has no part in. */
let bruno: ApiClient;
let brunoId: string;
const A = { planId: '', chapterId: '', sectionId: '', recId: '', actionId: '', indicatorId: '' };
const B = { planId: '', chapterId: '', sectionId: '', recId: '', actionId: '', indicatorId: '', organisationId: '', inviteId: '', importId: '', previewId: '' };
let before: string;

async function ok<T = any>(res: Promise<{ status: number; body: T }>, status?: number): Promise<T> {
  const r = await res;
  if (status !== undefined) expect(r.status, JSON.stringify(r.body)).toBe(status);
  else expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
}

/** Every row of every table but sessions (which these tests add to on purpose), in a stable order. */
async function snapshot(): Promise<string> {
  const tables = await server.sql.rows(
    z.object({ name: z.string() }),
    server.sql.engine === 'postgres'
      ? sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'sessions' ORDER BY table_name`
      : sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'sessions' ORDER BY name`,
  );
  const contents: Array<[string, string[]]> = [];
  for (const { name } of tables) {
    const rows = await server.sql.rows(z.record(z.string(), z.unknown()), sql`SELECT * FROM ${sql.id(name)}`);
    contents.push([name, rows.map((r) => JSON.stringify(r)).sort()]);
  }
  return JSON.stringify(contents);
}

const expectNothingChanged = async () => expect((await snapshot()) === before, 'the database changed').toBe(true);

beforeAll(async () => {
  server = await startTestServer();
  const ws = await setUpWorkspace(server);
  olga = ws.coordinator;
  Object.assign(A, { planId: ws.planId, chapterId: ws.chapterId, sectionId: ws.sectionId });
  olgaId = (await olga.get('/api/auth/me')).body.user.id;
  const a = `/api/plans/${A.planId}`;
  A.recId = (await ok(olga.post(`${a}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'Belarus', text: 'Plan A recommendation' }))).id;
  A.actionId = (await ok(olga.post(`${a}/sections/${A.sectionId}/actions`, { title: 'Plan A action', recommendationIds: [A.recId] }))).id;
  A.indicatorId = (await ok(olga.post(`${a}/actions/${A.actionId}/indicators`, { type: 'process', description: 'Plan A indicator' }))).id;

  // Bruno gets an account through plan A, starts plan B of his own and leaves plan A.
  const joined = await addMember(server, olga, A.planId, 'observer', {
    name: 'Bruno Other',
    email: 'bruno@other.example',
    organisation: { name: 'Other Ministry', side: 'government' },
  });
  bruno = joined.client;
  brunoId = joined.userId;
  const planB = await ok(bruno.post('/api/plans', { title: 'Plan B', country: 'Belarus', periodStart: 2026, periodEnd: 2030 }), 201);
  await ok(olga.delete(`${a}/members/${brunoId}`));
  B.planId = planB.id;
  const b = `/api/plans/${B.planId}`;
  const outline = (await ok(bruno.get(b))) as PlanOutline;
  B.chapterId = outline.chapters[0]!.id;
  B.sectionId = outline.chapters[0]!.sections[0]!.id;
  B.organisationId = (await ok(bruno.post(`${b}/organisations`, { name: 'Ministry of Secrets', side: 'government' }), 201)).id;
  B.importId = (await importFile(bruno, B.planId, 'b.json', toAccordJson([sampleRecommendation(1), sampleRecommendation(2)]))).record.id;
  B.recId = (await ok(bruno.get(`${b}/recommendations`))).items[0].id;
  B.actionId = (await ok(bruno.post(`${b}/sections/${B.sectionId}/actions`, { title: 'Plan B action', leadAgencyId: B.organisationId }))).id;
  B.indicatorId = (await ok(bruno.post(`${b}/actions/${B.actionId}/indicators`, { type: 'outcome', description: 'Plan B indicator' }))).id;
  B.inviteId = (await ok(bruno.post(`${b}/invites`, { role: 'drafter' }), 201)).id;
  const preview = await uploadImport(bruno, B.planId, 'b2.json', toAccordJson([sampleRecommendation(3)]));
  expect(preview.status).toBe(200);
  B.previewId = preview.body.previewId;

  // Olga really is outside plan B, and plan B's organisation is not one of plan A's.
  expect((await olga.get(b)).status).toBe(404);
  const orgsA = (await ok(olga.get(`${a}/organisations`))) as Array<{ id: string }>;
  expect(orgsA.map((o) => o.id)).not.toContain(B.organisationId);
  before = await snapshot();
});

afterAll(async () => {
  await server?.destroy();
});

const olgaToken = () => olga.cookie!.slice(SESSION_COOKIE.length + 1);
/** A mutating request Olga may make: rename plan A's section. */
const renameSection = (client: ApiClient, headers: Record<string, string> = {}) =>
  client.request('PATCH', `/api/plans/${A.planId}/sections/${A.sectionId}`, { title: 'Renamed by a forger' }, headers);
/** Another: invite a new coordinator into plan A (what an attacker would want most). */
const inviteCoordinator = (client: ApiClient, headers: Record<string, string> = {}) =>
  client.request('POST', `/api/plans/${A.planId}/invites`, { role: 'coordinator' }, headers);
const openSection = (options: { cookie?: string; origin?: string }, sectionId = A.sectionId) =>
  rawSocket(server.url, sectionDocName(sectionId), options);

describe('no valid session', () => {
  it('(a) without a cookie: 401, and the sync upgrade is closed with 4401', async () => {
    const anonymous = new ApiClient(server.url);
    expect((await renameSection(anonymous)).status).toBe(401);
    expect((await inviteCoordinator(anonymous)).status).toBe(401);
    expect((await (await openSection({})).closed).code).toBe(CloseCode.Unauthenticated);
    await expectNothingChanged();
  });

  it('(b) with a forged cookie (random, or the stored hash of a real token): 401 and 4401', async () => {
    const anonymous = new ApiClient(server.url);
    // What a leaked copy of the database holds: the hash, not the token.
    const forgeries = [newToken(), hashToken(olgaToken()), 'x'.repeat(500), olgaToken() + 'A'];
    for (const value of forgeries) {
      const cookie = `${SESSION_COOKIE}=${value}`;
      expect((await renameSection(anonymous, { cookie })).status, value).toBe(401);
      expect((await inviteCoordinator(anonymous, { cookie })).status, value).toBe(401);
      expect((await (await openSection({ cookie })).closed).code, value).toBe(CloseCode.Unauthenticated);
    }
    await expectNothingChanged();
  });

  it('(c) with an expired session: 401 and 4401', async () => {
    const { token } = await createSession(server.sql, olgaId);
    const cookie = `${SESSION_COOKIE}=${token}`;
    const anonymous = new ApiClient(server.url);
    expect((await anonymous.request('GET', '/api/auth/me', undefined, { cookie })).status).toBe(200);
    await server.sql.run(sql`UPDATE sessions SET expires_at = ${'2001-01-01T00:00:00.000Z'} WHERE token_hash = ${hashToken(token)}`);
    expect((await anonymous.request('GET', '/api/auth/me', undefined, { cookie })).status).toBe(401);
    expect((await renameSection(anonymous, { cookie })).status).toBe(401);
    expect((await inviteCoordinator(anonymous, { cookie })).status).toBe(401);
    expect((await (await openSection({ cookie })).closed).code).toBe(CloseCode.Unauthenticated);
    await expectNothingChanged();
  });
});

describe('another website', () => {
  it('(d) a valid cookie sent from another Origin (or Origin: null) is refused: 403 bad_origin and 4406', async () => {
    for (const origin of ['https://evil.example', 'null', `${server.url}.evil.example`, 'http://localhost']) {
      const renamed = await renameSection(olga, { origin });
      expect(renamed.status, origin).toBe(403);
      expect(renamed.body.error.code).toBe('bad_origin');
      expect((await inviteCoordinator(olga, { origin })).status, origin).toBe(403);
      expect((await (await openSection({ cookie: olga.cookie, origin })).closed).code, origin).toBe(CloseCode.BadOrigin);
    }
    await expectNothingChanged();
  });

  it('(d) a form a page could post without a preflight (no Origin header, not JSON) is refused: 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await fetch(`${server.url}/api/plans/${A.planId}/invites`, {
        method: 'POST',
        headers: { cookie: olga.cookie!, 'content-type': contentType },
        body: contentType.startsWith('multipart') ? '--x\r\nContent-Disposition: form-data; name="role"\r\n\r\ncoordinator\r\n--x--\r\n' : 'role=coordinator',
      });
      expect(res.status, contentType).toBe(415);
    }
    await expectNothingChanged();
  });
});

describe("(e) a coordinator of plan A reaching plan B's ids", () => {
  it("is refused under plan A's URL and under plan B's, and plan B's section will not open", async () => {
    const a = `/api/plans/${A.planId}`;
    const b = `/api/plans/${B.planId}`;
    const attempts: Array<[method: string, path: string, body: unknown, status: number]> = [
      // Plan B's outline under plan A's URL (A's role, B's ids): not in this plan.
      ['PATCH', `${a}/sections/${B.sectionId}`, { title: 'Hijacked' }, 404],
      ['DELETE', `${a}/sections/${B.sectionId}`, undefined, 404],
      ['PATCH', `${a}/chapters/${B.chapterId}`, { title: 'Hijacked' }, 404],
      ['DELETE', `${a}/chapters/${B.chapterId}`, undefined, 404],
      ['POST', `${a}/sections`, { chapterId: B.chapterId, title: 'Planted' }, 404],
      ['PATCH', `${a}/sections/${A.sectionId}`, { chapterId: B.chapterId }, 404],
      // ... and under plan B's own URL: Olga is no member there.
      ['GET', b, undefined, 404],
      ['PATCH', b, { title: 'Hijacked' }, 404],
      ['PATCH', `${b}/sections/${B.sectionId}`, { title: 'Hijacked' }, 404],
      ['POST', `${b}/invites`, { role: 'coordinator' }, 404],
      ['GET', `${b}/events`, undefined, 404],
      // Recommendations, actions and indicators of plan B.
      ['GET', `${a}/recommendations/${B.recId}`, undefined, 404],
      ['PATCH', `${a}/recommendations/${B.recId}`, { notes: 'Hijacked' }, 404],
      ['DELETE', `${a}/recommendations/${B.recId}`, undefined, 404],
      ['POST', `${a}/actions/${A.actionId}/recommendations/${B.recId}`, {}, 404],
      ['PUT', `${a}/actions/${A.actionId}/recommendations`, { recommendationIds: [B.recId] }, 400],
      ['PATCH', `${a}/actions/${A.actionId}`, { recommendationIds: [B.recId] }, 400],
      ['POST', `${a}/sections/${A.sectionId}/actions`, { title: 'Linked across', recommendationIds: [B.recId] }, 400],
      ['GET', `${a}/sections/${B.sectionId}/actions`, undefined, 404],
      ['POST', `${a}/sections/${B.sectionId}/actions`, { title: 'Planted' }, 404],
      ['PATCH', `${a}/actions/${B.actionId}`, { title: 'Hijacked' }, 404],
      ['DELETE', `${a}/actions/${B.actionId}`, undefined, 404],
      ['PUT', `${a}/actions/${B.actionId}/recommendations`, { recommendationIds: [] }, 404],
      ['POST', `${a}/actions/${B.actionId}/indicators`, { type: 'process', description: 'Planted' }, 404],
      ['PATCH', `${a}/indicators/${B.indicatorId}`, { description: 'Hijacked' }, 404],
      ['DELETE', `${a}/indicators/${B.indicatorId}`, undefined, 404],
      // Plan B's organisation as plan A's lead agency, co-implementer or indicator source.
      ['PATCH', `${a}/actions/${A.actionId}`, { leadAgencyId: B.organisationId }, 400],
      ['PATCH', `${a}/actions/${A.actionId}`, { coImplementerIds: [B.organisationId] }, 400],
      ['POST', `${a}/sections/${A.sectionId}/actions`, { title: 'Led across', leadAgencyId: B.organisationId }, 400],
      ['PATCH', `${a}/indicators/${A.indicatorId}`, { proposedByOrganisationId: B.organisationId }, 400],
      // Plan B's members, invites and imports.
      ['PATCH', `${a}/members/${brunoId}`, { role: 'observer' }, 404],
      ['DELETE', `${a}/members/${brunoId}`, undefined, 404],
      ['DELETE', `${a}/invites/${B.inviteId}`, undefined, 404],
      ['POST', `${a}/imports/${B.importId}/undo`, {}, 404],
      ['POST', `${a}/imports/${B.previewId}/commit`, {}, 404],
    ];
    const answered = [];
    for (const [method, path, body, status] of attempts) {
      const res = await olga.request(method, path, body);
      answered.push({ request: `${method} ${path.replace(A.planId, 'A').replace(B.planId, 'B')}`, status: res.status, expected: status });
    }
    expect(answered.filter((r) => r.status !== r.expected)).toEqual([]);

    const socket = await openSection({ cookie: olga.cookie }, B.sectionId);
    expect((await socket.closed).code).toBe(CloseCode.Forbidden);
    expect(server.sync.loadedDocuments).toBe(0);
    await expectNothingChanged();

    // Olga's try did not use up Bruno's import preview: he can still commit it.
    expect((await bruno.post(`/api/plans/${B.planId}/imports/${B.previewId}/commit`, {})).status).toBe(201);
  });
});
