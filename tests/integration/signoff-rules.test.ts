import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';
import { DocumentLockedError } from '../../server/sync/errors.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { newSuggestionId, SUGGEST_INSERT } from '../../shared/doc/suggestions.ts';
import { CloseCode } from '../../shared/protocol.ts';
import {
  AuditEntrySchema,
  SectionAgreementSchema,
  SignoffRuleChangeSchema,
  SignoffRulesSchema,
  type PlanOutline,
  type SectionAgreement,
  type SignoffRule,
} from '../../shared/api/index.ts';
import { serverEdit } from '../helpers/serverEdit.ts';

/**
 * Sign-off rules that fit a coalition, against a real server: a quorum of verified organisations
 * per side, coordinators of each side, a chapter's own rule, and a rule change that makes sections
 * in review agreed at once, saying which.
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
const ngo = (key: string) => ({ name: `${key} Drafter`, email: `${key.toLowerCase()}@ngo.example`, organisation: { name: `${key} Centre`, side: 'civil_society' as const } });

/** Three verified civil-society organisations (A, B, C) and one self-named, unverified (D). */
async function coalition() {
  return {
    a: await addMember(server, coordinator, planId, 'drafter', ngo('Alpha')),
    b: await addMember(server, coordinator, planId, 'drafter', ngo('Bravo')),
    c: await addMember(server, coordinator, planId, 'drafter', ngo('Charlie')),
    d: await addMember(server, coordinator, planId, 'drafter', ngo('Delta'), { verify: false }),
  };
}

