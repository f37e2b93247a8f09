/**
 * What a person does to their own account's sessions and trusted browsers is in the audit log of
 * every plan they are in, as the password change is: a coordinator looking into a leaked password
 * or a taken laptop sees who signed which browser out, or had it forgotten, and when. A request
 * that changes nothing (a session or browser that is not theirs, or no other session to end)
 * leaves no entry.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';
import { expectAuditWorded } from '../helpers/auditWords.ts';
import { translator } from '../helpers/i18n.ts';
import { AccountSessionsSchema, AuditEntrySchema, TrustedBrowsersSchema, type AuditEntry } from '../../shared/api/index.ts';
import { auditSummary } from '../../client/features/audit/auditSummary.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let secondPlanId: string;
let nina: { client: ApiClient; userId: string };

const NINA = { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Lawtrend', side: 'civil_society' as const } };
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const MADE_UP_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId } = await setUpWorkspace(server));
  nina = await addMember(server, coordinator, planId, 'drafter', NINA);
  // A second plan Nina is in, as a commenter: each entry is written there too.
  const other = await coordinator.post('/api/plans', { title: 'Second plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
  expect(other.status).toBe(201);
  secondPlanId = other.body.id;
  const invite = await coordinator.post(`/api/plans/${secondPlanId}/invites`, { role: 'commenter' });
  expect((await nina.client.post(`/api/invites/${invite.body.token}/accept`, {})).status).toBe(200);
});
afterEach(async () => {
  await server.destroy();
});

async function ninaElsewhere(userAgent: string): Promise<ApiClient> {
  const browser = new ApiClient(server.url);
  const res = await browser.request('POST', '/api/auth/sign-in', { email: NINA.email, password: MEMBER_PASSWORD }, { 'user-agent': userAgent });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return browser;
}

/** The plan's audit entries of one kind, as the coordinator reads them. */
async function entries(plan: string, action: AuditEntry['action']): Promise<AuditEntry[]> {
  const res = await coordinator.get(`/api/plans/${plan}/audit?action=${action}`);
  expect(res.status).toBe(200);
  return (res.body.items as unknown[]).map((e) => AuditEntrySchema.parse(e));
}

/** Every entry Nina is the actor of, in any plan (to see that a refused request added none). */
const ninasEntries = async () => (await server.sql.theRow(z.object({ n: z.number() }), sql`SELECT count(*) AS n FROM audit_log WHERE actor_id = ${nina.userId}`)).n;

