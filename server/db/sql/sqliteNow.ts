import type { Statement } from 'better-sqlite3';
import type { z } from 'zod';
import type { Db } from '../database.ts';
import { checkRow, RowShapeError } from '../rows.ts';
import { compileFor } from './compile.ts';
import { statementsOf } from './sqliteSql.ts';
import type { Query } from './Sql.ts';

/**
 * Queries written for Sql, run synchronously on the SQLite connection: for a read or write moved
 * to Sql that still has a synchronous caller, such as a service writing inside its own
 * `db.transaction()` (decision 0011, "Order of the move"). The query's text is the one the Sql form
 * runs, so the two forms cannot drift apart; the synchronous one goes when its last caller has moved.
 */
export function rowsNow<S extends z.ZodType>(db: Db, shape: S, query: Query): Array<z.output<S>> {
  const { stmt, parameters } = statement(db, query);
  const rows: unknown[] = stmt.all(...parameters);
  return rows.map((row) => checkRow(stmt.source, shape, row));
}

/** The first row, checked; undefined when there is none. */
export function rowNow<S extends z.ZodType>(db: Db, shape: S, query: Query): z.output<S> | undefined {
  const { stmt, parameters } = statement(db, query);
  const row: unknown = stmt.get(...parameters);
  return row === undefined ? undefined : checkRow(stmt.source, shape, row);
}

/** The first row, checked; throws when there is none. */
export function theRowNow<S extends z.ZodType>(db: Db, shape: S, query: Query): z.output<S> {
  const row = rowNow(db, shape, query);
  if (row === undefined) throw new RowShapeError(compileFor('sqlite', query).sql, 'no row');
  return row;
}

/** Runs a statement that returns no rows. */
export function runNow(db: Db, query: Query): { changes: number } {
  const { stmt, parameters } = statement(db, query);
  return { changes: stmt.run(...parameters).changes };
}

function statement(db: Db, query: Query): { stmt: Statement; parameters: readonly unknown[] } {
  const { sql, parameters } = compileFor('sqlite', query);
  const cache = statementsOf(db);
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return { stmt, parameters };
}
