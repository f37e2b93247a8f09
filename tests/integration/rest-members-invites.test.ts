import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, COORDINATOR_PASSWORD, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';
import { hashToken } from '../../server/ids.ts';
import { CreatedInviteSchema, InviteInfoSchema, MemberSchema, NotificationSchema, type Role } from '../../shared/api/index.ts';
import { Limits } from '../../shared/limits.ts';
import { sql } from 'kysely';
import { z } from 'zod';
import { col, rowShape } from '../../server/db/rows.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId } = await setUpWorkspace(server));
});
afterEach(async () => {
  await server.destroy();
});

const NGO = { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Lawtrend', side: 'civil_society' as const } };

function recordAccess() {
  const seen: Array<[string, string, Role | null]> = [];
  server.events.on('access', (p, u, r) => seen.push([p, u, r]));
  return seen;
}

/** Every stored invite, every column, as text: to show what the database holds (hashes, never tokens). */
const allInvites = async () => JSON.stringify(await server.sql.rows(z.record(z.string(), z.unknown()), sql`SELECT * FROM invites`));

describe('members', () => {
  it('lists members with their organisations; any member may read', async () => {
    const nina = await addMember(server, coordinator, planId, 'commenter', NGO);
    const res = await nina.client.get(`/api/plans/${planId}/members`);
    expect(res.status).toBe(200);
    const members = res.body.map((m: unknown) => MemberSchema.parse(m));
    expect(members.map((m: { name: string; role: Role }) => [m.name, m.role])).toEqual([
      ['Olga Coordinator', 'coordinator'],
      ['Nina Lawyer', 'commenter'],
    ]);
    const gov = members[0]!.organisation;
    const ngo = members[1]!.organisation;
    expect(ngo).toMatchObject({ name: 'Lawtrend', side: 'civil_society' });
    expect(ngo.color).not.toBe(gov.color);
  });

  it('shows e-mail addresses only to coordinators and to the person themself', async () => {
    const nina = await addMember(server, coordinator, planId, 'commenter', NGO);
    const drafter = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Pavel Drafter',
      email: 'pavel@justice.example',
      organisation: { name: 'Ministry of Justice', side: 'government' },
    });
    const emails = (body: Array<{ name: string; email: string | null }>) => Object.fromEntries(body.map((m) => [m.name, m.email]));

    expect(emails((await coordinator.get(`/api/plans/${planId}/members`)).body)).toEqual({
      'Olga Coordinator': 'olga@mfa.example',
      'Pavel Drafter': 'pavel@justice.example',
      'Nina Lawyer': 'nina@ngo.example',
    });
    for (const [who, own] of [
      [nina, ['Nina Lawyer', 'nina@ngo.example']],
      [drafter, ['Pavel Drafter', 'pavel@justice.example']],
    ] as const) {
      const res = await who.client.get(`/api/plans/${planId}/members`);
      expect(res.status).toBe(200);
      expect(emails(res.body)[own[0]]).toBe(own[1]);
      // Nobody else's address is anywhere in the answer.
      const others = ['olga@mfa.example', 'pavel@justice.example', 'nina@ngo.example'].filter((e) => e !== own[1]);
      for (const other of others) expect(JSON.stringify(res.body)).not.toContain(other);
      expect(res.body.filter((m: { email: string | null }) => m.email !== null)).toHaveLength(1);
    }
    // A coordinator's role change and removal answer with the list as the coordinator sees it.
    const changed = await coordinator.patch(`/api/plans/${planId}/members/${nina.userId}`, { role: 'observer' });
    expect(emails(changed.body)['Nina Lawyer']).toBe('nina@ngo.example');
    // Made a coordinator, Pavel now sees everyone's address.
    await coordinator.patch(`/api/plans/${planId}/members/${drafter.userId}`, { role: 'coordinator' });
    expect(emails((await drafter.client.get(`/api/plans/${planId}/members`)).body)['Nina Lawyer']).toBe('nina@ngo.example');
  });

  it('changes roles and removes members, announcing access changes', async () => {
    const nina = await addMember(server, coordinator, planId, 'commenter', NGO);
    const access = recordAccess();
    const plan: unknown[] = [];
    server.events.on('plan', (p, e) => plan.push([p, e]));

    const up = await coordinator.patch(`/api/plans/${planId}/members/${nina.userId}`, { role: 'drafter' });
    expect(up.status).toBe(200);
    expect((await nina.client.get('/api/plans')).body[0].role).toBe('drafter');
    expect(access).toEqual([[planId, nina.userId, 'drafter']]);
    // Nina is told her role changed: her notices are announced too.
    expect(plan).toEqual([
      [planId, { type: 'members' }],
      [planId, { type: 'notifications' }],
    ]);

    // Only coordinators manage members.
    expect((await nina.client.patch(`/api/plans/${planId}/members/${nina.userId}`, { role: 'coordinator' })).status).toBe(403);
    expect((await coordinator.patch(`/api/plans/${planId}/members/${nina.userId}`, { role: 'boss' })).status).toBe(400);

    const removed = await coordinator.delete(`/api/plans/${planId}/members/${nina.userId}`);
    expect(removed.status).toBe(200);
    expect(access).toEqual([
      [planId, nina.userId, 'drafter'],
      [planId, nina.userId, null],
    ]);
    expect((await nina.client.get(`/api/plans/${planId}`)).status).toBe(404);
    expect((await coordinator.delete(`/api/plans/${planId}/members/${nina.userId}`)).status).toBe(404);
  });

  it('tells a removed member who removed them, and keeps that notice once the plan’s others are out of reach', async () => {
    const nina = await addMember(server, coordinator, planId, 'drafter', NGO);
    const ales = await addMember(server, coordinator, planId, 'drafter', { name: 'Ales Bialiatski', email: 'ales@spring96.example', organisation: { name: 'Viasna (in exile)', side: 'civil_society' } });
    // Nina's role changes (a notice of this plan), then she is removed.
    expect((await coordinator.patch(`/api/plans/${planId}/members/${nina.userId}`, { role: 'commenter' })).status).toBe(200);
    expect((await coordinator.delete(`/api/plans/${planId}/members/${nina.userId}`)).status).toBe(200);

    const notices = (await nina.client.get('/api/notifications')).body.map((n: unknown) => NotificationSchema.parse(n));
    // The plan's other notices went with its pages; this one says who, and which plan.
    expect(notices.map((n: { kind: string }) => n.kind)).toEqual(['removed_from_plan']);
    expect(notices[0]).toMatchObject({
      planId,
      link: null,
      readAt: null,
      text: { key: 'removed_from_plan', params: { who: 'Olga Coordinator', organisation: 'Ministry of Foreign Affairs', plan: 'National Human Rights Plan 2026–2030' } },
    });
    expect(notices[0].summary).toContain('Olga Coordinator (Ministry of Foreign Affairs) removed you from the plan “National Human Rights Plan 2026–2030”');
    // She can still mark it read.
    expect((await nina.client.post('/api/notifications/read', { ids: [notices[0].id] })).status).toBe(204);
    expect((await nina.client.get('/api/notifications')).body[0].readAt).not.toBeNull();

    // Someone who leaves by themself (a coordinator, here) is not told what they did.
    const coordinatorAles = await coordinator.patch(`/api/plans/${planId}/members/${ales.userId}`, { role: 'coordinator' });
    expect(coordinatorAles.status).toBe(200);
    expect((await ales.client.delete(`/api/plans/${planId}/members/${ales.userId}`)).status).toBe(200);
    expect(((await ales.client.get('/api/notifications')).body as Array<{ kind: string }>).map((n) => n.kind)).toEqual([]);
  });

  it('any member may leave the plan by themself, on the record; the last coordinator may not', async () => {
    const nina = await addMember(server, coordinator, planId, 'commenter', NGO);
    const access = recordAccess();
    expect((await nina.client.post(`/api/plans/${planId}/leave`, {})).status).toBe(204);
    expect(access).toEqual([[planId, nina.userId, null]]);
    expect((await nina.client.get(`/api/plans/${planId}`)).status).toBe(404);
    expect((await nina.client.post(`/api/plans/${planId}/leave`, {})).status).toBe(404);
    // The audit log has it in her own name; nobody tells her what she did herself.
    const audit = await server.sql.rows(
      rowShape({ actor: col.text, action: col.text }),
      sql`SELECT actor_name AS actor, action FROM audit_log WHERE plan_id = ${planId} AND action = 'member.removed'`,
    );
    expect(audit).toEqual([{ actor: 'Nina Lawyer', action: 'member.removed' }]);
    expect((await nina.client.get('/api/notifications')).body).toEqual([]);

    const last = await coordinator.post(`/api/plans/${planId}/leave`, {});
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('last_coordinator');
  });

  it('protects the last coordinator from demotion and removal', async () => {
    const me = (await coordinator.get('/api/auth/me')).body.user.id as string;
    const access = recordAccess();
    const demote = await coordinator.patch(`/api/plans/${planId}/members/${me}`, { role: 'drafter' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last_coordinator');
    const remove = await coordinator.delete(`/api/plans/${planId}/members/${me}`);
    expect(remove.status).toBe(409);
    expect(remove.body.error.code).toBe('last_coordinator');
    expect(access).toEqual([]);

    // With a second coordinator, the first may step down.
    const nina = await addMember(server, coordinator, planId, 'coordinator', NGO);
    expect((await coordinator.patch(`/api/plans/${planId}/members/${me}`, { role: 'observer' })).status).toBe(200);
    expect(access).toEqual([[planId, me, 'observer']]);
    const last = await nina.client.delete(`/api/plans/${planId}/members/${nina.userId}`);
    expect(last.status).toBe(409);
  });
});

describe('invites', () => {
  it('creates an invite link shown once, lists it as pending, and describes it to the invitee', async () => {
    const res = await coordinator.post(`/api/plans/${planId}/invites`, { role: 'drafter' });
    expect(res.status).toBe(201);
    const invite = CreatedInviteSchema.parse(res.body);
    expect(invite.url).toBe(`${server.url}/invite/${invite.token}`);
    expect(invite.createdBy).toBe('Olga Coordinator');
    const days = (Date.parse(invite.expiresAt) - Date.parse(invite.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(Limits.inviteDays, 3);
    // Only the hash is stored.
    const stored = await server.sql.theRow(rowShape({ h: col.text }), sql`SELECT token_hash AS h FROM invites WHERE id = ${invite.id}`);
    expect(stored.h).toBe(hashToken(invite.token));
    expect(await allInvites()).not.toContain(invite.token);

    const pending = await coordinator.get(`/api/plans/${planId}/invites`);
    expect(pending.body).toEqual([
      {
        id: invite.id,
        role: 'drafter',
        note: '',
        url: invite.url,
        organisation: null,
        createdBy: 'Olga Coordinator',
        createdAt: invite.createdAt,
        expiresAt: invite.expiresAt,
      },
    ]);

    const info = await new ApiClient(server.url).get(`/api/invites/${invite.token}`);
    expect(info.status).toBe(200);
    expect(InviteInfoSchema.parse(info.body)).toMatchObject({
      planTitle: 'National Human Rights Plan 2026–2030',
      country: 'Belarus',
      role: 'drafter',
      invitedBy: 'Olga Coordinator',
      invitedByOrganisation: 'Ministry of Foreign Affairs',
    });
    // Existing organisations are not offered: joining one takes an invite that names it.
    expect(info.body.organisations).toEqual([]);
    expect(info.body.organisation).toBeNull();
  });

  it('carries the coordinator\'s note and stays listed with its link until used, expired or revoked', async () => {
    const make = async (role: Role, note?: string) => {
      const res = await coordinator.post(`/api/plans/${planId}/invites`, note === undefined ? { role } : { role, note });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return CreatedInviteSchema.parse(res.body);
    };
    const maryna = await make('drafter', '  Maryna Ivanova, Belarusian Helsinki Committee  ');
    expect(maryna.note).toBe('Maryna Ivanova, Belarusian Helsinki Committee');
    const ombuds = await make('observer', 'Ombudsperson office, for the consultation');
    const used = await make('commenter', 'Nina (Lawtrend)');
    const expiring = await make('observer', 'Expires soon');
    const revoked = await make('observer', 'Sent to the wrong address');
    const tooLong = await coordinator.post(`/api/plans/${planId}/invites`, { role: 'observer', note: 'x'.repeat(Limits.inviteNoteLength + 1) });
    expect(tooLong.status).toBe(400);

    const list = async () => (await coordinator.get(`/api/plans/${planId}/invites`)).body as Array<{ id: string; note: string; url: string | null }>;
    // Every pending invite is listed with its note and the very link made for it, not only the newest.
    expect((await list()).map((i) => [i.note, i.url])).toEqual([
      ['Sent to the wrong address', revoked.url],
      ['Expires soon', expiring.url],
      ['Nina (Lawtrend)', used.url],
      ['Ombudsperson office, for the consultation', ombuds.url],
      ['Maryna Ivanova, Belarusian Helsinki Committee', maryna.url],
    ]);
    // The listed link is the working one.
    const listedLink = (await list()).find((i) => i.id === maryna.id)!.url!;
    const info = await new ApiClient(server.url).get(`/api/invites/${listedLink.split('/').at(-1)}`);
    expect(info.status).toBe(200);
    expect(info.body.role).toBe('drafter');
    // Still only hashes in the database.
    const stored = await allInvites();
    for (const inv of [maryna, ombuds, used]) expect(stored).not.toContain(inv.token);

    expect((await new ApiClient(server.url).post(`/api/invites/${used.token}/accept`, { account: { ...NGO, password: MEMBER_PASSWORD } })).status).toBe(200);
    await server.sql.run(sql`UPDATE invites SET expires_at = ${new Date(Date.now() - 1000).toISOString()} WHERE id = ${expiring.id}`);
    expect((await coordinator.delete(`/api/plans/${planId}/invites/${revoked.id}`)).status).toBe(204);
    expect((await list()).map((i) => i.note)).toEqual(['Ombudsperson office, for the consultation', 'Maryna Ivanova, Belarusian Helsinki Committee']);

    // The audit log names the invite by its note, when made and when revoked.
    const audit = (await coordinator.get(`/api/plans/${planId}/audit`)).body.items as Array<{ action: string; summary: string; details: Record<string, unknown> }>;
    expect(audit.find((e) => e.action === 'invite.revoked')).toMatchObject({
      summary: 'Olga Coordinator revoked an invite link for an observer (“Sent to the wrong address”)',
      details: { note: 'Sent to the wrong address' },
    });
    expect(audit.filter((e) => e.action === 'invite.created').map((e) => e.details.note)).toContain('Maryna Ivanova, Belarusian Helsinki Committee');
    // Drafters see no invites, notes or links.
    const drafter = await addMember(server, coordinator, planId, 'drafter', { name: 'Pavel', email: 'pavel@x.example', organisation: { name: 'MoJ', side: 'government' } });
    expect((await drafter.client.get(`/api/plans/${planId}/invites`)).status).toBe(403);
  });

  it('keeps the same links across a restart of the server', async () => {
    const invite = CreatedInviteSchema.parse((await coordinator.post(`/api/plans/${planId}/invites`, { role: 'drafter', note: 'Before restart' })).body);
    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ dataDir });
    const again = new ApiClient(server.url);
    expect((await again.post('/api/auth/sign-in', { email: 'olga@mfa.example', password: COORDINATOR_PASSWORD })).status).toBe(200);
    const listed = (await again.get(`/api/plans/${planId}/invites`)).body;
    expect(listed[0].url.split('/').at(-1)).toBe(invite.token);
    expect((await new ApiClient(server.url).get(`/api/invites/${invite.token}`)).status).toBe(200);
  });

  it('works once: a second use answers invite_invalid', async () => {
    const invite = (await coordinator.post(`/api/plans/${planId}/invites`, { role: 'commenter' })).body;
    const nina = new ApiClient(server.url);
    const accepted = await nina.post(`/api/invites/${invite.token}/accept`, { account: { ...NGO, password: MEMBER_PASSWORD } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ planId });
    expect((await nina.get('/api/auth/me')).body.organisation).toMatchObject({ name: 'Lawtrend', side: 'civil_society' });
    expect((await nina.get('/api/plans')).body[0]).toMatchObject({ id: planId, role: 'commenter' });

    const again = await new ApiClient(server.url).post(`/api/invites/${invite.token}/accept`, {
      account: { ...NGO, email: 'second@ngo.example', password: MEMBER_PASSWORD, organisation: { id: (await nina.get('/api/auth/me')).body.organisation.id } },
    });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('invite_invalid');
    expect((await new ApiClient(server.url).get(`/api/invites/${invite.token}`)).status).toBe(404);
    expect((await coordinator.get(`/api/plans/${planId}/invites`)).body).toEqual([]);
    // The failed attempt created nobody.
    expect(await server.sql.row(rowShape({ one: col.int }), sql`SELECT 1 AS one FROM users WHERE email = ${'second@ngo.example'}`)).toBeUndefined();
  });

  it('answers the same 404 for unknown, expired and revoked links', async () => {
    const messages = new Set<string>();
    const unknown = await new ApiClient(server.url).get('/api/invites/not-a-real-token');
    expect(unknown.status).toBe(404);
    messages.add(unknown.body.error.message);

    const expired = (await coordinator.post(`/api/plans/${planId}/invites`, { role: 'observer' })).body;
    await server.sql.run(sql`UPDATE invites SET expires_at = ${'2000-01-01T00:00:00.000Z'} WHERE id = ${expired.id}`);
    for (const res of [
      await new ApiClient(server.url).get(`/api/invites/${expired.token}`),
      await new ApiClient(server.url).post(`/api/invites/${expired.token}/accept`, { account: { ...NGO, password: MEMBER_PASSWORD } }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('invite_invalid');
      messages.add(res.body.error.message);
    }
    expect((await coordinator.get(`/api/plans/${planId}/invites`)).body).toEqual([]);

    const revoked = (await coordinator.post(`/api/plans/${planId}/invites`, { role: 'observer' })).body;
    expect((await coordinator.delete(`/api/plans/${planId}/invites/${revoked.id}`)).status).toBe(204);
    const res = await new ApiClient(server.url).get(`/api/invites/${revoked.token}`);
    expect(res.status).toBe(404);
    messages.add(res.body.error.message);
    expect(messages.size).toBe(1);
  });

  it('refuses an e-mail that already has an account, and keeps the invite usable', async () => {
    const invite = (await coordinator.post(`/api/plans/${planId}/invites`, { role: 'drafter' })).body;
    const taken = await new ApiClient(server.url).post(`/api/invites/${invite.token}/accept`, {
      account: { ...NGO, email: 'OLGA@mfa.example', password: MEMBER_PASSWORD },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('email_taken');
    // Nothing half-done: no organisation was created and the link still works.
    expect(await server.sql.row(rowShape({ one: col.int }), sql`SELECT 1 AS one FROM organisations WHERE name = ${'Lawtrend'}`)).toBeUndefined();
    expect((await new ApiClient(server.url).get(`/api/invites/${invite.token}`)).status).toBe(200);
  });

  it('lets a signed-in person join with {} and refuses people already in the plan', async () => {
    const nina = await addMember(server, coordinator, planId, 'observer', NGO);
    const other = await coordinator.post('/api/plans', { title: 'Second plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    const invite = (await coordinator.post(`/api/plans/${other.body.id}/invites`, { role: 'drafter' })).body;
    expect((await new ApiClient(server.url).post(`/api/invites/${invite.token}/accept`, {})).status).toBe(401);
    const joined = await nina.client.post(`/api/invites/${invite.token}/accept`, {});
    expect(joined.status).toBe(200);
    expect(joined.body).toEqual({ planId: other.body.id });
    expect((await nina.client.get('/api/plans')).body.map((p: { role: Role }) => p.role).sort()).toEqual(['drafter', 'observer']);

    const again = (await coordinator.post(`/api/plans/${planId}/invites`, { role: 'coordinator' })).body;
    const dup = await nina.client.post(`/api/invites/${again.token}/accept`, {});
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('already_member');
  });

  it('an invitation naming an organisation is not taken by someone signed in as another organisation', async () => {
    const nina = await addMember(server, coordinator, planId, 'observer', NGO);
    const other = await coordinator.post('/api/plans', { title: 'Second plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    const mfa = (await coordinator.get('/api/auth/me')).body.organisation.id as string;
    const seat = (await coordinator.post(`/api/plans/${other.body.id}/invites`, { role: 'coordinator', organisationId: mfa, note: 'Deputy minister' })).body;
    // Nina (an NGO) holds the ministry's link: she may not take the seat in her NGO's name.
    const taken = await nina.client.post(`/api/invites/${seat.token}/accept`, {});
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('invite_other_organisation');
    expect((await nina.client.get('/api/plans')).body).toHaveLength(1);
    // The link still works for the person it was meant for.
    const deputy = new ApiClient(server.url);
    const account = { name: 'Deputy Minister', email: 'deputy@mfa.example', password: MEMBER_PASSWORD };
    expect((await deputy.post(`/api/invites/${seat.token}/accept`, { account })).status).toBe(200);
    expect((await deputy.get('/api/auth/me')).body.organisation.id).toBe(mfa);
  });

  it('lets only coordinators manage invites', async () => {
    const nina = await addMember(server, coordinator, planId, 'drafter', NGO);
    expect((await nina.client.post(`/api/plans/${planId}/invites`, { role: 'coordinator' })).status).toBe(403);
    expect((await nina.client.get(`/api/plans/${planId}/invites`)).status).toBe(403);
  });
});

describe('invites made by a coordinator who has since been removed', () => {
  it('no longer let anyone in, so a removed coordinator cannot come back through their own link', async () => {
    const { startTestServer: start } = await import('../helpers/server.ts');
    const { setUpWorkspace: setUp, addMember: add } = await import('../helpers/workspace.ts');
    const { ApiClient: Client } = await import('../helpers/api.ts');
    const s = await start();
    try {
      const { coordinator, planId } = await setUp(s);
      const bob = await add(s, coordinator, planId, 'coordinator', {
        name: 'Bob Coordinator',
        email: 'bob@mfa.example',
        organisation: { name: 'Ministry of Justice', side: 'government' },
      });
      const link = await bob.client.post(`/api/plans/${planId}/invites`, { role: 'coordinator' });
      expect(link.status).toBe(201);
      expect((await coordinator.delete(`/api/plans/${planId}/members/${bob.userId}`)).status).toBeLessThan(300);

      const stranger = new Client(s.url);
      expect((await stranger.get(`/api/invites/${link.body.token}`)).status).toBe(404);
      const accepted = await stranger.post(`/api/invites/${link.body.token}/accept`, {
        account: {
          name: 'Bob Again',
          email: 'bob2@elsewhere.example',
          password: 'a long enough password',
          organisation: { name: 'Front Organisation', side: 'civil_society' },
        },
      });
      expect(accepted.status).toBe(404);
      expect((await coordinator.get(`/api/plans/${planId}/invites`)).body).toEqual([]);
    } finally {
      await s.destroy();
    }
  });
});

describe('affiliation is the coordinator’s call', () => {
  it('an invite can name the organisation; without one, nobody joins an existing organisation by themselves', async () => {
    const { startTestServer: start } = await import('../helpers/server.ts');
    const { setUpWorkspace: setUp } = await import('../helpers/workspace.ts');
    const { ApiClient: Client } = await import('../helpers/api.ts');
    const s = await start();
    try {
      const { coordinator, planId } = await setUp(s);
      const ministry = (await coordinator.get('/api/auth/me')).body.organisation;
      const account = { name: 'Ivan', email: 'ivan@interior.example', password: 'a long enough password' };

      // Without an organisation on the invite: the list of existing ones is not offered, and
      // claiming the ministry's id is refused; naming a new organisation works.
      const open = (await coordinator.post(`/api/plans/${planId}/invites`, { role: 'drafter' })).body;
      const info = await new Client(s.url).get(`/api/invites/${open.token}`);
      expect(info.body).toMatchObject({ organisation: null, organisations: [] });
      const claim = await new Client(s.url).post(`/api/invites/${open.token}/accept`, { account: { ...account, organisation: { id: ministry.id } } });
      expect(claim.status).toBe(400);
      expect(claim.body.error.fields['account.organisation.id']).toBe('organisation_invitation_needed');
      expect(await s.sql.row(rowShape({ one: col.int }), sql`SELECT 1 AS one FROM users WHERE email = ${account.email}`)).toBeUndefined();

      // With the ministry named on the invite, the invitee joins it whatever the form says.
      const named = await coordinator.post(`/api/plans/${planId}/invites`, { role: 'drafter', organisationId: ministry.id });
      expect(named.status).toBe(201);
      expect(named.body.organisation).toMatchObject({ id: ministry.id, side: 'government' });
      const ivan = new Client(s.url);
      expect((await ivan.get(`/api/invites/${named.body.token}`)).body.organisation).toMatchObject({ name: ministry.name });
      const joined = await ivan.post(`/api/invites/${named.body.token}/accept`, {
        account: { ...account, organisation: { name: 'Something Else', side: 'civil_society' } },
      });
      expect(joined.status).toBe(200);
      expect((await ivan.get('/api/auth/me')).body.organisation).toMatchObject({ id: ministry.id, side: 'government' });

      // An organisation outside the plan cannot be named.
      const stray = await coordinator.post(`/api/plans/${planId}/invites`, { role: 'drafter', organisationId: 'AAAAAAAAAAAAAAAAAAAAAA' });
      expect(stray.status).toBe(400);
    } finally {
      await s.destroy();
    }
  });
});
