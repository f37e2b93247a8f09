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
