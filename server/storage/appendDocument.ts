import { sql } from 'kysely';
import type { Sql } from '../db/sql/Sql.ts';
import { nowIso } from '../ids.ts';
import { bufferOf } from './documentLog.ts';
import { lockDocumentsIn } from './postgres/PgDocumentStore.ts';

/**
 * Takes a document's log for the rest of `tx`, as every writer of the log does first (appends,
 * compaction, a sign-off): on PostgreSQL the document's row (lockDocumentsIn); on SQLite the
 * transaction holds the database's write lock once it writes (BEGIN IMMEDIATE from the start,
 * where several processes share the file), so nothing is taken here.
 */
export async function lockDocumentFor(tx: Sql, name: string): Promise<void> {
  if (tx.engine === 'postgres') await lockDocumentsIn(tx, [name]);
}

/**
 * Appends one update to a document's log in `tx` (a server edit stored with its records). The next
 * sequence number is read from the end of the document's own range of the key: correct because
 * the log is taken (lockDocumentFor) before.
 */
export async function appendDocumentUpdate(tx: Sql, name: string, update: Uint8Array): Promise<void> {
  await tx.run(
    sql`INSERT INTO document_updates (document_name, seq, data, created_at)
        VALUES (${name}, (SELECT coalesce(max(seq), 0) + 1 FROM document_updates WHERE document_name = ${name}), ${bufferOf(update)}, ${nowIso()})`,
  );
}
