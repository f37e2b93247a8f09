import type pg from 'pg';
import type { z } from 'zod';
import { checkRow, RowShapeError } from '../rows.ts';

/** Where a query runs: the pool (a connection of its own, autocommit) or one connection in a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/**
 * Every row `sql` returns, checked against `shape` (server/db/rows.ts): PostgreSQL's rows are
 * untyped objects, so they are parsed, never cast, as SQLite's are.
 */
export async function queryRows<S extends z.ZodType>(on: Queryable, shape: S, sql: string, params: unknown[] = []): Promise<Array<z.output<S>>> {
  const result = await on.query(sql, params);
  return result.rows.map((row: unknown) => checkRow(sql, shape, row));
}

/** The first row of `sql`, checked; throws when there is none (for rows the caller knows exist). */
export async function queryTheRow<S extends z.ZodType>(on: Queryable, shape: S, sql: string, params: unknown[] = []): Promise<z.output<S>> {
  const [row] = await queryRows(on, shape, sql, params);
  if (row === undefined) throw new RowShapeError(sql, 'no row');
  return row;
}

/**
 * Runs `work` on one connection of `pool` inside BEGIN (or `begin`, e.g. with an isolation level) … COMMIT, and gives the connection back.
 * Whatever `work` throws rolls everything back and is rethrown. A connection whose ROLLBACK fails
 * is closed rather than given back, which ends its transaction too.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let result: T;
  try {
    await client.query(begin);
    result = await work(client);
    await client.query('COMMIT');
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch {
      client.release(true);
    }
    throw error;
  }
  client.release();
  return result;
}
