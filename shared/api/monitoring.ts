import { z } from 'zod';

import { IdSchema, SideSchema, TitleSchema } from './common.ts';
import { OrganisationSchema } from './auth.ts';
import { bareActNumber } from '../monitoring/actNumber.ts';

/**
 * After the signature (issue #15): a plan's life after agreement.
 *
 * What was agreed (action text, lead agency, timeline, budget, indicator definitions, baselines and
 * targets) stays in the signed content. Progress lives beside it and never needs a reopening:
 * per reporting round, each action gets reports from its implementers and each indicator observed
 * values; civil society records its own assessment of the same actions and recommendations.
 */

// ----- Plan lifecycle -----

export const PlanStageSchema = z.enum([
  'drafting',
  'adopted',
  'in_implementation',
  'midterm_review',
  'completed',
  'superseded',
]);
export type PlanStage = z.infer<typeof PlanStageSchema>;

/** A calendar date, 2027-05-31. */
export const DateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'invalid_date')
  // Round-tripped: Date.parse alone accepts 2026-02-30 (as 2 March).
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'Not a real date');

const HttpUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .url('invalid_url')
  .refine((u) => /^https?:\/\//i.test(u), 'http_url');

/** The act by which the plan was adopted: a decree, a resolution. */
export const AdoptingActSchema = z.object({
  title: TitleSchema,
  number: z.string().trim().max(100).transform(bareActNumber).default(''),
  date: DateSchema,
  url: HttpUrlSchema.nullable().default(null),
});
export type AdoptingAct = z.infer<typeof AdoptingActSchema>;

/**
 * Adopting a plan: every section agreed, or left out with a reason. Freezes an "adopted" version of
 * the whole plan (text, actions, indicators) whose hash is recorded.
 */
export const AdoptPlanSchema = z.object({
  act: AdoptingActSchema,
  leftOut: z
    .array(z.object({ sectionId: IdSchema, reason: z.string().trim().min(1, 'reason_required').max(2000) }))
    .max(1000)
    .default([]),
  /** The organisation that monitors implementation (a member organisation of the plan). */
  monitoringBodyId: IdSchema.nullable().default(null),
});
export type AdoptPlan = z.infer<typeof AdoptPlanSchema>;

export const PlanAdoptionSchema = z.object({
  act: AdoptingActSchema,
  adoptedAt: z.string(),
  adoptedBy: z.string(),
  /** The group id of the "adopted" whole-plan version. */
  versionGroupId: IdSchema,
  /** sha256 hex over the adopted sections' text and actions, in outline order. */
  contentHash: z.string(),
  leftOut: z.array(z.object({ sectionId: IdSchema, title: z.string(), reason: z.string() })),
});
export type PlanAdoption = z.infer<typeof PlanAdoptionSchema>;

/** Moving an adopted plan on: in_implementation, midterm_review, completed, superseded. */
export const ChangeStageSchema = z.object({
  stage: PlanStageSchema.exclude(['drafting', 'adopted']),
  note: z.string().trim().max(2000).default(''),
});

/** Naming (or, with null, clearing) the organisation that monitors implementation. */
export const SetMonitoringBodySchema = z.object({ organisationId: IdSchema.nullable() });

export const RoundSchema = z.object({
  id: IdSchema,
  name: z.string(),
  /** When reports for the round are due. */
  dueDate: z.string(),
  /** open: reports and assessments can be written; closed: read-only. */
  state: z.enum(['open', 'closed']),
  createdAt: z.string(),
});
export type Round = z.infer<typeof RoundSchema>;
export const CreateRoundSchema = z.object({ name: TitleSchema, dueDate: DateSchema });
export const UpdateRoundSchema = z
  .object({ name: TitleSchema, dueDate: DateSchema, state: z.enum(['open', 'closed']) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing_to_change');

export const PlanLifecycleSchema = z.object({
  stage: PlanStageSchema,
  adoption: PlanAdoptionSchema.nullable(),
  monitoringBody: OrganisationSchema.nullable(),
  rounds: z.array(RoundSchema),
});
export type PlanLifecycle = z.infer<typeof PlanLifecycleSchema>;

// ----- Progress reports (the implementers' side) -----

export const ProgressStatusSchema = z.enum(['not_started', 'in_progress', 'completed', 'delayed', 'cancelled']);
export type ProgressStatus = z.infer<typeof ProgressStatusSchema>;

export const ObservedValueInputSchema = z.object({
  indicatorId: IdSchema,
  value: z.number().finite(),
  /** When the value was observed. */
  date: DateSchema,
  source: z.string().trim().max(1000).default(''),
  /** Values per group of a disaggregation the indicator names ("sex" → "women": 12). */
  disaggregated: z
    .array(z.object({ dimension: z.string().trim().min(1).max(100), group: z.string().trim().min(1).max(100), value: z.number().finite() }))
    .max(100)
    .default([]),
});
export type ObservedValueInput = z.infer<typeof ObservedValueInputSchema>;

export const EvidenceSchema = z.object({
  id: IdSchema,
  kind: z.enum(['link', 'file']),
  /** The link, or the address the file is served from. */
  url: z.string(),
  /** A link's label or the file's name. */
  label: z.string(),
  mimeType: z.string().nullable(),
  size: z.number().int().nullable(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;
export const AddEvidenceLinkSchema = z.object({ url: HttpUrlSchema, label: z.string().trim().max(300).default('') });

const ReportFields = {
  status: ProgressStatusSchema,
  /** Required when the status is delayed or cancelled. */
  reason: z.string().trim().max(5000).default(''),
  narrative: z.string().trim().max(20_000).default(''),
  spentAmount: z.number().nonnegative().max(1e15).nullable().default(null),
  values: z.array(ObservedValueInputSchema).max(200).default([]),
};
const needsReason = (r: { status: ProgressStatus; reason: string }) =>
  !(r.status === 'delayed' || r.status === 'cancelled') || r.reason.length > 0;
const reasonMessage = { message: 'reason_required', path: ['reason'] };

/** A new draft report, or a correction of a submitted one (`corrects`). */
export const CreateReportSchema = z
  .object({ ...ReportFields, corrects: IdSchema.nullable().default(null) })
  .refine(needsReason, reasonMessage);
export const UpdateReportSchema = z.object(ReportFields).refine(needsReason, reasonMessage);

export const ObservedValueSchema = ObservedValueInputSchema.extend({
  id: IdSchema,
  reportId: IdSchema,
  roundId: IdSchema,
});
export type ObservedValue = z.infer<typeof ObservedValueSchema>;

export const ProgressReportSchema = z.object({
  id: IdSchema,
  actionId: IdSchema,
  roundId: IdSchema,
  state: z.enum(['draft', 'submitted']),
  status: ProgressStatusSchema,
  reason: z.string(),
  narrative: z.string(),
  spentAmount: z.number().nullable(),
  currency: z.string().nullable(),
  values: z.array(ObservedValueSchema),
  evidence: z.array(EvidenceSchema),
  /** The submitted report this one corrects, and the one that corrected it. */
  corrects: IdSchema.nullable(),
  correctedBy: IdSchema.nullable(),
  author: z.object({ name: z.string(), organisation: z.string() }),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
});
export type ProgressReport = z.infer<typeof ProgressReportSchema>;

// ----- Civil society's independent assessment -----

/** The scale UPR Info's mid-term assessments use. */
export const AssessmentRatingSchema = z.enum(['not_implemented', 'partially_implemented', 'fully_implemented', 'no_information']);
export type AssessmentRating = z.infer<typeof AssessmentRatingSchema>;
export const AssessmentTargetSchema = z.enum(['action', 'recommendation']);

/** One organisation's assessment of one action or recommendation in one round; its members may revise it. */
export const SaveAssessmentSchema = z.object({
  targetType: AssessmentTargetSchema,
  targetId: IdSchema,
  rating: AssessmentRatingSchema,
  justification: z.string().trim().min(1, 'justification_required').max(20_000),
  evidenceLinks: z.array(HttpUrlSchema).max(20).default([]),
});
export type SaveAssessment = z.infer<typeof SaveAssessmentSchema>;

export const AssessmentSchema = z.object({
  id: IdSchema,
  roundId: IdSchema,
  targetType: AssessmentTargetSchema,
  targetId: IdSchema,
  organisation: z.object({ id: IdSchema, name: z.string(), side: SideSchema }),
  rating: AssessmentRatingSchema,
  justification: z.string(),
  evidenceLinks: z.array(z.string()),
  author: z.string(),
  updatedAt: z.string(),
});
export type Assessment = z.infer<typeof AssessmentSchema>;

// ----- Where the plan stands -----

/** The government's view of an action or recommendation, on the assessment scale, from submitted reports. */
export const ProgressItemSchema = z.object({
  targetType: AssessmentTargetSchema,
  targetId: IdSchema,
  title: z.string(),
  /** Latest submitted (uncorrected) report status for an action; null when none. */
  reportedStatus: ProgressStatusSchema.nullable(),
  governmentRating: AssessmentRatingSchema,
  assessments: z.array(AssessmentSchema),
  /** Some civil-society assessment disagrees with the government's rating (see shared/monitoring). */
  disputed: z.boolean(),
});
export type ProgressItem = z.infer<typeof ProgressItemSchema>;

const CountsSchema = z.object({
  total: z.number().int(),
  notReported: z.number().int(),
  onTrack: z.number().int(),
  delayed: z.number().int(),
  done: z.number().int(),
  cancelled: z.number().int(),
});

export const IndicatorSeriesSchema = z.object({
  indicatorId: IdSchema,
  actionId: IdSchema,
  description: z.string(),
  unit: z.string().nullable(),
  /** 'yes_no' when baseline and target are written as yes/no (shared/indicators/yesNo.ts): values are then 1 or 0. */
  measure: z.enum(['number', 'yes_no']),
  baseline: z.object({ value: z.number().nullable(), year: z.number().nullable() }),
  target: z.object({ value: z.number().nullable(), year: z.number().nullable() }),
  /** Submitted, uncorrected values in date order. */
  values: z.array(z.object({ roundId: IdSchema, date: z.string(), value: z.number() })),
});
export type IndicatorSeries = z.infer<typeof IndicatorSeriesSchema>;

export const PlanProgressSchema = z.object({
  round: RoundSchema.nullable(),
  byChapter: z.array(z.object({ id: IdSchema, title: z.string(), actions: CountsSchema })),
  byTheme: z.array(z.object({ theme: z.string(), actions: CountsSchema })),
  byMechanism: z.array(z.object({ mechanism: z.string(), actions: CountsSchema })),
  recommendations: z.object({
    /** Recommendations an action of the plan answers or civil society assessed in the round: the ones the other counts are of. */
    total: z.number().int(),
    /** Every recommendation the plan holds, so a reader sees how many are not followed at all. */
    inPlan: z.number().int(),
    implementedByGovernment: z.number().int(),
    implementedByCivilSociety: z.number().int(),
    disputed: z.number().int(),
  }),
  actions: z.array(ProgressItemSchema),
  recommendationItems: z.array(ProgressItemSchema),
  indicators: z.array(IndicatorSeriesSchema),
  overdueActions: z.array(z.object({ actionId: IdSchema, title: z.string(), end: z.string() })),
  /** Actions with no submitted report in the round yet. */
  reportsDue: z.array(z.object({ actionId: IdSchema, title: z.string(), dueDate: z.string() })),
});
export type PlanProgress = z.infer<typeof PlanProgressSchema>;
