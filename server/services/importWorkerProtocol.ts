/**
 * What the main thread and an import preview worker (importWorker.ts) say to each other. The
 * preview travels in slices of rows, each its own message, and the worker sends the next slice only
 * when the main thread asks for it ('next', after it has let other work run): Node delivers every
 * message already waiting on a port in one go, so slices sent all at once would be copied in as
 * one long task after all (0.9 s for 40,000 rows on a loaded machine).
 */
import type { ImportEncoding, ImportFormat, ImportPreview } from '../../shared/api/index.ts';
import type { ImportFileProblem, ImportParams } from '../../shared/api/importText.ts';
import type { ImportDefaults } from '../import/index.ts';
import type { WorkerDatabase } from '../db/sql/workerDatabase.ts';

export interface ImportWorkerInput {
  /** Where the services' data is: SQLite's file or PostgreSQL's database and schema. */
  database: WorkerDatabase;
  planId: string;
  filename: string;
  /** The upload, transferred (not copied) to the worker. */
  bytes: ArrayBuffer;
  format?: ImportFormat;
  encoding?: ImportEncoding;
  defaults: ImportDefaults;
}

/** Rows per message from the worker. */
export const PREVIEW_SLICE = 500;

export type ImportWorkerMessage =
  /** Rows of the file classified against the plan so far (0 of 0 while the file is being read). */
  | { type: 'progress'; done: number; total: number }
  | { type: 'head'; preview: Omit<ImportPreview, 'rows' | 'rejected'> }
  | { type: 'rows'; rows: ImportPreview['rows'] }
  | { type: 'rejected'; rejected: ImportPreview['rejected'] }
  /** The order the rows are to be written in (imports.ts writeOrder), transferred, not copied. */
  | { type: 'order'; order: Uint32Array<ArrayBuffer> }
  | { type: 'done'; memory: NodeJS.MemoryUsage }
  /** The file cannot be imported: the person is told why (ImportFileError). */
  | { type: 'file-error'; code: ImportFileProblem; message: string; params: ImportParams }
  | { type: 'failed'; error: string };
