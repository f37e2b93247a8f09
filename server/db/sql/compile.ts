import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
} from 'kysely';
import type { Engine, Query } from './Sql.ts';

/**
 * Kysely builds and compiles queries only; Accord runs them itself (better-sqlite3 synchronously,
 * node-postgres through its pool), so the transaction rules of Sql.ts are Accord's own and
 * SQLite's statements are cached prepared statements. The DummyDriver is Kysely's way of
 * compiling without a connection.
 */
const compilers: Record<Engine, Kysely<unknown>> = {
  sqlite: new Kysely<unknown>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  postgres: new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
};

/** The query's SQL text and parameters as `engine` takes them. */
export function compileFor(engine: Engine, query: Query): CompiledQuery<unknown> {
  return query.compile(compilers[engine]);
}
