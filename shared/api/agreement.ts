import { z } from 'zod';
import { IdSchema, RoleSchema, SideSchema, TitleSchema } from './common.ts';

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
  /** Set when the sign-off was withdrawn by a reopening, or went stale because the text changed. */
  withdrawnAt: z.string().nullable(),
  /** Why it ended, in words (e.g. "Ihar Sokal edited the section."). */
  withdrawnReason: z.string().nullable(),
  /** Whose edit ended it, when an edit did. */
  withdrawnByName: z.string().nullable(),
});
export type Signoff = z.infer<typeof SignoffSchema>;

/** Who must sign for a section to become agreed. */
export const SignoffRuleSchema = z.discriminatedUnion('kind', [
  /** Default: at least one member of a government and one of a civil-society organisation. */
  z.object({ kind: z.literal('sides'), sides: z.array(SideSchema).min(1) }),
  /** A coordinator's choice: a member of each of these organisations. */
  z.object({ kind: z.literal('organisations'), organisationIds: z.array(IdSchema).min(1) }),
]);
export type SignoffRule = z.infer<typeof SignoffRuleSchema>;
export const DEFAULT_SIGNOFF_RULE: SignoffRule = { kind: 'sides', sides: ['government', 'civil_society'] };

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
  agreedAt: z.string().nullable(),
  agreedHash: z.string().nullable(),
  /** Suggestions not yet accepted or rejected: while there are any, nobody can sign. */
  openSuggestions: z.number().int().default(0),
  /** Every reopening of the section, newest first: who, from which organisation, when and why. Read by any member. */
  reopenings: z.array(ReopeningSchema).default([]),
});
export type SectionAgreement = z.infer<typeof SectionAgreementSchema>;

export const SetSectionStatusSchema = z.object({ status: z.enum(['drafting', 'in_review']) });
export const ReopenSectionSchema = z.object({ reason: z.string().trim().min(3, 'Say why the section is reopened').max(2000) });
/** The signer states the hash they read, so nobody signs a text that changed under their eyes. */
export const SignSectionSchema = z.object({
  contentHash: z.string().min(16).max(128),
  /** Sign with a reservation: the signature counts, and the reservation stands beside it. */
  reservation: z.string().trim().min(3, 'Write the reservation, or sign without one').max(4000).optional(),
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
  text: z.string().trim().min(10, 'Say what your organisation disagrees with, and why (at least 10 characters)').max(8000),
  actionId: IdSchema.optional(),
});

// ----- Notifications -----

export const NotificationSchema = z.object({
  id: IdSchema,
  planId: IdSchema,
  kind: z.enum(['signoff_withdrawn', 'organisation_verified', 'organisation_unverified', 'proposal_removed', 'proposal_changed']),
  summary: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof NotificationSchema>;

// ----- Versions -----

export const VersionKindSchema = z.enum(['manual', 'signoff', 'before_restore', 'restore']);
export const VersionSchema = z.object({
  id: IdSchema,
  planId: IdSchema,
  sectionId: IdSchema,
  /** Versions made together for the whole plan share a group id. */
  groupId: IdSchema.nullable(),
  name: z.string(),
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
  'invite.created',
  'invite.revoked',
  'password_reset.created',
  'password_reset.used',
  'import.committed',
  'import.undone',
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
  'section.created',
  'section.renamed',
  'section.moved',
  'chapter.created',
  'chapter.renamed',
  'chapter.moved',
  'organisation.created',
  'organisation.added',
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
  targetType: z.string().regex(/^[a-z_]{1,40}$/, 'Not a kind of item').optional(),
  /** One item; with targetType 'action' also its indicators and links, with 'recommendation' its links. */
  targetId: IdSchema.optional(),
  /** The acting person's organisation, by name as recorded. */
  organisation: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

// ----- Export -----

export const ExportFormatSchema = z.enum(['docx', 'pdf', 'html', 'md', 'matrix-csv', 'matrix-xlsx']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;
/** `agreed`: only agreed sections (others listed as not yet agreed); `current`: every section with its status marked. */
export const ExportScopeSchema = z.enum(['agreed', 'current']);
export const CreateExportSchema = z.object({
  format: ExportFormatSchema,
  scope: ExportScopeSchema.default('current'),
  /**
   * A whole-plan version (group id from POST /plans/:planId/versions): each section's text is
   * exported as saved in it; sections not in it are listed as not included. Omitted: the current text.
   */
  versionGroupId: IdSchema.optional(),
});

export const ExportJobSchema = z.object({
  id: IdSchema,
  format: ExportFormatSchema,
  scope: ExportScopeSchema,
  /** The whole-plan version exported, when not the current text. */
  versionGroupId: IdSchema.nullable().optional(),
  state: z.enum(['running', 'done', 'failed']),
  done: z.number(),
  total: z.number(),
  error: z.string().nullable(),
  filename: z.string().nullable(),
  createdAt: z.string(),
});
export type ExportJob = z.infer<typeof ExportJobSchema>;
