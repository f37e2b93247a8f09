import { z } from 'zod';

/**
 * Why a file cannot be imported, why a row of it was rejected, and what a reader should check in
 * what was read: each a code with the values its sentence needs. The server also sends an English
 * `message`/`reason` for API users and logs; people read `import.fileProblem.<code>`,
 * `import.rowProblem.<code>` and `import.warning.<code>` in their own language. Each code lists
 * the params its sentence uses, so tests/unit/import-text.test.ts can check every catalogue has the
 * sentence and uses exactly those values.
 */
export const IMPORT_FILE_PROBLEMS = {
  file_too_large: ['sizeMb', 'limitMb'],
  file_empty: [],
  not_text: [],
  unknown_format: [],
  unknown_format_first_line: ['firstLine'],
  json_unreadable: [],
  missing_columns_upr_info: ['columns', 'found'],
  missing_columns_accord: ['columns', 'found'],
  unclosed_quote_header: [],
  unclosed_quote: ['row'],
  header_unreadable: [],
  malformed_quotes: ['row'],
  not_accord_json: ['format'],
  newer_accord_version: ['version', 'supported'],
  no_recommendations_list: [],
  uhri_no_text_column: ['found'],
  uhri_json_not_list: [],
  no_document_symbol: [],
  no_state_reviewed: [],
  no_conclusions: [],
  no_numbered_recommendations: [],
  treaty_body_no_state: [],
  treaty_body_no_recommendations: [],
  unreadable: [],
} as const satisfies Record<string, readonly string[]>;
export type ImportFileProblem = keyof typeof IMPORT_FILE_PROBLEMS;

export const IMPORT_ROW_PROBLEMS = {
  cell_count: ['cells', 'expected'],
  invalid_value: ['fields'],
  id_empty: [],
  unknown_position: ['value'],
  text_empty: [],
  no_state_under_review: [],
  to_empty: [],
  from_empty: [],
  entry_not_object: [],
  no_recommending_state: ['paragraph', 'text'],
  duplicate_row: ['earlier'],
  same_recommendation: ['earlier'],
  reference_in_file: ['reference', 'earlier'],
  reference_taken: ['reference'],
} as const satisfies Record<string, readonly string[]>;
export type ImportRowProblem = keyof typeof IMPORT_ROW_PROBLEMS;

export const IMPORT_WARNINGS = {
  // `encoding` is an ImportEncoding; the client names it with `importEncoding.<code>`.
  encoding_guessed: ['encoding'],
  undecodable_characters: ['n', 'encoding'],
  columns_ignored: ['columns'],
  verbatim_csv: [],
  symbol_from_settings: ['symbol'],
  symbol_from_filename: ['symbol'],
  state_from_plan: ['state'],
  // `position` is a Position code; the client words it with `position.<code>` before using it.
  heading_position: ['paragraph', 'matched', 'position', 'heading'],
  heading_no_position: ['paragraph', 'heading'],
  hyphens_restored: ['n'],
  footnotes_removed: ['n'],
  // `mechanism` is a Mechanism code (CCPR, CESCR…).
  treaty_body_read: ['symbol', 'mechanism', 'n', 'paragraphs'],
  unknown_states: ['states'],
  rows_merged: ['n'],
  responses_conflict: ['rows'],
  reference_kept: ['row', 'kept', 'wanted', 'sections'],
  already_in_plan: ['n', 'references'],
  // Rows repeating recommendations of the plan under other references (another source's numbering).
  same_as_plan: ['n', 'filling', 'references'],
  recognised_before: ['n', 'references'],
  sdg_unrecognised: ['values'],
} as const satisfies Record<string, readonly string[]>;
export type ImportWarningCode = keyof typeof IMPORT_WARNINGS;

const codeOf = <T extends Record<string, unknown>>(list: T) => z.enum(Object.keys(list) as [keyof T & string, ...(keyof T & string)[]]);
const ImportParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type ImportParams = z.infer<typeof ImportParamsSchema>;

export const ImportRejectedRowSchema = z.object({
  row: z.number(),
  code: codeOf(IMPORT_ROW_PROBLEMS),
  params: ImportParamsSchema,
  /** English, for API users and logs. */
  reason: z.string(),
});
export type ImportRejectedRow = z.infer<typeof ImportRejectedRowSchema>;

export const ImportWarningSchema = z.object({
  code: codeOf(IMPORT_WARNINGS),
  params: ImportParamsSchema,
  /** English, for API users and logs. */
  message: z.string(),
});
export type ImportWarning = z.infer<typeof ImportWarningSchema>;
