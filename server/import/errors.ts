import type { ImportFileProblem, ImportParams } from '../../shared/api/importText.ts';

/**
 * A problem with the file as a whole (too big, not text, wrong columns, no recommendations section…).
 * `code` and `params` are what the reader's browser words in their language; the English message
 * is for API users and logs. Row-level problems never throw: they go to `ParsedImport.rejected`.
 */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  constructor(
    readonly code: ImportFileProblem,
    message: string,
    readonly params: ImportParams = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
