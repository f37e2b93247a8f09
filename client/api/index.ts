import { z } from 'zod';
import {
  AcceptedInviteSchema,
  CreatedInviteSchema,
  CreatedPasswordResetSchema,
  PasswordResetInfoSchema,
  InviteInfoSchema,
  InviteSchema,
  MemberSchema,
  MeSchema,
  type LanguageRequest,
  PlanOutlineSchema,
  PlanSummarySchema,
  SessionSchema,
  type AcceptInvite,
  type CreatePlan,
  type Role,
  type SetupRequest,
  type SignInRequest,
  ActionSchema,
  CoverageSchema,
  ImportPreviewSchema,
  ImportRecordSchema,
  UndoImportResultSchema,
  IndicatorSchema,
  PlanOrganisationSchema,
  RecommendationDetailSchema,
  RecommendationPageSchema,
  RecommendationSchema,
  type ActionInput,
  type CreateRecommendation,
  type UpdateRecommendation,
  type ImportPreviewQuery,
  type IndicatorInput,
  type Position,
  type RecommendationQuery,
  type Side,
  ExportJobSchema,
  PastExportsSchema,
  SectionAgreementSchema,
  SignoffRuleSchema,
  type AuditAction,
  ThreadListSchema,
  type CreateThread,
  type EditComment,
  type Reply,
  type ExportFormat,
  type ExportLanguage,
  type SignoffRule,
} from '../../shared/api/index.ts';
import {
  DecideSuggestionsResultSchema,
  DissentingPositionSchema,
  NotificationSchema,
  SuggestionDecisionSchema,
  SuggestionRuleSchema,
  type DecideSuggestions,
  type SuggestionRule,
} from '../../shared/api/index.ts';
import { BinEntrySchema, BinnedSectionSchema } from '../../shared/api/index.ts';
import { ItemHistorySchema, type ActionUpdate, type HistoryTargetType } from '../../shared/api/index.ts';
import { SignoffRuleChangeSchema, SignoffRulesSchema } from '../../shared/api/index.ts';
import type { SameAsPlanChoice } from '../../shared/api/index.ts';
import {
  AuditPageSchema,
  ListedVersionSchema,
  PlanComparisonSchema,
  RestoredVersionSchema,
  SectionCompareSchema,
  ThreadSchema,
  VersionContentSchema,
  VersionGroupSchema,
  type ExportJob,
  type ListedVersion,
  type RestoredVersion,
  type SectionAgreement,
  type SectionChangeSummary,
  type SectionCompare,
  type VersionContent,
  type VersionGroup,
  type VersionLabel,
} from '../../shared/api/index.ts';
import {
  AccountSessionsSchema,
  PasswordChangedSchema,
  SessionsEndedSchema,
  TrustedBrowsersSchema,
  type ChangePassword,
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
  setup: (body: SetupRequest) => request('POST', '/setup', MeSchema, body),

  signIn: (body: SignInRequest) => request('POST', '/auth/sign-in', MeSchema, body),
  signOut: () => request('POST', '/auth/sign-out', null, {}),
  setLanguage: (body: LanguageRequest) => request('PUT', '/auth/me/language', MeSchema, body),
  // The person's own account security (the Account page).
  changePassword: (body: ChangePassword) => request('POST', '/auth/password', PasswordChangedSchema, body),
  sessions: () => request('GET', '/auth/sessions', AccountSessionsSchema),
  endSession: (sessionId: string) => request('DELETE', `/auth/sessions/${enc(sessionId)}`, null),
  endOtherSessions: () => request('POST', '/auth/sessions/end-others', SessionsEndedSchema, {}),
  trustedBrowsers: () => request('GET', '/auth/trusted-browsers', TrustedBrowsersSchema),
  forgetTrustedBrowser: (browserId: string) => request('DELETE', `/auth/trusted-browsers/${enc(browserId)}`, null),
  session: () => request('GET', '/auth/session', SessionSchema),

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

  bin: (planId: string) => request('GET', `/plans/${enc(planId)}/bin`, z.array(BinEntrySchema)),
  binnedSection: (planId: string, sectionId: string) =>
    request('GET', `/plans/${enc(planId)}/bin/sections/${enc(sectionId)}`, BinnedSectionSchema),
  restoreSection: (planId: string, sectionId: string) =>
    request('POST', `/plans/${enc(planId)}/bin/sections/${enc(sectionId)}/restore`, PlanOutlineSchema, {}),
  restoreChapter: (planId: string, chapterId: string) =>
    request('POST', `/plans/${enc(planId)}/bin/chapters/${enc(chapterId)}/restore`, PlanOutlineSchema, {}),

  members: (planId: string) => request('GET', `/plans/${enc(planId)}/members`, z.array(MemberSchema)),
  updateMember: (planId: string, userId: string, role: Role) =>
    request('PATCH', `/plans/${enc(planId)}/members/${enc(userId)}`, null, { role }),
  removeMember: (planId: string, userId: string) =>
    request('DELETE', `/plans/${enc(planId)}/members/${enc(userId)}`, null),
  restoreMember: (planId: string, userId: string) =>
    request('POST', `/plans/${enc(planId)}/members/${enc(userId)}/restore`, null, {}),
  leavePlan: (planId: string) => request('POST', `/plans/${enc(planId)}/leave`, null, {}),

  invites: (planId: string) => request('GET', `/plans/${enc(planId)}/invites`, z.array(InviteSchema)),
  createInvite: (planId: string, role: Role, organisationId?: string, note = '') =>
    request('POST', `/plans/${enc(planId)}/invites`, CreatedInviteSchema, { role, note, ...(organisationId ? { organisationId } : {}) }),
  revokeInvite: (planId: string, inviteId: string) =>
    request('DELETE', `/plans/${enc(planId)}/invites/${enc(inviteId)}`, null),

  createPasswordReset: (planId: string, userId: string) =>
    request('POST', `/plans/${enc(planId)}/members/${enc(userId)}/password-reset`, CreatedPasswordResetSchema, {}),
  passwordResetInfo: (token: string) => request('GET', `/password-resets/${enc(token)}`, PasswordResetInfoSchema),
  usePasswordReset: (token: string, password: string) => request('POST', `/password-resets/${enc(token)}`, null, { password }),

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
  updateRecommendation: (planId: string, recId: string, body: UpdateRecommendation) =>
    request('PATCH', `/plans/${enc(planId)}/recommendations/${enc(recId)}`, RecommendationDetailSchema, body),
  deleteRecommendation: (planId: string, recId: string) =>
    request('DELETE', `/plans/${enc(planId)}/recommendations/${enc(recId)}`, null),
  exportUrl: (planId: string, format: 'accord-csv' | 'accord-json') =>
    `/api/plans/${enc(planId)}/recommendations/export?format=${format}`,

  /** `query` names the file, and says what the person chose instead of what the server detects (format, encoding) or finds (document symbol). */
  previewImport: (
    planId: string,
    file: Blob,
    query: ImportPreviewQuery,
    onProgress?: (loaded: number, total: number) => void,
  ) => upload(`/plans/${enc(planId)}/imports/preview${queryString(query)}`, file, ImportPreviewSchema, onProgress),
  commitImport: (planId: string, previewId: string, positionOverrides?: Record<string, Position>, sameAsPlan?: SameAsPlanChoice) =>
    request('POST', `/plans/${enc(planId)}/imports/${enc(previewId)}/commit`, ImportRecordSchema, {
      ...(positionOverrides ? { positionOverrides } : {}),
      ...(sameAsPlan ? { sameAsPlan } : {}),
    }),
  imports: (planId: string) => request('GET', `/plans/${enc(planId)}/imports`, z.array(ImportRecordSchema)),
  undoImport: (planId: string, importId: string) =>
    request('POST', `/plans/${enc(planId)}/imports/${enc(importId)}/undo`, UndoImportResultSchema, {}),

  // ----- Actions and indicators -----
  /** Every action of the plan's live sections, in outline order. */
  planActions: (planId: string) => request('GET', `/plans/${enc(planId)}/actions`, z.array(ActionSchema)),
  actions: (planId: string, sectionId: string) =>
    request('GET', `/plans/${enc(planId)}/sections/${enc(sectionId)}/actions`, z.array(ActionSchema)),
  createAction: (planId: string, sectionId: string, body: ActionInput) =>
    request('POST', `/plans/${enc(planId)}/sections/${enc(sectionId)}/actions`, ActionSchema, body),
  updateAction: (planId: string, actionId: string, body: Partial<ActionUpdate>) =>
    request('PATCH', `/plans/${enc(planId)}/actions/${enc(actionId)}`, ActionSchema, body),
  /** Puts an action at a 0-based place among its section's actions; answers the section's actions in their new order. */
  moveAction: (planId: string, sectionId: string, actionId: string, position: number) =>
    request('PUT', `/plans/${enc(planId)}/sections/${enc(sectionId)}/actions/${enc(actionId)}/position`, z.array(ActionSchema), { position }),
  /** `reason` is required when the action, or one of its indicators, is another organisation's proposal. */
  deleteAction: (planId: string, actionId: string, reason?: string) =>
    request('DELETE', `/plans/${enc(planId)}/actions/${enc(actionId)}`, null, reason ? { reason } : undefined),
  linkRecommendation: (planId: string, actionId: string, recId: string) =>
    request('POST', `/plans/${enc(planId)}/actions/${enc(actionId)}/recommendations/${enc(recId)}`, ActionSchema, {}),
  unlinkRecommendation: (planId: string, actionId: string, recId: string) =>
    request('DELETE', `/plans/${enc(planId)}/actions/${enc(actionId)}/recommendations/${enc(recId)}`, ActionSchema),
  addIndicator: (planId: string, actionId: string, body: IndicatorInput) =>
    request('POST', `/plans/${enc(planId)}/actions/${enc(actionId)}/indicators`, IndicatorSchema, body),
  updateIndicator: (planId: string, indicatorId: string, body: Partial<IndicatorInput>) =>
    request('PATCH', `/plans/${enc(planId)}/indicators/${enc(indicatorId)}`, IndicatorSchema, body),
  deleteIndicator: (planId: string, indicatorId: string, reason?: string) =>
    request('DELETE', `/plans/${enc(planId)}/indicators/${enc(indicatorId)}`, null, reason ? { reason } : undefined),
  /** One item's history (any member), newest first. */
  history: (planId: string, targetType: HistoryTargetType, targetId: string) =>
    request('GET', `/plans/${enc(planId)}/history${queryString({ targetType, targetId })}`, ItemHistorySchema),

  organisations: (planId: string) => request('GET', `/plans/${enc(planId)}/organisations`, z.array(PlanOrganisationSchema)),
  addOrganisation: (planId: string, body: { name: string; side: Side }) =>
    request('POST', `/plans/${enc(planId)}/organisations`, PlanOrganisationSchema, body),

  coverage: (planId: string) => request('GET', `/plans/${enc(planId)}/coverage`, CoverageSchema),
};

