import * as Y from 'yjs';
import type { Db } from '../../server/db/database.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import { DocumentStore } from '../../server/storage/DocumentStore.ts';
import { readStoredDocument } from '../../server/storage/readDocument.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';

/**
 * A section as a restarted server would load it: its stored updates, read straight from the
 * database into a fresh document (not the server's copy in memory). Throws when nothing is stored.
 */
export function storedSection(db: Db, sectionId: string): Y.Doc {
  const stored = new DocumentStore(db).load(sectionDocName(sectionId));
  if (!stored) throw new Error('no stored document');
  const doc = new Y.Doc();
  Y.transact(doc, () => {
    for (const u of stored.updates) Y.applyUpdate(doc, u);
  });
  return doc;
}

/** storedSection from the server's database, whichever engine it runs on (TEST_ENGINE). */
export async function storedSectionOf(server: { sql: Sql }, sectionId: string): Promise<Y.Doc> {
  const stored = await readStoredDocument(server.sql, sectionDocName(sectionId));
  if (!stored) throw new Error('no stored document');
  const doc = new Y.Doc();
  Y.transact(doc, () => {
    for (const u of stored.updates) Y.applyUpdate(doc, u);
  });
  return doc;
}
