import { z } from 'zod';
import { ExportLanguageSchema } from './agreement.ts';
import { IdSchema } from './common.ts';
import { ActionUpdateSchema, ImportRecordSchema, IndicatorInputSchema } from './recommendations.ts';

/**
 * Re-importing the implementation matrix's linked tables (matrix-tables-xlsx, matrix-tables-zip):
 * actions, indicators and their links to recommendations, created or updated by their ids. The
 * file's problems and each row's problems are codes with the values their sentence needs; people
 * read `matrixImport.fileProblem.<code>` and `matrixImport.rowProblem.<code>` in their language,
 * the English `message` is for API users and logs.
 */
export const MATRIX_FILE_PROBLEMS = {
  unreadable: [],
  not_matrix: [],
  missing_columns: ['sheet', 'columns'],
} as const satisfies Record<string, readonly string[]>;
export type MatrixFileProblem = keyof typeof MATRIX_FILE_PROBLEMS;

export const MATRIX_ROW_PROBLEMS = {
  required: [],
  too_long: ['max'],
  invalid_time_point: ['value'],
  invalid_status: ['value'],
  invalid_indicator_type: ['value'],
  invalid_number: ['value'],
  invalid_year: ['value'],
  invalid_currency: ['value'],
  end_before_start: [],
  target_before_baseline: [],
  unknown_action: ['value'],
  action_other_plan: ['value'],
  unknown_indicator: ['value'],
  indicator_other_plan: ['value'],
  indicator_other_action: ['value'],
  unknown_recommendation: ['value'],
  recommendation_other_plan: ['value'],
  unknown_organisation: ['value'],
  unknown_section: ['value'],
  section_ambiguous: ['value'],
  section_agreed: ['value'],
  duplicate_id: ['value', 'earlier'],
} as const satisfies Record<string, readonly string[]>;
export type MatrixRowProblem = keyof typeof MATRIX_ROW_PROBLEMS;

const codeOf = <T extends Record<string, unknown>>(list: T) => z.enum(Object.keys(list) as [keyof T & string, ...(keyof T & string)[]]);

export const MatrixSheetSchema = z.enum(['actions', 'indicators', 'links']);
export type MatrixSheet = z.infer<typeof MatrixSheetSchema>;

/** A cell the file got wrong: the sheet, the row as a spreadsheet numbers it (header = 1) and the column. */
export const MatrixRowErrorSchema = z.object({
  sheet: MatrixSheetSchema,
  row: z.number(),
  /** The column's header as the file has it. */
  column: z.string(),
  code: codeOf(MATRIX_ROW_PROBLEMS),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  message: z.string(),
});
export type MatrixRowError = z.infer<typeof MatrixRowErrorSchema>;

export const MatrixChangeSchema = z.enum(['create', 'update', 'unchanged', 'remove']);
export type MatrixChange = z.infer<typeof MatrixChangeSchema>;

/** What committing would do to one row: a link removed has the row of its action. */
export const MatrixPreviewRowSchema = z.object({
  sheet: MatrixSheetSchema,
  row: z.number(),
  change: MatrixChangeSchema,
  /** The action's title, the indicator's description, or the recommendation's reference. */
  label: z.string(),
  /** For a link: the action's title. */
  action: z.string().nullable(),
  /** The columns whose values change (their headers as the file has them). */
  columns: z.array(z.string()),
});
export type MatrixPreviewRow = z.infer<typeof MatrixPreviewRowSchema>;

const Counts = z.object({ create: z.number(), update: z.number(), unchanged: z.number(), remove: z.number() });

export const MatrixImportPreviewSchema = z.object({
  previewId: z.string(),
  filename: z.string(),
  format: z.enum(['xlsx', 'zip']),
  counts: z.object({ actions: Counts, indicators: Counts, links: Counts, errors: z.number() }),
  rows: z.array(MatrixPreviewRowSchema),
  errors: z.array(MatrixRowErrorSchema),
});
export type MatrixImportPreview = z.infer<typeof MatrixImportPreviewSchema>;

export const MatrixImportPreviewQuerySchema = z.object({ filename: z.string().trim().min(1).max(255) });
export const MatrixTemplateQuerySchema = z.object({ language: ExportLanguageSchema.default('en') });

/** A matrix import in the plan's list: a recommendation import's record without its format (the matrix has one). */
// A matrix import is written in one transaction: it is never seen half done, so it has no state.
// A matrix import changes actions and indicators, which no other import holds: nothing is kept or held.
export const MatrixImportRecordSchema = ImportRecordSchema.omit({ format: true, state: true, kept: true, held: true, recognised: true, filled: true });
export type MatrixImportRecord = z.infer<typeof MatrixImportRecordSchema>;

/** An action or indicator an undone import had updated, where someone edited a field it wrote since. */
export const MatrixKeptEditSchema = z.object({
  item: z.enum(['action', 'indicator']),
  id: IdSchema,
  /** The action's title or the indicator's description, as the undo left it. */
  label: z.string(),
  /** For an indicator: its action's title. */
  action: z.string().nullable(),
  /** The fields that keep the edit instead of getting their value from before the import back. */
  fields: z.array(z.union([ActionUpdateSchema.keyof(), IndicatorInputSchema.keyof()])),
});
export type MatrixKeptEdit = z.infer<typeof MatrixKeptEditSchema>;

/** The actions and indicators with kept edits an undo's answer names (the rest are counted). */
export const MATRIX_KEPT_LISTED = 50;

/**
 * Why undoing a matrix import kept an action or indicator it created instead of deleting it: people
 * built on it since. `edited`: a field differs from what the import wrote (moved to another section
 * included, or a link it made removed); `links`: a recommendation linked to it that the import did
 * not link; `indicators` (an action): an indicator under it the import did not create, or one it
 * created that is kept; `reports`: progress reported on it (an action: a report, draft or
 * submitted; an indicator: a value observed in one); `assessment` (an action): assessed in a
 * monitoring round; `position` (an action): an organisation's dissenting position on it, not withdrawn.
 */
export const MatrixKeptReasonSchema = z.enum(['edited', 'links', 'indicators', 'reports', 'assessment', 'position']);
export type MatrixKeptReason = z.infer<typeof MatrixKeptReasonSchema>;

/** An action or indicator an undone import had created, kept because people built on it since. */
export const MatrixKeptItemSchema = z.object({
  item: z.enum(['action', 'indicator']),
  id: IdSchema,
  /** The action's title or the indicator's description, as it is now. */
  label: z.string(),
  /** For an indicator: its action's title. */
  action: z.string().nullable(),
  reasons: z.array(MatrixKeptReasonSchema).min(1),
});
export type MatrixKeptItem = z.infer<typeof MatrixKeptItemSchema>;

/**
 * What undoing a matrix import did: the import's record; the actions and indicators it had created
 * that are kept, not deleted, because people built on them since (each with why); and those it
 * had updated that kept fields edited by hand since (those fields did not get their earlier values back).
 */
export const MatrixUndoResultSchema = MatrixImportRecordSchema.extend({
  kept: z.number(),
  /** How many kept items have each reason (an item with two reasons counts in both). */
  keptByReason: z.record(MatrixKeptReasonSchema, z.number()),
  /** The first MATRIX_KEPT_LISTED of them, in the order the import wrote them. */
  keptItems: z.array(MatrixKeptItemSchema),
  keptEdits: z.number(),
  /** The first MATRIX_KEPT_LISTED of them, in the order the import wrote them. */
  keptEditItems: z.array(MatrixKeptEditSchema),
});
export type MatrixUndoResult = z.infer<typeof MatrixUndoResultSchema>;
