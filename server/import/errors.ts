/**
 * A problem with the file as a whole (too big, not text, wrong columns, no recommendations section…).
 * The message is written for the person who chose the file, so the UI can show it as it is.
 * Row-level problems never throw: they go to `ParsedImport.rejected`.
 */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
