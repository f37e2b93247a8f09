import { z } from 'zod';
import { IdSchema, RoleSchema, SideSchema, TitleSchema } from './common.ts';
import { LanguageSchema } from './auth.ts';

// ----- Sign-off -----

/** Where a section stands on the path to agreement. */
export const SectionStatusSchema = z.enum(['drafting', 'in_review', 'agreed']);
export type SectionStatus = z.infer<typeof SectionStatusSchema>;

/**
 * One person's sign-off of one exact version of a section: the content hash of its canonical
 * text and actions (shared/doc/canonical.ts) at the moment of signing.
 */
export const SignoffSchema = z.object({
  id: IdSchema,
  sectionId: IdSchema,
  userId: IdSchema,
  name: z.string(),
  organisationId: IdSchema,
  organisation: z.string(),
  side: SideSchema,
  contentHash: z.string(),
  signedAt: z.string(),
  /** "We sign, with this reservation": part of the record and of the exported annex. */
  reservation: z.string().nullable(),
  /** Whether the organisation is verified for the plan now: only then does the signature count. */
  organisationVerified: z.boolean(),
  /** The signer's role in the plan when they signed (null: signed before roles were recorded and not known). */
  role: RoleSchema.nullable().default(null),
  /** Set when the sign-off was withdrawn by a reopening, or went stale because the text changed. */
  withdrawnAt: z.string().nullable(),
  /** Why it ended, in words (e.g. "Ihar Sokal edited the section."). */
  withdrawnReason: z.string().nullable(),
  /** Whose edit ended it, when an edit did. */
  withdrawnByName: z.string().nullable(),
  /** The signer withdrew it themselves (withdrawnReason then holds their words, or is empty). */
  withdrawnBySigner: z.boolean().default(false),
});
export type Signoff = z.infer<typeof SignoffSchema>;

/**
 * The reasons Accord itself writes when it withdraws signatures, stored as words (they are on the
 * record as written) and recognised again by the browser, which says them in the reader's language.
 */
export const WITHDRAWN_BACK_TO_DRAFTING = 'The section went back to drafting.';
/** A signature an edit outdated when whose edit it was is not known. */
export const WITHDRAWN_CONTENT_CHANGED = 'The content changed after signing.';
export const withdrawnByReopening = (who: string, reason: string) => `reopened by ${who}: ${reason}`;
/** Who reopened and why, from a reason withdrawnByReopening wrote; null for any other reason. */
export function reopeningOf(withdrawnReason: string): { who: string; reason: string } | null {
  const m = /^reopened by ([^:]+): ([\s\S]*)$/.exec(withdrawnReason);
  return m ? { who: m[1]!, reason: m[2]! } : null;
}

/**
 * Who must sign for a section to become agreed. Whatever the kind, only signatures of
 * organisations a coordinator verified for the plan count (server/services/signoffRules.ts).
 * Stored as JSON (plan_signoff_rules, chapter_signoff_rules): kinds are only ever added.
 */
export const SignoffRuleSchema = z.discriminatedUnion('kind', [
  /** Default: at least one member of a government and one of a civil-society organisation. */
  z.object({ kind: z.literal('sides'), sides: z.array(SideSchema).min(1) }),
  /** A coordinator's choice: a member of each of these organisations. */
  z.object({ kind: z.literal('organisations'), organisationIds: z.array(IdSchema).min(1) }),
  /**
   * At least k different verified organisations of each named side, e.g. {government: 1,
   * civil_society: 3}. k may not exceed the side's verified organisations when the rule is set.
   */
  z.object({
    kind: z.literal('quorum'),
    minimum: z
      .partialRecord(SideSchema, z.number().int().min(1).max(1000))
      .refine((m) => Object.keys(m).length > 0, 'signers_required'),
  }),
  /** A coordinator of the plan signs for each of these sides (their role when they signed). */
  z.object({ kind: z.literal('coordinators'), sides: z.array(SideSchema).min(1) }),
]);
export type SignoffRule = z.infer<typeof SignoffRuleSchema>;
export const DEFAULT_SIGNOFF_RULE: SignoffRule = { kind: 'sides', sides: ['government', 'civil_society'] };

