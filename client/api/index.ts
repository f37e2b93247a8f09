import { z } from 'zod';
import {
  AcceptedInviteSchema,
  CreatedInviteSchema,
  InviteInfoSchema,
  InviteSchema,
  MemberSchema,
  MeSchema,
  PlanOutlineSchema,
  PlanSummarySchema,
  SetupStatusSchema,
  type AcceptInvite,
  type CreatePlan,
  type Role,
  type SetupRequest,
  type SignInRequest,
  ActionSchema,
  CoverageSchema,
  ImportPreviewSchema,
  ImportRecordSchema,
  IndicatorSchema,
  PlanOrganisationSchema,
  RecommendationDetailSchema,
  RecommendationPageSchema,
  RecommendationSchema,
  type ActionInput,
  type CreateRecommendation,
  type ImportFormat,
  type IndicatorInput,
  type Position,
  type RecommendationQuery,
  type Side,
} from '../../shared/api/index.ts';
import { request, upload } from './http.ts';

export { ApiError } from './http.ts';

const enc = encodeURIComponent;
export type Invite = z.infer<typeof InviteSchema>;
export type PlanOrganisation = z.infer<typeof PlanOrganisationSchema>;

/** Query of the recommendations list as the client sends it (everything optional). */
export type RecommendationFilters = Partial<Omit<RecommendationQuery, 'unaddressed'>> & { unaddressed?: boolean };

function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? '?' + s : '';
}

