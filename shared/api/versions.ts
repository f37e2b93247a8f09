import { z } from 'zod';
import { IndicatorTypeSchema, ActionStatusSchema } from './recommendations.ts';
import { SectionDiffSchema, VersionLabelSchema, VersionSchema } from './agreement.ts';

/**
 * Versions hold a section's actions as well as its text (issue #13): what a version stores of them,
 * how two versions' actions differ, and what a restore did to them.
 *
 * Stored ids are read back with plain strings, not IdSchema: a snapshot is history, and must stay
 * readable whatever later versions of Accord accept as input.
 */

// ----- What a version stores (the `actions` JSON column of `versions`, migration 016) -----

export const IndicatorSnapshotSchema = z.object({
  id: z.string(),
  type: IndicatorTypeSchema,
  description: z.string(),
  unit: z.string().nullable(),
  baselineValue: z.string().nullable(),
  baselineYear: z.number().nullable(),
  targetValue: z.string().nullable(),
  targetYear: z.number().nullable(),
  dataSource: z.string().nullable(),
  frequency: z.string().nullable(),
  disaggregation: z.array(z.string()),
  proposedByOrganisationId: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export type IndicatorSnapshot = z.infer<typeof IndicatorSnapshotSchema>;

export const ActionSnapshotSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  leadAgencyId: z.string().nullable(),
  coImplementerIds: z.array(z.string()),
  civilSocietyPartnerIds: z.array(z.string()),
  start: z.string().nullable(),
  end: z.string().nullable(),
  status: ActionStatusSchema,
  budgetAmount: z.number().nullable(),
  currency: z.string().nullable(),
  fundingSource: z.string().nullable(),
  /** Linked recommendations with their reference, so a comparison still names one deleted since. */
  recommendations: z.array(z.object({ id: z.string(), reference: z.string() })),
  /** In order. */
  indicators: z.array(IndicatorSnapshotSchema),
  /** The organisation that proposed the action (absent in versions kept before actions had one). */
  proposedByOrganisationId: z.string().nullable().default(null),
  /** Who created the action and when: a restore that re-creates it keeps them. */
  createdBy: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export type ActionSnapshot = z.infer<typeof ActionSnapshotSchema>;

export const ActionsSnapshotSchema = z.object({
  format: z.literal(1),
  /** The section's actions in order. */
  actions: z.array(ActionSnapshotSchema),
  /** Names of the organisations the actions name, as they were then (id → name). */
  organisations: z.record(z.string(), z.string()),
});
export type ActionsSnapshot = z.infer<typeof ActionsSnapshotSchema>;

// ----- Comparing the actions of two versions -----

/** Fields of an action a comparison reports; lists are joined with "; ", organisations by name. */
export const ActionFieldSchema = z.enum([
  'title',
  'description',
  'status',
  'leadAgency',
  'coImplementers',
  'civilSocietyPartners',
  'start',
  'end',
  'budgetAmount',
  'currency',
  'fundingSource',
  'recommendations',
  'position',
]);
export const IndicatorFieldSchema = z.enum([
  'type',
  'description',
  'unit',
  'baselineValue',
  'baselineYear',
  'targetValue',
  'targetYear',
  'dataSource',
  'frequency',
  'disaggregation',
  'proposedBy',
  'position',
]);
export type ActionField = z.infer<typeof ActionFieldSchema>;
export type IndicatorField = z.infer<typeof IndicatorFieldSchema>;

/** One field's value on each side, as people read it (null: not set, or the item is not on that side). */
export const FieldChangeSchema = z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() });
export type FieldChange = z.infer<typeof FieldChangeSchema>;

export const ChangeKindSchema = z.enum(['added', 'removed', 'changed']);

export const IndicatorChangeSchema = z.object({
  indicatorId: z.string(),
  /** Its description on the newer side (the older one when removed). */
  description: z.string(),
  change: ChangeKindSchema,
  /** Changed: the fields that differ. Added or removed: every field that is set. */
  fields: z.array(FieldChangeSchema),
});
export type IndicatorChange = z.infer<typeof IndicatorChangeSchema>;

export const ActionChangeSchema = z.object({
  actionId: z.string(),
  /** Its title on the newer side (the older one when removed). */
  title: z.string(),
  change: ChangeKindSchema,
  fields: z.array(FieldChangeSchema),
  indicators: z.array(IndicatorChangeSchema),
});
export type ActionChange = z.infer<typeof ActionChangeSchema>;

/** Indicators of an added action count as added, of a removed one as removed. */
export const ActionsDiffSummarySchema = z.object({
  actionsAdded: z.number(),
  actionsRemoved: z.number(),
  actionsChanged: z.number(),
  indicatorsAdded: z.number(),
  indicatorsRemoved: z.number(),
  indicatorsChanged: z.number(),
});
export type ActionsDiffSummary = z.infer<typeof ActionsDiffSummarySchema>;

/**
 * How the actions of two states of a section differ. A side kept before versions held actions is
 * `text_only`: then nothing can be compared (`comparable` false, no changes).
 */