// ----- Agreement, versions, audit and export (shared/api/agreement.ts, shared/api/versions.ts) -----

export type Agreement = SectionAgreement;
export type VersionWithText = VersionContent;
export type ListedVersionResult = ListedVersion;
export type RestoredVersionResult = RestoredVersion;
export type SectionDiffResult = SectionCompare;
export type AuditPage = z.infer<typeof AuditPageSchema>;
export type ExportJobResult = ExportJob;

/** A whole-plan version as the pages show it (the server's VersionGroup, with `id` for its group id). */
export interface PlanVersion {
  id: string;
  name: string;
  /** What a name Accord gave says (client/features/versions/versionNames.ts labelledName words it). */
  label: VersionLabel | null;
  createdBy: string;
  createdAt: string;
  sectionCount: number | null;
}
function toPlanVersion(group: VersionGroup): PlanVersion {
  return { id: group.groupId, name: group.name, label: group.label, createdBy: group.createdBy, createdAt: group.createdAt, sectionCount: group.sectionCount };
}

/** One section's line of a whole-plan comparison. */
export type PlanCompareRow = SectionChangeSummary;

export interface AuditFilters {
  action?: AuditAction | '';
  actorId?: string;
  from?: string;
  to?: string;
  targetType?: string;
  targetId?: string;
  organisation?: string;
  limit?: number;
  offset?: number;
}

