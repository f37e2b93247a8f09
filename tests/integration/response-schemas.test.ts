import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApiClient } from '../helpers/api.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import {
  ActionSchema,
  AuditPageSchema,
  BinEntrySchema,
  BinnedSectionSchema,
  CoverageSchema,
  CreatedInviteSchema,
  DissentingPositionSchema,
  ExportJobSchema,
  ImportRecordSchema,
  IndicatorSchema,
  InviteInfoSchema,
  InviteSchema,
  ItemHistorySchema,
  ListedVersionSchema,
  MemberSchema,
  MeSchema,
  NotificationSchema,
  PlanComparisonSchema,
  PlanOrganisationSchema,
  PlanOutlineSchema,
  PlanSummarySchema,
  RecommendationDetailSchema,
  RecommendationPageSchema,
  RecommendationSchema,
  RestoredVersionSchema,
  SectionAgreementSchema,
  SectionCompareSchema,
  SetupStatusSchema,
  SignoffRuleChangeSchema,
  SignoffRuleSchema,
  SignoffRulesSchema,
  SuggestionDecisionSchema,
  SuggestionRuleSchema,
  ThreadListSchema,
  ThreadSchema,
  VersionContentSchema,
  VersionGroupSchema,
} from '../../shared/api/index.ts';
import { getSectionBody, sectionDocName, sectionPlainText } from '../../shared/doc/schema.ts';
import * as Y from 'yjs';

/**
 * The client parses every answer with the shared zod schema (client/api/index.ts): no z.unknown(),
 * no lenient copies. This calls each endpoint the client reads, on a real server with a plan that
 * has text, actions, recommendations, comments, versions, sign-offs and an export, and parses the
 * answer with the same schema, so a drift between server and contract fails here, not in a browser.
 */
let server: TestServer;
let coordinator: ApiClient;
let ngo: ApiClient;
let planId: string;
let chapterId: string;
let sectionId: string;
let peer: Peer;

const p = () => `/api/plans/${planId}`;
const NGO = { name: 'Nina Lawyer', email: 'nina@schemas.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' as const } };

/** The answer's status, then its body parsed with the client's schema (the zod error names the field). */
async function expectShape<T>(res: Promise<{ status: number; body: unknown }>, schema: z.ZodType<T>, status = 200): Promise<T> {
  const { status: got, body } = await res;
  expect(got, JSON.stringify(body)).toBe(status);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`Response does not match its schema: ${parsed.error.message}\n${JSON.stringify(body).slice(0, 2000)}`);
  return parsed.data;
}

function anchor(from: number, to: number, quote: string) {
  const text = (getSectionBody(peer.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const rel = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i, -1))).toString('base64');
  return { start: rel(from), end: rel(to), quote };
}

beforeAll(async () => {
  server = await startTestServer();
  const ws = await setUpWorkspace(server);
  ({ coordinator, planId, chapterId, sectionId } = ws);
  ngo = (await addMember(server, coordinator, planId, 'drafter', NGO)).client;
  peer = connectPeer(server.url, coordinator, sectionId);
  await peer.synced();
  peer.typeParagraph('Everyone has the right to a fair trial.');
  await eventually(async () => expect(sectionPlainText((await server.sync.readDocument(sectionDocName(sectionId)))!)).toContain('fair trial'));
});
afterAll(async () => {
  peer?.destroy();
  await server?.destroy();
});

