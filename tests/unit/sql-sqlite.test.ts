import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.ts';
import { col, rowShape } from '../../server/db/rows.ts';
import { OuterHandleInTransactionError, sqliteSql, TransactionSpannedTurnsError } from '../../server/db/sql/sqliteSql.ts';

/**
 * Sql on SQLite keeps what synchronous better-sqlite3 guaranteed: a transaction runs in the turn
 * that began it, so the code that still writes synchronously cannot land inside it; one that
 * waits for anything else is refused and rolled back, never committed with others' writes.
 */
let db: Db;
const Name = rowShape({ name: col.text });
const names = async () => (await sqliteSql(db).rows(Name, sql`SELECT name FROM t ORDER BY name`)).map((r) => r.name);

beforeEach(() => {
  db = new Database(':memory:');
  db.exec('CREATE TABLE t (name TEXT PRIMARY KEY)');
});
afterEach(() => db.close());

describe('Sql on SQLite', () => {
  it('binds parameters and checks rows against their shape', async () => {
    const q = sqliteSql(db);
    expect(await q.run(sql`INSERT INTO t (name) VALUES (${'Ірына'}), (${"O'Brien"})`)).toEqual({ changes: 2 });
    expect(await q.row(Name, sql`SELECT name FROM t WHERE name = ${"O'Brien"}`)).toEqual({ name: "O'Brien" });
    expect(await q.row(Name, sql`SELECT name FROM t WHERE name = ${'nobody'}`)).toBeUndefined();
    await expect(q.theRow(Name, sql`SELECT name FROM t WHERE name = ${'nobody'}`)).rejects.toThrow(/no row/);
    await expect(q.rows(rowShape({ name: col.int }), sql`SELECT name FROM t`)).rejects.toThrow(/not of the expected shape/);
  });

  it('commits a transaction, and rolls all of it back when its work throws', async () => {
    const q = sqliteSql(db);
    await q.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO t (name) VALUES (${'a'})`);
      await tx.run(sql`INSERT INTO t (name) VALUES (${'b'})`);
    });
    await expect(
      q.transaction(async (tx) => {
        await tx.run(sql`INSERT INTO t (name) VALUES (${'c'})`);
        await tx.transaction(async (inner) => inner.run(sql`INSERT INTO t (name) VALUES (${'d'})`));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await names()).toEqual(['a', 'b']);
  });

  it('runs a transaction in the turn that began it: synchronous writers cannot land inside', async () => {
    const q = sqliteSql(db);
    let interloperRan = false;
    // A write queued for the next turn, as a WebSocket message's synchronous flush would be.
    setImmediate(() => {
      interloperRan = true;
      db.prepare("INSERT INTO t (name) VALUES ('interloper')").run();
    });
    await q.transaction(async (tx) => {
      for (let i = 0; i < 50; i++) await tx.run(sql`INSERT INTO t (name) VALUES (${`n${String(i).padStart(2, '0')}`})`);
      expect(interloperRan).toBe(false);
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(interloperRan).toBe(true);
    expect(await names()).toHaveLength(51);
  });

  it('refuses and rolls back a transaction whose work waited for a turn of the event loop', async () => {
    const q = sqliteSql(db);
    await expect(
      q.transaction(async (tx) => {
        await tx.run(sql`INSERT INTO t (name) VALUES (${'kept?'})`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await tx.run(sql`INSERT INTO t (name) VALUES (${'after the wait'})`);
      }),
    ).rejects.toBeInstanceOf(TransactionSpannedTurnsError);
    expect(await names()).toEqual([]);
    // The connection is usable afterwards.
    await q.run(sql`INSERT INTO t (name) VALUES (${'next'})`);
    expect(await names()).toEqual(['next']);
  });

  it('lets transactions started together take turns, and a query from outside wait for the open one', async () => {
    const q = sqliteSql(db);
    const seen: string[] = [];
    const one = q.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO t (name) VALUES (${'one'})`);
      await tx.run(sql`INSERT INTO t (name) VALUES (${'one-b'})`);
      throw new Error('one fails');
    });
    const two = q.transaction(async (tx) => {
      seen.push(...(await tx.rows(Name, sql`SELECT name FROM t`)).map((r) => r.name));
      await tx.run(sql`INSERT INTO t (name) VALUES (${'two'})`);
    });
    const outside = (async () => {
      await Promise.resolve();
      return (await q.rows(Name, sql`SELECT name FROM t`)).map((r) => r.name);
    })();
    const [r1, r2, r3] = await Promise.allSettled([one, two, outside]);
    expect(r1.status).toBe('rejected');
    expect(r2.status).toBe('fulfilled');
    // The second saw nothing of the first, which rolled back; the outside read did not read inside it.
    expect(seen).toEqual([]);
    expect(r3.status === 'fulfilled' && r3.value.includes('one')).toBe(false);
    expect(await names()).toEqual(['two']);
  });

  it('refuses, rather than waits for ever, a query or transaction inside a transaction through the outer handle', async () => {
    const q = sqliteSql(db);
    await expect(
      q.transaction(async (tx) => {
        await tx.run(sql`INSERT INTO t (name) VALUES (${'inside'})`);
        await q.rows(Name, sql`SELECT name FROM t`);
      }),
    ).rejects.toBeInstanceOf(OuterHandleInTransactionError);
    await expect(
      q.transaction(async () => {
        await q.transaction(async (inner) => inner.run(sql`INSERT INTO t (name) VALUES (${'nested'})`));
      }),
    ).rejects.toBeInstanceOf(OuterHandleInTransactionError);
    // Both rolled back; the connection works on.
    expect(await names()).toEqual([]);
    await q.run(sql`INSERT INTO t (name) VALUES (${'after'})`);
    expect(await names()).toEqual(['after']);
  });

  it('runs what waits for the commit once it happened, and nothing of a transaction rolled back', async () => {
    const q = sqliteSql(db);
    const heard: string[] = [];
    await q.transaction(async (tx) => {
      await tx.run(sql`INSERT INTO t (name) VALUES (${'kept'})`);
      tx.afterCommit(() => heard.push(`kept, stored: ${db.prepare('SELECT count(*) AS n FROM t').pluck().get()}`));
      expect(heard).toEqual([]);
    });
    expect(heard).toEqual(['kept, stored: 1']);
    await expect(
      q.transaction(async (tx) => {
        await tx.run(sql`INSERT INTO t (name) VALUES (${'lost'})`);
        tx.afterCommit(() => heard.push('lost'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await q.transaction(async (tx) => tx.run(sql`INSERT INTO t (name) VALUES (${'next'})`));
    // Outside a transaction there is nothing to wait for.
    q.afterCommit(() => heard.push('at once'));
    expect(heard).toEqual(['kept, stored: 1', 'at once']);
    expect(q.source).toBe(db);
  });

  it('takes the write lock at BEGIN when the work writes after what it reads: another process sharing the file cannot commit in between', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-sql-'));
    const file = join(dir, 'shared.db');
    const mine = new Database(file);
    const theirs = new Database(file);
    try {
      mine.pragma('journal_mode = WAL');
      mine.exec('CREATE TABLE t (name TEXT PRIMARY KEY)');
      theirs.pragma('busy_timeout = 0');
      const theirWrite = () => theirs.prepare("INSERT INTO t (name) VALUES ('theirs')").run();
      await sqliteSql(mine).transaction(async (tx) => {
        expect(theirWrite).toThrow(/locked|busy/i);
        await tx.run(sql`INSERT INTO t (name) VALUES (${'mine'})`);
      }, { write: true });
      // Without it, the lock waits for the first write: another process commits before the reads.
      await sqliteSql(mine).transaction(async () => {
        expect(theirWrite).not.toThrow();
      });
    } finally {
      mine.close();
      theirs.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
