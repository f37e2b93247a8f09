/**
 * The public record (issue #16): a coordinator publishes a plan under /p/<slug> for anyone to read
 * without an account: the adopted plan with its monitoring, or a draft put out for public
 * consultation. Each publication is a snapshot with its date and hash; what the public sees
 * changes only by publishing again.
 */
import { z } from 'zod';
import { IdSchema } from './common.ts';

/** Lower-case letters, digits and single hyphens, 3–60 characters: readable in a printed report. */
export const SlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'invalid_slug')
  .min(3)
  .max(60);

/** Publishing; the slug is needed the first time only (a plan keeps its address). */
export const PublishPlanSchema = z.object({ slug: SlugSchema.optional() });
export type PublishPlan = z.infer<typeof PublishPlanSchema>;

export const PublicationKindSchema = z.enum(['adopted', 'consultation']);
export type PublicationKind = z.infer<typeof PublicationKindSchema>;

export const PublicationSchema = z.object({
  id: IdSchema,
  slug: z.string(),
  kind: PublicationKindSchema,
  publishedAt: z.string(),
  publishedBy: z.string(),
  /** sha256 of the published snapshot, as printed on every public page. */
  hash: z.string(),
  endedAt: z.string().nullable(),
  endedReason: z.enum(['replaced', 'unpublished']).nullable(),
});
export type Publication = z.infer<typeof PublicationSchema>;

export const PublicRecordStateSchema = z.object({
  /** The plan's public address, once it has been published; null before. */
  slug: z.string().nullable(),
  /** A suggestion for the first publication, made from the plan's title. */
  suggestedSlug: z.string(),
  /** What publishing now would publish: the adopted plan, or a consultation draft before adoption. */
  nextKind: PublicationKindSchema,
  current: PublicationSchema.nullable(),
  /** Every publication, newest first. */
  history: z.array(PublicationSchema),
});
export type PublicRecordState = z.infer<typeof PublicRecordStateSchema>;
