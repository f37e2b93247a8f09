/**
 * Runs progress report workers (reportWorker.ts) with the same protections as plan exports (#14,
 * jobs.ts): plans take turns for the running slots (fairQueue.ts, its own queue with the EXPORT_*
 * limits), one person and one plan may have only so many reports waiting or being made (429
 * `export_limit_person` / `export_limit_plan`), and each report has the export time limit and worker
 * heap limit. One that reaches either is stopped, its part-written file removed, and the request
 * answered with `export_timed_out` / `export_too_large`, which people read in their language.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { workerDatabaseOf, type WorkerDatabase } from '../../db/sql/workerDatabase.ts';
import { HttpError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { workerUrl } from '../../runtimeLayout.ts';
import { FairQueue, refusalError, type QueuedExport } from '../fairQueue.ts';
import type { ReportKind } from './reportModel.ts';
import type { ExportLanguage } from '../../../shared/api/agreement.ts';

export interface ReportWorkerInput {
  /** Where the services' data is: SQLite's file or PostgreSQL's database and schema. */
  database: WorkerDatabase;
  planId: string;
  roundId: string;
  kind: ReportKind;
  format: 'docx' | 'pdf';
  /** The language of the report's own words. */
  language: ExportLanguage;
  exportedAt: string;
  outFile: string;
}

export type ReportWorkerMessage =
  | { type: 'done'; title: string; planTitle: string; bytes: number; memory: NodeJS.MemoryUsage }
  | { type: 'failed'; error: string };

export interface RenderedReport {
  file: string;
  title: string;
  planTitle: string;
  bytes: number;
  memory: NodeJS.MemoryUsage;
}

const WORKER_URL = workerUrl('reportWorker', import.meta.url);

interface Turn extends QueuedExport {
  start: () => void;
}

export class ProgressReports {
  private readonly queue: FairQueue<Turn>;

  constructor(
    private readonly config: Pick<Config, 'dataDir' | 'databaseFile' | 'exports'>,
    /** The services' database, which the worker reads too (on a connection of its own). */
    private readonly sql: Sql,
    private readonly logger?: Logger,
  ) {
    this.queue = new FairQueue(config.exports);
  }

  /** Waits for a running slot (429 at once when the person or the plan is over its cap). */
  private async turn(planId: string, userId: string): Promise<() => void> {
    const refusal = this.queue.refusal(planId, userId);
    if (refusal) throw refusalError(refusal);
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const turn: Turn = { planId, createdBy: userId, start };
    this.queue.add(turn);
    this.next();
    await started;
    return () => {
      this.queue.finished(turn);
      this.next();
    };
  }

  private next() {
    for (let turn = this.queue.take(); turn; turn = this.queue.take()) turn.start();
  }

  /**
   * Builds the report once its turn comes, for `userId`'s request; the file is the caller's to send
   * and remove. Throws 429 (caps), 503 `export_timed_out` / `export_too_large`, 500 `export_failed`.
   */
  async render(userId: string, job: Omit<ReportWorkerInput, 'database' | 'outFile'>): Promise<RenderedReport> {
    const release = await this.turn(job.planId, userId);
    const limits = this.config.exports;
    const dir = join(this.config.dataDir, 'progress-reports');
    mkdirSync(dir, { recursive: true });
    const outFile = join(dir, `${newId()}.${job.format}`);
    let worker: Worker | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const message = await new Promise<ReportWorkerMessage>((resolve, reject) => {
        worker = new Worker(WORKER_URL, {
          workerData: { ...job, database: workerDatabaseOf(this.sql, this.config.databaseFile), outFile } satisfies ReportWorkerInput,
          // Past these the worker alone is stopped (ERR_WORKER_OUT_OF_MEMORY), never the server.
          resourceLimits: {
            maxOldGenerationSizeMb: limits.reportWorkerOldGenerationMb,
            maxYoungGenerationSizeMb: limits.workerYoungGenerationMb,
          },
        });
        timer = setTimeout(() => {
          this.logger?.warn({ planId: job.planId, roundId: job.roundId, timeoutMs: limits.timeoutMs }, 'progress report timed out');
          reject(new HttpError(503, 'export_timed_out', `The report took longer than ${limits.timeoutMs} ms and was stopped.`));
        }, limits.timeoutMs);
        timer.unref();
        worker.once('message', resolve);
        worker.once('error', (err: Error & { code?: string }) => {
          const outOfMemory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
          this.logger?.warn({ planId: job.planId, roundId: job.roundId, err }, outOfMemory ? 'progress report ran out of memory' : 'progress report worker crashed');
          reject(outOfMemory ? new HttpError(503, 'export_too_large', 'The report needed more memory than one export may have and was stopped.') : err);
        });
        worker.once('exit', (code) => reject(new Error(`The report stopped (exit code ${code}).`)));
      });
      if (message.type === 'failed') throw new Error(message.error);
      return { file: outFile, title: message.title, planTitle: message.planTitle, bytes: message.bytes, memory: message.memory };
    } catch (err) {
      // The worker can write no more once terminated: only then do its files go.
      if (worker) await worker.terminate();
      rmSync(`${outFile}.part`, { force: true });
      rmSync(outFile, { force: true });
      if (err instanceof HttpError) throw err;
      this.logger?.warn({ planId: job.planId, roundId: job.roundId, err }, 'progress report failed');
      throw new HttpError(500, 'export_failed', err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
      void worker?.terminate();
      release();
    }
  }
}