describe('every response the client parses matches the shared schema', () => {
  it('session, plans, outline, members and invites', async () => {
    await expectShape(coordinator.get('/api/setup/status'), SetupStatusSchema);
    await expectShape(coordinator.get('/api/auth/me'), MeSchema);
    await expectShape(coordinator.get('/api/plans'), z.array(PlanSummarySchema));
    await expectShape(coordinator.get(p()), PlanOutlineSchema);
    await expectShape(coordinator.get(`${p()}/members`), z.array(MemberSchema));
    const created = await expectShape(coordinator.post(`${p()}/invites`, { role: 'commenter', note: '' }), CreatedInviteSchema, 201);
    await expectShape(coordinator.get(`${p()}/invites`), z.array(InviteSchema));
    const token = new URL(created.url, server.url).pathname.split('/').pop()!;
    await expectShape(coordinator.get(`/api/invites/${token}`), InviteInfoSchema);
    await expectShape(coordinator.get(`${p()}/organisations`), z.array(PlanOrganisationSchema));
    await expectShape(coordinator.get('/api/notifications'), z.array(NotificationSchema));
  });

  it('recommendations, actions, indicators, coverage and history', async () => {
    const rec = await expectShape(
      coordinator.post(`${p()}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'Belarus', text: 'Abolish the death penalty', reference: '1.1', themes: ['death penalty'] }),
      RecommendationSchema,
      201,
    );
    await expectShape(coordinator.get(`${p()}/recommendations?limit=50`), RecommendationPageSchema);
    await expectShape(coordinator.get(`${p()}/recommendations/${rec.id}`), RecommendationDetailSchema);
    await expectShape(coordinator.patch(`${p()}/recommendations/${rec.id}`, { position: 'supported' }), RecommendationDetailSchema);
    await expectShape(coordinator.get(`${p()}/imports`), z.array(ImportRecordSchema));
    const action = await expectShape(
      coordinator.post(`${p()}/sections/${sectionId}/actions`, { title: 'Introduce a moratorium', recommendationIds: [rec.id] }),
      ActionSchema,
      201,
    );
    await expectShape(coordinator.get(`${p()}/sections/${sectionId}/actions`), z.array(ActionSchema));
    await expectShape(coordinator.get(`${p()}/actions`), z.array(ActionSchema));
    await expectShape(coordinator.patch(`${p()}/actions/${action.id}`, { status: 'in_progress' }), ActionSchema);
    const indicator = await expectShape(
      coordinator.post(`${p()}/actions/${action.id}/indicators`, { type: 'outcome', description: 'Executions carried out', targetValue: '0' }),
      IndicatorSchema,
      201,
    );
    await expectShape(coordinator.patch(`${p()}/indicators/${indicator.id}`, { unit: 'executions' }), IndicatorSchema);
    await expectShape(coordinator.get(`${p()}/coverage`), CoverageSchema);
    await expectShape(coordinator.get(`${p()}/history?targetType=action&targetId=${action.id}`), ItemHistorySchema);
  });

  it('comments: listing and every thread mutation', async () => {
    const thread = await expectShape(ngo.post(`${p()}/sections/${sectionId}/threads`, { anchor: anchor(4, 12, 'one has'), body: 'A point' }), ThreadSchema, 201);
    const replied = await expectShape(coordinator.post(`${p()}/threads/${thread.id}/comments`, { body: 'Agreed' }), ThreadSchema, 201);
    const mine = replied.comments[1]!;
    await expectShape(coordinator.patch(`${p()}/comments/${mine.id}`, { body: 'Agreed, mostly' }), ThreadSchema);
    await expectShape(coordinator.delete(`${p()}/comments/${mine.id}`), ThreadSchema);
    await expectShape(coordinator.post(`${p()}/threads/${thread.id}/resolve`, {}), ThreadSchema);
    await expectShape(coordinator.post(`${p()}/threads/${thread.id}/reopen`, {}), ThreadSchema);
    await expectShape(coordinator.get(`${p()}/sections/${sectionId}/threads?status=all`), ThreadListSchema);
  });

  it('suggestions, positions, sign-off rules and the agreement flow', async () => {
    await expectShape(coordinator.get(`${p()}/suggestion-rule`), SuggestionRuleSchema);
    await expectShape(coordinator.get(`${p()}/sections/${sectionId}/suggestions/decisions`), z.array(SuggestionDecisionSchema));
    await expectShape(ngo.post(`${p()}/sections/${sectionId}/positions`, { text: 'We do not agree with the wording.' }), DissentingPositionSchema, 201);
    await expectShape(coordinator.get(`${p()}/sections/${sectionId}/positions`), z.array(DissentingPositionSchema));
    const rule = await expectShape(coordinator.get(`${p()}/signoff-rule`), SignoffRuleSchema);
    await expectShape(coordinator.request('PUT', `${p()}/signoff-rule`, rule), SignoffRuleChangeSchema);
    await expectShape(coordinator.request('PUT', `${p()}/chapters/${chapterId}/signoff-rule`, rule), SignoffRuleChangeSchema);
    await expectShape(coordinator.get(`${p()}/signoff-rules`), SignoffRulesSchema);
    await expectShape(coordinator.delete(`${p()}/chapters/${chapterId}/signoff-rule`), SignoffRuleChangeSchema);

    await expectShape(coordinator.post(`${p()}/sections/${sectionId}/status`, { status: 'in_review' }), SectionAgreementSchema);
    const { currentHash } = await expectShape(coordinator.get(`${p()}/sections/${sectionId}/agreement`), SectionAgreementSchema);
    await expectShape(coordinator.post(`${p()}/sections/${sectionId}/signoffs`, { contentHash: currentHash }), SectionAgreementSchema, 201);
    await expectShape(ngo.post(`${p()}/sections/${sectionId}/signoffs`, { contentHash: currentHash, reservation: 'On the timeline.' }), SectionAgreementSchema, 201);
    const agreed = await expectShape(coordinator.get(`${p()}/sections/${sectionId}/agreement`), SectionAgreementSchema);
    expect(agreed.status).toBe('agreed');
    await expectShape(coordinator.post(`${p()}/sections/${sectionId}/reopen`, { reason: 'The timeline changed.' }), SectionAgreementSchema);
  });

  it('section and whole-plan versions, comparisons and a restore', async () => {
    const v1 = await expectShape(coordinator.post(`${p()}/sections/${sectionId}/versions`, { name: 'First draft' }), ListedVersionSchema, 201);
    peer.typeParagraph('No one shall be subjected to torture.');
    await eventually(async () => expect(sectionPlainText((await server.sync.readDocument(sectionDocName(sectionId)))!)).toContain('torture'));
    await expectShape(coordinator.get(`${p()}/sections/${sectionId}/versions`), z.array(ListedVersionSchema));
    await expectShape(coordinator.get(`${p()}/versions/${v1.id}`), VersionContentSchema);
    await expectShape(coordinator.get(`${p()}/sections/${sectionId}/compare?from=${v1.id}&to=current`), SectionCompareSchema);
    const group = await expectShape(coordinator.post(`${p()}/versions`, { name: 'Whole plan, June' }), VersionGroupSchema, 201);
    await expectShape(coordinator.get(`${p()}/versions`), z.array(VersionGroupSchema));
    await expectShape(coordinator.get(`${p()}/compare?from=${group.groupId}&to=current`), PlanComparisonSchema);
    await expectShape(coordinator.post(`${p()}/versions/${v1.id}/restore`, {}), RestoredVersionSchema, 201);
  });

  it('exports, the audit log and the bin', async () => {
    const job = await expectShape(coordinator.post(`${p()}/exports`, { format: 'md', scope: 'current' }), ExportJobSchema, 202);
    await eventually(async () => expect((await expectShape(coordinator.get(`${p()}/exports/${job.id}`), ExportJobSchema)).state).toBe('done'), 20_000);
    const audit = await expectShape(coordinator.get(`${p()}/audit?limit=50&offset=0`), AuditPageSchema);
    expect(audit.items.length).toBeGreaterThan(0);

    const extra = await expectShape(coordinator.post(`${p()}/sections`, { chapterId, title: 'To be binned' }), PlanOutlineSchema);
    const binned = extra.chapters.flatMap((c) => c.sections).find((s) => s.title === 'To be binned')!;
    await expectShape(coordinator.delete(`${p()}/sections/${binned.id}`), PlanOutlineSchema);
    await expectShape(coordinator.get(`${p()}/bin`), z.array(BinEntrySchema));
    await expectShape(coordinator.get(`${p()}/bin/sections/${binned.id}`), BinnedSectionSchema);
    await expectShape(coordinator.post(`${p()}/bin/sections/${binned.id}/restore`, {}), PlanOutlineSchema);
  });
});
