import type { Statement } from 'better-sqlite3';
import { z } from 'zod';

/**
 * Rows read from the database are checked against the shape the code expects, never cast: a
 * migration that renames a column, a NULL where none was expected or a query that selects the
 * wrong thing fails here, naming the query, instead of travelling on as a wrongly typed value.
 *
 * Shapes are zod schemas of the row as SQLite returns it (numbers, strings, nulls, buffers).
 * Shared ones live beside their service; `rowShape` builds the plain ones inline.
 */

export class RowShapeError extends Error {
  constructor(sql: string, issues: string) {
    super(`A row read by "${sql.replace(/\s+/g, ' ').trim().slice(0, 160)}" is not of the expected shape: ${issues}`);
    this.name = 'RowShapeError';
  }
}

function check<S extends z.ZodType>(stmt: Statement, shape: S, row: unknown): z.output<S> {
  return checkRow(stmt.source, shape, row);
}

/**
 * One row read by `sql`, checked against `shape`. For drivers other than better-sqlite3 (the
 * PostgreSQL pool returns rows as untyped objects): server/db/postgres/query.ts reads through it.
 */
export function checkRow<S extends z.ZodType>(sql: string, shape: S, row: unknown): z.output<S> {
  const result = shape.safeParse(row);
  if (!result.success) throw new RowShapeError(sql, z.prettifyError(result.error));
  return result.data;
}

/** The first row of `stmt` with these parameters, checked; undefined when there is none. */
export function oneRow<S extends z.ZodType>(stmt: Statement, shape: S, ...params: unknown[]): z.output<S> | undefined {
  const row: unknown = stmt.get(...params);
  return row === undefined ? undefined : check(stmt, shape, row);
}

/** The first row of `stmt`, checked; throws when there is none (for rows the caller knows exist). */
export function theRow<S extends z.ZodType>(stmt: Statement, shape: S, ...params: unknown[]): z.output<S> {
  const row = oneRow(stmt, shape, ...params);
  if (row === undefined) throw new RowShapeError(stmt.source, 'no row');
  return row;
}

/** Every row of `stmt` with these parameters, checked. */
export function allRows<S extends z.ZodType>(stmt: Statement, shape: S, ...params: unknown[]): Array<z.output<S>> {
  const rows: unknown[] = stmt.all(...params);
  return rows.map((row) => check(stmt, shape, row));
}

/** A single value (the first column of the first row), e.g. a count. */
export function scalar<S extends z.ZodType>(stmt: Statement, shape: S, ...params: unknown[]): z.output<S> | undefined {
  let row: unknown;
  try {
    row = stmt.raw(true).get(...params);
  } finally {
    stmt.raw(false);
  }
  if (row === undefined) return undefined;
  if (!Array.isArray(row)) throw new RowShapeError(stmt.source, 'not a row');
  return check(stmt, shape, row[0]);
}

/** Columns SQLite returns, for building row shapes. */
export const col = {
  text: z.string(),
  int: z.number().int(),
  num: z.number(),
  /** 0/1 as SQLite stores a boolean. */
  bool: z.union([z.literal(0), z.literal(1)]).transform((v) => v === 1),
  blob: z.instanceof(Uint8Array),
  nullableText: z.string().nullable(),
  nullableInt: z.number().int().nullable(),
  nullableNum: z.number().nullable(),
} as const;

/** A row shape from its columns (an object schema that keeps only these columns). */
export const rowShape = z.object;
