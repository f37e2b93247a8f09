import { sql } from 'kysely';
import * as Y from 'yjs';
import type { Sql } from '../db/sql/Sql.ts';
import { nowIso } from '../ids.ts';
import { DOC_SCHEMA_VERSION } from '../../shared/doc/schema.ts';
import { bufferOf } from './documentLog.ts';

/**
 * Records that a document exists, with optional seed content built on a fresh Y.Doc: the rows the
 * stores' `create` writes, through Sql, so the document commits or rolls back with the transaction
 * creating what it belongs to (a section) on either engine. Appending to a log stays with the
 * stores, which lock it; a new document's log needs no lock, as nobody can see it before the commit.
 */
export async function createStoredDocument(tx: Sql, name: string, seed?: (doc: Y.Doc) => void): Promise<void> {
  await tx.run(sql`INSERT INTO documents (name, schema_version, created_at) VALUES (${name}, ${DOC_SCHEMA_VERSION}, ${nowIso()})`);
  if (!seed) return;
  const doc = new Y.Doc();
  let update: Uint8Array;
  try {
    seed(doc);
    update = Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
  await tx.run(sql`INSERT INTO document_updates (document_name, seq, data, created_at) VALUES (${name}, 1, ${bufferOf(update)}, ${nowIso()})`);
}
