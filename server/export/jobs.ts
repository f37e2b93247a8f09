/**
 * Export jobs. Each job runs in a worker_threads Worker (worker.mjs → worker.ts) with its own
 * connection to the services' database (a read-only one on SQLite's file, or a pool of one
 * connection on PostgreSQL: workerDatabase.ts); the main thread only gathers the stored Yjs state
 * of open section documents (the rest the worker reads from the document log) and relays progress
 * as `export-progress` plan events. The worker writes the file itself, as a stream: no copy of it
 * passes through the main thread.
 *
 * No one member can hold up the others (#14): plans take turns for the running slots (fairQueue.ts),
 * one person and one plan may have only so many exports waiting or running, and each export has a
 * time limit and a worker heap limit (config EXPORT_*). One that reaches either is stopped and
 * marked failed with a code people read in their language; the server goes on.
 *
 * Every export is on the record in the database (pastExports.ts) with its file in DATA_DIR/exports/,
 * listed and downloadable across restarts until the plan's retention period has passed. Only the
 * progress of a running job is kept in memory; a job a stopped server left running is marked failed.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { workerDatabaseOf } from '../db/sql/workerDatabase.ts';
import type { EventBus } from '../events.ts';
import { newId } from '../ids.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import type { ExportErrorCode, ExportFormat, ExportJob, ExportLanguage } from '../../shared/api/agreement.ts';
import { FairQueue, refusalError } from './fairQueue.ts';
import type { ExportScope } from './model.ts';
import { scratchFile, type WorkerInput, type WorkerMessage } from './protocol.ts';
import { FORMAT_INFO } from './render/index.ts';
import { documentRefusal, openSectionStates } from '../services/sectionText.ts';
import { workerUrl } from '../runtimeLayout.ts';
import {
  finishExport,
  getExport,
  insertExport,
  listExports,
  purgeExpiredExports,
  sweepUnlistedExportFiles,
  type ExportRow,
} from './pastExports.ts';
import type { PastExports } from '../../shared/api/agreement.ts';

/** Finished jobs whose progress is kept in memory (the record itself is in the database). */
const MAX_JOBS = 500;
const WORKER_URL = workerUrl('worker', import.meta.url);

export interface JobRecord extends ExportJob {
  versionGroupId: string | null;
  planId: string;
  createdBy: string;
  file: string;
  contentType: string;
  title: string | null;
  finishedAt: number | null;
  /** Worker memory at the end (for the benchmark). */
  memory: NodeJS.MemoryUsage | null;
}

export interface ExportDeps {
  config: Config;
  db: Db;
  /** Where the record of exports is kept (pastExports.ts), and where the worker reads the plan. */
  sql: Sql;
  events: EventBus;
  sync: Pick<DocumentAccess, 'openStoredStates'> | undefined;
  logger: Logger;
  /** The clock expiry is measured by (tests move it forward instead of waiting). */
  now?: () => number;
  /** Other processes make exports in the same folder now: a file not listed yet may be theirs. */
  othersRunning?: boolean;
  /** This process, recorded as the maker of its exports (server/ownership/owners.ts). */
  owner?: string;
}

export class ExportJobs {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly queue: FairQueue<JobRecord>;
  /** Running jobs' workers and time limits, so a job can be stopped from outside its worker. */
  private readonly workers = new Map<string, { worker: Worker; timer: NodeJS.Timeout }>();
  readonly dir: string;
  private readonly timer: NodeJS.Timeout;
  /**
   * The sweep and purge at start: every export waits for them, so a file the sweep lists as
   * nobody's is never one of this process's new exports.
   */
  private readonly ready: Promise<void>;

