import type pg from 'pg';
import type { z } from 'zod';
import { checkRow, RowShapeError } from '../rows.ts';
import { inTransaction, type Queryable } from '../postgres/query.ts';
import { compileFor } from './compile.ts';
import type { Query, Sql, TransactionOptions } from './Sql.ts';

/**
 * Sql on a node-postgres pool. Outside a transaction each query takes any connection of the pool;
 * a transaction holds one connection from BEGIN to COMMIT (server/db/postgres/query.ts), at READ
 * COMMITTED: where a rule needs "one at a time" across processes, the transaction takes a row lock
 * (as PgDocumentStore's `lockDocuments` does) rather than relying on one process's turn.
 */
export function postgresSql(pool: pg.Pool): Sql {
  return new PostgresSql(pool, pool, false);
}

/**
 * Sql on one connection already inside a transaction that its owner begins and commits (the
 * document log's appends: PgDocumentStore): queries run there; `afterCommit` work is not run by
 * this handle, so nothing given one may rely on it.
 */
export function postgresSqlInTransaction(pool: pg.Pool, client: pg.PoolClient): Sql {
  return new PostgresSql(pool, client, true);
}

class PostgresSql implements Sql {
  readonly engine = 'postgres' as const;

  constructor(
    private readonly pool: pg.Pool,
    private readonly on: Queryable,
    private readonly inTransaction: boolean,
    /** What waits for this transaction to commit (a transaction's handle only). */
    private readonly committed: Array<() => void> = [],
  ) {}

  get source(): object {
    return this.pool;
  }

  afterCommit(then: () => void): void {
    if (this.inTransaction) this.committed.push(then);
    else then();
  }

  private async query(query: Query): Promise<{ sql: string; result: pg.QueryResult }> {
    const { sql, parameters } = compileFor('postgres', query);
    return { sql, result: await this.on.query(sql, [...parameters]) };
  }

  async rows<S extends z.ZodType>(shape: S, query: Query): Promise<Array<z.output<S>>> {
    const { sql, result } = await this.query(query);
    return result.rows.map((row: unknown) => checkRow(sql, shape, row));
  }

  async row<S extends z.ZodType>(shape: S, query: Query): Promise<z.output<S> | undefined> {
    const { sql, result } = await this.query(query);
    const first: unknown = result.rows[0];
    return first === undefined ? undefined : checkRow(sql, shape, first);
  }

  async theRow<S extends z.ZodType>(shape: S, query: Query): Promise<z.output<S>> {
    const row = await this.row(shape, query);
    if (row === undefined) throw new RowShapeError(compileFor('postgres', query).sql, 'no row');
    return row;
  }

  async run(query: Query): Promise<{ changes: number }> {
    const { result } = await this.query(query);
    return { changes: result.rowCount ?? 0 };
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.inTransaction) return work(this);
    const begin = options.snapshot === true ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN';
    const committed: Array<() => void> = [];
    const result = await inTransaction(this.pool, (client) => work(new PostgresSql(this.pool, client, true, committed)), begin);
    for (const then of committed) then();
    return result;
  }
}
