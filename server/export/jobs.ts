/**
 * Export jobs. Each job runs in a worker_threads Worker (worker.mjs → worker.ts) with its own
 * read-only SQLite connection; the main thread only gathers the stored Yjs state of open section
 * documents (the rest the worker reads from the document log) and relays progress as
 * `export-progress` plan events. At most MAX_RUNNING workers run at once; others wait their turn.
 *
 * Jobs are kept in memory (lost on restart, like a download link); finished files live in
 * DATA_DIR/exports/ and are deleted after FILE_TTL_MS, and all of them when the server starts.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { EventBus } from '../events.ts';
import { newId, nowIso } from '../ids.ts';
import type { SyncServer } from '../sync/SyncServer.ts';
import type { ExportFormat, ExportJob } from '../../shared/api/agreement.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';
import type { ExportScope } from './model.ts';
import type { WorkerInput, WorkerMessage } from './protocol.ts';
import { FORMAT_INFO } from './render/index.ts';
import { documentRefusal } from '../services/sectionText.ts';
import { workerUrl } from '../runtimeLayout.ts';

const MAX_RUNNING = 2;
const FILE_TTL_MS = 24 * 3600_000;
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
  events: EventBus;
  sync: Pick<SyncServer, 'openStoredStates'> | undefined;
  logger: Logger;
}

export class ExportJobs {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly queue: Array<() => void> = [];
  private running = 0;
  readonly dir: string;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: ExportDeps) {
    this.dir = join(deps.config.dataDir, 'exports');
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    this.timer = setInterval(() => this.cleanup(), 3600_000);
    this.timer.unref();
  }

  get(planId: string, id: string): JobRecord | null {
    const job = this.jobs.get(id);
    return job && job.planId === planId ? job : null;
  }

  /**
   * Starts (or queues) an export and returns its job at once. Refused (503 `unsaved_edits`) while
   * some edits to the plan's text are not stored: an export carries only stored text.
   */
  start(planId: string, userId: string, format: ExportFormat, scope: ExportScope, versionGroupId: string | null = null): JobRecord {
    if (versionGroupId === null) {
      try {
        this.openStates(planId);
      } catch (err) {
        throw documentRefusal(err, 'exported', 'the plan');
      }
    }
    this.cleanup();
    const id = newId();
    const info = FORMAT_INFO[format];
    const job: JobRecord = {
      id,
      format,
      scope,
      versionGroupId,
      state: 'running',
      done: 0,
      total: 0,
      error: null,
      filename: null,
      createdAt: nowIso(),
      planId,
      createdBy: userId,
      file: join(this.dir, `${id}.${info.ext}`),
      contentType: info.contentType,
      title: null,
      finishedAt: null,
      memory: null,
    };
    this.jobs.set(id, job);
    this.queue.push(() => this.run(job));
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
    while (this.running < MAX_RUNNING && this.queue.length > 0) {
      this.running++;
      this.queue.shift()!();
    }
  }

  private emit(job: JobRecord) {
    this.deps.events.emit('plan', job.planId, { type: 'export-progress', exportId: job.id, done: job.done, total: job.total, state: job.state });
  }

  private finish(job: JobRecord, changes: Partial<JobRecord>) {
    if (job.state !== 'running') return;
    Object.assign(job, changes, { finishedAt: Date.now() });
    this.running--;
    this.emit(job);
    this.next();
  }

  private run(job: JobRecord) {
    let worker: Worker;
    try {
      // A saved version's texts come from its snapshots (read by the worker), not from live documents.
      const docStates: Array<[string, ArrayBuffer]> =
        job.versionGroupId === null ? [...this.openStates(job.planId)].map(([id, state]) => [id, state.slice().buffer]) : [];
      const input: WorkerInput = {
        databaseFile: this.deps.config.databaseFile,
        planId: job.planId,
        format: job.format,
        scope: job.scope,
        versionGroupId: job.versionGroupId,
        exportedAt: job.createdAt,
        outFile: job.file,
        docStates,
      };
      worker = new Worker(WORKER_URL, { workerData: input, transferList: docStates.map(([, b]) => b) });
    } catch (err) {
      const refusal = documentRefusal(err, 'exported', 'the plan');
      this.finish(job, { state: 'failed', error: refusal instanceof Error ? refusal.message : String(refusal) });
      return;
    }
    worker.unref();
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') {
        job.done = m.done;
        job.total = m.total;
        this.emit(job);
      } else if (m.type === 'done') {
        this.finish(job, { state: 'done', filename: m.filename, title: m.title, memory: m.memory });
        void worker.terminate();
      } else {
        this.deps.logger.warn({ exportId: job.id, error: m.error }, 'export failed');
        this.finish(job, { state: 'failed', error: m.error });
        void worker.terminate();
      }
    });
    worker.on('error', (err) => {
      this.deps.logger.warn({ exportId: job.id, err }, 'export worker crashed');
      this.finish(job, { state: 'failed', error: err.message });
    });
    worker.on('exit', (code) => {
      if (job.state === 'running') this.finish(job, { state: 'failed', error: `The export stopped (exit code ${code}).` });
    });
  }

  /**
   * The stored state of the plan's open section documents, by section id; every other section the
   * worker reads from the log. Throws UnsavedEditsError while one has edits not stored.
   */
  private openStates(planId: string): Map<string, Uint8Array> {
    // Sections in the bin are not part of the plan's export.
    const sections = this.deps.db.prepare('SELECT id FROM sections WHERE plan_id = ? AND deleted_at IS NULL').all(planId) as Array<{ id: string }>;
    const states = this.deps.sync?.openStoredStates(sections.map((s) => sectionDocName(s.id))) ?? new Map<string, Uint8Array>();
    return new Map(sections.flatMap((s) => {
      const state = states.get(sectionDocName(s.id));
      return state ? [[s.id, state] as const] : [];
    }));
  }

  /** Forgets jobs and deletes files older than a day; keeps at most MAX_JOBS jobs. */
  cleanup() {
    const now = Date.now();
    const finished = [...this.jobs.values()].filter((j) => j.finishedAt !== null).sort((a, b) => a.finishedAt! - b.finishedAt!);
    const excess = Math.max(0, this.jobs.size - MAX_JOBS);
    finished.forEach((job, i) => {
      if (i < excess || now - job.finishedAt! > FILE_TTL_MS) {
        rmSync(job.file, { force: true });
        this.jobs.delete(job.id);
      }
    });
    try {
      for (const f of readdirSync(this.dir)) {
        const path = join(this.dir, f);
        if (now - statSync(path).mtimeMs > FILE_TTL_MS) rmSync(path, { force: true });
      }
    } catch {
      // The folder went away (data folder removed): nothing to clean.
    }
  }

  close() {
    clearInterval(this.timer);
  }
}
