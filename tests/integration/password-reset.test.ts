/**
 * Password reset by a coordinator-made one-time link (Accord sends no e-mail): only for members
 * of the coordinator's plan, shown once, single use, expiring, ending every session and open
 * connection of the person, and recorded in the plan's audit log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { openPlanEvents } from '../helpers/events.ts';
import { rawSocket } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';
import { hashToken } from '../../server/ids.ts';
import { CreatedPasswordResetSchema, PasswordResetInfoSchema } from '../../shared/api/index.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { Limits } from '../../shared/limits.ts';
import { expectAuditWorded } from '../helpers/auditWords.ts';
import { sql } from 'kysely';
import { z } from 'zod';
import { col, rowShape } from '../../server/db/rows.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;
let nina: { client: ApiClient; userId: string };
// Nina's side has its own coordinator: only she (not Olga, of the government) may reset Nina.
let hanna: { client: ApiClient; userId: string };

const NINA = { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Lawtrend', side: 'civil_society' as const } };
const HANNA = {
  name: 'Hanna Coordinator',
  email: 'hanna@bhc.example',
  organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' as const },
};
const NEW_PASSWORD = 'a brand new passphrase for Nina';

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  nina = await addMember(server, coordinator, planId, 'drafter', NINA);
  hanna = await addMember(server, coordinator, planId, 'coordinator', HANNA);
});
afterEach(async () => {
  await server.destroy();
});

const tokenOf = (url: string) => url.split('/').at(-1)!;
const signIn = (password: string) => new ApiClient(server.url).post('/api/auth/sign-in', { email: NINA.email, password });
const resetCount = async () => (await server.sql.theRow(rowShape({ n: col.int }), sql`SELECT count(*) AS n FROM password_resets`)).n;

async function makeReset(by: ApiClient = hanna.client, plan = planId, userId = nina.userId) {
  const res = await by.post(`/api/plans/${plan}/members/${userId}/password-reset`, {});
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return CreatedPasswordResetSchema.parse(res.body);
}

describe('making a reset link', () => {
  it('gives the coordinator a link shown once, stored only as a hash, expiring in a day, and logs it', async () => {
    const before = Date.now();
    const reset = await makeReset();
    expect(reset.url).toMatch(new RegExp(`^${server.url}/reset-password/[A-Za-z0-9_-]{40,}$`));
    expect(reset.name).toBe('Nina Lawyer');
    const hours = (Date.parse(reset.expiresAt) - before) / 3_600_000;
    expect(hours).toBeGreaterThan(Limits.passwordResetHours - 0.01);
    expect(hours).toBeLessThan(Limits.passwordResetHours + 0.01);
    const stored = JSON.stringify(await server.sql.rows(z.record(z.string(), z.unknown()), sql`SELECT * FROM password_resets`));
    expect(stored).toContain(hashToken(tokenOf(reset.url)));
    expect(stored).not.toContain(tokenOf(reset.url));

    const info = await new ApiClient(server.url).get(`/api/password-resets/${tokenOf(reset.url)}`);
    expect(info.status).toBe(200);
    expect(PasswordResetInfoSchema.parse(info.body)).toEqual({
      name: 'Nina Lawyer',
      email: NINA.email,
      planTitle: 'National Human Rights Plan 2026–2030',
      expiresAt: reset.expiresAt,
    });

    const audit = await coordinator.get(`/api/plans/${planId}/audit?action=password_reset.created`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actorName: 'Hanna Coordinator',
      actorRole: 'coordinator',
      targetType: 'member',
      targetId: nina.userId,
      summary: 'Hanna Coordinator made a password reset link for Nina Lawyer',
    });
    expect(JSON.stringify(audit.body)).not.toContain(tokenOf(reset.url));
  });

  it('is for coordinators only, and only for members of their own plan', async () => {
    // A drafter of the plan: 403.
    const drafter = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Pavel Drafter',
      email: 'pavel@justice.example',
      organisation: { name: 'Ministry of Justice', side: 'government' },
    });
    expect((await drafter.client.post(`/api/plans/${planId}/members/${nina.userId}/password-reset`, {})).status).toBe(403);

    // A coordinator of another plan, in which Nina is not a member.
    const other = await coordinator.post('/api/plans', { title: 'Another plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    const igor = await addMember(server, coordinator, other.body.id, 'coordinator', {
      name: 'Igor Other',
      email: 'igor@other.example',
      organisation: { name: 'Other Ministry', side: 'government' },
    });
    // Through his own plan: Nina is not a member of it.
    const viaOwn = await igor.client.post(`/api/plans/${other.body.id}/members/${nina.userId}/password-reset`, {});
    expect(viaOwn.status).toBe(404);
    // Through Nina's plan: he is not a member of it.
    const viaHers = await igor.client.post(`/api/plans/${planId}/members/${nina.userId}/password-reset`, {});
    expect(viaHers.status).toBe(404);
    // Not even Olga, through the other plan, where Nina is not a member.
    expect((await coordinator.post(`/api/plans/${other.body.id}/members/${nina.userId}/password-reset`, {})).status).toBe(404);
    expect(await resetCount()).toBe(0);
    expect((await signIn(MEMBER_PASSWORD)).status).toBe(200);
  });
});

describe('whose password a coordinator may reset', () => {
  it('never someone of the other side, nor of an unverified organisation but their own', async () => {
    // Olga (government) cannot take over Nina's (civil society) account: 403, nothing stored, logged nowhere.
    const refused = await coordinator.post(`/api/plans/${planId}/members/${nina.userId}/password-reset`, {});
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('reset_other_side');
    expect(refused.body.error.message).toContain('sign in as them');
    expect(await resetCount()).toBe(0);
    expect((await coordinator.get(`/api/plans/${planId}/audit?action=password_reset.created`)).body.items).toHaveLength(0);

    // A government drafter of another verified ministry: Olga may; Hanna (civil society) may not.
    const pavel = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Pavel Drafter',
      email: 'pavel@justice.example',
      organisation: { name: 'Ministry of Justice', side: 'government' },
    });
    expect((await hanna.client.post(`/api/plans/${planId}/members/${pavel.userId}/password-reset`, {})).body.error.code).toBe('reset_other_side');
    expect((await coordinator.post(`/api/plans/${planId}/members/${pavel.userId}/password-reset`, {})).status).toBe(201);

    // An organisation nobody verified (self-declared civil society): not even Hanna, until it is verified.
    const ales = await addMember(
      server,
      coordinator,
      planId,
      'drafter',
      { name: 'Ales New', email: 'ales@new.example', organisation: { name: 'New Initiative', side: 'civil_society' } },
      { verify: false },
    );
    expect((await hanna.client.post(`/api/plans/${planId}/members/${ales.userId}/password-reset`, {})).status).toBe(403);
    // Civil society has its own coordinator (Hanna): she, not Olga, vouches for a civil-society organisation.
    expect((await hanna.client.post(`/api/plans/${planId}/organisations/${ales.organisationId}/verification`, {})).status).toBe(201);
    expect((await hanna.client.post(`/api/plans/${planId}/members/${ales.userId}/password-reset`, {})).status).toBe(201);
    expect(await resetCount()).toBe(2);
  });
});

describe('using a reset link', () => {
  it('sets the new password, ends every session and open connection of the person, and logs it', async () => {
    const otherBrowser = new ApiClient(server.url);
    expect((await otherBrowser.post('/api/auth/sign-in', { email: NINA.email, password: MEMBER_PASSWORD })).status).toBe(200);
    const socket = await rawSocket(server.url, sectionDocName(sectionId), { cookie: nina.client.cookie });
    const stream = await openPlanEvents(server.url, otherBrowser, planId);
    // Olga's own session is not touched.
    const olgaSocket = await rawSocket(server.url, sectionDocName(sectionId), { cookie: coordinator.cookie });

    const reset = await makeReset();
    const used = await new ApiClient(server.url).post(`/api/password-resets/${tokenOf(reset.url)}`, { password: NEW_PASSWORD });
    expect(used.status, JSON.stringify(used.body)).toBe(204);

    expect((await socket.closed).code).toBe(CloseCode.Unauthenticated);
    await eventually(() => expect(stream.isEnded()).toBe(true));
    expect((await nina.client.get('/api/auth/me')).status).toBe(401);
    expect((await otherBrowser.get('/api/auth/me')).status).toBe(401);
    expect(await server.sql.row(rowShape({ one: col.int }), sql`SELECT 1 AS one FROM sessions WHERE user_id = ${nina.userId}`)).toBeUndefined();
    expect(olgaSocket.ws.readyState).toBe(olgaSocket.ws.OPEN);
    expect((await coordinator.get('/api/auth/me')).status).toBe(200);
    olgaSocket.ws.close();

    expect((await signIn(MEMBER_PASSWORD)).status).toBe(401);
    expect((await signIn(NEW_PASSWORD)).status).toBe(200);

    const audit = await coordinator.get(`/api/plans/${planId}/audit?action=password_reset.used`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actorId: nina.userId,
      actorName: 'Nina Lawyer',
      actorOrganisation: 'Lawtrend',
      actorRole: 'drafter',
      targetId: nina.userId,
      details: { endedSessions: 2 },
    });
    expect(audit.body.items[0].summary).toContain('reset link from Hanna Coordinator');
  });

  it('works once: a second use, or a look at it, answers reset_invalid', async () => {
    const reset = await makeReset();
    const path = `/api/password-resets/${tokenOf(reset.url)}`;
    expect((await new ApiClient(server.url).post(path, { password: NEW_PASSWORD })).status).toBe(204);
    const again = await new ApiClient(server.url).post(path, { password: 'someone else sets this one' });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('reset_invalid');
    expect((await new ApiClient(server.url).get(path)).status).toBe(404);
    expect((await signIn('someone else sets this one')).status).toBe(401);
    expect((await signIn(NEW_PASSWORD)).status).toBe(200);
  });

  it('stops working when it expires, when a newer one is made, or when its maker is no longer coordinator', async () => {
    const expired = await makeReset();
    await server.sql.run(sql`UPDATE password_resets SET expires_at = ${new Date(Date.now() - 1000).toISOString()}`);
    const late = await new ApiClient(server.url).post(`/api/password-resets/${tokenOf(expired.url)}`, { password: NEW_PASSWORD });
    expect(late.status).toBe(404);
    expect(late.body.error.code).toBe('reset_invalid');

    const first = await makeReset();
    const second = await makeReset();
    expect((await new ApiClient(server.url).get(`/api/password-resets/${tokenOf(first.url)}`)).status).toBe(404);
    expect((await new ApiClient(server.url).get(`/api/password-resets/${tokenOf(second.url)}`)).status).toBe(200);

    // Hanna steps down to drafter: her link no longer speaks for the plan.
    expect((await hanna.client.patch(`/api/plans/${planId}/members/${hanna.userId}`, { role: 'drafter' })).status).toBe(200);
    expect((await new ApiClient(server.url).post(`/api/password-resets/${tokenOf(second.url)}`, { password: NEW_PASSWORD })).status).toBe(404);
    expect((await signIn(MEMBER_PASSWORD)).status).toBe(200);
  });

  it('refuses a short password without using the link', async () => {
    const reset = await makeReset();
    const path = `/api/password-resets/${tokenOf(reset.url)}`;
    const short = await new ApiClient(server.url).post(path, { password: 'short' });
    expect(short.status).toBe(400);
    expect((await new ApiClient(server.url).get(path)).status).toBe(200);
    expect((await nina.client.get('/api/auth/me')).status).toBe(200);
  });
});

it('words every audit entry it wrote in the reader’s language', async () => {
  await expectAuditWorded(server);
});
