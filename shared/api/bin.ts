import { z } from 'zod';
import { IdSchema } from './common.ts';

/**
 * The bin: deleted sections and chapters, kept whole (text, actions, indicators, recommendation
 * links, comment threads) and restorable by a coordinator for at least BIN_RETENTION_DAYS days.
 */
export const BIN_RETENTION_DAYS = 30;

export const BinDeleterSchema = z.object({
  name: z.string(),
  organisation: z.string(),
});

export const BinEntrySchema = z.object({
  kind: z.enum(['section', 'chapter']),
  id: IdSchema,
  title: z.string(),
  /** Section: the chapter it belongs to. Chapter: its own title. */
  chapterTitle: z.string(),
  /** Section: its chapter is in the bin too, so the chapter must be restored first. */
  chapterInBin: z.boolean(),
  /** Chapter: the titles of the sections deleted with it, in order. */
  sections: z.array(z.string()),
  deletedAt: z.string(),
  deletedBy: BinDeleterSchema.nullable(),
  /** Days left, rounded up, before it may be removed for good (30 just after deleting). */
  daysLeft: z.number().int(),
});
export type BinEntry = z.infer<typeof BinEntrySchema>;

/** What a member who had the section open is told: who moved it to the bin and when. */
export const BinnedSectionSchema = z.object({
  sectionId: IdSchema,
  title: z.string(),
  deletedAt: z.string(),
  deletedBy: BinDeleterSchema.nullable(),
});
export type BinnedSection = z.infer<typeof BinnedSectionSchema>;

/** A restore takes no options: the section or chapter comes back whole, where it was. */
export const RestoreFromBinSchema = z.object({}).strict();
