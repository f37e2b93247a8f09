/**
 * The database as a worker thread reaches it (exports, progress reports, import previews). A worker
 * cannot use the main thread's connection, so it is told where the services' data is and opens its
 * own: a read-only connection on SQLite's file, or a pool of one connection on the same PostgreSQL
 * database and schema. Either way it reads through Sql, so the worker has one code path for both
 * engines and reads what the services wrote, whichever engine they run on.
 */
import Database from 'better-sqlite3';
import { createPostgresPool, postgresAddressOf, type PostgresAddress } from '../postgres/pool.ts';
import { postgresSql } from './postgresSql.ts';
import type { Sql } from './Sql.ts';
import { sqliteSql } from './sqliteSql.ts';

/** Where a worker reads: plain data, passed in `workerData`. */
export type WorkerDatabase = { engine: 'sqlite'; file: string } | ({ engine: 'postgres' } & PostgresAddress);

/**
 * Where a worker finds the data `q` reads: SQLite's file (`databaseFile`, the file the server's
 * connection is opened on), or the address of `q`'s pool with its schema (search_path).
 */
export function workerDatabaseOf(q: Sql, databaseFile: string): WorkerDatabase {
  if (q.engine === 'sqlite') return { engine: 'sqlite', file: databaseFile };
  const address = postgresAddressOf(q.source);
  if (!address) throw new Error('A worker can reach PostgreSQL only through a pool made by createPostgresPool (its address is not known).');
  return { engine: 'postgres', ...address };
}

/**
 * Runs `work` on a connection of the worker's own and closes it when `work` settles. One
 * connection is enough on PostgreSQL: a worker reads in one transaction at a time, and on that
 * transaction's handle only (on SQLite, reading through the outer handle meanwhile is refused).
 */
export async function withWorkerSql<T>(where: WorkerDatabase, work: (q: Sql) => Promise<T>): Promise<T> {
  if (where.engine === 'sqlite') {
    const db = new Database(where.file, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      return await work(sqliteSql(db));
    } finally {
      db.close();
    }
  }
  const pool = createPostgresPool(where.url, { ...(where.schema !== undefined ? { schema: where.schema } : {}), max: 1 });
  try {
    return await work(postgresSql(pool));
  } finally {
    await pool.end();
  }
}
