import type * as Y from 'yjs';

/**
 * What the domain may do with a section's document: read what is stored, and change it as one
 * server edit stored with the records that go with it. Services depend on this, never on the sync
 * server itself, so their rules can be tested against an in-memory implementation.
 *
 * Errors thrown (from ./errors.ts): DocumentLockedError while the section is agreed,
 * UnsavedEditsError while some edits to the document cannot be stored now, StorageFailedError when
 * storing a server edit failed (then nothing was stored nor applied).
 */
export interface DocumentAccess {
  /**
   * A copy of a document's stored state, for what is hashed, signed, exported or kept as a
   * version; null when the document does not exist.
   */
  readDocument(name: string): Y.Doc | null;
  /**
   * A copy of what people see in a document now, stored or not (to place comments on the words a
   * person selected). Never for what is signed, exported or kept.
   */
  readLiveDocument(name: string): Y.Doc | null;
  /** The stored state (as an update) of each of these documents that is open in memory now. */
  openStoredStates(names: Iterable<string>): Map<string, Uint8Array>;
  /**
   * Changes a document as one new edit: `edit` runs on a copy of the stored state; its update and
   * whatever `record` writes to the database are committed together, or not at all; only then do
   * people receive the edit.
   */
  editDocument<T>(name: string, planId: string, edit: (doc: Y.Doc) => T, record?: (result: T, edited: Y.Doc) => void): T;
}
