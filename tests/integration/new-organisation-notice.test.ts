/**
 * A person who accepts an invite naming a new organisation brings in an organisation nobody has
 * vouched for: its signatures count for nothing until a coordinator verifies it. The coordinators
 * who may verify it (its own side's, once that side has a verified coordinator) are told, with a
 * link to the members page where organisations are verified, in the app and by e-mail. Nobody else
 * is told, and joining with an organisation the coordinator named tells nobody.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { noticeMail } from '../../server/mail/noticeMail.ts';
import { NotificationSchema, type Notification } from '../../shared/api/index.ts';
import { sql } from 'kysely';
import { col, rowShape } from '../../server/db/rows.ts';

let server: TestServer;
let olga: ApiClient;
let planId: string;
const plan = () => `/api/plans/${planId}`;

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator: olga, planId } = await setUpWorkspace(server));
});
afterEach(async () => {
  await server.destroy();
});

const toVerify = async (client: ApiClient): Promise<Notification[]> => {
  const res = await client.get('/api/notifications');
  expect(res.status).toBe(200);
  return (res.body as unknown[]).map((n) => NotificationSchema.parse(n)).filter((n) => n.kind === 'organisation_to_verify');
};

/** Accepts a fresh invite for `role` with a new account naming a new organisation. */
async function joinWithNewOrganisation(name: string, organisation: { name: string; side: 'government' | 'civil_society' }) {
  const invite = await olga.post(`${plan()}/invites`, { role: 'drafter' });
  expect(invite.status).toBe(201);
  const client = new ApiClient(server.url);
  const email = `${name.split(' ')[0]!.toLowerCase()}@new.example`;
  const accepted = await client.post(`/api/invites/${invite.body.token}/accept`, { account: { name, email, password: MEMBER_PASSWORD, organisation } });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return client;
}

describe('a new organisation to verify', () => {
  it('tells the coordinators who may verify it, with a link to the members page, in the app and by e-mail', async () => {
    const pavel = await addMember(server, olga, planId, 'drafter', { name: 'Pavel Drafter', email: 'pavel@moj.example', organisation: { name: 'Ministry of Justice', side: 'government' } });
    // Olga verified the ministry (addMember does): that one was noticed and is done with.
    const before = (await toVerify(olga)).length;
    expect(before).toBe(1);

    const newcomer = await joinWithNewOrganisation('Hanna Newcomer', { name: 'Viasna Legal Aid', side: 'civil_society' });

    const [notice, ...rest] = await toVerify(olga);
    expect(rest).toHaveLength(before);
    expect(notice).toMatchObject({ planId, kind: 'organisation_to_verify', link: `/plans/${planId}/members`, readAt: null });
    expect(notice!.summary).toContain('Hanna Newcomer joined the plan with a new organisation, Viasna Legal Aid (civil society)');
    expect(notice!.summary).toContain('Verify it');
    // Nobody else: not the newcomer, not a drafter.
    expect(await toVerify(newcomer)).toEqual([]);
    expect(await toVerify(pavel.client)).toEqual([]);

    // The e-mail (when SMTP is set) says what it is about.
    const mail = await noticeMail(server.sql, notice!.id, 'https://accord.example');
    expect(mail).toMatchObject({ to: { address: 'olga@mfa.example' }, subject: 'National Human Rights Plan 2026–2030: a new organisation to verify' });
    expect(mail!.text).toContain(`https://accord.example/plans/${planId}/members`);

    // Following it, Olga verifies the organisation from the list the link leads to.
    const orgs = (await olga.get(`${plan()}/organisations`)).body as Array<{ id: string; name: string; verified: boolean }>;
    const viasna = orgs.find((o) => o.name === 'Viasna Legal Aid')!;
    expect(viasna.verified).toBe(false);
    expect((await olga.post(`${plan()}/organisations/${viasna.id}/verification`, {})).status).toBe(201);
    // Verified, it asks no more: its notice (and the ministry's) is read, for every coordinator told.
    expect((await toVerify(olga)).filter((n) => n.readAt === null)).toEqual([]);
  });

  it('once a side has its own verified coordinator, only that side’s coordinators are told about its new organisations', async () => {
    const andrei = await addMember(server, olga, planId, 'coordinator', {
      name: 'Andrei Coordinator',
      email: 'andrei@hrh.example',
      organisation: { name: 'Human Rights House', side: 'civil_society' },
    });
    const olgaBefore = (await toVerify(olga)).length;

    await joinWithNewOrganisation('Nina Lawyer', { name: 'Legal Initiative', side: 'civil_society' });
    expect((await toVerify(andrei.client)).map((n) => n.summary)).toEqual([expect.stringContaining('Nina Lawyer joined the plan with a new organisation, Legal Initiative')]);
    // Civil society vouches for its own now: the government's coordinator could not verify it, so is not asked to.
    expect(await toVerify(olga)).toHaveLength(olgaBefore);

    await joinWithNewOrganisation('Ivan Official', { name: 'Ministry of Health', side: 'government' });
    expect((await toVerify(olga))[0]!.summary).toContain('Ivan Official joined the plan with a new organisation, Ministry of Health (government)');
    // Civil society's coordinator hears of government organisations only while the government has none of its own; it has Olga.
    expect(await toVerify(andrei.client)).toHaveLength(1);
  });

  it('joining with an organisation the coordinator named tells nobody', async () => {
    const before = (await toVerify(olga)).length;
    const mfa = (await olga.get('/api/auth/me')).body.organisation.id as string;
    const named = await olga.post(`${plan()}/invites`, { role: 'commenter', organisationId: mfa });
    expect(named.status).toBe(201);
    const colleague = new ApiClient(server.url);
    const accepted = await colleague.post(`/api/invites/${named.body.token}/accept`, {
      account: { name: 'Colleague', email: 'colleague@mfa.example', password: MEMBER_PASSWORD },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(await toVerify(olga)).toHaveLength(before);
  });
});

describe('the last coordinator', () => {
  it('is still refused by the server, whatever the page offers: no demotion, no removal, nothing changes', async () => {
    const me = (await olga.get('/api/auth/me')).body.user.id as string;
    const nina = await addMember(server, olga, planId, 'drafter', { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Lawtrend', side: 'civil_society' } });
    const audit = async () => (await server.sql.theRow(rowShape({ n: col.int }), sql`SELECT count(*) AS n FROM audit_log WHERE plan_id = ${planId}`)).n;
    const auditBefore = await audit();

    for (const role of ['drafter', 'commenter', 'observer'] as const) {
      const demote = await olga.patch(`${plan()}/members/${me}`, { role });
      expect(demote.status).toBe(409);
      expect(demote.body.error.code).toBe('last_coordinator');
    }
    const remove = await olga.delete(`${plan()}/members/${me}`);
    expect(remove.status).toBe(409);
    expect(remove.body.error.code).toBe('last_coordinator');
    expect(remove.body.error.message).toContain('Make someone else coordinator first');

    const members = (await olga.get(`${plan()}/members`)).body as Array<{ userId: string; role: string }>;
    expect(members.find((m) => m.userId === me)?.role).toBe('coordinator');
    expect(await audit()).toBe(auditBefore);

    // A second coordinator, then the first may leave; the second is now the last, and refused.
    expect((await olga.patch(`${plan()}/members/${nina.userId}`, { role: 'coordinator' })).status).toBe(200);
    expect((await olga.delete(`${plan()}/members/${me}`)).status).toBe(200);
    const last = await nina.client.delete(`${plan()}/members/${nina.userId}`);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('last_coordinator');
  });
});
