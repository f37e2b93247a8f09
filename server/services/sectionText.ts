import { sql } from 'kysely';
import type * as Y from 'yjs';
import { isDatabaseError } from '../db/databaseErrors.ts';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { conflict, notFound, storageFailed, unsavedEdits } from '../errors.ts';
import { DocumentError } from '../sync/errors.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { sectionDocName } from '../../shared/doc/schema.ts';

/**
 * Section texts as the services read and change them: only stored text is hashed, signed,
 * exported or kept, and a server-side change is stored with its records or not made at all.
 * `cannot` completes the refusal "so it cannot be … now" (e.g. 'signed').
 */

const SectionId = rowShape({ id: col.text });

/**
 * The stored state of the plan's open section documents, by section id (sections in the bin are
 * not part of the plan); every other section is read from the document log. Exports and
 * publications are made from these, never from edits not yet stored: throws the sync server's
 * DocumentError (see documentRefusal) while one has such edits.
 */
export async function openSectionStates(
  q: Sql,
  sync: Pick<DocumentAccess, 'openStoredStates'> | undefined,
  planId: string,
): Promise<Map<string, Uint8Array>> {
  const sections = await q.rows(SectionId, sql`SELECT id FROM sections WHERE plan_id = ${planId} AND deleted_at IS NULL`);
  const states = sync ? await sync.openStoredStates(sections.map((s) => sectionDocName(s.id))) : new Map<string, Uint8Array>();
  return new Map(
    sections.flatMap((s) => {
      const state = states.get(sectionDocName(s.id));
      return state ? [[s.id, state] as const] : [];
    }),
  );
}

/** The sync server's refusal as an answer for people. */
export function documentRefusal(err: unknown, cannot: string, what?: string): unknown {
  if (!(err instanceof DocumentError)) return err;
  switch (err.code) {
    case 'unsaved_edits':
      return unsavedEdits(cannot, what);
    case 'document_locked':
      return conflict('section_agreed', 'This section is agreed, so its text cannot change. Reopen it first.');
    case 'storage_failed':
      return storageFailed();
  }
}

/** A copy of a section's stored text (destroy it when done); 404 when there is none, 503 `unsaved_edits`. */
export async function storedSectionDoc(sync: DocumentAccess, sectionId: string, cannot: string): Promise<Y.Doc> {
  let doc: Y.Doc | null;
  try {
    doc = await sync.readDocument(sectionDocName(sectionId));
  } catch (err) {
    throw documentRefusal(err, cannot);
  }
  if (!doc) throw notFound('section');
  return doc;
}

/**
 * Changes a section's text as one server-side edit, committed in one transaction with what
 * `record` writes there (see DocumentAccess.editDocument): `edit` runs on a copy of the stored
 * text and returns what `record` needs. 409 `section_agreed`, 503 `unsaved_edits`, 503
 * `storage_failed` (the database refused or failed a write): in each case nothing was changed.
 * `q` is not a transaction: what people typed is stored before the edit's transaction begins.
 * `{ write: true }`: where several processes share SQLite's file, the text read is the last stored.
 */
export async function editSectionText<T, R>(
  q: Sql,
  sync: DocumentAccess,
  planId: string,
  sectionId: string,
  cannot: string,
  edit: (doc: Y.Doc) => T,
  record: (tx: Sql, edited: T) => Promise<R>,
): Promise<R> {
  const name = sectionDocName(sectionId);
  try {
    // Stored first, outside the transaction: what people see is then what the edit starts from.
    await sync.storeQueued(name);
    return await q.transaction(async (tx) => record(tx, await sync.editDocument(tx, name, planId, edit)), { write: true });
  } catch (err) {
    if (isDatabaseError(err)) throw storageFailed();
    throw documentRefusal(err, cannot);
  }
}