export const agreementApi = {
  agreement: (planId: string, sectionId: string) =>
    request('GET', `/plans/${enc(planId)}/sections/${enc(sectionId)}/agreement`, SectionAgreementSchema),
  setStatus: (planId: string, sectionId: string, status: 'drafting' | 'in_review') =>
    request('POST', `/plans/${enc(planId)}/sections/${enc(sectionId)}/status`, SectionAgreementSchema, { status }),
  signOff: (planId: string, sectionId: string, contentHash: string, reservation?: string) =>
    request('POST', `/plans/${enc(planId)}/sections/${enc(sectionId)}/signoffs`, SectionAgreementSchema, reservation ? { contentHash, reservation } : { contentHash }),
  withdrawSignoff: (planId: string, sectionId: string, reason: string) =>
    request('POST', `/plans/${enc(planId)}/sections/${enc(sectionId)}/signoffs/withdraw`, SectionAgreementSchema, reason.trim() ? { reason } : {}),
  reopen: (planId: string, sectionId: string, reason: string) =>
    request('POST', `/plans/${enc(planId)}/sections/${enc(sectionId)}/reopen`, SectionAgreementSchema, { reason }),
  signoffRule: (planId: string) => request('GET', `/plans/${enc(planId)}/signoff-rule`, SignoffRuleSchema),
  setSignoffRule: (planId: string, rule: SignoffRule) => request('PUT', `/plans/${enc(planId)}/signoff-rule`, SignoffRuleChangeSchema, rule),
  signoffRules: (planId: string) => request('GET', `/plans/${enc(planId)}/signoff-rules`, SignoffRulesSchema),
  setChapterSignoffRule: (planId: string, chapterId: string, rule: SignoffRule) =>
    request('PUT', `/plans/${enc(planId)}/chapters/${enc(chapterId)}/signoff-rule`, SignoffRuleChangeSchema, rule),
  removeChapterSignoffRule: (planId: string, chapterId: string) =>
    request('DELETE', `/plans/${enc(planId)}/chapters/${enc(chapterId)}/signoff-rule`, SignoffRuleChangeSchema),

  sectionVersions: (planId: string, sectionId: string) =>
    request('GET', `/plans/${enc(planId)}/sections/${enc(sectionId)}/versions`, z.array(ListedVersionSchema)),
  saveSectionVersion: (planId: string, sectionId: string, name: string) =>
    request('POST', `/plans/${enc(planId)}/sections/${enc(sectionId)}/versions`, ListedVersionSchema, { name }),
  version: (planId: string, versionId: string) => request('GET', `/plans/${enc(planId)}/versions/${enc(versionId)}`, VersionContentSchema),
  compareSection: (planId: string, sectionId: string, from: string, to: string) =>
    request(
      'GET',
      `/plans/${enc(planId)}/sections/${enc(sectionId)}/compare${queryString({ from, to })}`,
      SectionCompareSchema,
    ),
  restoreVersion: (planId: string, versionId: string) =>
    request('POST', `/plans/${enc(planId)}/versions/${enc(versionId)}/restore`, RestoredVersionSchema, {}),
  planVersions: async (planId: string) => (await request('GET', `/plans/${enc(planId)}/versions`, z.array(VersionGroupSchema))).map(toPlanVersion),
  savePlanVersion: async (planId: string, name: string) => toPlanVersion(await request('POST', `/plans/${enc(planId)}/versions`, VersionGroupSchema, { name })),
  comparePlan: async (planId: string, from: string, to: string): Promise<PlanCompareRow[]> =>
    (await request('GET', `/plans/${enc(planId)}/compare${queryString({ from, to })}`, PlanComparisonSchema)).sections,

  audit: (planId: string, filters: AuditFilters) =>
    request('GET', `/plans/${enc(planId)}/audit${queryString({ ...filters })}`, AuditPageSchema),
  auditCsvUrl: (planId: string, filters: AuditFilters) =>
    `/api/plans/${enc(planId)}/audit.csv${queryString({
      action: filters.action,
      actorId: filters.actorId,
      from: filters.from,
      to: filters.to,
      targetType: filters.targetType,
      targetId: filters.targetId,
      organisation: filters.organisation,
    })}`,

  createExport: (planId: string, format: ExportFormat, scope: 'agreed' | 'current', language: ExportLanguage, versionGroupId?: string) =>
    request('POST', `/plans/${enc(planId)}/exports`, ExportJobSchema, versionGroupId ? { format, scope, language, versionGroupId } : { format, scope, language }),
  exportJob: (planId: string, exportId: string) => request('GET', `/plans/${enc(planId)}/exports/${enc(exportId)}`, ExportJobSchema),
  exportFileUrl: (planId: string, exportId: string) => `/api/plans/${enc(planId)}/exports/${enc(exportId)}/file`,
  pastExports: (planId: string) => request('GET', `/plans/${enc(planId)}/exports`, PastExportsSchema),
  setExportRetention: (planId: string, days: number) => request('PUT', `/plans/${enc(planId)}/export-retention`, PastExportsSchema, { days }),
};

