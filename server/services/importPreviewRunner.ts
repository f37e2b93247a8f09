/**
 * Runs an import preview in a worker thread (importWorker.ts) and keeps the result for the commit.
 * The main thread only transfers the upload to the worker and takes the preview back in slices, so
 * reading and classifying a 40,000-row file holds nobody else's request (#19; docs/decisions/
 * 0013-chunked-imports.md). At most PREVIEW_WORKERS previews run at once; more wait their turn, so
 * a burst of uploads cannot fill the memory of a small server with parsers.
 */
import { Worker } from 'node:worker_threads';
import { ImportFileError, type ImportDefaults } from '../import/index.ts';
import { workerUrl } from '../runtimeLayout.ts';
import type { ImportEncoding, ImportFormat, ImportPreview } from '../../shared/api/index.ts';
import { importPreviews, rememberWriteOrder, type PreviewStore } from './imports.ts';
import type { ImportWorkerInput, ImportWorkerMessage } from './importWorkerProtocol.ts';
import type { WorkerDatabase } from '../db/sql/workerDatabase.ts';

const WORKER_URL = workerUrl('importWorker', import.meta.url);
/** Previews read at once, for all plans together. */
export const PREVIEW_WORKERS = 2;
/**
 * The worker's heap limit. The largest file accepted (MAX_IMPORT_BYTES) parses in well under this;
 * past it the worker alone stops and the person is told the file could not be read.
 */
const WORKER_OLD_GENERATION_MB = 1024;

export interface PreviewJob {
  /** Where the plan is read (workerDatabaseOf the services' Sql). */
  database: WorkerDatabase;
  planId: string;
  userId: string;
  filename: string;
  bytes: Uint8Array;
  format?: ImportFormat | undefined;
  encoding?: ImportEncoding | undefined;
  defaults: ImportDefaults;
  /** Rows checked against the plan so far; 0 of 0 while the file is being read. */
  onProgress?: (done: number, total: number) => void;
  store?: PreviewStore<ImportPreview> | undefined;
}

let running = 0;
const waiting: Array<() => void> = [];

async function turn(): Promise<() => void> {
  if (running >= PREVIEW_WORKERS) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  return () => {
    running -= 1;
    waiting.shift()?.();
  };
}

/**
 * Parses and previews the file in a worker, keeps the preview for this person and plan (as
 * previewImport does) and returns it. File problems throw {@link ImportFileError} as parseImport does.
 */
export async function previewImportInWorker(job: PreviewJob): Promise<ImportPreview> {
  const release = await turn();
  // A copy the worker owns: the request's buffer may be a slice of a shared pool.
  const bytes = job.bytes.slice().buffer;
  const input: ImportWorkerInput = {
    database: job.database,
    planId: job.planId,
    filename: job.filename,
    bytes,
    ...(job.format ? { format: job.format } : {}),
    ...(job.encoding ? { encoding: job.encoding } : {}),
    defaults: job.defaults,
  };
  let worker: Worker | undefined;
  try {
    const preview = await new Promise<ImportPreview>((resolve, reject) => {
      worker = new Worker(WORKER_URL, { workerData: input, transferList: [bytes], resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB } });
      let head: Omit<ImportPreview, 'rows' | 'rejected'> | null = null;
      // The next slice once whatever else is waiting (requests, sync messages) has run.
      const askForNext = () => setImmediate(() => worker?.postMessage('next'));
      const rows: ImportPreview['rows'] = [];
      const rejected: ImportPreview['rejected'] = [];
      let order: Uint32Array | null = null;
      worker.on('message', (m: ImportWorkerMessage) => {
        switch (m.type) {
          case 'progress':
            job.onProgress?.(m.done, m.total);
            break;
          case 'head':
            head = m.preview;
            break;
          case 'rows':
            for (const r of m.rows) rows.push(r);
            askForNext();
            break;
          case 'rejected':
            for (const r of m.rejected) rejected.push(r);
            askForNext();
            break;
          case 'order':
            order = m.order;
            break;
          case 'done':
            if (head) {
              const preview = { ...head, rows, rejected };
              try {
                // Never fails with the worker's own order; should it, the upload fails, not the server.
                if (order) rememberWriteOrder(preview, order);
                resolve(preview);
              } catch (err) {
                reject(err);
              }
            } else reject(new Error('The import worker finished without a preview.'));
            break;
          case 'file-error':
            reject(new ImportFileError(m.code, m.message, m.params));
            break;
          case 'failed':
            reject(new Error(m.error));
            break;
        }
      });
      worker.once('error', (err: Error & { code?: string }) =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ImportFileError('unreadable', 'The file could not be read: it needs more memory than one import may have. Split it into smaller files.')
            : err,
        ),
      );
      worker.once('exit', (code) => reject(new Error(`The import worker stopped (exit code ${code}).`)));
    });
    await (job.store ?? importPreviews).put(job.planId, job.userId, preview);
    return preview;
  } finally {
    void worker?.terminate();
    release();
  }
}