/** One typed function per REST endpoint (see shared/api for the contracts). */
export const api = {
  setupStatus: () => request('GET', '/setup/status', SetupStatusSchema),
  setup: (body: SetupRequest) => request('POST', '/setup', MeSchema, body),

  signIn: (body: SignInRequest) => request('POST', '/auth/sign-in', MeSchema, body),
  signOut: () => request('POST', '/auth/sign-out', null, {}),
  me: () => request('GET', '/auth/me', MeSchema),

  plans: () => request('GET', '/plans', z.array(PlanSummarySchema)),
  createPlan: (body: CreatePlan) => request('POST', '/plans', PlanSummarySchema, body),
  outline: (planId: string) => request('GET', `/plans/${enc(planId)}`, PlanOutlineSchema),

  addChapter: (planId: string, title: string) =>
    request('POST', `/plans/${enc(planId)}/chapters`, PlanOutlineSchema, { title }),
  updateChapter: (planId: string, chapterId: string, body: { title?: string; position?: number }) =>
    request('PATCH', `/plans/${enc(planId)}/chapters/${enc(chapterId)}`, PlanOutlineSchema, body),
  deleteChapter: (planId: string, chapterId: string) =>
    request('DELETE', `/plans/${enc(planId)}/chapters/${enc(chapterId)}`, PlanOutlineSchema),
  addSection: (planId: string, chapterId: string, title: string) =>
    request('POST', `/plans/${enc(planId)}/sections`, PlanOutlineSchema, { chapterId, title }),
  updateSection: (planId: string, sectionId: string, body: { title?: string; chapterId?: string; position?: number }) =>
    request('PATCH', `/plans/${enc(planId)}/sections/${enc(sectionId)}`, PlanOutlineSchema, body),
  deleteSection: (planId: string, sectionId: string) =>
    request('DELETE', `/plans/${enc(planId)}/sections/${enc(sectionId)}`, PlanOutlineSchema),

  members: (planId: string) => request('GET', `/plans/${enc(planId)}/members`, z.array(MemberSchema)),
  updateMember: (planId: string, userId: string, role: Role) =>
    request('PATCH', `/plans/${enc(planId)}/members/${enc(userId)}`, null, { role }),
  removeMember: (planId: string, userId: string) =>
    request('DELETE', `/plans/${enc(planId)}/members/${enc(userId)}`, null),

  invites: (planId: string) => request('GET', `/plans/${enc(planId)}/invites`, z.array(InviteSchema)),
  createInvite: (planId: string, role: Role) =>
    request('POST', `/plans/${enc(planId)}/invites`, CreatedInviteSchema, { role }),
  revokeInvite: (planId: string, inviteId: string) =>
    request('DELETE', `/plans/${enc(planId)}/invites/${enc(inviteId)}`, null),

  inviteInfo: (token: string) => request('GET', `/invites/${enc(token)}`, InviteInfoSchema),
  acceptInvite: (token: string, body: AcceptInvite) =>
    request('POST', `/invites/${enc(token)}/accept`, AcceptedInviteSchema, body),

  // ----- Recommendations and imports (shared/api/recommendations.ts) -----
  recommendations: (planId: string, query: RecommendationFilters) =>
    request('GET', `/plans/${enc(planId)}/recommendations${queryString(query)}`, RecommendationPageSchema),
  recommendation: (planId: string, recId: string) =>
    request('GET', `/plans/${enc(planId)}/recommendations/${enc(recId)}`, RecommendationDetailSchema),
  createRecommendation: (planId: string, body: Partial<CreateRecommendation>) =>
    request('POST', `/plans/${enc(planId)}/recommendations`, RecommendationSchema, body),
  updateRecommendation: (planId: string, recId: string, body: { position?: Position; themes?: string[]; notes?: string | null }) =>
    request('PATCH', `/plans/${enc(planId)}/recommendations/${enc(recId)}`, RecommendationDetailSchema, body),
  deleteRecommendation: (planId: string, recId: string) =>
    request('DELETE', `/plans/${enc(planId)}/recommendations/${enc(recId)}`, null),
  exportUrl: (planId: string, format: 'accord-csv' | 'accord-json') =>
    `/api/plans/${enc(planId)}/recommendations/export?format=${format}`,

  previewImport: (planId: string, file: Blob, filename: string, format: ImportFormat | undefined, onProgress?: (loaded: number, total: number) => void) =>
    upload(`/plans/${enc(planId)}/imports/preview${queryString({ filename, format })}`, file, ImportPreviewSchema, onProgress),
  commitImport: (planId: string, previewId: string, positionOverrides?: Record<string, Position>) =>
    request('POST', `/plans/${enc(planId)}/imports/${enc(previewId)}/commit`, ImportRecordSchema, positionOverrides ? { positionOverrides } : {}),
  imports: (planId: string) => request('GET', `/plans/${enc(planId)}/imports`, z.array(ImportRecordSchema)),
  undoImport: (planId: string, importId: string) =>
    request('POST', `/plans/${enc(planId)}/imports/${enc(importId)}/undo`, ImportRecordSchema.passthrough(), {}),

  // ----- Actions and indicators -----
  actions: (planId: string, sectionId: string) =>
    request('GET', `/plans/${enc(planId)}/sections/${enc(sectionId)}/actions`, z.array(ActionSchema)),
  createAction: (planId: string, sectionId: string, body: ActionInput) =>
    request('POST', `/plans/${enc(planId)}/sections/${enc(sectionId)}/actions`, ActionSchema, body),
  updateAction: (planId: string, actionId: string, body: Partial<ActionInput>) =>
    request('PATCH', `/plans/${enc(planId)}/actions/${enc(actionId)}`, ActionSchema, body),
  deleteAction: (planId: string, actionId: string) => request('DELETE', `/plans/${enc(planId)}/actions/${enc(actionId)}`, null),
  linkRecommendation: (planId: string, actionId: string, recId: string) =>
    request('POST', `/plans/${enc(planId)}/actions/${enc(actionId)}/recommendations/${enc(recId)}`, ActionSchema, {}),
  unlinkRecommendation: (planId: string, actionId: string, recId: string) =>
    request('DELETE', `/plans/${enc(planId)}/actions/${enc(actionId)}/recommendations/${enc(recId)}`, ActionSchema),
  addIndicator: (planId: string, actionId: string, body: IndicatorInput) =>
    request('POST', `/plans/${enc(planId)}/actions/${enc(actionId)}/indicators`, IndicatorSchema, body),
  updateIndicator: (planId: string, indicatorId: string, body: Partial<IndicatorInput>) =>
    request('PATCH', `/plans/${enc(planId)}/indicators/${enc(indicatorId)}`, IndicatorSchema, body),
  deleteIndicator: (planId: string, indicatorId: string) =>
    request('DELETE', `/plans/${enc(planId)}/indicators/${enc(indicatorId)}`, null),

  organisations: (planId: string) => request('GET', `/plans/${enc(planId)}/organisations`, z.array(PlanOrganisationSchema)),
  addOrganisation: (planId: string, body: { name: string; side: Side }) =>
    request('POST', `/plans/${enc(planId)}/organisations`, PlanOrganisationSchema, body),

  coverage: (planId: string) => request('GET', `/plans/${enc(planId)}/coverage`, CoverageSchema),
};

export function planEventsUrl(planId: string): string {
  return `/api/plans/${enc(planId)}/events`;
}
