import type { Statement } from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { LRUCache } from 'lru-cache';
import type { z } from 'zod';
import type { Db } from '../database.ts';
import { checkRow, RowShapeError } from '../rows.ts';
import { compileFor } from './compile.ts';
import type { Query, Sql, TransactionOptions } from './Sql.ts';

/** Raised when a transaction's work let a turn of the event loop pass (see Sql.transaction). */
export class TransactionSpannedTurnsError extends Error {
  constructor() {
    super(
      'A SQLite transaction stayed open across a turn of the event loop: its work awaited something other than its own queries. ' +
        'It was rolled back. Do that waiting before or after the transaction.',
    );
    this.name = 'TransactionSpannedTurnsError';
  }
}

/**
 * Raised when work inside a transaction queries through the connection's outer handle instead of
 * the `tx` it was given: that query would wait for the transaction to end, which waits for the
 * query, for ever.
 */
export class OuterHandleInTransactionError extends Error {
  constructor() {
    super('A query inside a SQLite transaction used the outer Sql handle: use the `tx` the transaction gave its work.');
    this.name = 'OuterHandleInTransactionError';
  }
}

/** The connection whose transaction the running work is inside, if any. */
const insideTransaction = new AsyncLocalStorage<Connection>();

/** What every handle on one SQLite connection shares. */
interface Connection {
  db: Db;
  /** Prepared statements by SQL text (statementsOf). */
  statements: LRUCache<string, Statement>;
  /** Settles when the transaction now open (if any) has ended; transactions take turns behind it. */
  tail: Promise<void>;
  open: boolean;
  /** What waits for the open transaction to commit. */
  committed: Array<() => void>;
}

/**
 * Sql on better-sqlite3. Statements run synchronously, so a promise returned here is already
 * settled: awaiting it takes a microtask, never a turn of the event loop. A transaction whose work
 * awaits only its queries therefore begins and commits in the turn that started it, as
 * `db.transaction()` did, and the code that still writes synchronously (the sync server's flush)
 * cannot run inside it. Should the work wait for anything else, the turn passes with the
 * transaction open: that is detected, and the transaction is rolled back with an error rather
 * than committed with whatever other code wrote meanwhile.
 */
export function sqliteSql(db: Db): Sql {
  let handle = handles.get(db);
  if (!handle) {
    const connection: Connection = { db, statements: statementsOf(db), tail: Promise.resolve(), open: false, committed: [] };
    handles.set(db, (handle = new SqliteSql(connection, false)));
  }
  return handle;
}

/**
 * Prepared statements of a connection by SQL text, shared by its Sql handle and the synchronous
 * forms (sqliteNow.ts), which run the same compiled texts. Bounded, as `IN` lists of every length
 * compile to new texts.
 */
export function statementsOf(db: Db): LRUCache<string, Statement> {
  let cache = statementCaches.get(db);
  if (!cache) statementCaches.set(db, (cache = new LRUCache({ max: 1000 })));
  return cache;
}

const statementCaches = new WeakMap<Db, LRUCache<string, Statement>>();

/** One handle per connection: transactions take turns only if everyone queues behind the same one. */
const handles = new WeakMap<Db, Sql>();

class SqliteSql implements Sql {
  readonly engine = 'sqlite' as const;

  constructor(
    private readonly connection: Connection,
    private readonly inTransaction: boolean,
  ) {}

  get source(): object {
    return this.connection.db;
  }

  afterCommit(then: () => void): void {
    if (this.inTransaction) this.connection.committed.push(then);
    else then();
  }

  async rows<S extends z.ZodType>(shape: S, query: Query): Promise<Array<z.output<S>>> {
    const { stmt, parameters } = await this.statement(query);
    const rows: unknown[] = stmt.all(...parameters);
    return rows.map((row) => checkRow(stmt.source, shape, row));
  }

  async row<S extends z.ZodType>(shape: S, query: Query): Promise<z.output<S> | undefined> {
    const { stmt, parameters } = await this.statement(query);
    const row: unknown = stmt.get(...parameters);
    return row === undefined ? undefined : checkRow(stmt.source, shape, row);
  }

  async theRow<S extends z.ZodType>(shape: S, query: Query): Promise<z.output<S>> {
    const row = await this.row(shape, query);
    if (row === undefined) throw new RowShapeError(compileFor('sqlite', query).sql, 'no row');
    return row;
  }

  async run(query: Query): Promise<{ changes: number }> {
    const { stmt, parameters } = await this.statement(query);
    return { changes: stmt.run(...parameters).changes };
  }

  // SQLite's transactions are snapshots already: `snapshot` matters on PostgreSQL only.
  transaction<T>(work: (tx: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.inTransaction) return work(this);
    const c = this.connection;
    if (insideTransaction.getStore() === c) return Promise.reject(new OuterHandleInTransactionError());
    const result = c.tail.then(() => this.runTransaction(work, options.write === true ? 'BEGIN IMMEDIATE' : 'BEGIN'));
    c.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async runTransaction<T>(work: (tx: Sql) => Promise<T>, begin: string): Promise<T> {
    const c = this.connection;
    let spannedTurns = false;
    const watch = setImmediate(() => {
      spannedTurns = true;
    });
    c.committed.length = 0;
    c.db.exec(begin);
    c.open = true;
    let result: T;
    try {
      result = await insideTransaction.run(c, () => work(new SqliteSql(c, true)));
      if (spannedTurns) throw new TransactionSpannedTurnsError();
      c.db.exec('COMMIT');
    } catch (error) {
      c.committed.length = 0;
      if (c.db.inTransaction) c.db.exec('ROLLBACK');
      throw spannedTurns && !(error instanceof TransactionSpannedTurnsError) ? new TransactionSpannedTurnsError() : error;
    } finally {
      c.open = false;
      clearImmediate(watch);
    }
    // Outside the try: what waits for the commit runs once it happened, and cannot undo it.
    for (const then of c.committed.splice(0)) then();
    return result;
  }

  /**
   * The prepared statement for `query`. A query from outside the transaction now open (another
   * chain of promises started in the same turn) waits for it to end, as it would have waited for
   * a synchronous transaction, instead of reading or writing inside it.
   */
  private async statement(query: Query): Promise<{ stmt: Statement; parameters: readonly unknown[] }> {
    if (!this.inTransaction && this.connection.open) {
      if (insideTransaction.getStore() === this.connection) throw new OuterHandleInTransactionError();
      await this.connection.tail;
    }
    const { sql, parameters } = compileFor('sqlite', query);
    let stmt = this.connection.statements.get(sql);
    if (!stmt) this.connection.statements.set(sql, (stmt = this.connection.db.prepare(sql)));
    return { stmt, parameters };
  }
}
