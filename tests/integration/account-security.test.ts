/**
 * A person's own account security (the Account page): changing their password with the current
 * one (wrong guesses slowed like sign-ins; every other session and its open connections end, this
 * one stays), their sessions (listed with the browser they came from, ended one by one or all but
 * this one) and the browsers trusted for their account (listed, forgotten) — each only ever for
 * the caller's own account.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient } from '../helpers/api.ts';
import { openPlanEvents } from '../helpers/events.ts';
import { rawSocket } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { Limits } from '../../shared/limits.ts';
import { AccountSessionsSchema, TrustedBrowsersSchema } from '../../shared/api/index.ts';
import { expectAuditWorded } from '../helpers/auditWords.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;
let nina: { client: ApiClient; userId: string };

const NINA = { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Lawtrend', side: 'civil_society' as const } };
const NEW_PASSWORD = 'a passphrase only Nina knows';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  nina = await addMember(server, coordinator, planId, 'drafter', NINA);
});
afterEach(async () => {
  await server.destroy();
});

/** Nina signing in from another browser, which says what it is. */
async function ninaElsewhere(userAgent: string, password = MEMBER_PASSWORD): Promise<ApiClient> {
  const browser = new ApiClient(server.url);
  const res = await browser.request('POST', '/api/auth/sign-in', { email: NINA.email, password }, { 'user-agent': userAgent });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return browser;
}
const signIn = (password: string) => new ApiClient(server.url).post('/api/auth/sign-in', { email: NINA.email, password });
const sessionsOf = async (client: ApiClient) => {
  const res = await client.get('/api/auth/sessions');
  expect(res.status).toBe(200);
  return AccountSessionsSchema.parse(res.body).sessions;
};