  constructor(private readonly deps: ExportDeps) {
    this.queue = new FairQueue(deps.config.exports);
    this.dir = join(deps.config.dataDir, 'exports');
    mkdirSync(this.dir, { recursive: true });
    // Exports a stopped process left running were marked failed before the server was built
    // (server/ownership/abandonedWork.ts). A file no export lists is half-written by a stopped worker;
    // with other processes running it may be theirs, still being made.
    const dir = this.dir;
    this.ready = (async () => {
      if (!deps.othersRunning) await sweepUnlistedExportFiles(deps.sql, dir);
      await purgeExpiredExports(deps.sql, dir, this.now());
    })();
    // A failure is told to the first export (start awaits it) and logged here, never left unhandled.
    this.ready.catch((err: unknown) => deps.logger.warn({ err }, 'could not clear expired exports at start'));
    this.timer = setInterval(() => void this.cleanup().catch((err: unknown) => deps.logger.warn({ err }, 'could not clear expired exports')), 3600_000);
    this.timer.unref();
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** The export as recorded (null once expired), with its live progress while it runs here. */
  async get(planId: string, id: string): Promise<JobRecord | null> {
    const row = await getExport(this.deps.sql, planId, id, this.now());
    if (!row) return null;
    const live = this.jobs.get(id);
    if (live && live.state === 'running') return live;
    return this.fromRow(row, live);
  }

  /** The plan's exports that have not expired, newest first, and its retention period. */
  async list(planId: string, retentionDays: number): Promise<PastExports> {
    await this.cleanup();
    return { retentionDays, items: await listExports(this.deps.sql, planId, this.now()) };
  }

  private fromRow(row: ExportRow, live: JobRecord | undefined): JobRecord {
    return {
      id: row.id,
      format: row.format,
      scope: row.scope,
      language: row.language,
      versionGroupId: row.versionGroupId,
      state: row.state,
      done: row.state === 'done' ? row.total : (live?.done ?? 0),
      total: row.total,
      error: row.error,
      errorCode: row.errorCode,
      filename: row.filename,
      createdAt: row.createdAt,
      planId: row.planId,
      createdBy: row.createdBy,
      file: join(this.dir, row.file),
      contentType: row.contentType,
      title: row.title,
      finishedAt: row.finishedAt === null ? null : Date.parse(row.finishedAt),
      memory: live?.memory ?? null,
    };
  }

  /**
   * Starts (or queues) an export and returns its job at once. Refused (503 `unsaved_edits`) while
   * some edits to the plan's text are not stored: an export carries only stored text; and (429)
   * while the person or the plan already has as many exports waiting or running as allowed.
   */
  async start(
    planId: string,
    userId: string,
    format: ExportFormat,
    scope: ExportScope,
    versionGroupId: string | null = null,
    versionName: string | null = null,
    language: ExportLanguage = 'en',
  ): Promise<JobRecord> {
    await this.ready;
    if (versionGroupId === null) {
      try {
        await this.openStates(planId);
      } catch (err) {
        throw documentRefusal(err, 'exported', 'the plan');
      }
    }
    await this.cleanup();
    // Asked after the database's answers, and the export counted before the next await (reserve).
    const refusal = this.queue.refusal(planId, userId);
    if (refusal) throw refusalError(refusal);
    const id = newId();
    const info = FORMAT_INFO[format];
    const job: JobRecord = {
      id,
      format,
      scope,
      language,
      versionGroupId,
      state: 'running',
      done: 0,
      total: 0,
      error: null,
      errorCode: null,
      filename: null,
      createdAt: new Date(this.now()).toISOString(),
      planId,
      createdBy: userId,
      file: join(this.dir, `${id}.${info.ext}`),
      contentType: info.contentType,
      title: null,
      finishedAt: null,
      memory: null,
    };
    // Counted from here: requests arriving while the row is written see this one (on PostgreSQL
    // that is a round trip, and four at once all passed the check above).
    this.queue.reserve(job);
    try {
      await insertExport(this.deps.sql, {
        id,
        planId,
        createdBy: userId,
        format,
        scope,
        language,
        versionGroupId,
        versionName,
        file: basename(job.file),
        contentType: job.contentType,
        createdAt: job.createdAt,
        owner: this.deps.owner ?? null,
      });
    } catch (err) {
      this.queue.drop(job);
      throw err;
    }
    this.jobs.set(id, job);
    this.queue.add(job);
    this.next();
    return job;
  }

  /** Resolves when the job has finished (for the benchmark and tests). */
  whenFinished(id: string): Promise<JobRecord> {
    return new Promise((resolve) => {
      const check = () => {
        const job = this.jobs.get(id);
        if (!job || job.state !== 'running') resolve(job!);
        else setTimeout(check, 20);
      };
      check();
    });
  }

  private next() {
    for (let job = this.queue.take(); job; job = this.queue.take()) void this.run(job);
  }

  private emit(job: JobRecord) {
    this.deps.events.emit('plan', job.planId, { type: 'export-progress', exportId: job.id, done: job.done, total: job.total, state: job.state });
  }

  private finish(job: JobRecord, changes: Partial<JobRecord>) {
    if (job.state !== 'running') return;
    Object.assign(job, changes, { finishedAt: Date.now() });
    // Read again: the narrowing above does not see the assignment.
    const state = changes.state ?? job.state;
    if (state === 'done') job.done = job.total;
    else job.errorCode ??= 'export_failed';
    this.queue.finished(job);
    const removeFile = () => {
      if (state === 'done') return;
      rmSync(`${job.file}.part`, { force: true });
      rmSync(scratchFile(job.file), { force: true });
      rmSync(job.file, { force: true });
    };
    const running = this.workers.get(job.id);
    if (running) {
      this.workers.delete(job.id);
      clearTimeout(running.timer);
      // A stopped export's part-written file goes once its worker can no longer write to it.
      void running.worker.terminate().finally(removeFile);
    } else removeFile();
    // The database closed under a finishing job (server stopping): the next start marks it failed.
    const unrecorded = (err: unknown) => this.deps.logger.warn({ exportId: job.id, err }, 'could not record the finished export');
    const record = async () => {
      await finishExport(this.deps.sql, job.id, {
        state: state === 'done' ? 'done' : 'failed',
        error: job.error,
        errorCode: state === 'done' ? null : job.errorCode,
        filename: job.filename,
        title: job.title,
        sizeBytes: state === 'done' ? statSync(job.file).size : null,
        total: job.total,
        finishedAt: new Date(this.now()).toISOString(),
      });
    };
    // Announced once recorded: a page that hears of the end reloads the list of past exports, and
    // must find the export finished there. (On PostgreSQL, or from another process, the row is
    // written a round trip later; the list read before it would stay "running".)
    void record()
      .catch(unrecorded)
      .finally(() => this.emit(job));
    this.next();
  }

  /** Starts the job's worker; never rejects (a job that cannot start is failed). */
  private async run(job: JobRecord) {
    const { exports: limits } = this.deps.config;
    let worker: Worker;
    try {
      // A saved version's texts come from its snapshots (read by the worker), not from live documents.
      const docStates: Array<[string, ArrayBuffer]> =
        job.versionGroupId === null ? [...(await this.openStates(job.planId))].map(([id, state]) => [id, state.slice().buffer]) : [];
      const input: WorkerInput = {
        database: workerDatabaseOf(this.deps.sql, this.deps.config.databaseFile),
        planId: job.planId,
        format: job.format,
        scope: job.scope,
        language: job.language,
        versionGroupId: job.versionGroupId,
        exportedAt: job.createdAt,
        outFile: job.file,
        docStates,
      };
      worker = new Worker(WORKER_URL, {
        workerData: input,
        transferList: docStates.map(([, b]) => b),
        // Past these the worker alone is stopped (ERR_WORKER_OUT_OF_MEMORY), never the server.
        resourceLimits: {
          maxOldGenerationSizeMb: job.format === 'docx' ? limits.docxWorkerOldGenerationMb : limits.workerOldGenerationMb,
          maxYoungGenerationSizeMb: limits.workerYoungGenerationMb,
        },
      });
    } catch (err) {
      const refusal = documentRefusal(err, 'exported', 'the plan');
      this.finish(job, { state: 'failed', error: refusal instanceof Error ? refusal.message : String(refusal) });
      return;
    }
    worker.unref();
    const timer = setTimeout(() => {
      this.deps.logger.warn({ exportId: job.id, planId: job.planId, timeoutMs: limits.timeoutMs }, 'export timed out');
      this.finish(job, { state: 'failed', errorCode: 'export_timed_out', error: `The export took longer than ${limits.timeoutMs} ms and was stopped.` });
    }, limits.timeoutMs);
    timer.unref();
    this.workers.set(job.id, { worker, timer });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') {
        if (job.state !== 'running') return;
        job.done = m.done;
        job.total = m.total;
        this.emit(job);
      } else if (m.type === 'done') {
        this.finish(job, { state: 'done', filename: m.filename, title: m.title, memory: m.memory });
      } else {
        this.deps.logger.warn({ exportId: job.id, error: m.error }, 'export failed');
        this.finish(job, { state: 'failed', error: m.error });
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const outOfMemory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.deps.logger.warn({ exportId: job.id, planId: job.planId, err }, outOfMemory ? 'export ran out of memory' : 'export worker crashed');
      const errorCode: ExportErrorCode = outOfMemory ? 'export_too_large' : 'export_failed';
      this.finish(job, { state: 'failed', errorCode, error: err.message });
    });
    worker.on('exit', (code) => {
      if (job.state === 'running') this.finish(job, { state: 'failed', error: `The export stopped (exit code ${code}).` });
    });
  }

  /** The plan's open sections' stored states (throws while some edits are not stored). */
  private openStates(planId: string): Promise<Map<string, Uint8Array>> {
    return openSectionStates(this.deps.sql, this.deps.sync, planId);
  }

  /** Removes expired exports (rows and files); keeps the progress of at most MAX_JOBS finished jobs in memory. */
  async cleanup(): Promise<void> {
    await purgeExpiredExports(this.deps.sql, this.dir, this.now());
    const finished = [...this.jobs.values()].filter((j) => j.finishedAt !== null).sort((a, b) => a.finishedAt! - b.finishedAt!);
    const excess = Math.max(0, this.jobs.size - MAX_JOBS);
    finished.slice(0, excess).forEach((job) => this.jobs.delete(job.id));
  }

  close() {
    clearInterval(this.timer);
    for (const { worker, timer } of this.workers.values()) {
      clearTimeout(timer);
      void worker.terminate();
    }
  }
}