// ----- Verified organisations, dissenting positions, notices (server/routes/trust.ts) -----

export const trustApi = {
  verifyOrganisation: (planId: string, organisationId: string) =>
    request('POST', `/plans/${enc(planId)}/organisations/${enc(organisationId)}/verification`, PlanOrganisationSchema, {}),
  unverifyOrganisation: (planId: string, organisationId: string, reason: string) =>
    request('DELETE', `/plans/${enc(planId)}/organisations/${enc(organisationId)}/verification`, PlanOrganisationSchema, { reason }),
  positions: (planId: string, sectionId: string) =>
    request('GET', `/plans/${enc(planId)}/sections/${enc(sectionId)}/positions`, z.array(DissentingPositionSchema)),
  recordPosition: (planId: string, sectionId: string, body: { text: string; actionId?: string }) =>
    request('POST', `/plans/${enc(planId)}/sections/${enc(sectionId)}/positions`, DissentingPositionSchema, body),
  withdrawPosition: (planId: string, positionId: string) =>
    request('POST', `/plans/${enc(planId)}/positions/${enc(positionId)}/withdraw`, DissentingPositionSchema, {}),
  /** The newest page of the person's notices, or the page older than notice `before`. */
  notifications: (before?: string) =>
    request('GET', `/notifications${before ? `?before=${encodeURIComponent(before)}` : ''}`, z.array(NotificationSchema)),
  /** The listed notices, or all of the person's. */
  markNotificationsRead: (ids?: string[]) => request('POST', '/notifications/read', null, ids ? { ids } : {}),
};

