import type { z } from 'zod';
import type { Db } from '../database.ts';
import { allRows } from '../rows.ts';
import { compileFor } from './compile.ts';
import type { Query } from './Sql.ts';

/**
 * A query written for Sql, run synchronously on the SQLite connection: for a read moved to Sql
 * that still has a synchronous caller, such as a service reading inside its own `db.transaction()`
 * (decision 0011, "Order of the move"). The query's text is the one the Sql read runs, so the two
 * forms cannot drift apart; the synchronous one goes when its last caller has moved.
 */
export function rowsNow<S extends z.ZodType>(db: Db, shape: S, query: Query): Array<z.output<S>> {
  const { sql, parameters } = compileFor('sqlite', query);
  return allRows(db.prepare(sql), shape, ...parameters);
}
