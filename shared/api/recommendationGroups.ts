import { z } from 'zod';
import { IdSchema } from './common.ts';
import { MechanismSchema, PositionSchema } from './recommendations.ts';

/**
 * Groups of recommendations that say the same thing (issue #19). Accord proposes them; a drafter
 * or coordinator confirms, splits or dismisses each (docs/benchmarks.md: how good the proposals are).
 */
export const RecommendationGroupStatusSchema = z.enum(['proposed', 'confirmed']);
export type RecommendationGroupStatus = z.infer<typeof RecommendationGroupStatusSchema>;

export const RecommendationGroupMemberSchema = z.object({
  id: IdSchema,
  reference: z.string(),
  text: z.string(),
  mechanism: MechanismSchema,
  cycle: z.number().int().nullable(),
  recommendingStates: z.array(z.string()),
  position: PositionSchema,
  actionCount: z.number().int(),
});
export type RecommendationGroupMember = z.infer<typeof RecommendationGroupMemberSchema>;

const PersonAtSchema = z.object({ userId: IdSchema, name: z.string(), at: z.string() });

export const RecommendationGroupSchema = z.object({
  id: IdSchema,
  status: RecommendationGroupStatusSchema,
  score: z.number(),
  proposed: PersonAtSchema,
  confirmed: PersonAtSchema.nullable(),
  members: z.array(RecommendationGroupMemberSchema),
});
export type RecommendationGroup = z.infer<typeof RecommendationGroupSchema>;

export const RecommendationGroupQuerySchema = z.object({
  status: RecommendationGroupStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type RecommendationGroupQuery = z.infer<typeof RecommendationGroupQuerySchema>;

export const RecommendationGroupPageSchema = z.object({ total: z.number().int(), items: z.array(RecommendationGroupSchema) });
export type RecommendationGroupPage = z.infer<typeof RecommendationGroupPageSchema>;

/** What a run of proposing did: proposals now open, and recommendations compared. */
export const ProposeGroupsResultSchema = z.object({ proposed: z.number().int(), compared: z.number().int() });
export type ProposeGroupsResult = z.infer<typeof ProposeGroupsResultSchema>;

/**
 * Splitting a group: each part of two or more of its members becomes a group (the first keeps the
 * group and its status; the others have the same status); members in no part leave it. Removing
 * members is one part of those that stay; breaking it up is several.
 */
export const SplitRecommendationGroupSchema = z
  .object({ parts: z.array(z.array(IdSchema).min(1).max(5000)).max(500) })
  .strict();
export type SplitRecommendationGroup = z.infer<typeof SplitRecommendationGroupSchema>;
