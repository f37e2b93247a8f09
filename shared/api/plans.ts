import { z } from 'zod';

import {
  EmailSchema,
  IdSchema,
  NameSchema,
  PasswordSchema,
  RoleSchema,
  SideSchema,

  TitleSchema,
} from './common.ts';
import { LanguageSchema, NewOrganisationSchema, OrganisationSchema } from './auth.ts';
import { Limits } from '../limits.ts';

const YearSchema = z.number().int().min(1945).max(2100);

export const CreatePlanSchema = z
  .object({
    title: TitleSchema,
    country: NameSchema,
    periodStart: YearSchema,
    periodEnd: YearSchema,
    /**
     * The language the new plan's first chapter and section are named in: the creator's interface
     * language, so a ministry working in Russian does not open its first plan on English headings.
     * Without one, the creator's account language, else English.
     */
    language: LanguageSchema.optional(),
  })
  .refine((p) => p.periodEnd >= p.periodStart, { message: 'period_order', path: ['periodEnd'] });
export type CreatePlan = z.infer<typeof CreatePlanSchema>;

export const UpdatePlanSchema = z
  .object({ title: TitleSchema, country: NameSchema, periodStart: YearSchema, periodEnd: YearSchema })
  .partial();

export const PlanSummarySchema = z.object({
  id: IdSchema,
  title: z.string(),
  country: z.string(),
  periodStart: z.number(),
  periodEnd: z.number(),
  role: RoleSchema,
  createdAt: z.string(),
  source: z.string().nullable(),
});
export type PlanSummary = z.infer<typeof PlanSummarySchema>;

export const SectionSchema = z.object({
  id: IdSchema,
  title: z.string(),
  position: z.number(),
  /** drafting | in_review | agreed (see agreement.ts); absent from older servers. */
  status: z.enum(['drafting', 'in_review', 'agreed']).default('drafting'),
  /** Names and organisations of the current (not withdrawn) sign-offs; `verified` false: shown as unverified. */
  signedBy: z.array(z.object({ name: z.string(), organisation: z.string(), side: SideSchema, verified: z.boolean() })).default([]),
  /** Open comment threads on the section (see comments.ts). */
  openThreads: z.number().int().default(0),
});
export type Section = z.infer<typeof SectionSchema>;

export const ChapterSchema = z.object({
  id: IdSchema,
  title: z.string(),
  position: z.number(),
  sections: z.array(SectionSchema),
});
export type Chapter = z.infer<typeof ChapterSchema>;

/** A plan with its outline, as seen by one member. */
export const PlanOutlineSchema = z.object({
  plan: PlanSummarySchema,
  chapters: z.array(ChapterSchema),
});
export type PlanOutline = z.infer<typeof PlanOutlineSchema>;

export const CreateChapterSchema = z.object({ title: TitleSchema });
/** Rename and/or move a chapter to a 0-based position among its siblings. */
export const UpdateChapterSchema = z
  .object({ title: TitleSchema, position: z.number().int().min(0) })
  .partial()
  .refine((v) => v.title !== undefined || v.position !== undefined, 'nothing_to_change');

export const CreateSectionSchema = z.object({ chapterId: IdSchema, title: TitleSchema });
/** Rename and/or move a section, possibly into another chapter, to a 0-based position. */
export const UpdateSectionSchema = z
  .object({ title: TitleSchema, chapterId: IdSchema, position: z.number().int().min(0) })
  .partial()
  .refine((v) => v.title !== undefined || v.position !== undefined || v.chapterId !== undefined, 'nothing_to_change');

export const MemberSchema = z.object({
  userId: IdSchema,
  name: z.string(),
  /** Only coordinators see members' addresses; everyone sees their own. null: not shown to this reader. */
  email: z.string().nullable(),
  role: RoleSchema,
  organisation: OrganisationSchema,
  /** Whether a coordinator verified the member's organisation for this plan (see PlanOrganisation). */
  organisationVerified: z.boolean(),
  joinedAt: z.string(),
});
export type Member = z.infer<typeof MemberSchema>;

export const UpdateMemberSchema = z.object({ role: RoleSchema });

/** A password reset link a coordinator made for a member: shown once, works once, until it expires. */
export const CreatedPasswordResetSchema = z.object({
  userId: IdSchema,
  name: z.string(),
  url: z.string(),
  expiresAt: z.string(),
});
export type CreatedPasswordReset = z.infer<typeof CreatedPasswordResetSchema>;
/** Creating one takes no fields; an empty body is the only valid one. */
export const CreatePasswordResetSchema = z.object({}).strict();

/** What the reset page shows the person holding the link. */
export const PasswordResetInfoSchema = z.object({
  name: z.string(),
  email: z.string(),
  planTitle: z.string(),
  expiresAt: z.string(),
});
export type PasswordResetInfo = z.infer<typeof PasswordResetInfoSchema>;
export const UsePasswordResetSchema = z.object({ password: PasswordSchema });