/** One thing a section still needs under its rule (the `missing` words, for people to read in their language). */
export const RuleNeedSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('side'), side: SideSchema }),
  z.object({ kind: z.literal('organisation'), organisationId: IdSchema, name: z.string() }),
  /** `have` verified organisations of the side signed, `need` must; `available` are verified in the plan now. */
  z.object({ kind: z.literal('quorum'), side: SideSchema, have: z.number().int(), need: z.number().int(), available: z.number().int() }),
  z.object({ kind: z.literal('coordinator'), side: SideSchema }),
]);
export type RuleNeed = z.infer<typeof RuleNeedSchema>;

/** Where a section's rule comes from: the plan's, or its chapter's own (which then replaces it). */
export const RuleSourceSchema = z.object({
  scope: z.enum(['plan', 'chapter']),
  chapterId: IdSchema.nullable(),
  chapterTitle: z.string().nullable(),
});
export type RuleSource = z.infer<typeof RuleSourceSchema>;

/** A chapter's own rule, replacing the plan's for its sections. */
export const ChapterSignoffRuleSchema = z.object({
  chapterId: IdSchema,
  chapterTitle: z.string(),
  rule: SignoffRuleSchema,
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});
export type ChapterSignoffRule = z.infer<typeof ChapterSignoffRuleSchema>;

/** The plan's rule, the chapters' own rules, and what a coordinator needs to know to set one. */
export const SignoffRulesSchema = z.object({
  plan: SignoffRuleSchema,
  chapters: z.array(ChapterSignoffRuleSchema),
  /** Verified organisations of each side now: the most a quorum of that side may ask for. */
  verified: z.partialRecord(SideSchema, z.number().int()),
  /** Sides for which a coordinator of the plan belongs to a verified organisation (who could sign a coordinators rule). */
  coordinatorSides: z.array(SideSchema),
});
export type SignoffRules = z.infer<typeof SignoffRulesSchema>;

/**
 * The answer to changing a rule: the rule now in force where it was changed, and the sections in
 * review whose current signatures meet it and so became agreed (`changed`), or would have but for
 * open suggestions (`held`). Sections agreed before stay agreed.
 */
export const SignoffRuleChangeSchema = z.object({
  rule: SignoffRuleSchema,
  source: RuleSourceSchema,
  changed: z.array(z.object({ sectionId: IdSchema, title: z.string(), from: SectionStatusSchema, to: SectionStatusSchema })),
  held: z.array(z.object({ sectionId: IdSchema, title: z.string(), openSuggestions: z.number().int() })),
});
export type SignoffRuleChange = z.infer<typeof SignoffRuleChangeSchema>;

/** A coordinator reopened the section, withdrawing its sign-offs, and said why. */
export const ReopeningSchema = z.object({
  at: z.string(),
  by: z.string(),
  organisation: z.string(),
  reason: z.string(),
});
export type Reopening = z.infer<typeof ReopeningSchema>;

export const SectionAgreementSchema = z.object({
  sectionId: IdSchema,
  status: SectionStatusSchema,
  /** Hash of the section's current canonical content. */
  currentHash: z.string(),
  signoffs: z.array(SignoffSchema),
  /** What is still missing for agreement, in words built from the rule (e.g. "civil_society"). */
  missing: z.array(z.string()),
  /** The same, one entry per need, for people to read (see RuleNeedSchema). */
  needs: z.array(RuleNeedSchema).default([]),
  /** The rule in force for this section, and whether it is its chapter's own or the plan's. */
  rule: SignoffRuleSchema.optional(),
  ruleSource: RuleSourceSchema.optional(),
  agreedAt: z.string().nullable(),
  agreedHash: z.string().nullable(),
  /** Suggestions not yet accepted or rejected: while there are any, nobody can sign. */
  openSuggestions: z.number().int().default(0),
  /** Every reopening of the section, newest first: who, from which organisation, when and why. Read by any member. */
  reopenings: z.array(ReopeningSchema).default([]),
});
export type SectionAgreement = z.infer<typeof SectionAgreementSchema>;

