import { z } from 'zod';
import { AuditEntrySchema } from './agreement.ts';
import { IdSchema, SideSchema } from './common.ts';

/**
 * The history of one item. It is read from the audit log (append-only), where every change of
 * an item writes one entry whose details hold what the item was before and after.
 */

/** The kinds of item with a per-item history every member of the plan may read. */
export const HistoryTargetTypeSchema = z.enum(['action', 'indicator', 'recommendation', 'section', 'chapter', 'organisation', 'member']);
export type HistoryTargetType = z.infer<typeof HistoryTargetTypeSchema>;

export const HistoryQuerySchema = z.object({
  targetType: HistoryTargetTypeSchema,
  targetId: IdSchema,
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** An item's own fields at one moment (null: it did not exist). */
export const ChangeValuesSchema = z.record(z.string(), z.unknown()).nullable();

/**
 * The details of a change entry. `changed` names the fields that differ; `before` and `after` also
 * carry a title or description so the item can be recognised. `names` turns ids in the values
 * (organisations, recommendations, chapters) into what people read, as they were at the time.
 */
export const ChangeDetailsSchema = z
  .object({
    before: ChangeValuesSchema.optional(),
    after: ChangeValuesSchema.optional(),
    changed: z.array(z.string()).optional(),
    names: z.record(z.string(), z.string()).optional(),
    /** Why another organisation's proposal was removed (required then). */
    reason: z.string().nullable().optional(),
    /** Proposals: whose they were, for the annex "Proposals by civil society and what became of them". */
    proposedByOrganisationId: IdSchema.nullable().optional(),
    proposedByOrganisationName: z.string().nullable().optional(),
    proposedBySide: SideSchema.nullable().optional(),
    /** Deletions: the proposer's own organisation removed it ("withdrawn") rather than another ("rejected"). */
    withdrawnByProposer: z.boolean().optional(),
  })
  .passthrough();
export type ChangeDetails = z.infer<typeof ChangeDetailsSchema>;

export const ItemHistorySchema = z.object({
  targetType: HistoryTargetTypeSchema,
  targetId: IdSchema,
  /** Newest first. An action's history includes its indicators' and its links' entries. */
  items: z.array(AuditEntrySchema),
});
export type ItemHistory = z.infer<typeof ItemHistorySchema>;

/**
 * The body of DELETE on an action or an indicator. A reason is required when the item (or, for an
 * action, one of its indicators) was proposed by another organisation than the remover's.
 */
export const RemoveProposalSchema = z.object({
  reason: z.string().trim().max(2000).optional(),
});
