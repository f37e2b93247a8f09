/**
 * One keystroke's update appended to a section's log: what storing costs the sync server before it
 * may broadcast (store before broadcast). SQLite as DocumentStore does it now (one row, its own
 * implicit transaction; WAL, synchronous=NORMAL as the server opens it, and FULL for comparison),
 * and PostgreSQL as PgDocumentStore does it (BEGIN, the document's row locked, INSERT, COMMIT),
 * against the two other ways of keeping sequence numbers unique when processes append at once: a
 * transaction-level advisory lock, and no lock with a retry on a duplicate key.
 *
 * Each variant appends the same number of updates, one at a time per writer (a writer has one flush
 * in flight, as the sync server will); "two writers" are two pools, as two processes, appending to
 * one document at once. Latency is each append's wall time; throughput is appends per second over
 * the variant's whole run (both writers together). Runs rotate the order of the variants, so a busy
 * spell on the shared machine does not always fall on the same one.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import * as Y from 'yjs';
import { openDatabase } from '../server/db/database.ts';
import { migratePostgres } from '../server/db/postgres/migrate.ts';
import { createPostgresPool, quoteIdentifier } from '../server/db/postgres/pool.ts';
import { DocumentStore } from '../server/storage/DocumentStore.ts';
import { PgDocumentStore } from '../server/storage/postgres/PgDocumentStore.ts';
import { getSectionBody, sectionDocName } from '../shared/doc/schema.ts';

export const STORAGE_VARIANTS = [
  'sqlite normal',
  'sqlite full',
  'pg row lock, 1 writer',
  'pg row lock, 2 writers',
  'pg advisory lock, 1 writer',
  'pg advisory lock, 2 writers',
  'pg retry on conflict, 1 writer',
  'pg retry on conflict, 2 writers',
] as const;
export type StorageVariant = (typeof STORAGE_VARIANTS)[number];

export interface StorageRun {
  variant: StorageVariant;
  appends: number;
  appendsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Appends retried after a duplicate key (retry on conflict only). */
  retries: number;
}

/** `count` single-keystroke updates typed by one person (their own Yjs client id). */
function keystrokes(count: number, clientID: number): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const text = new Y.XmlText();
  getSectionBody(doc).insert(0, [text]);
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < count; i++) text.insert(i, 'a');
  doc.destroy();
  return updates;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Appends each writer's updates one after the other, the writers at once; latencies of all appends. */
async function timed(writers: Array<{ updates: Uint8Array[]; append: (u: Uint8Array) => unknown }>): Promise<{ ms: number[]; wallMs: number }> {
  const ms: number[] = [];
  const started = performance.now();
  await Promise.all(
    writers.map(async ({ updates, append }) => {
      for (const u of updates) {
        const t = performance.now();
        await append(u);
        ms.push(performance.now() - t);
      }
    }),
  );
  return { ms, wallMs: performance.now() - started };
}

const INSERT_UPDATE = `INSERT INTO document_updates (document_name, seq, data, created_at)
  VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM document_updates WHERE document_name = $1), $2, $3)`;

/** The advisory-lock way: a transaction-level lock named after the document instead of its row. */
async function appendAdvisory(pool: pg.Pool, name: string, update: Uint8Array): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('accord document ' || $1, 0))`, [name]);
    await client.query(INSERT_UPDATE, [name, Buffer.from(update), new Date().toISOString()]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** The lock-free way: one INSERT in its own transaction, again on a duplicate sequence number. */
async function appendRetrying(pool: pg.Pool, name: string, update: Uint8Array, counter: { retries: number }): Promise<void> {
  for (;;) {
    try {
      await pool.query(INSERT_UPDATE, [name, Buffer.from(update), new Date().toISOString()]);
      return;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === '23505')) throw error;
      counter.retries++;
    }
  }
}

async function sqliteRun(variant: 'sqlite normal' | 'sqlite full', appends: number): Promise<StorageRun> {
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-storage-'));
  const db = openDatabase(join(dir, 'accord.db'), { synchronous: variant === 'sqlite full' ? 'FULL' : 'NORMAL' });
  try {
    const store = new DocumentStore(db);
    const name = sectionDocName('benchdoc1');
    store.create(name);
    const updates = keystrokes(appends, 1);
    const { ms, wallMs } = await timed([{ updates, append: (update) => store.appendMany([{ name, update }]) }]);
    return summary(variant, ms, wallMs, 0);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRun(url: string, variant: StorageVariant, appends: number): Promise<StorageRun> {
  const schema = `accord_bench_${randomBytes(6).toString('hex')}`;
  const admin = createPostgresPool(url, { max: 1 });
  await admin.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  // One connection per writer: a writer has one append in flight.
  const pools = [createPostgresPool(url, { schema, max: 1 }), createPostgresPool(url, { schema, max: 1 })] as const;
  try {
    await migratePostgres(pools[0]);
    const name = sectionDocName('benchdoc1');
    await new PgDocumentStore(pools[0]).create(name);
    const writerCount = variant.endsWith('2 writers') ? 2 : 1;
    const perWriter = Math.floor(appends / writerCount);
    const counter = { retries: 0 };
    const writers = pools.slice(0, writerCount).map((pool, i) => {
      const updates = keystrokes(perWriter, i + 1);
      const store = new PgDocumentStore(pool);
      const append = variant.startsWith('pg row lock')
        ? (update: Uint8Array) => store.appendMany([{ name, update }])
        : variant.startsWith('pg advisory')
          ? (update: Uint8Array) => appendAdvisory(pool, name, update)
          : (update: Uint8Array) => appendRetrying(pool, name, update, counter);
      return { updates, append };
    });
    // Warm the connections (and the plans) outside the measurement.
    for (const pool of pools) await pool.query('SELECT 1');
    const { ms, wallMs } = await timed(writers);
    const stored = await new PgDocumentStore(pools[0]).updateCount(name);
    if (stored !== perWriter * writerCount) throw new Error(`${variant}: ${stored} rows stored of ${perWriter * writerCount}`);
    return summary(variant, ms, wallMs, counter.retries);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
    await admin.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
    await admin.end();
  }
}

function summary(variant: StorageVariant, ms: number[], wallMs: number, retries: number): StorageRun {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    variant,
    appends: ms.length,
    appendsPerSecond: (ms.length / wallMs) * 1000,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    retries,
  };
}

/** `runs` rounds of every variant (the order rotating from round to round). */
export async function runStorageBench(options: { url: string; runs: number; appends: number }, log: (run: StorageRun, round: number) => void): Promise<StorageRun[]> {
  const all: StorageRun[] = [];
  for (let round = 0; round < options.runs; round++) {
    const order = STORAGE_VARIANTS.map((_, i) => STORAGE_VARIANTS[(i + round) % STORAGE_VARIANTS.length]!);
    for (const variant of order) {
      const run =
        variant === 'sqlite normal' || variant === 'sqlite full'
          ? await sqliteRun(variant, options.appends)
          : await postgresRun(options.url, variant, options.appends);
      all.push(run);
      log(run, round);
    }
  }
  return all;
}