export const SetSectionStatusSchema = z.object({ status: z.enum(['drafting', 'in_review']) });
export const ReopenSectionSchema = z.object({ reason: z.string().trim().min(3, 'reason_required').max(2000) });
/** The signer states the hash they read, so nobody signs a text that changed under their eyes. */
/** A signer takes back their own signature while the section is not yet agreed, saying why if they wish. */
export const WithdrawSignoffSchema = z.object({
  reason: z.string().trim().max(2000).optional(),
});

export const SignSectionSchema = z.object({
  contentHash: z.string().min(16).max(128),
  /** Sign with a reservation: the signature counts, and the reservation stands beside it. */
  reservation: z.string().trim().min(3, 'reservation_required').max(4000).optional(),
});

// ----- Dissenting positions -----

/** An organisation's recorded disagreement with a section, or with one action of it. */
export const DissentingPositionSchema = z.object({
  id: IdSchema,
  sectionId: IdSchema,
  actionId: IdSchema.nullable(),
  /** The action's title when the position was recorded. */
  actionTitle: z.string().nullable(),
  organisationId: IdSchema,
  organisation: z.string(),
  side: SideSchema,
  /** Whether the organisation is verified for the plan now (a verification can be withdrawn after the position). */
  organisationVerified: z.boolean(),
  author: z.string(),
  text: z.string(),
  createdAt: z.string(),
  withdrawnAt: z.string().nullable(),
});
export type DissentingPosition = z.infer<typeof DissentingPositionSchema>;
export const CreateDissentSchema = z.object({
  text: z.string().trim().min(10, 'dissent_required').max(8000),
  actionId: IdSchema.optional(),
});

// ----- Notifications -----

/**
 * Which sentence a notice is and its values (names, titles, a reason as written, states by their
 * codes), for the browser to word in the reader's language (client/features/notifications/noticeText.ts).
 */
export const NOTICE_TEXT_PARAMS = {
  signoff_withdrawn: ['title'],
  signoff_withdrawn_edited: ['title', 'editors'],
  signoff_withdrawn_reopened: ['who', 'title', 'reason'],
  signoff_withdrawn_drafting: ['who', 'title'],
  organisation_verified: ['who', 'organisation', 'side'],
  organisation_unverified: ['who', 'organisation', 'reason'],
  organisation_to_verify: ['who', 'organisation', 'side'],
  role_changed: ['who', 'from', 'to'],
  removed_from_plan: ['who', 'organisation', 'plan'],
  restored_to_plan: ['who', 'organisation', 'plan', 'role'],
  mention: ['who', 'organisation', 'title', 'excerpt'],
  suggestions_accepted: ['who', 'title', 'count'],
  suggestions_rejected: ['who', 'title', 'count'],
  suggestions_rejected_reason: ['who', 'title', 'count', 'reason'],
  proposal_changed_action: ['who', 'title'],
  proposal_removed_action: ['who', 'organisation', 'title', 'proposer'],
  proposal_removed_action_reason: ['who', 'organisation', 'title', 'proposer', 'reason'],
  proposal_indicator_added: ['who', 'title', 'indicator'],
  proposal_named_action: ['who', 'title'],
  proposal_named_indicator: ['who', 'indicator'],
  proposal_changed_indicator: ['who', 'indicator'],
  proposal_removed_indicator: ['who', 'organisation', 'indicator', 'proposer'],
  proposal_removed_indicator_reason: ['who', 'organisation', 'indicator', 'proposer', 'reason'],
  report_submitted: ['who', 'title', 'round'],
  report_corrected: ['who', 'title', 'round'],
  assessment_disputes: ['organisation', 'title', 'round', 'rating', 'governmentRating'],
  round_opened: ['who', 'round', 'count', 'due'],
  report_due: ['title', 'round', 'due'],
  report_overdue: ['title', 'round', 'due'],
  // About the person's account, not the plan's work: `until` is when the link stops working (an ISO time).
  password_reset_made: ['who', 'organisation', 'plan', 'until'],
  password_reset_used: ['who', 'organisation', 'plan'],
} as const satisfies Record<string, readonly string[]>;
export const NoticeTextKeySchema = z.enum(Object.keys(NOTICE_TEXT_PARAMS) as [keyof typeof NOTICE_TEXT_PARAMS, ...Array<keyof typeof NOTICE_TEXT_PARAMS>]);
export const NoticeTextSchema = z.object({ key: NoticeTextKeySchema, params: z.record(z.string(), z.union([z.string(), z.number()])) });
export type NoticeText = z.infer<typeof NoticeTextSchema>;