describe('the audit log of one’s account', () => {
  it('records a session signed out, in every plan, naming its browser; a session not hers leaves nothing', async () => {
    await ninaElsewhere(FIREFOX);
    const sessions = AccountSessionsSchema.parse((await nina.client.get('/api/auth/sessions')).body).sessions;
    const laptop = sessions.find((s) => s.userAgent === FIREFOX)!;
    const before = await ninasEntries();

    // Made up, or Olga's own: 404, and the log is as it was.
    expect((await nina.client.delete(`/api/auth/sessions/${MADE_UP_ID}`)).status).toBe(404);
    const olgasSession = AccountSessionsSchema.parse((await coordinator.get('/api/auth/sessions')).body).sessions[0]!;
    expect((await nina.client.delete(`/api/auth/sessions/${olgasSession.id}`)).status).toBe(404);
    // …and Olga cannot end Nina's session to write one in her name.
    expect((await coordinator.delete(`/api/auth/sessions/${laptop.id}`)).status).toBe(404);
    expect(await ninasEntries()).toBe(before);
    expect(await entries(planId, 'account.session_ended')).toEqual([]);

    expect((await nina.client.delete(`/api/auth/sessions/${laptop.id}`)).status).toBe(204);
    const ru = await translator('ru');
    for (const [plan, role] of [[planId, 'drafter'], [secondPlanId, 'commenter']] as const) {
      const [entry, ...more] = await entries(plan, 'account.session_ended');
      expect(more).toEqual([]);
      expect(entry).toMatchObject({
        actorId: nina.userId,
        actorName: 'Nina Lawyer',
        actorOrganisation: 'Lawtrend',
        actorRole: role,
        targetType: 'member',
        targetId: nina.userId,
        details: { userId: nina.userId, sessionId: laptop.id, userAgent: FIREFOX },
      });
      expect(entry!.summary).toBe('Nina Lawyer signed out their session on Firefox on Windows');
      expect(auditSummary(entry!, ru, 'ru')).toBe('Владелец учётной записи завершил сеанс «Firefox на Windows»');
    }
    expect(await ninasEntries()).toBe(before + 2);
    // Ending a session already ended changes nothing, and records nothing.
    expect((await nina.client.delete(`/api/auth/sessions/${laptop.id}`)).status).toBe(404);
    expect(await ninasEntries()).toBe(before + 2);
    await expectAuditWorded(server);
  });

  it('records signing out everywhere else with how many ended; with no other session, nothing', async () => {
    await ninaElsewhere(FIREFOX);
    await ninaElsewhere(IPHONE);
    const res = await nina.client.post('/api/auth/sessions/end-others', {});
    expect(res.body).toEqual({ ended: 2 });
    const en = await translator('en');
    for (const plan of [planId, secondPlanId]) {
      const [entry, ...more] = await entries(plan, 'account.other_sessions_ended');
      expect(more).toEqual([]);
      expect(entry).toMatchObject({ actorId: nina.userId, targetId: nina.userId, details: { userId: nina.userId, endedSessions: 2 } });
      expect(entry!.summary).toBe('Nina Lawyer signed out everywhere else; 2 other session(s) ended');
      expect(auditSummary(entry!, en, 'en')).toBe('Signed out everywhere else by the account’s owner; other sessions ended: 2');
    }

    const before = await ninasEntries();
    const again = await nina.client.post('/api/auth/sessions/end-others', {});
    expect(again.body).toEqual({ ended: 0 });
    expect(await ninasEntries()).toBe(before);
    await expectAuditWorded(server);
  });

  it('records a trusted browser forgotten, in every plan, naming it; one not hers leaves nothing', async () => {
    await ninaElsewhere(FIREFOX);
    const browsers = TrustedBrowsersSchema.parse((await nina.client.get('/api/auth/trusted-browsers')).body).browsers;
    const firefox = browsers.find((b) => b.userAgent === FIREFOX)!;
    const olgas = TrustedBrowsersSchema.parse((await coordinator.get('/api/auth/trusted-browsers')).body).browsers;
    const before = await ninasEntries();

    expect((await nina.client.delete(`/api/auth/trusted-browsers/${MADE_UP_ID}`)).status).toBe(404);
    expect((await nina.client.delete(`/api/auth/trusted-browsers/${olgas[0]!.id}`)).status).toBe(404);
    expect((await coordinator.delete(`/api/auth/trusted-browsers/${firefox.id}`)).status).toBe(404);
    expect(await ninasEntries()).toBe(before);

    expect((await nina.client.delete(`/api/auth/trusted-browsers/${firefox.id}`)).status).toBe(204);
    const be = await translator('be');
    for (const [plan, role] of [[planId, 'drafter'], [secondPlanId, 'commenter']] as const) {
      const [entry, ...more] = await entries(plan, 'account.trusted_browser_forgotten');
      expect(more).toEqual([]);
      expect(entry).toMatchObject({
        actorId: nina.userId,
        actorRole: role,
        targetId: nina.userId,
        details: { userId: nina.userId, browserId: firefox.id, userAgent: FIREFOX },
      });
      expect(entry!.summary).toBe('Nina Lawyer had Accord forget their browser Firefox on Windows');
      expect(auditSummary(entry!, be, 'be')).toBe('Браўзер «Firefox на Windows» больш не пазнаецца: яго забыў уладальнік уліковага запісу');
    }
    expect(await ninasEntries()).toBe(before + 2);
    expect((await nina.client.delete(`/api/auth/trusted-browsers/${firefox.id}`)).status).toBe(404);
    expect(await ninasEntries()).toBe(before + 2);
    await expectAuditWorded(server);
  });

  it('names a session that kept no browser as an unknown device', async () => {
    await ninaElsewhere(FIREFOX);
    await server.sql.run(sql`UPDATE sessions SET user_agent = NULL WHERE user_agent LIKE '%Firefox%'`);
    const old = AccountSessionsSchema.parse((await nina.client.get('/api/auth/sessions')).body).sessions.find((s) => !s.current)!;
    expect((await nina.client.delete(`/api/auth/sessions/${old.id}`)).status).toBe(204);
    const [entry] = await entries(planId, 'account.session_ended');
    expect(entry!.summary).toBe('Nina Lawyer signed out their session on an unknown device');
    expect(auditSummary(entry!, await translator('en'), 'en')).toBe('Session signed out by the account’s owner: Unknown device');
    await expectAuditWorded(server);
  });
});
