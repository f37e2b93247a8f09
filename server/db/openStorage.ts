import type { Logger } from 'pino';
import type pg from 'pg';
import type { Config } from '../config.ts';
import { sqliteDocumentLog } from '../storage/DocumentStore.ts';
import type { DocumentLog } from '../storage/documentLog.ts';
import { PgDocumentStore } from '../storage/postgres/PgDocumentStore.ts';
import { startCheckpointer } from './checkpointer.ts';
import { openDatabase, type Db } from './database.ts';
import { migratePostgres } from './postgres/migrate.ts';
import { createPostgresPool } from './postgres/pool.ts';
import { postgresSql } from './sql/postgresSql.ts';
import { sqliteSql } from './sql/sqliteSql.ts';
import type { Sql } from './sql/Sql.ts';

/**
 * Where Accord keeps its data, opened and migrated: SQLite's file in DATA_DIR (the default), or
 * PostgreSQL at DATABASE_URL. Everything reads and writes through `sql`; the sync server stores
 * live edits through `documentLog`, the same database's log.
 */
export interface Storage {
  engine: Sql['engine'];
  sql: Sql;
  documentLog: DocumentLog;
  /**
   * SQLite's connection, for what still takes it (fixtures of tests, benches). On PostgreSQL a
   * stand-in that refuses every use: data read there would silently be none of the plans.
   */
  db: Db;
  close(): Promise<void>;
}

export async function openStorage(config: Config, logger: Logger): Promise<Storage> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.databaseSchema, logger);
  const db = openDatabase(config.databaseFile, { synchronous: config.sqliteSynchronous });
  try {
    // Copying the write-ahead log back into the database happens on a thread of its own, not inside
    // whichever keystroke's commit crosses SQLite's threshold.
    const checkpointer =
      config.databaseFile === ':memory:' ? null : startCheckpointer(db, config.databaseFile, { synchronous: config.sqliteSynchronous, logger });
    return {
      engine: 'sqlite',
      sql: sqliteSql(db),
      documentLog: sqliteDocumentLog(db),
      db,
      async close() {
        await checkpointer?.stop();
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

async function openPostgres(url: string, schema: string | undefined, logger: Logger): Promise<Storage> {
  const pool: pg.Pool = createPostgresPool(url, schema === undefined ? {} : { schema });
  // A connection dropped by the server (a restart, a failover) is an error on the idle client:
  // the pool replaces it; unheard, it would stop the process.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'an idle PostgreSQL connection failed: the pool opens another'));
  try {
    const applied = await migratePostgres(pool);
    if (applied.length > 0) logger.info({ migrations: applied }, 'PostgreSQL schema migrated');
  } catch (err) {
    await pool.end();
    throw err;
  }
  return {
    engine: 'postgres',
    sql: postgresSql(pool),
    documentLog: new PgDocumentStore(pool),
    db: noSqliteHere(),
    close: () => pool.end(),
  };
}

/** A Db that throws on every use, naming what was asked for (see Storage.db). */
function noSqliteHere(): Db {
  return new Proxy({} as Db, {
    get(_target, property) {
      throw new Error(`SQLite's connection was used (${String(property)}) while Accord's data is in PostgreSQL (DATABASE_URL)`);
    },
  });
}