/**
 * An invite for a role, optionally as a member of one of the plan's organisations. Affiliation
 * matters (sign-off counts sides), so joining an existing organisation is the coordinator's call.
 */
export const CreateInviteSchema = z.object({
  role: RoleSchema,
  organisationId: IdSchema.optional(),
  /** Who the invite is for, or any note that tells it apart ("Maryna Ivanova, Helsinki Committee"). */
  note: z.string().trim().max(Limits.inviteNoteLength).default(''),
});
export const InviteSchema = z.object({
  id: IdSchema,
  role: RoleSchema,
  /** The coordinator's name or note for the invite ('' when none was given). */
  note: z.string().default(''),
  /** The link to send, while the invite is pending; null for invites made before links could be shown again. */
  url: z.string().nullable().default(null),
  /** The organisation the invitee will belong to, when the coordinator chose one. */
  organisation: OrganisationSchema.nullable().default(null),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
/** Returned once, when the invite is created: the token is never stored in clear. */
export const CreatedInviteSchema = InviteSchema.extend({ token: z.string(), url: z.string() });
export type CreatedInvite = z.infer<typeof CreatedInviteSchema>;

/** What the invite page shows before the person accepts. */
export const InviteInfoSchema = z.object({
  planTitle: z.string(),
  country: z.string(),
  role: RoleSchema,
  invitedBy: z.string(),
  invitedByOrganisation: z.string(),
  /** The organisation the coordinator chose for the invitee; null: the invitee names a new one. */
  organisation: OrganisationSchema.nullable().default(null),
  /** Kept for older clients; always empty (existing organisations are joined only by invitation). */
  organisations: z.array(OrganisationSchema),
});
export type InviteInfo = z.infer<typeof InviteInfoSchema>;

/**
 * Accepting an invite: a signed-in person sends `{}`; a newcomer creates an account, in the
 * organisation the invite names, or else in a new organisation they name.
 */
export const AcceptInviteSchema = z.object({
  account: z
    .object({
      name: NameSchema,
      email: EmailSchema,
      password: PasswordSchema,
      organisation: z.union([z.object({ id: IdSchema }), NewOrganisationSchema]).optional(),
    })
    .optional(),
});
export type AcceptInvite = z.infer<typeof AcceptInviteSchema>;

export const AcceptedInviteSchema = z.object({ planId: IdSchema });

/** Server-sent events on GET /api/plans/:planId/events. */
export const PlanEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('outline') }),
  z.object({ type: z.literal('members') }),
  z.object({ type: z.literal('access'), role: RoleSchema.nullable() }),
  /** Recommendations were imported, edited or an import was undone. */
  z.object({ type: z.literal('recommendations') }),
  /** Actions, indicators or their links changed in a section. */
  z.object({ type: z.literal('actions'), sectionId: z.string() }),
  /** The plan's stage, adoption, monitoring body or reporting rounds changed. */
  z.object({ type: z.literal('lifecycle') }),
  /** Progress reports, observed values or assessments of a round changed. */
  z.object({ type: z.literal('progress'), roundId: z.string() }),
  /**
   * Progress of a long import: `reading` a file (previewId is the browser's progressId; 0 of 0 while
   * it is parsed, then rows checked against the plan), `writing` a preview (its previewId), or
   * `undoing` an import (previewId is the import's id).
   */
  z.object({
    type: z.literal('import-progress'),
    phase: z.enum(['reading', 'writing', 'undoing']),
    previewId: z.string(),
    done: z.number(),
    total: z.number(),
  }),
  /** Organisations available to the plan changed. */
  z.object({ type: z.literal('organisations') }),
  /** A section's status or sign-offs changed. */
  z.object({ type: z.literal('agreement'), sectionId: z.string() }),
  /** Versions of a section (or the plan) were created or restored. */
  z.object({ type: z.literal('versions'), sectionId: z.string().nullable() }),
  /** Progress of an export being built. */
  z.object({ type: z.literal('export-progress'), exportId: z.string(), done: z.number(), total: z.number(), state: z.string() }),
  /** Comment threads of a section were created, replied to, edited, resolved or reopened. */
  z.object({ type: z.literal('comments'), sectionId: z.string() }),
  /** Suggestions of a section were accepted or rejected (the record of decisions changed). */
  z.object({ type: z.literal('suggestions'), sectionId: z.string() }),
  /** Who must suggest rather than edit changed: everyone's text access may have changed. */
  z.object({ type: z.literal('suggestion-rule') }),
  /** Someone in the plan may have a new notice (e.g. their signature was withdrawn): refetch one's own. */
  z.object({ type: z.literal('notifications') }),
  /** Dissenting positions of a section were recorded or withdrawn. */
  z.object({ type: z.literal('positions'), sectionId: z.string() }),
  /** The plan's sign-off rule or a chapter's own changed: what each section needs may have changed. */
  z.object({ type: z.literal('signoff-rule') }),
  /** The plan was published to the public record or taken off it. */
  z.object({ type: z.literal('publication') }),
]);
export type PlanEvent = z.infer<typeof PlanEventSchema>;


