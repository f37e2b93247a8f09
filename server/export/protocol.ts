import type { ExportFormat, ExportLanguage } from '../../shared/api/agreement.ts';
import type { ExportScope } from './model.ts';
import type { WorkerDatabase } from '../db/sql/workerDatabase.ts';

/** What the main thread hands an export worker. */
export interface WorkerInput {
  /** Where the services' data is: SQLite's file or PostgreSQL's database and schema. */
  database: WorkerDatabase;
  planId: string;
  format: ExportFormat;
  scope: ExportScope;
  /** The language of the export's own words (headings, labels, dates). */
  language: ExportLanguage;
  /** Export the section texts of this whole-plan version instead of the current ones. */
  versionGroupId: string | null;
  exportedAt: string;
  outFile: string;
  /** [sectionId, Y.encodeStateAsUpdate] of every section document open on the server. */
  docStates: Array<[string, ArrayBuffer]>;
}

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; filename: string; title: string; bytes: number; memory: NodeJS.MemoryUsage }
  | { type: 'failed'; error: string };

/** Where a worker may keep part of an export while it writes it (a large DOCX's body), beside its part file; the job removes it if the export fails. */
export const scratchFile = (outFile: string) => `${outFile}.scratch.part`;