// ----- Comment threads (shared/api/comments.ts) -----

export type ThreadStatusFilter = 'open' | 'resolved' | 'all';

export const commentsApi = {
  threads: (planId: string, sectionId: string, status: ThreadStatusFilter, organisationId?: string) =>
    request('GET', `/plans/${enc(planId)}/sections/${enc(sectionId)}/threads${queryString({ status, organisationId })}`, ThreadListSchema),
  createThread: (planId: string, sectionId: string, body: CreateThread) =>
    request('POST', `/plans/${enc(planId)}/sections/${enc(sectionId)}/threads`, ThreadSchema, body),
  reply: (planId: string, threadId: string, body: Reply) =>
    request('POST', `/plans/${enc(planId)}/threads/${enc(threadId)}/comments`, ThreadSchema, body),
  editComment: (planId: string, commentId: string, body: EditComment) =>
    request('PATCH', `/plans/${enc(planId)}/comments/${enc(commentId)}`, ThreadSchema, body),
  deleteComment: (planId: string, commentId: string) => request('DELETE', `/plans/${enc(planId)}/comments/${enc(commentId)}`, ThreadSchema),
  resolve: (planId: string, threadId: string) => request('POST', `/plans/${enc(planId)}/threads/${enc(threadId)}/resolve`, ThreadSchema, {}),
  reopen: (planId: string, threadId: string) => request('POST', `/plans/${enc(planId)}/threads/${enc(threadId)}/reopen`, ThreadSchema, {}),
};

// ----- Suggestions (shared/api/suggestions.ts; the suggestions themselves are in the section text) -----

export const suggestionsApi = {
  rule: (planId: string) => request('GET', `/plans/${enc(planId)}/suggestion-rule`, SuggestionRuleSchema),
  setRule: (planId: string, rule: SuggestionRule) => request('PUT', `/plans/${enc(planId)}/suggestion-rule`, SuggestionRuleSchema, rule),
  decisions: (planId: string, sectionId: string) =>
    request('GET', `/plans/${enc(planId)}/sections/${enc(sectionId)}/suggestions/decisions`, z.array(SuggestionDecisionSchema)),
  decide: (planId: string, sectionId: string, body: DecideSuggestions) =>
    request('POST', `/plans/${enc(planId)}/sections/${enc(sectionId)}/suggestions/decisions`, DecideSuggestionsResultSchema, body),
};

export function planEventsUrl(planId: string): string {
  return `/api/plans/${enc(planId)}/events`;
}
