import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { giveWay, startCheckpointer, type Checkpointer, type CheckpointResult } from '../../server/db/checkpointer.ts';

/** Pages the write-ahead log file has held at most (it is reused from its start, never shrunk). */
function walPages(file: string): number {
  return Math.floor(statSync(`${file}-wal`).size / 4096);
}

describe('WAL checkpoints off the event loop', () => {
  let dir: string;
  let db: Db | null = null;
  let checkpointer: Checkpointer | null = null;

  afterEach(async () => {
    await checkpointer?.stop();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
    checkpointer = null;
    db = null;
  });

  const open = () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-checkpoint-'));
    const file = join(dir, 'accord.sqlite');
    db = openDatabase(file);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    return { db, file };
  };

  const write = (db: Db, rows: number) => {
    const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
    // One commit per row, as typing makes them.
    for (let i = 0; i < rows; i++) insert.run('x'.repeat(2000));
  };

  it('leaves the main connection a backstop only, and copies the WAL from its own thread', async () => {
    const { db, file } = open();
    checkpointer = startCheckpointer(db, file, { tickMs: 60_000 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    // More than SQLite's own threshold (1,000 pages): the main connection has not checkpointed.
    write(db, 2_500);
    expect(walPages(file)).toBeGreaterThan(2_000);

    const result = await checkpointer.checkpoint();
    expect(result).not.toBeNull();
    expect(result!.log).toBeGreaterThan(1_000);
    expect(result!.checkpointed).toBe(result!.log);
    // Caught up: the next commits restart the log from its beginning instead of growing it.
    const pages = walPages(file);
    write(db, 100);
    expect(walPages(file)).toBe(pages);
  });

  it('checkpoints by itself once enough rows have changed', async () => {
    const { db, file } = open();
    const seen: CheckpointResult[] = [];
    checkpointer = startCheckpointer(db, file, { tickMs: 10, changes: 50, onCheckpoint: (r) => seen.push(r) });
    write(db, 10);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Ten changes are fewer than asked for: no worker yet.
    expect(seen).toHaveLength(0);
    write(db, 100);
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(seen[0]!.checkpointed).toBe(seen[0]!.log);
    // What was written keeps being readable and writable from the main connection meanwhile.
    write(db, 5);
    expect(db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 115 });
  });

  it('hands checkpoints back to the main connection when its thread cannot run them', async () => {
    const { db } = open();
    // The worker opens the file by name: one that is not there fails it at once.
    checkpointer = startCheckpointer(db, join(dir, 'gone.sqlite'), { tickMs: 60_000 });
    expect(await checkpointer.checkpoint()).toBeNull();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    // And it does not try again.
    expect(await checkpointer.checkpoint()).toBeNull();
  });

  it('keeps restarting the log under a long writer that gives way, while others commit during its checkpoints', async () => {
    const { db, file } = open();
    const seen: CheckpointResult[] = [];
    // No backstop and no ticks: only giveWay checkpoints, so the log's size shows whether it restarts.
    checkpointer = startCheckpointer(db, file, { tickMs: 60_000, backstopPages: 1_000_000, giveWayMs: 20, onCheckpoint: (r) => seen.push(r) });
    // Someone else commits a row every millisecond the event loop is free: during every checkpoint.
    const other = db.prepare("INSERT INTO notes (body) VALUES ('typed')");
    const typing = setInterval(() => other.run(), 1);
    const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
    const chunk = db.transaction(() => {
      for (let i = 0; i < 40; i++) insert.run('x'.repeat(3000));
    });
    try {
      // About 6,000 pages in 150 short transactions, as an import writes them, and on until the
      // writer has given way to at least 8 checkpoints: on a fast machine 150 chunks took only 4,
      // too few to tell a log that restarts from one that only grows.
      for (let i = 0; i < 150 || (seen.length < 8 && i < 3000); i++) {
        chunk();
        await giveWay(db);
      }
    } finally {
      clearInterval(typing);
    }
    // A log that never restarts only grows, to the 6,000 pages written (and, in a server, to the
    // backstop, whose checkpoint runs on the event loop). Each restart shows as a smaller log.
    const restarts = seen.filter((r, i) => i > 0 && r.log < seen[i - 1]!.log).length;
    expect(restarts).toBeGreaterThanOrEqual(3);
  });

  it('lets what arrived during a long writer\'s transaction go before its next one', async () => {
    const { db } = open();
    const order: string[] = [];
    // An import's transactions run from the event loop's check phase (after its first pause): so here.
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 3; i++) {
      order.push(`write ${i}`);
      // A message that arrives while the transaction runs is read in the next turn, and its own work
      // (a keystroke's store) queued for the turn after.
      setTimeout(() => setImmediate(() => order.push(`other ${i}`)), 0);
      const until = performance.now() + 3;
      while (performance.now() < until);
      await giveWay(db);
    }
    expect(order).toEqual(['write 0', 'other 0', 'write 1', 'other 1', 'write 2', 'other 2']);
  });
});