export const ActionsDiffSchema = z.object({
  from: z.enum(['actions', 'text_only']),
  to: z.enum(['actions', 'text_only']),
  comparable: z.boolean(),
  changes: z.array(ActionChangeSchema),
  summary: ActionsDiffSummarySchema,
});
export type ActionsDiff = z.infer<typeof ActionsDiffSchema>;

/** GET …/sections/:sectionId/compare: the text difference and, beside it, the actions'. */
/** A person who wrote in a section between two of its states, with their organisation. */
export const WriterSchema = z.object({ name: z.string(), organisation: z.string().nullable() });
export type Writer = z.infer<typeof WriterSchema>;

/**
 * `writtenBy`: the people whose writing is in the later state and not in the earlier one (from the
 * recorded authorship of the document's Yjs clients). Deleting alone writes nothing, so someone who
 * only deleted text is not among them; the diff shows what went.
 */
export const SectionCompareSchema = SectionDiffSchema.extend({ actions: ActionsDiffSchema, writtenBy: z.array(WriterSchema).default([]) });
export type SectionCompare = z.infer<typeof SectionCompareSchema>;

// ----- Listing and restoring -----

/**
 * A version as listed: whether it holds actions (false for versions kept before they did), and for
 * an automatic version the names of the people whose edits it holds (empty for every other kind).
 */
export const ListedVersionSchema = VersionSchema.extend({ holdsActions: z.boolean(), editedBy: z.array(z.string()) });
export type ListedVersion = z.infer<typeof ListedVersionSchema>;

/** A recommendation link or organisation a restore could not bring back, because it is gone. */
export const SkippedSchema = z.object({ id: z.string(), name: z.string(), actionTitle: z.string() });

/** What a restore did to the section's actions. */
export const ActionsRestoreSchema = z.discriminatedUnion('restored', [
  /** The version was kept before versions held actions: the actions were left as they are. */
  z.object({ restored: z.literal(false), reason: z.literal('text_only') }),
  z.object({
    restored: z.literal(true),
    /** From the state before the restore to the version's. */
    summary: ActionsDiffSummarySchema,
    /** Links to recommendations deleted since (by reference), not restored. */
    skippedRecommendations: z.array(SkippedSchema),
    /** Organisations that no longer exist (by name), left out. */
    skippedOrganisations: z.array(SkippedSchema),
  }),
]);
export type ActionsRestore = z.infer<typeof ActionsRestoreSchema>;

/** POST …/versions/:versionId/restore: the `restore` version kept after, and what happened to the actions. */
export const RestoredVersionSchema = ListedVersionSchema.extend({ actionsRestore: ActionsRestoreSchema });
export type RestoredVersion = z.infer<typeof RestoredVersionSchema>;

// ----- Reading one version, and whole-plan versions -----

/** One block of a kept section text, for reading a version (server/services/versions.ts versionBlocks). */
export const VersionBlockSchema = z.object({
  type: z.enum(['paragraph', 'heading', 'listItem', 'codeBlock', 'tableRow']),
  text: z.string(),
  level: z.number().optional(),
  list: z.enum(['bullet', 'ordered']).optional(),
  depth: z.number().optional(),
  cells: z.array(z.string()).optional(),
});
export type VersionBlock = z.infer<typeof VersionBlockSchema>;

/** GET …/versions/:versionId: the version with its text, blocks and (null when kept before they were) actions. */
export const VersionContentSchema = VersionSchema.extend({
  /** For an automatic version, whose edits it holds (as listed). */
  editedBy: z.array(z.string()),
  sectionTitle: z.string(),
  text: z.array(z.string()),
  blocks: z.array(VersionBlockSchema),
  actions: ActionsSnapshotSchema.nullable(),
});
export type VersionContent = z.infer<typeof VersionContentSchema>;

/** A whole-plan version: the section versions made together under one name (GET/POST …/versions). */
export const VersionGroupSchema = z.object({
  groupId: z.string(),
  name: z.string(),
  label: VersionLabelSchema.nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  sectionCount: z.number(),
});
export type VersionGroup = z.infer<typeof VersionGroupSchema>;

/** One section's line in a whole-plan comparison; `actions` null when a side holds text only. */
export const SectionChangeSummarySchema = z.object({
  sectionId: z.string(),
  title: z.string(),
  change: z.enum(['added', 'removed', 'changed', 'unchanged']),
  insertedChars: z.number(),
  deletedChars: z.number(),
  changedBlocks: z.number(),
  actions: ActionsDiffSummarySchema.nullable(),
});
export type SectionChangeSummary = z.infer<typeof SectionChangeSummarySchema>;

/** GET …/compare?from=&to=: two whole-plan versions (or one and the current text), section by section. */
export const PlanComparisonSchema = z.object({
  from: z.object({ groupId: z.string(), name: z.string(), createdAt: z.string() }),
  to: z.object({ groupId: z.string().nullable(), name: z.string(), createdAt: z.string().nullable() }),
  sections: z.array(SectionChangeSummarySchema),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  totals: z.object({
    insertedChars: z.number(),
    deletedChars: z.number(),
    changedBlocks: z.number(),
    changedSections: z.number(),
    changedActions: z.number(),
  }),
});
export type PlanComparison = z.infer<typeof PlanComparisonSchema>;
