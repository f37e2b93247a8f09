import type { CompiledQuery, QueryExecutorProvider } from 'kysely';
import type { z } from 'zod';

/**
 * The one way services reach the database on either engine (decision 0011): SQLite, the default,
 * or PostgreSQL for deployments with several servers (DATABASE_URL).
 *
 * Queries are written once with Kysely's `sql` tag (or its query builder) and compiled by the
 * engine's dialect, so `?` and `$1` placeholders, identifier quoting and parameters never show in
 * a service. What the two engines spell differently (a boolean as a number, case-insensitive
 * ordering, the elements of a JSON array) is written through `server/db/sql/portable.ts`.
 *
 * Every row is checked against its shape (server/db/rows.ts), whichever engine returned it.
 */
export type Engine = 'sqlite' | 'postgres';

/** A query Kysely can compile for an engine: `sql\`…\`` or a query builder. */
export interface Query {
  compile(executorProvider: QueryExecutorProvider): CompiledQuery<unknown>;
}

export interface Sql {
  readonly engine: Engine;
  /**
   * The database this handle and every transaction handle it gives reach: the SQLite connection
   * or the PostgreSQL pool. Lets per-database state (listeners, caches) be shared by the handles
   * of one database and the synchronous code that still holds the connection itself.
   */
  readonly source: object;
  /** Every row the query returns, each checked against `shape`. */
  rows<S extends z.ZodType>(shape: S, query: Query): Promise<Array<z.output<S>>>;
  /** The first row, checked; undefined when there is none. */
  row<S extends z.ZodType>(shape: S, query: Query): Promise<z.output<S> | undefined>;
  /** The first row, checked; throws when there is none (for rows the caller knows exist). */
  theRow<S extends z.ZodType>(shape: S, query: Query): Promise<z.output<S>>;
  /** Runs a statement that returns no rows; `changes` counts the rows it inserted, updated or deleted. */
  run(query: Query): Promise<{ changes: number }>;
  /**
   * Runs `work` in one transaction on this engine and commits what it did, or rolls all of it
   * back when it throws. `work` must use the `tx` it is given, and await nothing but `tx`'s own
   * queries: on SQLite the whole transaction then runs in one turn of the event loop, as every
   * transaction did when the services were synchronous, and nothing else can write in between
   * (sqliteSql.ts refuses a transaction that let a turn pass). On PostgreSQL `tx` is one
   * connection of the pool, inside BEGIN … COMMIT.
   *
   * A transaction begun on a `tx` joins the one already open: its work commits or rolls back with it.
   */
  transaction<T>(work: (tx: Sql) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs `then` once what this handle wrote is committed: after COMMIT on a transaction's handle
   * (never, if it rolls back), at once outside a transaction. For news of a write (a notice to
   * e-mail, an event for other processes) that must not be read before the write is visible.
   */
  afterCommit(then: () => void): void;
}

export interface TransactionOptions {
  /**
   * Only reads, all from one moment: several queries that must add up (totals beside their
   * parts). SQLite's transactions are that already; PostgreSQL's READ COMMITTED lets each statement
   * see what committed since the last, so this asks for REPEATABLE READ READ ONLY there.
   */
  snapshot?: boolean;
  /**
   * The work decides on what it reads, then writes (a sign-off: the stored text, then the
   * signature). Several processes may share one SQLite file (REDIS_URL): there the write lock is
   * taken at BEGIN (BEGIN IMMEDIATE), so none of them commits between the reads and the writes.
   * PostgreSQL ignores it: the work locks the rows it decides on (lockDocuments, FOR NO KEY UPDATE).
   */
  write?: boolean;
}