export const NotificationSchema = z.object({
  id: IdSchema,
  planId: IdSchema,
  kind: z.enum([
    'signoff_withdrawn',
    'organisation_verified',
    'organisation_unverified',
    'organisation_to_verify',
    'proposal_removed',
    'proposal_changed',
    'role_changed',
    'removed_from_plan',
    'restored_to_plan',
    'mention',
    'suggestion_decided',
    'report_due',
    'report_overdue',
    'report_submitted',
    'assessment_disputes',
    'password_reset_made',
    'password_reset_used',
  ]),
  /** English, for API users; people read `text` in their language, in the app and in e-mail. */
  summary: z.string(),
  text: NoticeTextSchema.nullable(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof NotificationSchema>;

/** How many notices GET /notifications answers at a time, newest first. */
export const NOTIFICATIONS_PAGE = 50;
/** GET /notifications?before=<id>: the page of the caller's notices older than that one of theirs (none when it is not theirs). */
export const NotificationsQuerySchema = z.object({ before: IdSchema.optional() });
export type NotificationsQuery = z.infer<typeof NotificationsQuerySchema>;

/** POST /notifications/read: the listed notices of the caller's (one followed from the list), or all of them. */
export const MarkNotificationsReadSchema = z.object({ ids: z.array(IdSchema).min(1).max(100).optional() });
export type MarkNotificationsRead = z.infer<typeof MarkNotificationsReadSchema>;

// ----- Versions -----

/** `automatic`: kept by Accord after a pause in editing, or daily while a section keeps changing. */
export const VersionKindSchema = z.enum(['manual', 'signoff', 'before_restore', 'restore', 'automatic']);
/**
 * What a name Accord gave a version says, for the browser to word in the reader's language
 * (client/features/versions/versionNames.ts). Null for a name a person typed.
 */
export type VersionLabel =
  | { key: 'signoff' }
  | { key: 'automatic'; editors: string[] }
  | { key: 'adopted'; act: string }
  /** A restore, and the version kept just before it: of which version (its name and label). */
  | { key: 'restored' | 'before_restore'; from: { name: string; label: VersionLabel | null } };
export const VersionLabelSchema: z.ZodType<VersionLabel> = z.lazy(() =>
  z.discriminatedUnion('key', [
    z.object({ key: z.literal('signoff') }),
    z.object({ key: z.literal('automatic'), editors: z.array(z.string()) }),
    z.object({ key: z.literal('adopted'), act: z.string() }),
    z.object({ key: z.enum(['restored', 'before_restore']), from: z.object({ name: z.string(), label: VersionLabelSchema.nullable() }) }),
  ]),
);

export const VersionSchema = z.object({
  id: IdSchema,
  planId: IdSchema,
  sectionId: IdSchema,
  /** Versions made together for the whole plan share a group id. */
  groupId: IdSchema.nullable(),
  /** As typed, or Accord's English wording when `label` says what it is. */
  name: z.string(),
  label: VersionLabelSchema.nullable(),
  kind: VersionKindSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  contentHash: z.string(),
});
export type Version = z.infer<typeof VersionSchema>;
export const CreateVersionSchema = z.object({ name: TitleSchema });

/** An inline difference between two versions of a section, block by block. */
export const DiffPartSchema = z.object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() });
export const SectionDiffSchema = z.object({
  sectionId: IdSchema,
  title: z.string(),
  blocks: z.array(z.array(DiffPartSchema)),
  summary: z.object({ insertedChars: z.number(), deletedChars: z.number(), changedBlocks: z.number() }),
});
export type SectionDiff = z.infer<typeof SectionDiffSchema>;

// ----- Audit log -----

export const AuditActionSchema = z.enum([
  'member.joined',
  'member.role_changed',
  'member.removed',
  'member.restored',
  'invite.created',
  'invite.revoked',
  'password_reset.created',
  'password_reset.used',
  // The person changed their own password (recorded in every plan they are in).
  'account.password_changed',
  // …ended one of their sessions, all but the one asking, or had a trusted browser forgotten (the same).
  'account.session_ended',
  'account.other_sessions_ended',
  'account.trusted_browser_forgotten',
  'import.committed',
  'import.undone',
  'matrix_import.committed',
  'matrix_import.undone',
  'section.status_changed',
  'section.signed',
  'section.signoff_refused',
  'section.signoff_withdrawn',
  'section.agreed',
  'section.reopened',
  'signoff_rule.changed',
  'organisation.verified',
  'organisation.unverified',
  'dissent.recorded',
  'dissent.withdrawn',
  'version.created',
  'version.restored',
  'export.created',
  'export.retention_changed',
  'comment.thread_created',
  'comment.thread_resolved',
  'comment.thread_reopened',
  'comment.deleted',
  'suggestion.accepted',
  'suggestion.rejected',
  'suggestion_rule.changed',
  'section.deleted',
  'section.restored',
  'chapter.deleted',
  'chapter.restored',
  // Every change on the record (services/history.ts): details hold { before, after, changed }.
  'action.created',
  'action.updated',
  'action.moved',
  'action.deleted',
  'indicator.created',
  'indicator.updated',
  'indicator.deleted',
  'link.added',
  'link.removed',
  'recommendation.created',
  'recommendation.updated',
  'recommendation.deleted',
  // Groups of recommendations that say the same thing (shared/api/recommendationGroups.ts).
  'recommendation_group.proposed',
  'recommendation_group.confirmed',
  'recommendation_group.split',
  'recommendation_group.dismissed',
  'section.created',
  'section.renamed',
  'section.moved',
  'chapter.created',
  'chapter.renamed',
  'chapter.moved',
  'organisation.created',
  'organisation.added',
  // The plan's beginning: who created it, and the sample content loaded into it at set-up.
  'plan.created',
  'plan.sample_loaded',
  // After the signature (shared/api/monitoring.ts).
  'plan.adopted',
  'plan.stage_changed',
  'plan.monitoring_body_set',
  'round.created',
  'round.updated',
  'report.created',
  'report.updated',
  'report.submitted',
  'report.deleted',
  'evidence.added',
  'evidence.removed',
  'assessment.saved',
  // The public record (shared/api/publicRecord.ts).
  'plan.published',
  'plan.unpublished',
]);
export type AuditAction = z.infer<typeof AuditActionSchema>;

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: IdSchema.nullable(),
  actorName: z.string(),
  actorOrganisation: z.string(),
  actorRole: RoleSchema.nullable(),
  action: AuditActionSchema,
  targetType: z.string(),
  targetId: z.string().nullable(),
  /** A sentence for people, built when the entry is written. */
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.object({
  action: AuditActionSchema.optional(),
  actorId: IdSchema.optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  /** The kind of item changed ('action', 'indicator', 'section', 'member', …). */
  targetType: z.string().regex(/^[a-z_]{1,40}$/, 'invalid').optional(),
  /** One item; with targetType 'action' also its indicators and links, with 'recommendation' its links. */
  targetId: IdSchema.optional(),
  /** The acting person's organisation, by name as recorded. */
  organisation: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

// ----- Export -----

/**
 * matrix-csv/-xlsx: the implementation matrix by recommendation (one row per recommendation of the
 * plan); matrix-tables-xlsx/-zip: the same as linked tables (recommendations, actions, indicators,
 * links), one sheet or CSV each. Columns: docs/exports/implementation-matrix.md.
 */
export const ExportFormatSchema = z.enum(['docx', 'pdf', 'html', 'md', 'matrix-csv', 'matrix-xlsx', 'matrix-tables-xlsx', 'matrix-tables-zip']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;
/** `agreed`: only agreed sections (others listed as not yet agreed); `current`: every section with its status marked. */
export const ExportScopeSchema = z.enum(['agreed', 'current']);
/**
 * The language an export's own words (headings, labels, dates) are written in: one of the
 * interface's languages. The plan's text stays as written. The client sends the requester's
 * interface language; without one, English.
 */
export const ExportLanguageSchema = LanguageSchema;
export type ExportLanguage = z.infer<typeof ExportLanguageSchema>;
export const CreateExportSchema = z.object({
  format: ExportFormatSchema,
  scope: ExportScopeSchema.default('current'),
  language: ExportLanguageSchema.default('en'),
  /**
   * A whole-plan version (group id from POST /plans/:planId/versions): each section's text is
   * exported as saved in it; sections not in it are listed as not included. Omitted: the current text.
   */
  versionGroupId: IdSchema.optional(),
});

/** Why an export failed, worded by the client from `errors.<code>` (shared/api/errors.ts). */
export const ExportErrorCodeSchema = z.enum(['export_failed', 'export_timed_out', 'export_too_large', 'export_interrupted']);
export type ExportErrorCode = z.infer<typeof ExportErrorCodeSchema>;

export const ExportJobSchema = z.object({
  id: IdSchema,
  format: ExportFormatSchema,
  scope: ExportScopeSchema,
  language: ExportLanguageSchema,
  /** The whole-plan version exported, when not the current text. */
  versionGroupId: IdSchema.nullable().optional(),
  state: z.enum(['running', 'done', 'failed']),
  done: z.number(),
  total: z.number(),
  /** English detail, for logs and API users. */
  error: z.string().nullable(),
  /** What people read when it failed; null for exports that failed before codes were kept. */
  errorCode: ExportErrorCodeSchema.nullable(),
  filename: z.string().nullable(),
  createdAt: z.string(),
});
export type ExportJob = z.infer<typeof ExportJobSchema>;

/** An export on the record (GET /plans/:planId/exports): downloadable again until it expires. */
export const PastExportSchema = z.object({
  id: IdSchema,
  format: ExportFormatSchema,
  scope: ExportScopeSchema,
  language: ExportLanguageSchema,
  versionGroupId: IdSchema.nullable(),
  /** The version's name as it was when exported. */
  versionName: z.string().nullable(),
  state: z.enum(['running', 'done', 'failed']),
  error: z.string().nullable(),
  errorCode: ExportErrorCodeSchema.nullable(),
  filename: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  createdAt: z.string(),
  createdBy: z.object({ id: IdSchema, name: z.string() }),
  /** When the file (and this entry) goes: createdAt plus the plan's retention period. */
  expiresAt: z.string(),
});
export type PastExport = z.infer<typeof PastExportSchema>;

export const EXPORT_RETENTION_MAX_DAYS = 3650;
export const PastExportsSchema = z.object({ retentionDays: z.number().int(), items: z.array(PastExportSchema) });
export type PastExports = z.infer<typeof PastExportsSchema>;
/** PUT /plans/:planId/export-retention (coordinators): how many days exports are kept. */
export const ExportRetentionSchema = z.object({ days: z.coerce.number().int().min(1).max(EXPORT_RETENTION_MAX_DAYS) });

/** GET …/audit: one page of the log, newest first, and how many entries match in all. */
export const AuditPageSchema = z.object({ total: z.number().int(), items: z.array(AuditEntrySchema) });
export type AuditPage = z.infer<typeof AuditPageSchema>;
