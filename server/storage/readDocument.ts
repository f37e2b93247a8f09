import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { bytesOf, type StoredDocument } from './documentLog.ts';

const LogRow = rowShape({ data: col.blob.nullable() });

/**
 * A document's stored updates read through Sql, for readers that gather a plan in one
 * transaction on either engine (the exports' plan model, the public record's snapshot): the
 * query PgDocumentStore.load runs, so the document and its log are one statement; null when the
 * document does not exist. Writing the log stays with the stores.
 */
export async function readStoredDocument(q: Sql, name: string): Promise<StoredDocument | null> {
  const rows = await q.rows(
    LogRow,
    sql`SELECT u.data FROM documents d LEFT JOIN document_updates u ON u.document_name = d.name WHERE d.name = ${name} ORDER BY u.seq`,
  );
  if (rows.length === 0) return null;
  return { updates: rows.flatMap((r) => (r.data === null ? [] : [bytesOf(r.data)])) };
}
