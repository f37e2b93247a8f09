import type * as Y from 'yjs';
import type { Db } from '../db/database.ts';
import { allRows, col, rowShape } from '../db/rows.ts';
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
export function openSectionStates(db: Db, sync: Pick<DocumentAccess, 'openStoredStates'> | undefined, planId: string): Map<string, Uint8Array> {
  const sections = allRows(db.prepare('SELECT id FROM sections WHERE plan_id = ? AND deleted_at IS NULL'), SectionId, planId);
  const states = sync?.openStoredStates(sections.map((s) => sectionDocName(s.id))) ?? new Map<string, Uint8Array>();
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
export function storedSectionDoc(sync: DocumentAccess, sectionId: string, cannot: string): Y.Doc {
  let doc: Y.Doc | null;
  try {
    doc = sync.readDocument(sectionDocName(sectionId));
  } catch (err) {
    throw documentRefusal(err, cannot);
  }
  if (!doc) throw notFound('section');
  return doc;
}

/**
 * Changes a section's text as one server-side edit, committed in one transaction with what
 * `edit` and `record` write (see SyncServer.editDocument). 409 `section_agreed`, 503
 * `unsaved_edits`, 503 `storage_failed`: in each case nothing was changed.
 */
export function editSectionText<T>(
  sync: DocumentAccess,
  planId: string,
  sectionId: string,
  cannot: string,
  edit: (doc: Y.Doc) => T,
  record?: (result: T, edited: Y.Doc) => void,
): T {
  try {
    return sync.editDocument(sectionDocName(sectionId), planId, edit, record);
  } catch (err) {
    throw documentRefusal(err, cannot);
  }
}
