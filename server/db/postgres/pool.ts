import { userInfo } from 'node:os';
import pg from 'pg';

/** PostgreSQL's type id of int8 (BIGINT, and what count(*) returns). */
const INT8 = 20;

/**
 * BIGINT read as a JavaScript number, as better-sqlite3 reads SQLite's 64-bit integers, so a row
 * has the same shape on both engines (server/db/rows.ts). node-postgres returns int8 as a string
 * by default because it can exceed 2^53; Accord's integers (counts, positions, seconds and
 * milliseconds, Yjs client ids) never come near it, and one that did is refused here rather than
 * rounded.
 */
function readInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`A BIGINT read from PostgreSQL (${text}) is beyond JavaScript's exact integers`);
  return value;
}

/** PostgreSQL's type id of NUMERIC: no Accord column has it, but sum() of a BIGINT and avg() return it. */
const NUMERIC = 1700;

/**
 * NUMERIC read as a JavaScript number, as SQLite returns sum() (an integer) and avg() (a real). An
 * integer beyond 2^53 is refused rather than rounded; a fraction is read as the nearest double,
 * as SQLite computes it.
 */
function readNumeric(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || (/^-?\d+$/.test(text) && !Number.isSafeInteger(value))) {
    throw new RangeError(`A NUMERIC read from PostgreSQL (${text}) is beyond JavaScript's exact numbers`);
  }
  return value;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary' && oid === INT8) return readInt8;
    if (format !== 'binary' && oid === NUMERIC) return readNumeric;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  /** Schema to work in (search_path), when not the database's default. */
  schema?: string;
  /** Connections the pool may open at once. */
  max?: number;
}

/**
 * A connection pool for `url` (postgres://…) whose rows read as SQLite's do. The schema, when given,
 * is set for every connection at its start, so every query and the migration runner see it.
 */
export function createPostgresPool(url: string, options: PostgresOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: withUser(url),
    types,
    ...(options.max !== undefined ? { max: options.max } : {}),
    ...(options.schema !== undefined ? { options: `-c search_path=${quoteIdentifier(options.schema)}` } : {}),
  });
  addresses.set(pool, { url, ...(options.schema !== undefined ? { schema: options.schema } : {}) });
  return pool;
}

/** Where a pool made here connects: enough to open another pool on the same database and schema. */
export interface PostgresAddress {
  url: string;
  schema?: string;
}

const addresses = new WeakMap<pg.Pool, PostgresAddress>();

/**
 * The address `pool` was made with (createPostgresPool), for a worker thread, which cannot share
 * the pool's connections and opens a small pool of its own on the same database and schema;
 * undefined for a pool made elsewhere.
 */
export function postgresAddressOf(pool: object): PostgresAddress | undefined {
  return addresses.get(pool as pg.Pool);
}

/**
 * The address with a user name: without one, the operating system's user name, as psql and libpq
 * take it ($PGUSER first). node-postgres would look only at $USER, which services and containers
 * often lack, and then send no user at all.
 */
function withUser(url: string): string {
  const address = new URL(url);
  if (address.username === '') address.username = encodeURIComponent(process.env.PGUSER ?? userInfo().username);
  return address.toString();
}

/** An identifier quoted for SQL ("a""b"), for names that cannot be query parameters. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
