import { sql } from 'kysely';
import type { TestServer } from './server.ts';

/**
 * The documents' tables refuse writes from now on (as with a full disk), or accept them again:
 * SQLite's connection turns query-only; on PostgreSQL a trigger on each table raises.
 */
export async function refuseDocumentWrites(s: TestServer, refuse: boolean): Promise<void> {
  if (s.sql.engine === 'sqlite') {
    s.db.pragma(`query_only = ${refuse ? 'ON' : 'OFF'}`);
    return;
  }
  const tables = ['documents', 'document_updates', 'document_clients'];
  if (refuse) {
    await s.sql.run(sql`CREATE FUNCTION refuse_writes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no space left on device'; END $$`);
    for (const t of tables) {
      await s.sql.run(sql`CREATE TRIGGER refuse_writes BEFORE INSERT OR UPDATE OR DELETE ON ${sql.id(t)} FOR EACH STATEMENT EXECUTE FUNCTION refuse_writes()`);
    }
  } else {
    for (const t of tables) await s.sql.run(sql`DROP TRIGGER refuse_writes ON ${sql.id(t)}`);
    await s.sql.run(sql`DROP FUNCTION refuse_writes()`);
  }
}

/** The function PostgreSQL's refusing triggers call: it fails the statement as a failing disk would. Made in the server's own schema. */
const pgRefusal = sql`CREATE OR REPLACE FUNCTION test_refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'disk I/O error (test)'; END $$`;

/**
 * One table refuses new rows from now on (a trigger; on SQLite a temporary one, on the server's
 * connection only), until the returned function is called.
 */
export async function refuseInserts(s: TestServer, table: string): Promise<() => Promise<void>> {
  const name = `test_refuse_${table}`;
  if (s.sql.engine === 'postgres') {
    await s.sql.run(pgRefusal);
    await s.sql.run(sql`CREATE TRIGGER ${sql.id(name)} BEFORE INSERT ON ${sql.id(table)} FOR EACH ROW EXECUTE FUNCTION test_refuse_write()`);
    return async () => void (await s.sql.run(sql`DROP TRIGGER ${sql.id(name)} ON ${sql.id(table)}`));
  }
  s.db.exec(`CREATE TEMP TRIGGER ${name} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END`);
  return async () => void s.db.exec(`DROP TRIGGER temp.${name}`);
}

/** One statement run on every table of the PostgreSQL schema the server works in (`%I` is the table). */
const onEveryTable = (statement: string) => sql`DO $$ DECLARE t text; BEGIN
  FOR t IN SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' LOOP
    EXECUTE format(${sql.lit(statement)}, t);
  END LOOP; END $$`;

/** The whole database refuses every write from now on, until the returned function is called. */
export async function refuseAllWrites(s: TestServer): Promise<() => Promise<void>> {
  if (s.sql.engine === 'postgres') {
    // A read-only mode would have to be set on every connection of the pool, or on the whole
    // database other test servers share: a trigger on each of this server's tables refuses as well.
    await s.sql.run(pgRefusal);
    await s.sql.run(onEveryTable('CREATE TRIGGER test_refuse_all BEFORE INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT EXECUTE FUNCTION test_refuse_write()'));
    return async () => void (await s.sql.run(onEveryTable('DROP TRIGGER test_refuse_all ON %I')));
  }
  s.db.pragma('query_only = ON');
  return async () => void s.db.pragma('query_only = OFF');
}