async function agreement(id = sectionId): Promise<SectionAgreement> {
  const res = await coordinator.get(`${plan()}/sections/${id}/agreement`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return SectionAgreementSchema.parse(res.body);
}

async function sign(client: ApiClient, id = sectionId) {
  const { currentHash } = await agreement(id);
  return client.post(`${plan()}/sections/${id}/signoffs`, { contentHash: currentHash });
}

async function signed(client: ApiClient, id = sectionId): Promise<SectionAgreement> {
  const res = await sign(client, id);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return SectionAgreementSchema.parse(res.body);
}

async function setPlanRule(rule: SignoffRule) {
  const res = await coordinator.request('PUT', `${plan()}/signoff-rule`, rule);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return SignoffRuleChangeSchema.parse(res.body);
}

async function audit(action: string) {
  const res = await coordinator.get(`${plan()}/audit?action=${action}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as unknown[]).map((e) => AuditEntrySchema.parse(e));
}

/** A second member of an existing organisation (the coordinator names it on the invite). */
async function colleague(organisationId: string, name: string): Promise<ApiClient> {
  const invite = await coordinator.post(`${plan()}/invites`, { role: 'drafter', organisationId });
  expect(invite.status, JSON.stringify(invite.body)).toBe(201);
  const client = new ApiClient(server.url);
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@ngo.example`;
  const accepted = await client.post(`/api/invites/${invite.body.token}/accept`, { account: { name, email, password: MEMBER_PASSWORD } });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return client;
}

async function addChapter(title: string, sectionTitles: string[]): Promise<{ chapterId: string; sectionIds: string[] }> {
  const outline = (await coordinator.post(`${plan()}/chapters`, { title })).body as PlanOutline;
  const id = outline.chapters.find((c) => c.title === title)!.id;
  const ids: string[] = [];
  for (const t of sectionTitles) {
    const next = (await coordinator.post(`${plan()}/sections`, { chapterId: id, title: t })).body as PlanOutline;
    ids.push(next.chapters.find((c) => c.id === id)!.sections.find((s) => s.title === t)!.id);
  }
  return { chapterId: id, sectionIds: ids };
}

describe('a quorum of verified organisations per side', () => {
  it('2 of 3 verified civil-society organisations and 1 government: one is not enough, two are; unverified never counts', async () => {
    const { a, b, d } = await coalition();
    const alphaSecond = await colleague(a.organisationId, 'Alpha Second');

    // More than the verified organisations of a side is refused, saying why; nothing is stored.
    const tooMany = await coordinator.request('PUT', `${plan()}/signoff-rule`, { kind: 'quorum', minimum: { government: 1, civil_society: 4 } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain(
      'The civil society side has only 3 verified organisations in this plan, so 4 of them can never sign. ' +
        'Verify more civil society organisations on the Members page first, or ask for at most 3.',
    );
    expect(tooMany.body.error.fields['minimum.civil_society']).toBe('quorum_unreachable');
    expect(tooMany.body.error.fieldParams['minimum.civil_society']).toEqual({ available: 3 });
    expect((await coordinator.get(`${plan()}/signoff-rule`)).body).toEqual({ kind: 'sides', sides: ['government', 'civil_society'] });

    const set = await setPlanRule({ kind: 'quorum', minimum: { civil_society: 2, government: 1 } });
    expect(set.rule).toEqual({ kind: 'quorum', minimum: { government: 1, civil_society: 2 } });
    expect(set.changed).toEqual([]);
    const overview = SignoffRulesSchema.parse((await a.client.get(`${plan()}/signoff-rules`)).body);
    expect(overview).toMatchObject({ plan: set.rule, chapters: [], verified: { government: 1, civil_society: 3 } });

    await signed(coordinator);
    let now = await signed(a.client);
    expect(now.status).toBe('in_review');
    expect(now.needs).toEqual([{ kind: 'quorum', side: 'civil_society', have: 1, need: 2, available: 3 }]);
    expect(now.missing).toEqual(['1 more verified civil society organisation']);
    expect(now.ruleSource).toEqual({ scope: 'plan', chapterId: null, chapterTitle: null });

    // A second person of the same organisation is not a second organisation.
    now = await signed(alphaSecond);
    expect(now.status).toBe('in_review');
    // The self-named organisation's signature is refused and counts for nothing.
    const refused = await sign(d.client);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('organisation_unverified');
    expect((await agreement()).needs).toEqual([{ kind: 'quorum', side: 'civil_society', have: 1, need: 2, available: 3 }]);

    now = await signed(b.client);
    expect(now.status).toBe('agreed');
    expect(now.needs).toEqual([]);
    const agreed = await audit('section.agreed');
    expect(agreed).toHaveLength(1);
    expect(agreed[0]!.details).toMatchObject({ rule: set.rule, ruleSource: { scope: 'plan' } });
  });

  it('a signature whose organisation loses its verification stops counting towards the quorum', async () => {
    const { a, b } = await coalition();
    await setPlanRule({ kind: 'quorum', minimum: { civil_society: 2 } });
    await signed(a.client);
    const withdraw = await coordinator.request('DELETE', `${plan()}/organisations/${a.organisationId}/verification`, { reason: 'Registration not shown.' });
    expect(withdraw.status).toBe(200);
    const now = await signed(b.client);
    expect(now.status).toBe('in_review');
    expect(now.needs).toEqual([{ kind: 'quorum', side: 'civil_society', have: 1, need: 2, available: 2 }]);
  });
});

describe('coordinators of each side', () => {
  it("needs a coordinator's signature from each side: a drafter's does not count, even after they become coordinator", async () => {
    const { a } = await coalition();
    const rule: SignoffRule = { kind: 'coordinators', sides: ['government', 'civil_society'] };
    // Nobody could sign for civil society yet: refused, saying so.
    const early = await coordinator.request('PUT', `${plan()}/signoff-rule`, rule);
    expect(early.status).toBe(400);
    expect(early.body.error.message).toContain('No coordinator of this plan belongs to a verified civil society organisation');

    const csCoordinator = await addMember(server, coordinator, planId, 'coordinator', ngo('Echo'));
    await setPlanRule(rule);
    await signed(coordinator);
    let now = await signed(a.client);
    expect(now.status).toBe('in_review');
    expect(now.needs).toEqual([{ kind: 'coordinator', side: 'civil_society' }]);
    expect(now.missing).toEqual(['a civil society coordinator']);
    expect(now.signoffs.map((s) => [s.name, s.role])).toEqual([
      ['Olga Coordinator', 'coordinator'],
      ['Alpha Drafter', 'drafter'],
    ]);

    // Promoted after signing: the signature was a drafter's, and stays one.
    // (By civil society's own coordinator: each side manages its own people.)
    expect((await csCoordinator.client.patch(`${plan()}/members/${a.userId}`, { role: 'coordinator' })).status).toBe(200);
    expect((await agreement()).needs).toEqual([{ kind: 'coordinator', side: 'civil_society' }]);

    now = await signed(csCoordinator.client);
    expect(now.status).toBe('agreed');
  });
});

describe("a chapter's own rule", () => {
  it('applies to its sections only, is listed, can be removed, and only coordinators set it', async () => {
    const { a, b } = await coalition();
    const { chapterId: ownId, sectionIds: [ownSection, ownSecond] } = await addChapter('Rights of persons with disabilities', ['Accessibility', 'Legal capacity']);
    const chapterRule = `${plan()}/chapters/${ownId}/signoff-rule`;

    // In review under the plan's rule (one government and one civil-society signature).
    await signed(a.client, ownSection!);
    await signed(a.client, sectionId);

    // A drafter may not set it: 403, nothing stored.
    expect((await a.client.request('PUT', chapterRule, { kind: 'sides', sides: ['civil_society'] })).status).toBe(403);
    expect(SignoffRulesSchema.parse((await a.client.get(`${plan()}/signoff-rules`)).body).chapters).toEqual([]);

    // Organisations of civil society are enough for this chapter: its section in review becomes agreed at once.
    const set = await coordinator.request('PUT', chapterRule, { kind: 'quorum', minimum: { civil_society: 1 } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const change = SignoffRuleChangeSchema.parse(set.body);
    expect(change.source).toEqual({ scope: 'chapter', chapterId: ownId, chapterTitle: 'Rights of persons with disabilities' });
    expect(change.changed).toEqual([{ sectionId: ownSection, title: 'Accessibility', from: 'in_review', to: 'agreed' }]);
    expect((await agreement(ownSection)).status).toBe('agreed');

    // The other chapter's section still follows the plan's rule.
    const outside = await agreement(sectionId);
    expect(outside.status).toBe('in_review');
    expect(outside.needs).toEqual([{ kind: 'side', side: 'government' }]);
    expect(outside.ruleSource?.scope).toBe('plan');

    // The chapter's other section is judged by the chapter's rule, and says so.
    const inside = await agreement(ownSecond);
    expect(inside.rule).toEqual({ kind: 'quorum', minimum: { civil_society: 1 } });
    expect(inside.ruleSource).toEqual({ scope: 'chapter', chapterId: ownId, chapterTitle: 'Rights of persons with disabilities' });
    expect((await signed(b.client, ownSecond)).status).toBe('agreed');

    const overview = SignoffRulesSchema.parse((await b.client.get(`${plan()}/signoff-rules`)).body);
    expect(overview.chapters).toEqual([
      expect.objectContaining({ chapterId: ownId, chapterTitle: 'Rights of persons with disabilities', rule: { kind: 'quorum', minimum: { civil_society: 1 } }, updatedBy: 'Olga Coordinator' }),
    ]);
    const entry = (await audit('signoff_rule.changed'))[0]!;
    expect(entry.targetType).toBe('chapter');
    expect(entry.summary).toBe(
      'Olga Coordinator set the sign-off rule of the chapter “Rights of persons with disabilities” to at least 1 verified civil society organisation; 1 section became agreed: “Accessibility”',
    );

    // Removed: back to the plan's rule (sections agreed under the chapter's rule stay agreed).
    const removed = await coordinator.delete(chapterRule);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(SignoffRuleChangeSchema.parse(removed.body)).toMatchObject({ rule: { kind: 'sides' }, source: { scope: 'plan' }, changed: [] });
    expect((await agreement(ownSection)).status).toBe('agreed');
    expect(SignoffRulesSchema.parse((await coordinator.get(`${plan()}/signoff-rules`)).body).chapters).toEqual([]);
    const again = await coordinator.delete(chapterRule);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('no_chapter_rule');

    // A chapter in the bin has no rule to set.
    const binned = await addChapter('To the bin', ['Gone']);
    expect((await coordinator.delete(`${plan()}/chapters/${binned.chapterId}`)).status).toBe(200);
    expect((await coordinator.request('PUT', `${plan()}/chapters/${binned.chapterId}/signoff-rule`, { kind: 'sides', sides: ['government'] })).status).toBe(404);
  });
});

describe('changing a rule re-evaluates the sections in review', () => {
  it('lowering a quorum makes a section agreed through the signing path, and the answer and the audit log list it', async () => {
    const { a, b, c } = await coalition();
    const { chapterId: ownId, sectionIds: [underChapter] } = await addChapter('Chapter with its own rule', ['Prisons']);
    const { sectionIds: [unverifiedOne] } = await addChapter('Another chapter', ['Courts']);
    await setPlanRule({ kind: 'quorum', minimum: { government: 1, civil_society: 3 } });
    expect((await coordinator.request('PUT', `${plan()}/chapters/${ownId}/signoff-rule`, { kind: 'quorum', minimum: { government: 1, civil_society: 3 } })).status).toBe(200);

    // Section 1: government and two civil-society organisations.
    for (const who of [coordinator, a.client, b.client]) await signed(who, sectionId);
    // Section under the chapter's own rule: the same signatures.
    for (const who of [coordinator, a.client, b.client]) await signed(who, underChapter);
    // Courts: government, A and C; then C's verification is withdrawn, so only A counts.
    for (const who of [coordinator, a.client, c.client]) await signed(who, unverifiedOne);
    expect((await coordinator.request('DELETE', `${plan()}/organisations/${c.organisationId}/verification`, { reason: 'Not registered.' })).status).toBe(200);

    // Someone is editing section 1 when the rule changes.
    const olga = connectPeer(server.url, coordinator, sectionId);
    peers.push(olga);
    const closeCodes: number[] = [];
    olga.provider.on('connection-close', (event) => {
      if (event) closeCodes.push(event.code);
    });
    await olga.synced();

    const change = await setPlanRule({ kind: 'quorum', minimum: { government: 1, civil_society: 2 } });
    expect(change.changed).toEqual([{ sectionId, title: 'Purpose and scope', from: 'in_review', to: 'agreed' }]);
    expect(change.held).toEqual([]);

    // Section 1 is agreed as if the last signature had just come: locked, versioned, on the record.
    const agreed = await agreement(sectionId);
    expect(agreed.status).toBe('agreed');
    expect(agreed.agreedHash).toBe(agreed.currentHash);
    await eventually(() => expect(closeCodes).toContain(CloseCode.PermissionsChanged));
    await expect(
      serverEdit(server, sectionDocName(sectionId), planId, (doc) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText('Written after agreement')]);
        getSectionBody(doc).insert(0, [p]);
      }),
    ).rejects.toThrow(DocumentLockedError);
    await eventually(async () => {
      const versions = (await coordinator.get(`${plan()}/sections/${sectionId}/versions`)).body as Array<{ kind: string }>;
      expect(versions.map((v) => v.kind)).toContain('signoff');
    });

    // The chapter's own rule still asks for three; Courts has one verified civil-society signature.
    expect((await agreement(underChapter)).status).toBe('in_review');
    const courts = await agreement(unverifiedOne);
    expect(courts.status).toBe('in_review');
    expect(courts.needs).toEqual([{ kind: 'quorum', side: 'civil_society', have: 1, need: 2, available: 2 }]);

    const ruleEntry = (await audit('signoff_rule.changed'))[0]!;
    expect(ruleEntry.summary).toBe(
      'Olga Coordinator changed the sign-off rule to at least 1 verified government organisation, 2 verified civil society organisations; 1 section became agreed: “Purpose and scope”',
    );
    expect(ruleEntry.details).toMatchObject({
      scope: 'plan',
      before: { kind: 'quorum', minimum: { government: 1, civil_society: 3 } },
      after: { kind: 'quorum', minimum: { government: 1, civil_society: 2 } },
      changed: [{ sectionId, title: 'Purpose and scope' }],
    });
    const agreedEntry = (await audit('section.agreed'))[0]!;
    expect(agreedEntry).toMatchObject({ targetId: sectionId, actorName: 'Olga Coordinator', actorRole: 'coordinator' });
    expect(agreedEntry.summary).toBe(
      '“Purpose and scope” is agreed under the new sign-off rule (signed by Olga Coordinator, Ministry of Foreign Affairs; Alpha Drafter, Alpha Centre; Bravo Drafter, Bravo Centre)',
    );
    // The rule change comes first in the log, then what it caused.
    expect(ruleEntry.id).toBeLessThan(agreedEntry.id);

    // A stricter rule leaves the agreed section agreed: it was agreed under the rule in force then.
    const stricter = await setPlanRule({ kind: 'sides', sides: ['government', 'civil_society', 'international'] });
    expect(stricter.changed).toEqual([]);
    expect((await agreement(sectionId)).status).toBe('agreed');
  });

  it('a section with open suggestions is held in review, and the answer says so', async () => {
    const { a } = await coalition();
    await setPlanRule({ kind: 'quorum', minimum: { government: 1, civil_society: 2 } });
    const olga = connectPeer(server.url, coordinator, sectionId);
    peers.push(olga);
    await olga.synced();
    olga.typeParagraph('The Ministry will report every year.');
    await eventually(() => expect(olga.isSaved()).toBe(true));
    await signed(coordinator);
    await signed(a.client);

    // Olga proposes words: not content, so the signatures stand, but nobody may sign over a proposal.
    const me = (await coordinator.get('/api/auth/me')).body.user.id as string;
    const paragraph = getSectionBody(olga.doc).get(getSectionBody(olga.doc).length - 1) as Y.XmlElement;
    (paragraph.get(0) as Y.XmlText).insert(0, 'Publicly, ', { [SUGGEST_INSERT]: { id: newSuggestionId(), author: me, at: Date.now() } });
    await eventually(() => expect(olga.isSaved()).toBe(true));
    expect((await agreement()).openSuggestions).toBe(1);

    const change = await setPlanRule({ kind: 'quorum', minimum: { government: 1, civil_society: 1 } });
    expect(change.changed).toEqual([]);
    expect(change.held).toEqual([{ sectionId, title: 'Purpose and scope', openSuggestions: 1 }]);
    const now = await agreement();
    expect(now.status).toBe('in_review');
    expect(now.needs).toEqual([]);
    expect((await audit('signoff_rule.changed'))[0]!.summary).toContain('1 would have but for open suggestions: “Purpose and scope”');
  });
});
