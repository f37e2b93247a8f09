import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { openPlanEvents } from '../helpers/events.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { SectionAgreementSchema, type PlanOutline, type SectionAgreement } from '../../shared/api/index.ts';
import { expectAuditWorded } from '../helpers/auditWords.ts';

let server: TestServer;
let coordinator: ApiClient;
let ngo: { client: ApiClient; userId: string };
let planId: string;
let sectionId: string;
let peers: Peer[] = [];

beforeEach(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  ngo = await addMember(server, coordinator, planId, 'drafter', {
    name: 'Nina Lawyer',
    email: 'nina@hrc.example',
    organisation: { name: 'Human Rights Centre', side: 'civil_society' },
  });
});
afterEach(async () => {
  for (const p of peers) p.destroy();
  peers = [];
  await server.destroy();
});

const sectionPath = (s = sectionId) => `/api/plans/${planId}/sections/${s}`;

async function agreement(client: ApiClient = coordinator, s = sectionId): Promise<SectionAgreement> {
  const res = await client.get(`${sectionPath(s)}/agreement`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return SectionAgreementSchema.parse(res.body);
}

async function typeSaved(peer: Peer, text: string): Promise<void> {
  peer.typeParagraph(text);
  await eventually(() => expect(peer.isSaved()).toBe(true));
}

async function editor(client: ApiClient = coordinator): Promise<Peer> {
  const peer = connectPeer(server.url, client, sectionId);
  peers.push(peer);
  await peer.synced();
  return peer;
}

describe('signing and agreement', () => {
  it('agrees a section only when both sides signed the current content', async () => {
    const org = await coordinator.post(`/api/plans/${planId}/organisations`, { name: 'Ministry of Interior', side: 'government' });
    const action = await coordinator.post(`${sectionPath()}/actions`, { title: 'Introduce a moratorium', leadAgencyId: org.body.id });
    expect(action.status).toBe(201);
    const peer = await editor();
    await typeSaved(peer, 'The State will abolish the death penalty.');
    const stream = await openPlanEvents(server.url, ngo.client, planId);
    const agreedEvents: string[][] = [];
    server.events.on('sectionAgreed', (...args) => agreedEvents.push(args));

    const first = await agreement();
    expect(first.status).toBe('drafting');
    expect(first.missing).toEqual(['government', 'civil_society']);

    // The government coordinator signs: in review, civil society missing.
    const signed = await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: first.currentHash });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect(signed.body.status).toBe('in_review');
    expect(signed.body.missing).toEqual(['civil_society']);
    expect((await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: first.currentHash })).status).toBe(409);
    await eventually(() => expect(stream.received).toContainEqual({ type: 'agreement', sectionId }));

    // The NGO reads, the text changes under them, they sign what they read: refused.
    const read = await agreement(ngo.client);
    await typeSaved(peer, 'Within two years.');
    const stale = await ngo.client.post(`${sectionPath()}/signoffs`, { contentHash: read.currentHash });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('content_changed');

    // They sign the new content; the coordinator's sign-off was on the old one and no longer counts.
    const now = await agreement(ngo.client);
    expect(now.currentHash).not.toBe(read.currentHash);
    const ngoSigned = await ngo.client.post(`${sectionPath()}/signoffs`, { contentHash: now.currentHash });
    expect(ngoSigned.status).toBe(201);
    expect(ngoSigned.body.status).toBe('in_review');
    expect(ngoSigned.body.missing).toEqual(['government']);
    const olgas = (ngoSigned.body as SectionAgreement).signoffs.find((s) => s.side === 'government')!;
    expect(olgas.withdrawnAt).not.toBeNull();
    expect(agreedEvents).toEqual([]);

    // The coordinator signs the current content: agreed.
    const done = await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: now.currentHash });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ status: 'agreed', missing: [], agreedHash: now.currentHash });
    expect(done.body.agreedAt).toBeTruthy();
    expect(agreedEvents).toEqual([[planId, sectionId, now.currentHash]]);

    const outline = (await ngo.client.get(`/api/plans/${planId}`)).body as PlanOutline;
    const section = outline.chapters[0]!.sections[0]!;
    expect(section.status).toBe('agreed');
    expect(section.signedBy).toEqual(
      expect.arrayContaining([
        { name: 'Nina Lawyer', organisation: 'Human Rights Centre', side: 'civil_society', verified: true },
        { name: 'Olga Coordinator', organisation: 'Ministry of Foreign Affairs', side: 'government', verified: true },
      ]),
    );
    expect(section.signedBy).toHaveLength(2);

    // Agreed: REST writes to its actions and its outline entry are refused.
    const writes = [
      await coordinator.post(`${sectionPath()}/actions`, { title: 'Another action' }),
      await coordinator.patch(`/api/plans/${planId}/actions/${action.body.id}`, { status: 'in_progress' }),
      await coordinator.post(`/api/plans/${planId}/actions/${action.body.id}/indicators`, { type: 'outcome', description: 'Executions' }),
      await coordinator.delete(`/api/plans/${planId}/actions/${action.body.id}`),
      await coordinator.patch(`${sectionPath()}`, { title: 'Renamed' }),
      await coordinator.delete(`${sectionPath()}`),
      await coordinator.post(`${sectionPath()}/status`, { status: 'drafting' }),
      await ngo.client.post(`${sectionPath()}/signoffs`, { contentHash: now.currentHash }),
    ];
    expect(writes.map((w) => w.status)).toEqual([409, 409, 409, 409, 409, 409, 409, 409]);
    expect(writes[0]!.body.error.code).toBe('section_agreed');
    expect((await agreement()).currentHash).toBe(now.currentHash);
    await stream.close();
  });

  it('counts a change of an action as a change of content', async () => {
    const before = await agreement();
    const action = await coordinator.post(`${sectionPath()}/actions`, { title: 'Train judges' });
    const after = await agreement();
    expect(after.currentHash).not.toBe(before.currentHash);
    await coordinator.patch(`/api/plans/${planId}/actions/${action.body.id}`, { budgetAmount: 1000, currency: 'EUR' });
    expect((await agreement()).currentHash).not.toBe(after.currentHash);
  });

  it('reopening (coordinator, with a reason) withdraws sign-offs and makes the section editable again', async () => {
    const peer = await editor(ngo.client);
    await typeSaved(peer, 'Agreed wording.');
    const { currentHash } = await agreement();
    expect((await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).status).toBe(201);
    expect((await ngo.client.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).body.status).toBe('agreed');

    expect((await ngo.client.post(`${sectionPath()}/reopen`, { reason: 'We want to change it' })).status).toBe(403);
    expect((await coordinator.post(`${sectionPath()}/reopen`, {})).status).toBe(400);
    const reopened = await coordinator.post(`${sectionPath()}/reopen`, { reason: 'The Ministry of Justice asked for a new deadline' });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'drafting', agreedAt: null, agreedHash: null });
    expect((reopened.body as SectionAgreement).signoffs.every((s) => s.withdrawnAt !== null)).toBe(true);
    expect((await coordinator.post(`${sectionPath()}/reopen`, { reason: 'Again please' })).status).toBe(409);

    // The drafter's editor was reconnected and may write again.
    await eventually(() => expect(peer.provider.wsconnected && peer.provider.synced).toBe(true));
    const watcher = await editor();
    peer.typeParagraph('Amended after reopening.');
    await eventually(() => expect(watcher.text()).toContain('Amended after reopening.'));
    expect((await coordinator.post(`${sectionPath()}/actions`, { title: 'Now allowed' })).status).toBe(201);

    const audit = await coordinator.get(`/api/plans/${planId}/audit?action=section.reopened`);
    expect(audit.body.total).toBe(1);
    expect(audit.body.items[0]).toMatchObject({
      actorName: 'Olga Coordinator',
      actorOrganisation: 'Ministry of Foreign Affairs',
      actorRole: 'coordinator',
      details: { reason: 'The Ministry of Justice asked for a new deadline' },
    });
    expect(audit.body.items[0].summary).toContain('The Ministry of Justice asked for a new deadline');
  });

  it('a reopening\'s reason, with who reopened and when, is read by every member, a commenter too', async () => {
    const commenter = await addMember(server, coordinator, planId, 'commenter', {
      name: 'Kiryl Commenter',
      email: 'kiryl@ombudsman.example',
      organisation: { name: 'Ombudsperson Office', side: 'independent' },
    });
    expect((await agreement(commenter.client)).reopenings).toEqual([]);
    // Audit log: coordinators only; the reason must reach the commenter another way.
    expect((await commenter.client.get(`/api/plans/${planId}/audit`)).status).toBe(403);

    const sign = async () => {
      const { currentHash } = await agreement();
      expect((await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).status).toBe(201);
      expect((await ngo.client.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).body.status).toBe('agreed');
    };
    await sign();
    const before = Date.now();
    expect((await coordinator.post(`${sectionPath()}/reopen`, { reason: 'The Ministry of Justice asked for a new deadline' })).status).toBe(200);
    await sign();
    expect((await coordinator.post(`${sectionPath()}/reopen`, { reason: 'Viasna found a typo in §2' })).status).toBe(200);

    const seen = await agreement(commenter.client);
    expect(seen.reopenings).toEqual([
      { at: expect.any(String), by: 'Olga Coordinator', organisation: 'Ministry of Foreign Affairs', reason: 'Viasna found a typo in §2' },
      { at: expect.any(String), by: 'Olga Coordinator', organisation: 'Ministry of Foreign Affairs', reason: 'The Ministry of Justice asked for a new deadline' },
    ]);
    for (const r of seen.reopenings) expect(Date.parse(r.at)).toBeGreaterThanOrEqual(before - 1000);
    // Another section's reopenings are not this one's.
    const outline = await coordinator.post(`/api/plans/${planId}/sections`, { chapterId: (await coordinator.get(`/api/plans/${planId}`)).body.chapters[0].id, title: 'Other' });
    const other = (outline.body as PlanOutline).chapters[0]!.sections.find((s) => s.title === 'Other')!.id;
    expect((await agreement(commenter.client, other)).reopenings).toEqual([]);
  });

  it('sending a signed section back to drafting withdraws its signatures and tells each other signer', async () => {
    const peer = await editor(ngo.client);
    await typeSaved(peer, 'Wording under review.');
    expect((await ngo.client.post(`${sectionPath()}/status`, { status: 'in_review' })).status).toBe(200);
    const { currentHash } = await agreement();
    // The government signs; the section waits for civil society's signature.
    expect((await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).body.status).toBe('in_review');

    const stream = await openPlanEvents(server.url, coordinator, planId);
    const back = await ngo.client.post(`${sectionPath()}/status`, { status: 'drafting' });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    // The signer's notice menu is told at once, not at its next poll.
    await eventually(() => expect(stream.received.some((e) => e.type === 'notifications')).toBe(true));
    await stream.close();
    const signoffs = (back.body as SectionAgreement).signoffs;
    expect(signoffs).toHaveLength(1);
    expect(signoffs[0]!.withdrawnAt).not.toBeNull();

    const notices = (await coordinator.get('/api/notifications')).body as Array<{ kind: string; text: { key: string; params: Record<string, unknown> } | null }>;
    expect(notices.filter((n) => n.text?.key === 'signoff_withdrawn_drafting')).toEqual([
      expect.objectContaining({ kind: 'signoff_withdrawn', text: { key: 'signoff_withdrawn_drafting', params: { who: 'Nina Lawyer', title: expect.any(String) } } }),
    ]);
    // Who sent it back is not told of their own doing.
    const ngoNotices = (await ngo.client.get('/api/notifications')).body as Array<{ text: { key: string } | null }>;
    expect(ngoNotices.some((n) => n.text?.key === 'signoff_withdrawn_drafting')).toBe(false);
  });

  it('a signer withdraws their own signature, with a reason; the other signatures stay; not once the section is agreed', async () => {
    const peer = await editor(ngo.client);
    await typeSaved(peer, 'Wording to sign.');
    const { currentHash } = await agreement();
    const justice = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Pavel Justice',
      email: 'pavel@justice.example',
      organisation: { name: 'Ministry of Justice', side: 'government' },
    });
    expect((await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).status).toBe(201);
    // Nothing of hers to withdraw yet.
    const none = await ngo.client.post(`${sectionPath()}/signoffs/withdraw`, {});
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('not_signed');

    const withdrawn = await coordinator.post(`${sectionPath()}/signoffs/withdraw`, { reason: 'The Ministry of Finance has not costed action 2 yet.' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    const [mine] = (withdrawn.body as SectionAgreement).signoffs;
    expect(mine).toMatchObject({ name: 'Olga Coordinator', withdrawnBySigner: true, withdrawnReason: 'The Ministry of Finance has not costed action 2 yet.', withdrawnByName: null });
    expect(mine!.withdrawnAt).not.toBeNull();
    expect((withdrawn.body as SectionAgreement).status).not.toBe('agreed');
    const audit = await coordinator.get(`/api/plans/${planId}/audit?action=section.signoff_withdrawn`);
    expect(audit.body.items[0]).toMatchObject({ actorName: 'Olga Coordinator', details: { bySigner: true, note: 'The Ministry of Finance has not costed action 2 yet.' } });

    // She signs again; Justice signs too; withdrawing hers leaves his standing.
    expect((await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).status).toBe(201);
    expect((await justice.client.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).status).toBe(201);
    const again = await coordinator.post(`${sectionPath()}/signoffs/withdraw`, {});
    expect(again.status).toBe(200);
    const standing = (again.body as SectionAgreement).signoffs.filter((s) => s.withdrawnAt === null);
    expect(standing.map((s) => s.name)).toEqual(['Pavel Justice']);
    expect((again.body as SectionAgreement).signoffs.filter((s) => s.withdrawnBySigner).map((s) => s.withdrawnReason)).toEqual(['The Ministry of Finance has not costed action 2 yet.', null]);

    // Agreed: the signatures are the agreement, and only a reopening ends them.
    expect((await ngo.client.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).body.status).toBe('agreed');
    const refused = await justice.client.post(`${sectionPath()}/signoffs/withdraw`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('section_agreed');
  });

  it('a signer made a commenter since keeps a signature that counts, and can still withdraw it; a commenter with none cannot', async () => {
    const peer = await editor(ngo.client);
    await typeSaved(peer, 'Wording the NGO signed.');
    const { currentHash } = await agreement();
    expect((await ngo.client.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).status).toBe(201);
    expect((await coordinator.patch(`/api/plans/${planId}/members/${ngo.userId}`, { role: 'commenter' })).status).toBe(200);
    expect((await agreement()).signoffs.filter((s) => s.withdrawnAt === null).map((s) => s.name)).toEqual(['Nina Lawyer']);

    const withdrawn = await ngo.client.post(`${sectionPath()}/signoffs/withdraw`, { reason: 'Our board did not approve this wording.' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect((withdrawn.body as SectionAgreement).signoffs).toEqual([
      expect.objectContaining({ name: 'Nina Lawyer', withdrawnBySigner: true, withdrawnReason: 'Our board did not approve this wording.' }),
    ]);
    // Signing again is a drafter's: the role she has now does not allow it.
    expect((await ngo.client.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).status).toBe(403);
    const again = await ngo.client.post(`${sectionPath()}/signoffs/withdraw`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_signed');
  });

  it('status moves between drafting and in review; commenters cannot sign', async () => {
    const commenter = await addMember(server, coordinator, planId, 'commenter', {
      name: 'Ivan Ombudsman',
      email: 'ivan@nhri.example',
      organisation: { name: 'Ombudsperson', side: 'independent' },
    });
    expect((await ngo.client.post(`${sectionPath()}/status`, { status: 'in_review' })).body.status).toBe('in_review');
    expect((await ngo.client.post(`${sectionPath()}/status`, { status: 'agreed' })).status).toBe(400);
    const { currentHash } = await agreement();
    expect((await commenter.client.post(`${sectionPath()}/signoffs`, { contentHash: currentHash })).status).toBe(403);
    expect((await commenter.client.post(`${sectionPath()}/status`, { status: 'drafting' })).status).toBe(403);
    expect((await agreement(commenter.client)).status).toBe('in_review');
  });
});

describe('the organisations rule', () => {
  it('needs a sign-off from each organisation the coordinator named', async () => {
    const justice = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Pavel Justice',
      email: 'pavel@moj.example',
      organisation: { name: 'Ministry of Justice', side: 'government' },
    });
    const orgs = (await coordinator.get(`/api/plans/${planId}/organisations`)).body as Array<{ id: string; name: string }>;
    const id = (name: string) => orgs.find((o) => o.name === name)!.id;

    expect((await coordinator.get(`/api/plans/${planId}/signoff-rule`)).body).toEqual({ kind: 'sides', sides: ['government', 'civil_society'] });
    expect((await ngo.client.request('PUT', `/api/plans/${planId}/signoff-rule`, { kind: 'sides', sides: ['civil_society'] })).status).toBe(403);
    const bogus = await coordinator.request('PUT', `/api/plans/${planId}/signoff-rule`, { kind: 'organisations', organisationIds: ['unknownOrganisation1'] });
    expect(bogus.status).toBe(400);
    const rule = { kind: 'organisations', organisationIds: [id('Ministry of Justice'), id('Human Rights Centre')] };
    const set = await coordinator.request('PUT', `/api/plans/${planId}/signoff-rule`, rule);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect((await ngo.client.get(`/api/plans/${planId}/signoff-rule`)).body).toEqual(rule);

    const { currentHash, missing } = await agreement();
    expect(missing).toEqual(['Ministry of Justice', 'Human Rights Centre']);
    // Olga (Foreign Affairs) and Nina sign: Justice still missing, although both sides signed.
    await coordinator.post(`${sectionPath()}/signoffs`, { contentHash: currentHash });
    const two = await ngo.client.post(`${sectionPath()}/signoffs`, { contentHash: currentHash });
    expect(two.body).toMatchObject({ status: 'in_review', missing: ['Ministry of Justice'] });
    const three = await justice.client.post(`${sectionPath()}/signoffs`, { contentHash: currentHash });
    expect(three.body).toMatchObject({ status: 'agreed', missing: [] });

    const changed = await coordinator.get(`/api/plans/${planId}/audit?action=signoff_rule.changed`);
    expect(changed.body.items[0].details).toMatchObject({ before: { kind: 'sides' }, after: rule });
  });
});

it('words every audit entry it wrote in the reader’s language', async () => {
  await expectAuditWorded(server);
});
