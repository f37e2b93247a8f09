import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import {
  AuditEntrySchema,
  DissentingPositionSchema,
  MemberSchema,
  NotificationSchema,
  PlanOrganisationSchema,
  SectionAgreementSchema,
  type SectionAgreement,
} from '../../shared/api/index.ts';

/**
 * What makes a signature mean something: only organisations a coordinator verified count; a
 * signature ended by someone's edit ends on the record, naming them, and its signer is told;
 * reservations stand beside signatures; dissent is recorded in the plan, not outside it.
 */
let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;
const peers: Peer[] = [];

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
});
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server.destroy();
});

const plan = () => `/api/plans/${planId}`;
const NGO = { name: 'Nina Lawyer', email: 'nina@hrc.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' as const } };
const SELF_DECLARED = { name: 'Viktar Impostor', email: 'viktar@mail.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };

async function agreement(client: ApiClient = coordinator): Promise<SectionAgreement> {
  const res = await client.get(`${plan()}/sections/${sectionId}/agreement`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return SectionAgreementSchema.parse(res.body);
}

async function signAs(client: ApiClient, reservation?: string) {
  const { currentHash } = await agreement(client);
  return client.post(`${plan()}/sections/${sectionId}/signoffs`, { contentHash: currentHash, ...(reservation ? { reservation } : {}) });
}

async function audit(action: string) {
  const res = await coordinator.get(`${plan()}/audit?action=${action}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.entries ?? res.body.items ?? res.body).map((e: unknown) => AuditEntrySchema.parse(e));
}

async function notices(client: ApiClient) {
  const res = await client.get('/api/notifications');
  expect(res.status).toBe(200);
  return (res.body as unknown[]).map((n) => NotificationSchema.parse(n));
}

describe('verified organisations', () => {
  it('a self-declared "Ministry" cannot make a section agreed; once a coordinator verifies it, it can; both steps are on the record', async () => {
    const ngo = await addMember(server, coordinator, planId, 'drafter', NGO);
    const impostor = await addMember(server, coordinator, planId, 'drafter', SELF_DECLARED, { verify: false });

    // Everyone sees that the "Ministry of Justice" is unverified.
    const members = (await ngo.client.get(`${plan()}/members`)).body.map((m: unknown) => MemberSchema.parse(m));
    expect(members.find((m: { name: string }) => m.name === SELF_DECLARED.name)?.organisationVerified).toBe(false);
    expect(members.find((m: { name: string }) => m.name === NGO.name)?.organisationVerified).toBe(true);
    const orgs = (await ngo.client.get(`${plan()}/organisations`)).body.map((o: unknown) => PlanOrganisationSchema.parse(o));
    expect(orgs.find((o: { name: string }) => o.name === 'Ministry of Justice')).toMatchObject({ verified: false, verifiedBy: null });
    expect(orgs.find((o: { name: string }) => o.name === 'Ministry of Foreign Affairs')).toMatchObject({ verified: true, verifiedBy: 'set-up' });

    // The impostor's signature is refused with the reason; the NGO's alone does not agree the section.
    const refused = await signAs(impostor.client);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('organisation_unverified');
    expect(refused.body.error.message).toContain('Ministry of Justice has not been verified by a coordinator');
    expect((await signAs(ngo.client)).status).toBe(201);
    const pending = await agreement();
    expect(pending.status).toBe('in_review');
    expect(pending.missing).toEqual(['government']);

    const refusals = await audit('section.signoff_refused');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ actorName: SELF_DECLARED.name, actorOrganisation: 'Ministry of Justice' });

    // A coordinator vouches for it (after checking who they are): now the same person's signature agrees it.
    const verified = await coordinator.post(`${plan()}/organisations/${impostor.organisationId}/verification`, {});
    expect(verified.status, JSON.stringify(verified.body)).toBe(201);
    expect(PlanOrganisationSchema.parse(verified.body)).toMatchObject({ name: 'Ministry of Justice', verified: true, verifiedBy: 'Olga Coordinator' });
    expect((await signAs(impostor.client)).status).toBe(201);
    const agreed = await agreement();
    expect(agreed.status).toBe('agreed');
    expect(agreed.signoffs.filter((s) => s.withdrawnAt === null).map((s) => [s.organisation, s.organisationVerified])).toEqual([
      ['Human Rights Centre', true],
      ['Ministry of Justice', true],
    ]);

    const verifications = await audit('organisation.verified');
    expect(verifications.map((e: { summary: string }) => e.summary)).toContain(
      'Olga Coordinator verified Ministry of Justice as a government organisation',
    );
    const verifiedAt = verifications.find((e: { targetId: string | null }) => e.targetId === impostor.organisationId)!.id;
    expect(refusals[0].id).toBeLessThan(verifiedAt);
    // The member learns that their organisation now counts.
    expect((await notices(impostor.client)).map((n) => n.kind)).toContain('organisation_verified');
  });

  it('signatures of an organisation whose verification is withdrawn stop counting; nobody vouches for their own', async () => {
    const ngo = await addMember(server, coordinator, planId, 'drafter', NGO);
    expect((await signAs(ngo.client)).status).toBe(201);
    const own = await coordinator.post(`${plan()}/organisations/${(await coordinator.get('/api/auth/me')).body.organisation.id}/verification`, {});
    expect(own.status).toBe(409); // the creator's organisation is verified by set-up already
    const withdraw = await coordinator.request('DELETE', `${plan()}/organisations/${ngo.organisationId}/verification`, {
      reason: 'The organisation could not show its registration.',
    });
    expect(withdraw.status, JSON.stringify(withdraw.body)).toBe(200);
    const now = await agreement();
    expect(now.signoffs[0]).toMatchObject({ organisation: 'Human Rights Centre', organisationVerified: false, withdrawnAt: null });
    expect(now.missing).toContain('civil_society');
    // A drafter of the NGO cannot vouch for anyone.
    expect((await ngo.client.post(`${plan()}/organisations/${ngo.organisationId}/verification`, {})).status).toBe(403);
    expect((await audit('organisation.unverified'))[0].summary).toContain('The organisation could not show its registration.');
  });
});

describe('signatures end visibly', () => {
  it('an edit of the text withdraws a signature at once, naming who edited; the signer is told; the audit log has it', async () => {
    const ngo = await addMember(server, coordinator, planId, 'drafter', NGO);
    const olga = connectPeer(server.url, coordinator, sectionId);
    peers.push(olga);
    await olga.synced();
    olga.typeParagraph('Torture is prohibited.');
    await eventually(() => expect(olga.isSaved()).toBe(true));
    expect((await signAs(coordinator)).status).toBe(201);

    const nina = connectPeer(server.url, ngo.client, sectionId);
    peers.push(nina);
    await nina.synced();
    nina.typeParagraph('Including in police custody.');
    await eventually(() => expect(nina.isSaved()).toBe(true));

    // Nobody has to open the section for the withdrawal to happen.
    await eventually(async () => {
      const entries = await audit('section.signoff_withdrawn');
      expect(entries).toHaveLength(1);
      expect(entries[0].summary).toBe(
        'The signature of Olga Coordinator (Ministry of Foreign Affairs) on “Purpose and scope” was withdrawn: Nina Lawyer changed the section after it was signed.',
      );
    });
    const [signature] = (await agreement(ngo.client)).signoffs;
    expect(signature).toMatchObject({ name: 'Olga Coordinator', withdrawnByName: 'Nina Lawyer' });
    expect(signature!.withdrawnAt).not.toBeNull();
    const [notice] = await notices(coordinator);
    expect(notice).toMatchObject({ kind: 'signoff_withdrawn', readAt: null, link: `/plans/${planId}/sections/${sectionId}` });
    expect(notice!.summary).toContain('Nina Lawyer changed the section after it was signed.');
    expect((await coordinator.post('/api/notifications/read', {})).status).toBe(204);
    expect((await notices(coordinator))[0]!.readAt).not.toBeNull();
    // Notices are one's own: Nina's are only about her organisation's verification.
    expect((await notices(ngo.client)).map((n) => n.kind)).toEqual(['organisation_verified']);
  });

  it('a change of an action withdraws signatures too, naming who changed it', async () => {
    const ngo = await addMember(server, coordinator, planId, 'drafter', NGO);
    expect((await signAs(ngo.client)).status).toBe(201);
    const action = await coordinator.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Introduce a moratorium on executions' });
    expect(action.status).toBe(201);
    await eventually(async () => expect((await agreement(ngo.client)).signoffs[0]).toMatchObject({ withdrawnByName: 'Olga Coordinator' }));
    expect((await notices(ngo.client)).map((n) => n.kind)).toEqual(['signoff_withdrawn', 'organisation_verified']);
  });
});

describe('reservations and dissent', () => {
  it('a signature can carry a reservation, which counts and stands beside it', async () => {
    const ngo = await addMember(server, coordinator, planId, 'drafter', NGO);
    const reservation = 'We sign on the understanding that "custody" includes administrative detention.';
    expect((await signAs(ngo.client, reservation)).status).toBe(201);
    expect((await signAs(coordinator)).status).toBe(201);
    const agreed = await agreement();
    expect(agreed.status).toBe('agreed');
    expect(agreed.signoffs.find((s) => s.name === NGO.name)?.reservation).toBe(reservation);
    expect((await audit('section.signed')).map((e: { summary: string }) => e.summary)).toContain(
      `Nina Lawyer (Human Rights Centre) signed “Purpose and scope” with a reservation: ${reservation}`,
    );
  });

  it('a verified organisation records a dissenting position on a section or an action; only it can withdraw it, and the record keeps it', async () => {
    const ngo = await addMember(server, coordinator, planId, 'commenter', NGO);
    const other = await addMember(server, coordinator, planId, 'drafter', SELF_DECLARED, { verify: false });
    const action = await coordinator.post(`${plan()}/sections/${sectionId}/actions`, { title: 'Train 200 police officers' });

    const unverified = await other.client.post(`${plan()}/sections/${sectionId}/positions`, { text: 'We object to this provision entirely.' });
    expect(unverified.status).toBe(403);
    expect(unverified.body.error.code).toBe('organisation_unverified');

    const text = 'Training alone does not prevent torture: an independent complaints body is needed.';
    const recorded = await ngo.client.post(`${plan()}/sections/${sectionId}/positions`, { text, actionId: action.body.id });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(DissentingPositionSchema.parse(recorded.body)).toMatchObject({
      organisation: 'Human Rights Centre',
      side: 'civil_society',
      author: 'Nina Lawyer',
      actionTitle: 'Train 200 police officers',
      text,
      withdrawnAt: null,
    });
    expect((await ngo.client.post(`${plan()}/sections/${sectionId}/positions`, { text: 'Too short' })).status).toBe(400);

    // The ministry cannot make the NGO's dissent disappear.
    expect((await coordinator.post(`${plan()}/positions/${recorded.body.id}/withdraw`, {})).status).toBe(403);
    const listed = (await coordinator.get(`${plan()}/sections/${sectionId}/positions`)).body.map((p: unknown) => DissentingPositionSchema.parse(p));
    expect(listed.map((p: { text: string }) => p.text)).toEqual([text]);

    const withdrawn = await ngo.client.post(`${plan()}/positions/${recorded.body.id}/withdraw`, {});
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawnAt).not.toBeNull();
    expect((await coordinator.get(`${plan()}/sections/${sectionId}/positions`)).body).toHaveLength(1);
    expect((await audit('dissent.recorded'))[0].summary).toContain(text);
    expect(await audit('dissent.withdrawn')).toHaveLength(1);
  });
});
