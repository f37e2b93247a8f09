import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Db, Synchronous } from './database.ts';
import { col, scalar } from './rows.ts';

/**
 * Checkpoints the write-ahead log from a worker thread of its own, so the server's event loop
 * never waits for it.
 *
 * Every commit appends to the WAL; SQLite's automatic checkpoint then copies the WAL back into the
 * database file inside whichever commit crosses 1,000 pages, with an fsync before and after. While
 * people type that is a commit every few hundred updates, and each such stall (up to 80 ms
 * measured) holds every socket's broadcast behind it: it was most of the live-editing p99 (see
 * docs/benchmarks.md). A PASSIVE checkpoint on another connection runs beside the writer: the
 * writer keeps appending, and restarts the WAL from its beginning once a checkpoint has caught up.
 *
 * The main connection keeps an automatic checkpoint as a backstop, ten times SQLite's default:
 * should the worker fail or fall behind, the WAL is still bounded.
 *
 * The log only restarts from its beginning when a commit starts with every frame already copied
 * back. A checkpoint runs while the server keeps committing, so a frame or two usually arrive
 * during its pass: the worker passes again until a pass finds nothing new (short passes, a few
 * pages each). Without that, under steady traffic the log never restarted, grew to the backstop,
 * and the backstop's checkpoint ran inside a commit on the event loop: every second or so during
 * a large import, 100–600 ms during which nobody was answered.
 *
 * Long writers (an import's thousands of short transactions) call `giveWay` between their
 * transactions: every GIVE_WAY_MS it waits for a checkpoint (the event loop serves everyone else
 * meanwhile), so the log those writers fill is copied back and restarted long before the backstop.
 */
export interface CheckpointerOptions {
  /** Rows changed since the last checkpoint that call for one at the next tick. */
  changes?: number;
  /** However few the changes, at most this long between checkpoints. */
  maxIntervalMs?: number;
  /** How often the number of changes is looked at. */
  tickMs?: number;
  /** Told of each checkpoint the worker made. */
  onCheckpoint?(result: CheckpointResult): void;
  /** How long a long writer goes between waits for a checkpoint (see giveWay). */
  giveWayMs?: number;
  /** The main connection's automatic checkpoint, in pages (tests). */
  backstopPages?: number;
}

export interface Checkpointer {
  /** Checkpoints now, if the worker is running (tests; shutting down). */
  checkpoint(): Promise<CheckpointResult | null>;
  /** Stops the worker; the main connection's own checkpoint takes over. */
  stop(): Promise<void>;
  /** A long writer should wait for a checkpoint before its next transaction. */
  due(): boolean;
}

export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

const BACKSTOP_PAGES = 10_000;
const DEFAULT_PAGES = 1_000;
/** Passes a checkpoint makes at most while others keep committing (see above). */
const CATCH_UP_PASSES = 6;
const GIVE_WAY_MS = 100;

/**
 * The worker is plain JavaScript evaluated from this string: it needs nothing but the driver, and
 * so starts without the TypeScript loader the export worker brings (see runtimeLayout.ts).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('busy_timeout = 1000');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    let row;
    let seen = -1;
    for (let pass = 0; pass < ${CATCH_UP_PASSES}; pass++) {
      [row] = db.pragma('wal_checkpoint(PASSIVE)');
      // Done when a pass found the log as the previous one left it, all of it copied back.
      if (row.busy !== 0 || (row.log === seen && row.checkpointed === row.log)) break;
      seen = row.log;
    }
    parentPort.postMessage({ ok: true, busy: row.busy, log: row.log, checkpointed: row.checkpointed });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err && err.message || err) });
  }
});
`;

/**
 * Starts checkpointing `db` (opened on `file`) off the event loop. The worker starts with the first
 * checkpoint needed, so a server that writes little never starts one.
 */
export function startCheckpointer(
  db: Db,
  file: string,
  { synchronous = 'NORMAL', logger, ...options }: CheckpointerOptions & { synchronous?: Synchronous; logger?: Logger },
): Checkpointer {
  const changesDue = options.changes ?? 200;
  const maxIntervalMs = options.maxIntervalMs ?? 30_000;
  const giveWayMs = options.giveWayMs ?? GIVE_WAY_MS;
  db.pragma(`wal_autocheckpoint = ${options.backstopPages ?? BACKSTOP_PAGES}`);
  const totalChanges = db.prepare('SELECT total_changes() AS n');
  const changesSoFar = () => scalar(totalChanges, col.int) ?? 0;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');

  let worker: Worker | null = null;
  let failed = false;
  let running: Promise<CheckpointResult | null> | null = null;
  let seen = changesSoFar();
  let changed = 0;
  let lastAt = Date.now();

  const start = (): Worker => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, synchronous } });
    w.unref();
    w.on('error', (err) => giveUp(err));
    w.on('exit', () => {
      if (worker === w) worker = null;
    });
    return w;
  };

  const giveUp = (err: unknown) => {
    if (failed) return;
    failed = true;
    worker = null;
    logger?.error({ err }, 'WAL checkpoints off the event loop failed: the database checkpoints itself again');
    db.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
  };

  const checkpoint = (): Promise<CheckpointResult | null> => {
    if (failed) return Promise.resolve(null);
    if (running) return running;
    worker ??= start();
    const w = worker;
    changed = 0;
    lastAt = Date.now();
    running = new Promise<CheckpointResult | null>((resolve) => {
      const done = (result: CheckpointResult | null) => {
        w.off('message', onMessage);
        w.off('exit', onExit);
        running = null;
        resolve(result);
      };
      const onMessage = (m: { ok: true } & CheckpointResult | { ok: false; error: string }) => {
        if (m.ok) {
          const result = { busy: m.busy, log: m.log, checkpointed: m.checkpointed };
          options.onCheckpoint?.(result);
          done(result);
        }
        else {
          logger?.warn({ error: m.error }, 'WAL checkpoint failed; trying again later');
          done(null);
        }
      };
      const onExit = () => done(null);
      w.on('message', onMessage);
      w.on('exit', onExit);
      w.postMessage('checkpoint');
    });
    return running;
  };

  const tick = setInterval(() => {
    let now: number;
    try {
      now = changesSoFar();
    } catch {
      return; // the database is closing
    }
    changed += now - seen;
    seen = now;
    if (changed >= changesDue || (changed > 0 && Date.now() - lastAt >= maxIntervalMs)) void checkpoint();
  }, options.tickMs ?? 1000);
  tick.unref();

  const checkpointer: Checkpointer = {
    checkpoint,
    due: () => !failed && Date.now() - lastAt >= giveWayMs,
    async stop() {
      checkpointers.delete(db);
      clearInterval(tick);
      const w = worker;
      worker = null;
      if (!w) return;
      await running;
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage('close');
      await exited;
    },
  };
  checkpointers.set(db, checkpointer);
  return checkpointer;
}

/** The checkpointer of each open database, for giveWay. */
const checkpointers = new WeakMap<object, Checkpointer>();

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * What a long writer awaits between its short transactions: a checkpoint when one is due (see
 * above), then two turns of the event loop, so that what arrived during its last transaction (a
 * request, a keystroke and the store of it, queued for the next turn) goes before its next one.
 * On a database without a checkpointer (in memory, one the tests open, or PostgreSQL's pool: an
 * Sql's `source`), only the turns.
 */
export async function giveWay(database: object): Promise<void> {
  const checkpointer = checkpointers.get(database);
  if (checkpointer?.due()) await checkpointer.checkpoint();
  await nextTurn();
  await nextTurn();
}
