import type { z } from 'zod';
import type { Db } from '../database.ts';
import type { Query, Sql } from './Sql.ts';
import { rowNow, rowsNow, runNow, theRowNow } from './sqliteNow.ts';

/**
 * Work written once that runs in both forms decision 0011 needs while callers remain synchronous:
 * on Sql (either engine, awaited) and synchronously on SQLite's connection, for a service still
 * inside its own `db.transaction()`. Where a service's twin would repeat many lines of logic (the
 * action and indicator edits, their histories, a version's restore), the work is a generator that
 * yields each step and gets its answer back; `stepsOn(q, work)` and `stepsNow(db, work)` answer
 * the steps through the one form or the other. A step is a query (the same compiled text on both
 * forms) or a call of a function that has both forms (recordChange / recordChangeNow…).
 *
 * `stepsOn` awaits nothing but the steps' own `on(q)`: inside `q.transaction`, on its `tx`, the
 * rule of decision 0011 holds as long as each `on` awaits only `tx`.
 */
export interface Step<T> {
  now(db: Db): T;
  on(q: Sql): Promise<T>;
}

/** Work yielding steps and returning T; each `yield` gets the step's answer back. */
export type Steps<T> = Generator<Step<void>, T, void>;

/** One step inside a generator: `const x = yield* step({ now, on })`. */
export function* step<T>(s: Step<T>): Steps<T> {
  const answer: T[] = [];
  yield {
    now: (db) => {
      answer.push(s.now(db));
    },
    on: async (q) => {
      answer.push(await s.on(q));
    },
  };
  if (answer.length !== 1) throw new Error('A step was not answered');
  return answer[0]!;
}

export const rows = <S extends z.ZodType>(shape: S, query: Query): Steps<Array<z.output<S>>> =>
  step({ now: (db) => rowsNow(db, shape, query), on: (q) => q.rows(shape, query) });
export const row = <S extends z.ZodType>(shape: S, query: Query): Steps<z.output<S> | undefined> =>
  step({ now: (db) => rowNow(db, shape, query), on: (q) => q.row(shape, query) });
export const theRow = <S extends z.ZodType>(shape: S, query: Query): Steps<z.output<S>> =>
  step({ now: (db) => theRowNow(db, shape, query), on: (q) => q.theRow(shape, query) });
export const run = (query: Query): Steps<{ changes: number }> => step({ now: (db) => runNow(db, query), on: (q) => q.run(query) });

/** Which engine the steps run on: the synchronous form is SQLite's. */
export const engine = (): Steps<'sqlite' | 'postgres'> => step({ now: () => 'sqlite' as const, on: async (q) => q.engine });

/** Runs the work synchronously on SQLite's connection (a step that throws is thrown into the work). */
export function stepsNow<T>(db: Db, work: Steps<T>): T {
  let next = work.next();
  while (!next.done) {
    try {
      next.value.now(db);
    } catch (error) {
      next = work.throw(error);
      continue;
    }
    next = work.next();
  }
  return next.value;
}

/** Runs the work on Sql, awaiting each step on `q` only. */
export async function stepsOn<T>(q: Sql, work: Steps<T>): Promise<T> {
  let next = work.next();
  while (!next.done) {
    try {
      await next.value.on(q);
    } catch (error) {
      next = work.throw(error);
      continue;
    }
    next = work.next();
  }
  return next.value;
}

/** The work in one transaction of its own (joining the caller's on SQLite, as db.transaction() does). */
export const inTransactionNow = <T>(db: Db, work: () => Steps<T>): T => db.transaction(() => stepsNow(db, work()))();
export const inTransaction = <T>(q: Sql, work: () => Steps<T>): Promise<T> => q.transaction((tx) => stepsOn(tx, work()));
