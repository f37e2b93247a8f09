/**
 * Each side answers for its own organisations and people. A coordinator of an unverified
 * organisation vouches for nobody; the government's coordinator brings in civil society's first
 * coordinator, and from then on only civil society verifies civil-society organisations, changes
 * their members' roles or removes them — and the reverse. People hear when their role changes,
 * and signers hear when a reopening withdraws their signature.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient } from '../helpers/api.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { NotificationSchema } from '../../shared/api/index.ts';

let server: TestServer;
let olga: ApiClient;
let planId: string;
let sectionId: string;
const plan = () => `/api/plans/${planId}`;

const ANDREI = { name: 'Andrei Coordinator', email: 'andrei@hrh.example', organisation: { name: 'Human Rights House', side: 'civil_society' as const } };
const NINA = { name: 'Nina Lawyer', email: 'nina@legal.example', organisation: { name: 'Legal Initiative', side: 'civil_society' as const } };
const PAVEL = { name: 'Pavel Drafter', email: 'pavel@justice.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator: olga, planId, sectionId } = await setUpWorkspace(server));
});
afterEach(async () => {
  await server.destroy();
});

const auditCount = async () => (await server.sql.theRow(z.object({ n: z.number() }), sql`SELECT count(*) AS n FROM audit_log`)).n;
const verified = async (organisationId: string) =>
  (await server.sql.row(
    z.object({ one: z.number() }),
    sql`SELECT 1 AS one FROM organisation_verifications WHERE plan_id = ${planId} AND organisation_id = ${organisationId}`,
  )) !== undefined;
const mfaId = async () => (await olga.get('/api/auth/me')).body.organisation.id as string;
const notices = async (client: ApiClient) => ((await client.get('/api/notifications')).body as unknown[]).map((n) => NotificationSchema.parse(n));

describe('each side answers for its own', () => {
  it('an unverified coordinator vouches for nobody; the first civil-society coordinator is brought in, then civil society verifies its own', async () => {
    const andrei = await addMember(server, olga, planId, 'coordinator', ANDREI, { verify: false });
    const nina = await addMember(server, olga, planId, 'drafter', NINA, { verify: false });
    const before = await auditCount();

    // Andrei's own organisation is unverified: he cannot vouch for anyone, nor withdraw the ministry's verification.
    const refused = await andrei.client.post(`${plan()}/organisations/${nina.organisationId}/verification`, {});
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('actor_unverified');
    const unverify = await andrei.client.request('DELETE', `${plan()}/organisations/${await mfaId()}/verification`, { reason: 'We do not trust them' });
    expect(unverify.status).toBe(403);
    expect(await verified(await mfaId())).toBe(true);
    expect(await auditCount()).toBe(before);

    // Civil society has no verified coordinator yet: Olga may bring its first one in.
    expect((await olga.post(`${plan()}/organisations/${andrei.organisationId}/verification`, {})).status).toBe(201);
    // From now on, civil society vouches for its own organisations, not the government.
    const olgaRefused = await olga.post(`${plan()}/organisations/${nina.organisationId}/verification`, {});
    expect(olgaRefused.status).toBe(403);
    expect(olgaRefused.body.error.code).toBe('other_side');
    expect(olgaRefused.body.error.message).toContain('Only a coordinator of civil society');
    expect(await verified(nina.organisationId)).toBe(false);
    expect((await andrei.client.post(`${plan()}/organisations/${nina.organisationId}/verification`, {})).status).toBe(201);
    // Nor does civil society withdraw the government's verification.
    const back = await andrei.client.request('DELETE', `${plan()}/organisations/${await mfaId()}/verification`, { reason: 'We do not trust them' });
    expect(back.status).toBe(403);
    expect(back.body.error.code).toBe('other_side');
    expect(await verified(await mfaId())).toBe(true);
  });

  it('the government cannot demote or remove civil society’s people, nor the reverse; each manages its own, and the person is told', async () => {
    // (Nina first: once Andrei is civil society's verified coordinator, only he may vouch for her organisation.)
    const nina = await addMember(server, olga, planId, 'drafter', NINA);
    const andrei = await addMember(server, olga, planId, 'coordinator', ANDREI);
    const pavel = await addMember(server, olga, planId, 'drafter', PAVEL);

    const demote = await olga.patch(`${plan()}/members/${andrei.userId}`, { role: 'observer' });
    expect(demote.status).toBe(403);
    expect(demote.body.error.code).toBe('other_side');
    expect((await olga.delete(`${plan()}/members/${nina.userId}`)).status).toBe(403);
    expect((await andrei.client.patch(`${plan()}/members/${pavel.userId}`, { role: 'observer' })).status).toBe(403);
    const roles = await server.sql.rows(z.object({ u: z.string(), role: z.string() }), sql`SELECT user_id AS u, role FROM plan_members WHERE plan_id = ${planId} ORDER BY role`);
    expect(roles).toContainEqual({ u: andrei.userId, role: 'coordinator' });
    expect(roles).toContainEqual({ u: nina.userId, role: 'drafter' });

    // Each side manages its own; the person hears of it.
    expect((await andrei.client.patch(`${plan()}/members/${nina.userId}`, { role: 'commenter' })).status).toBe(200);
    expect((await olga.patch(`${plan()}/members/${pavel.userId}`, { role: 'commenter' })).status).toBe(200);
    const [notice] = await notices(nina.client);
    expect(notice).toMatchObject({ kind: 'role_changed' });
    expect(notice!.summary).toBe('Andrei Coordinator (Human Rights House) changed your role in this plan from drafter to commenter.');
    // Anyone may step down themselves.
    expect((await andrei.client.patch(`${plan()}/members/${andrei.userId}`, { role: 'drafter' })).status).toBe(200);
  });

  it('an invitation in an organisation’s name follows the same rule: nobody brings in a “ministry” coordinator who then demotes the real one', async () => {
    const mfa = await mfaId();
    // Andrei coordinates for an unverified NGO: he may invite into his own organisation, into nobody else's.
    const andrei = await addMember(server, olga, planId, 'coordinator', ANDREI, { verify: false });
    const unverified = await andrei.client.post(`${plan()}/invites`, { role: 'coordinator', organisationId: mfa, note: 'Ministry coordinator' });
    expect(unverified.status).toBe(403);
    expect(unverified.body.error.code).toBe('actor_unverified');
    expect((await andrei.client.post(`${plan()}/invites`, { role: 'drafter', organisationId: andrei.organisationId })).status).toBe(201);

    // Verified, he is civil society's coordinator: the government has its own (Olga), so its organisations are not his to fill.
    expect((await olga.post(`${plan()}/organisations/${andrei.organisationId}/verification`, {})).status).toBe(201);
    const otherSide = await andrei.client.post(`${plan()}/invites`, { role: 'coordinator', organisationId: mfa, note: 'Ministry coordinator' });
    expect(otherSide.status).toBe(403);
    expect(otherSide.body.error.code).toBe('other_side');
    // Nor, now, does Olga fill civil society's organisations; her own ministry stays hers.
    expect((await olga.post(`${plan()}/invites`, { role: 'drafter', organisationId: andrei.organisationId })).body.error.code).toBe('other_side');
    expect((await olga.post(`${plan()}/invites`, { role: 'drafter', organisationId: mfa })).status).toBe(201);
    // Both may still invite someone who names a new organisation, shown unverified until vouched for.
    expect((await andrei.client.post(`${plan()}/invites`, { role: 'drafter' })).status).toBe(201);

    // No refused invitation exists, and Olga is still the coordinator.
    const named = await server.sql.theRow(
      z.object({ n: z.number() }),
      sql`SELECT count(*) AS n FROM invites WHERE plan_id = ${planId} AND organisation_id = ${mfa} AND created_by = ${andrei.userId}`,
    );
    expect(named.n).toBe(0);
    const members = (await olga.get(`${plan()}/members`)).body as Array<{ email: string | null; role: string }>;
    expect(members.find((m) => m.email === 'olga@mfa.example')?.role).toBe('coordinator');
  });

  it('another side’s coordinator neither sees nor revokes an invitation naming an organisation, so cannot open it and join as the ministry', async () => {
    const mfa = await mfaId();
    const andrei = await addMember(server, olga, planId, 'coordinator', ANDREI);
    const forMinistry = await olga.post(`${plan()}/invites`, { role: 'drafter', organisationId: mfa, note: 'Deputy minister' });
    expect(forMinistry.status).toBe(201);
    const open = await olga.post(`${plan()}/invites`, { role: 'drafter', note: 'Someone who names their organisation' });
    const forNgo = await andrei.client.post(`${plan()}/invites`, { role: 'drafter', organisationId: andrei.organisationId, note: 'Our lawyer' });

    const notes = async (client: ApiClient) => ((await client.get(`${plan()}/invites`)).body as Array<{ note: string; url: string | null }>).map((i) => i.note).sort();
    // Each side's coordinator sees the invitations into its own organisations and those naming none.
    expect(await notes(andrei.client)).toEqual(['Our lawyer', 'Someone who names their organisation']);
    expect(await notes(olga)).toEqual(['Deputy minister', 'Someone who names their organisation']);
    // Nor does a coordinator revoke another side's: it is not found, and the link still works.
    expect((await andrei.client.delete(`${plan()}/invites/${forMinistry.body.id}`)).status).toBe(404);
    expect((await olga.delete(`${plan()}/invites/${forNgo.body.id}`)).status).toBe(404);
    expect((await new ApiClient(server.url).get(`/api/invites/${forMinistry.body.token}`)).status).toBe(200);
    // Those naming no organisation stay any coordinator's.
    expect((await andrei.client.delete(`${plan()}/invites/${open.body.id}`)).status).toBe(204);
  });

  it('a reopening tells each signer their signature was withdrawn, and by whom', async () => {
    const andrei = await addMember(server, olga, planId, 'coordinator', ANDREI);
    const { currentHash } = (await olga.get(`${plan()}/sections/${sectionId}/agreement`)).body;
    expect((await olga.post(`${plan()}/sections/${sectionId}/signoffs`, { contentHash: currentHash })).status).toBe(201);
    expect((await andrei.client.post(`${plan()}/sections/${sectionId}/signoffs`, { contentHash: currentHash })).body.status).toBe('agreed');

    expect((await andrei.client.post(`${plan()}/sections/${sectionId}/reopen`, { reason: 'The ministry asked for a later deadline' })).status).toBe(200);
    const [notice] = await notices(olga);
    expect(notice).toMatchObject({ kind: 'signoff_withdrawn', link: `/plans/${planId}/sections/${sectionId}` });
    expect(notice!.summary).toContain('Andrei Coordinator (Human Rights House) reopened');
    expect(notice!.summary).toContain('Reason: The ministry asked for a later deadline');
    // The one who reopened is not told of their own act.
    expect((await notices(andrei.client)).filter((n) => n.kind === 'signoff_withdrawn')).toEqual([]);
    const agreement = (await olga.get(`${plan()}/sections/${sectionId}/agreement`)).body;
    expect(agreement.signoffs.map((s: { withdrawnReason: string }) => s.withdrawnReason)).toEqual([
      'reopened by Andrei Coordinator: The ministry asked for a later deadline',
      'reopened by Andrei Coordinator: The ministry asked for a later deadline',
    ]);
  });
});
