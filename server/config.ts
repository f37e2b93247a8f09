import { resolve } from 'node:path';
import { z } from 'zod';
import { Limits } from '../shared/limits.ts';

/** `SMTP_URL=` in an env file means "not configured", not "invalid". */
const emptyIsUnset = (v: unknown) => (v === '' ? undefined : v);

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** The address people open, used for invite links and the Origin check. Defaults to http://localhost:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(Limits.defaultMaxMessageBytes),
  /** Open suggestions one person may have in one section (far beyond any negotiation: a bound on what one member can load onto everyone). */
  SUGGESTIONS_PER_PERSON: z.coerce.number().int().min(1).default(500),
  /** Characters one suggestion may cover. */
  SUGGESTION_MAX_CHARS: z.coerce.number().int().min(1).default(20_000),
  /** Compact a document's update log into one state once it holds this many updates. */
  COMPACT_AFTER_UPDATES: z.coerce.number().int().min(2).default(500),
  /**
   * A connection whose unsent data grows past this many bytes (it stopped reading) is closed; its
   * client reconnects and catches up from the document. The message being sent is not counted, so a
   * large section still reaches a slow reader whole.
   */
  SYNC_SEND_BUFFER_BYTES: z.coerce.number().int().min(16 * 1024).default(4 * 1024 * 1024),
  /** Open sync connections one person may hold at once (each tab holds one per open section). */
  SYNC_CONNECTIONS_PER_PERSON: z.coerce.number().int().min(1).default(50),
  /** A section nobody has open stays loaded this long before it is compacted and unloaded (0: at once). */
  SECTION_IDLE_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  /** A section's text is kept as an automatic version once nobody has edited it for this long (5 minutes). */
  AUTO_VERSION_PAUSE_MS: z.coerce.number().int().min(10).default(5 * 60 * 1000),
  /** ...and at least this often while edits keep coming without such a pause (a day). */
  AUTO_VERSION_MAX_INTERVAL_MS: z.coerce.number().int().min(10).default(24 * 60 * 60 * 1000),
  /**
   * With REDIS_URL: a process renews its heartbeat three times in this period, and is taken for
   * stopped once it lapses; what it left half done (an import, an export) is then finished or
   * failed by another, which looks this often.
   */
  PROCESS_HEARTBEAT_MS: z.coerce.number().int().min(100).default(30_000),
  /** NORMAL: "Saved" survives a crash of the server process; FULL: also an OS crash or power cut. */
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Set to "true" behind HTTPS so cookies are marked Secure. */
  SECURE_COOKIES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** The largest evidence file a progress report accepts, in bytes (10 MB). */
  EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  /**
   * Exports made at once, for all plans together; each runs in a worker thread of its own. Round
   * progress reports have a queue of their own with these same EXPORT_* limits.
   */
  EXPORT_MAX_RUNNING: z.coerce.number().int().min(1).max(64).default(2),
  /** Exports of one plan made at once, so one plan's big exports never take every slot from the others. */
  EXPORT_MAX_RUNNING_PER_PLAN: z.coerce.number().int().min(1).max(64).default(1),
  /** Exports one person may have waiting or being made at once (all plans). */
  EXPORT_MAX_PENDING_PER_PERSON: z.coerce.number().int().min(1).max(1000).default(3),
  /** Exports one plan may have waiting or being made at once (everyone's). */
  EXPORT_MAX_PENDING_PER_PLAN: z.coerce.number().int().min(1).max(1000).default(10),
  /** An export still being made after this long is stopped and marked failed (10 minutes). */
  EXPORT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10 * 60 * 1000),
  /** The export worker's heap limits (V8 old and young generation, MB): past them the export fails, not the server. */
  // 128: V8 collects sooner, which keeps the 200-section plan's PDF under 200 MB above the
  // server's idle memory (177–182 MB; 190–222 at 160), and every other format of it fits
  // (docs/benchmarks.md, 2026-12-04).
  EXPORT_WORKER_OLD_GENERATION_MB: z.coerce.number().int().min(16).default(128),
  /**
   * DOCX alone. A large DOCX is written section by section and fits in the same limit as the other
   * formats (the 200-section plan, measured 2026-12-04); the largest DOCX built whole, to work out
   * its page numbers (render/docx.ts, PAGE_ESTIMATE_LIMIT), fits too. Kept as a setting of its own.
   */
  EXPORT_DOCX_WORKER_OLD_GENERATION_MB: z.coerce.number().int().min(16).default(160),
  EXPORT_WORKER_YOUNG_GENERATION_MB: z.coerce.number().int().min(1).default(16),
  /**
   * A round's progress report, both formats: it holds a chart image per indicator, and a 1,000-action
   * report stopped at the plan exports' limits (measured 2026-12-03); high, but still a bound.
   */
  EXPORT_REPORT_WORKER_OLD_GENERATION_MB: z.coerce.number().int().min(16).default(2048),
  /** smtp://user:pass@host:port (or smtps://): notices are also e-mailed. Unset: Accord sends no e-mail. */
  SMTP_URL: z.preprocess(
    emptyIsUnset,
    z
      .string()
      .url()
      .refine((v) => /^smtps?:\/\//.test(v), 'Must start with smtp:// or smtps://')
      .optional(),
  ),
  /**
   * redis://host:port (or rediss://): several Accord processes serve the same plans, sharing one
   * database, and Redis carries live edits, presence and events between them. Unset: one process.
   */
  REDIS_URL: z.preprocess(
    emptyIsUnset,
    z
      .string()
      .url()
      .refine((v) => /^rediss?:\/\//.test(v), 'Must start with redis:// or rediss://')
      .optional(),
  ),
  /**
   * postgres://user@host:port/database (or postgresql://): the data lives in PostgreSQL, for
   * several Accord servers on several hosts. Unset: SQLite's file in DATA_DIR, the default.
   */
  DATABASE_URL: z.preprocess(
    emptyIsUnset,
    z
      .string()
      .url()
      .refine((v) => /^postgres(ql)?:\/\//.test(v), 'Must start with postgres:// or postgresql://')
      .optional(),
  ),
  /** With DATABASE_URL: the schema Accord's tables are in (several deployments in one database). Unset: the database's default. */
  DATABASE_SCHEMA: z.preprocess(emptyIsUnset, z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Lower-case letters, digits and _ only, at most 63').optional()),
  /** Names of Accord's Redis channels start with this, so several deployments can share one Redis. */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'Letters, digits and : _ . - only, at most 64').default('accord:'),
  /** The sender of notice e-mail, e.g. "Accord <accord@example.org>". Defaults to accord@ the PUBLIC_URL host. */
  MAIL_FROM: z.preprocess(emptyIsUnset, z.string().trim().min(3).max(320).optional()),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  publicUrl: string | undefined;
  maxMessageBytes: number;
  compactAfterUpdates: number;
  sendBufferBytes: number;
  connectionsPerPerson: number;
  sectionIdleGraceMs: number;
  /** Per person and section: open suggestions, and characters in one suggestion. */
  suggestionsPerPerson: number;
  suggestionMaxChars: number;
  /** Automatic versions: after this pause in editing, and at least this often while edits continue. */
  autoVersionPauseMs: number;
  autoVersionMaxIntervalMs: number;
  /** With several processes: how long a heartbeat lasts, and how often abandoned work is looked for. */
  processHeartbeatMs: number;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  sqliteSynchronous: 'NORMAL' | 'FULL';
  secureCookies: boolean;
  evidenceMaxBytes: number;
  exports: ExportLimits;
  /** Unset: no e-mail is sent. */
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
  /** Unset: one process, no Redis. */
  redisUrl: string | undefined;
  /** Unset: SQLite's file (databaseFile). */
  databaseUrl: string | undefined;
  databaseSchema: string | undefined;
  redisPrefix: string;
}

/** How many exports run and wait, for how long and in how much memory (server/export/jobs.ts). */
export interface ExportLimits {
  maxRunning: number;
  maxRunningPerPlan: number;
  maxPendingPerPerson: number;
  maxPendingPerPlan: number;
  timeoutMs: number;
  workerOldGenerationMb: number;
  docxWorkerOldGenerationMb: number;
  workerYoungGenerationMb: number;
  /** Round progress reports' worker (server/export/progress/runner.ts). */
  reportWorkerOldGenerationMb: number;
}

/**
 * Reads configuration from the environment once, at start. Every problem is reported at once, in
 * words a person setting up a server can act on.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Accord cannot start: the configuration is invalid.\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const dataDir = resolve(c.DATA_DIR);
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir,
    databaseFile: resolve(dataDir, 'accord.sqlite'),
    publicUrl: c.PUBLIC_URL?.replace(/\/$/, ''),
    maxMessageBytes: c.MAX_MESSAGE_BYTES,
    compactAfterUpdates: c.COMPACT_AFTER_UPDATES,
    sendBufferBytes: c.SYNC_SEND_BUFFER_BYTES,
    connectionsPerPerson: c.SYNC_CONNECTIONS_PER_PERSON,
    sectionIdleGraceMs: c.SECTION_IDLE_GRACE_MS,
    suggestionsPerPerson: c.SUGGESTIONS_PER_PERSON,
    suggestionMaxChars: c.SUGGESTION_MAX_CHARS,
    autoVersionPauseMs: c.AUTO_VERSION_PAUSE_MS,
    autoVersionMaxIntervalMs: c.AUTO_VERSION_MAX_INTERVAL_MS,
    processHeartbeatMs: c.PROCESS_HEARTBEAT_MS,
    logLevel: c.LOG_LEVEL,
    sqliteSynchronous: c.SQLITE_SYNCHRONOUS,
    secureCookies: c.SECURE_COOKIES,
    evidenceMaxBytes: c.EVIDENCE_MAX_BYTES,
    exports: {
      maxRunning: c.EXPORT_MAX_RUNNING,
      maxRunningPerPlan: c.EXPORT_MAX_RUNNING_PER_PLAN,
      maxPendingPerPerson: c.EXPORT_MAX_PENDING_PER_PERSON,
      maxPendingPerPlan: c.EXPORT_MAX_PENDING_PER_PLAN,
      timeoutMs: c.EXPORT_TIMEOUT_MS,
      workerOldGenerationMb: c.EXPORT_WORKER_OLD_GENERATION_MB,
      docxWorkerOldGenerationMb: c.EXPORT_DOCX_WORKER_OLD_GENERATION_MB,
      workerYoungGenerationMb: c.EXPORT_WORKER_YOUNG_GENERATION_MB,
      reportWorkerOldGenerationMb: c.EXPORT_REPORT_WORKER_OLD_GENERATION_MB,
    },
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    redisUrl: c.REDIS_URL,
    redisPrefix: c.REDIS_PREFIX,
    databaseUrl: c.DATABASE_URL,
    databaseSchema: c.DATABASE_SCHEMA,
  };
}