describe('changing one’s password', () => {
  it('refuses a wrong current password at its field, changing nothing', async () => {
    const res = await nina.client.post('/api/auth/password', { currentPassword: 'not my password at all', newPassword: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('wrong_current_password');
    expect(res.body.error.fields).toEqual({ currentPassword: 'wrong_current_password' });
    expect((await signIn(MEMBER_PASSWORD)).status).toBe(200);
    expect((await signIn(NEW_PASSWORD)).status).toBe(401);
  });

  it('checks the new password by the same rules as set-up and reset', async () => {
    const res = await nina.client.post('/api/auth/password', { currentPassword: MEMBER_PASSWORD, newPassword: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ newPassword: 'too_short' });
    expect(res.body.error.fieldParams).toEqual({ newPassword: { min: Limits.passwordMinLength } });
    expect((await signIn(MEMBER_PASSWORD)).status).toBe(200);
  });

  it('slows wrong guesses like sign-ins: past the free ones even the right password waits', async () => {
    for (let i = 0; i < Limits.signInFreeFailures; i++) {
      const wrong = await nina.client.post('/api/auth/password', { currentPassword: `guess number ${i}`, newPassword: NEW_PASSWORD });
      expect(wrong.status).toBe(400);
    }
    const held = await nina.client.post('/api/auth/password', { currentPassword: MEMBER_PASSWORD, newPassword: NEW_PASSWORD });
    expect(held.status).toBe(429);
    expect(held.body.error.code).toBe('rate_limited');
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn(NEW_PASSWORD)).status).toBe(401);
    // The guesses at the Account page do not hold up the owner signing in elsewhere.
    expect((await signIn(MEMBER_PASSWORD)).status).toBe(200);
  });

  it('ends every other session and closes its connections, keeps this one, and is in the audit log of each plan', async () => {
    const laptop = await ninaElsewhere(FIREFOX);
    const socket = await rawSocket(server.url, sectionDocName(sectionId), { cookie: laptop.cookie });
    const stream = await openPlanEvents(server.url, laptop, planId);
    const ownSocket = await rawSocket(server.url, sectionDocName(sectionId), { cookie: nina.client.cookie });
    // A second plan Nina is in: the change is recorded there too.
    const other = await coordinator.post('/api/plans', { title: 'Second plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    expect(other.status).toBe(201);
    const invite = await coordinator.post(`/api/plans/${other.body.id}/invites`, { role: 'commenter' });
    expect((await nina.client.post(`/api/invites/${invite.body.token}/accept`, {})).status).toBe(200);

    const res = await nina.client.post('/api/auth/password', { currentPassword: MEMBER_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ endedSessions: 1 });

    expect((await socket.closed).code).toBe(CloseCode.Unauthenticated);
    await eventually(() => expect(stream.isEnded()).toBe(true));
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    expect((await nina.client.get('/api/auth/me')).status).toBe(200);
    expect(ownSocket.ws.readyState).toBe(ownSocket.ws.OPEN);
    ownSocket.ws.close();
    expect((await signIn(MEMBER_PASSWORD)).status).toBe(401);
    expect((await signIn(NEW_PASSWORD)).status).toBe(200);

    for (const plan of [planId, other.body.id as string]) {
      const audit = await coordinator.get(`/api/plans/${plan}/audit?action=account.password_changed`);
      expect(audit.body.items, plan).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({ actorId: nina.userId, actorName: 'Nina Lawyer', targetId: nina.userId, details: { endedSessions: 1 } });
    }
    await expectAuditWorded(server);
  });

  it('cancels an unused reset link someone made for the person', async () => {
    const hanna = await addMember(server, coordinator, planId, 'coordinator', {
      name: 'Hanna Coordinator',
      email: 'hanna@bhc.example',
      organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
    });
    const reset = await hanna.client.post(`/api/plans/${planId}/members/${nina.userId}/password-reset`, {});
    expect(reset.status).toBe(201);
    const token = String(reset.body.url).split('/').at(-1);
    expect((await nina.client.post('/api/auth/password', { currentPassword: MEMBER_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(200);
    const used = await new ApiClient(server.url).post(`/api/password-resets/${token}`, { password: 'the intruder’s new password' });
    expect(used.status).toBe(404);
    expect((await signIn(NEW_PASSWORD)).status).toBe(200);
  });

  it('needs a signed-in session', async () => {
    const res = await new ApiClient(server.url).post('/api/auth/password', { currentPassword: MEMBER_PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(401);
  });
});

describe('one’s sessions', () => {
  it('lists the account’s sessions with their browser, marks this one, and says "unknown" for older ones', async () => {
    await ninaElsewhere(FIREFOX);
    await ninaElsewhere(IPHONE);
    // A session from before Accord kept browsers.
    await server.sql.run(sql`UPDATE sessions SET user_agent = NULL WHERE user_agent LIKE '%iPhone%'`);
    const sessions = await sessionsOf(nina.client);
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions.map((s) => s.userAgent)).toContain(FIREFOX);
    expect(sessions.filter((s) => s.userAgent === null)).toHaveLength(1);
    for (const s of sessions) expect(s.lastUsedAt).not.toBeNull();
    // Nobody else's: Olga sees only her own.
    const olgas = await sessionsOf(coordinator);
    expect(olgas).toHaveLength(1);
    expect(olgas.map((s) => s.id)).not.toEqual(expect.arrayContaining(sessions.map((s) => s.id)));
    // The token hash never leaves the server.
    const raw = JSON.stringify((await nina.client.get('/api/auth/sessions')).body);
    for (const { token_hash } of await server.sql.rows(z.object({ token_hash: z.string() }), sql`SELECT token_hash FROM sessions`)) {
      expect(raw).not.toContain(token_hash);
    }
  });

  it('signs one session out at once, closing its connections, and nobody else can', async () => {
    const laptop = await ninaElsewhere(FIREFOX);
    const socket = await rawSocket(server.url, sectionDocName(sectionId), { cookie: laptop.cookie });
    const laptopSession = (await sessionsOf(nina.client)).find((s) => s.userAgent === FIREFOX)!;

    // Olga cannot end Nina's session, nor learn that it exists: the same 404 as a made-up id.
    const olgaTries = await coordinator.delete(`/api/auth/sessions/${laptopSession.id}`);
    expect(olgaTries.status).toBe(404);
    expect(olgaTries.body.error.params).toEqual({ what: 'session' });
    expect((await coordinator.delete('/api/auth/sessions/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await laptop.get('/api/auth/me')).status).toBe(200);
    expect((await new ApiClient(server.url).delete(`/api/auth/sessions/${laptopSession.id}`)).status).toBe(401);

    expect((await nina.client.delete(`/api/auth/sessions/${laptopSession.id}`)).status).toBe(204);
    expect((await socket.closed).code).toBe(CloseCode.Unauthenticated);
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    expect((await nina.client.get('/api/auth/me')).status).toBe(200);
    expect((await sessionsOf(nina.client)).map((s) => s.id)).not.toContain(laptopSession.id);
  });

  it('signs out everywhere else, keeping this session and touching nobody else’s', async () => {
    const laptop = await ninaElsewhere(FIREFOX);
    const phone = await ninaElsewhere(IPHONE);
    const stream = await openPlanEvents(server.url, phone, planId);
    const olgaElsewhere = new ApiClient(server.url);
    expect((await olgaElsewhere.post('/api/auth/sign-in', { email: 'olga@mfa.example', password: 'correct horse battery staple' })).status).toBe(200);

    const res = await nina.client.post('/api/auth/sessions/end-others', {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ended: 2 });
    await eventually(() => expect(stream.isEnded()).toBe(true));
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    expect((await phone.get('/api/auth/me')).status).toBe(401);
    expect((await nina.client.get('/api/auth/me')).status).toBe(200);
    expect((await olgaElsewhere.get('/api/auth/me')).status).toBe(200);
    expect(await sessionsOf(nina.client)).toHaveLength(1);
    expect((await new ApiClient(server.url).post('/api/auth/sessions/end-others', {})).status).toBe(401);
  });
});

describe('browsers trusted for one’s account', () => {
  it('lists them with their browser and forgets one, only for its own account', async () => {
    await ninaElsewhere(FIREFOX);
    const listed = await nina.client.get('/api/auth/trusted-browsers');
    expect(listed.status).toBe(200);
    const { browsers } = TrustedBrowsersSchema.parse(listed.body);
    // The browser addMember signed her up in, and the Firefox one.
    expect(browsers).toHaveLength(2);
    const firefox = browsers.find((b) => b.userAgent === FIREFOX)!;
    expect(firefox).toBeDefined();
    // The browser asking is marked: the one her invitation's session was made in, not the Firefox one.
    expect(browsers.filter((b) => b.current).map((b) => b.id)).toEqual(browsers.filter((b) => b !== firefox).map((b) => b.id));
    const raw = JSON.stringify(listed.body);
    for (const { token_hash } of await server.sql.rows(z.object({ token_hash: z.string() }), sql`SELECT token_hash FROM trusted_devices`)) {
      expect(raw).not.toContain(token_hash);
    }

    const olgaTries = await coordinator.delete(`/api/auth/trusted-browsers/${firefox.id}`);
    expect(olgaTries.status).toBe(404);
    expect(olgaTries.body.error.params).toEqual({ what: 'trustedBrowser' });
    expect(TrustedBrowsersSchema.parse((await coordinator.get('/api/auth/trusted-browsers')).body).browsers.map((b) => b.id)).not.toContain(firefox.id);

    expect((await nina.client.delete(`/api/auth/trusted-browsers/${firefox.id}`)).status).toBe(204);
    const after = TrustedBrowsersSchema.parse((await nina.client.get('/api/auth/trusted-browsers')).body).browsers;
    expect(after.map((b) => b.id)).not.toContain(firefox.id);
    expect(after).toHaveLength(1);
    expect((await nina.client.delete(`/api/auth/trusted-browsers/${firefox.id}`)).status).toBe(404);
    expect((await new ApiClient(server.url).get('/api/auth/trusted-browsers')).status).toBe(401);
  });
});
