import type * as Y from 'yjs';
import type { Sql } from '../db/sql/Sql.ts';

/**
 * What the domain may do with a section's document: read what is stored, and change it as one
 * server edit stored with the records that go with it. Services depend on this, never on the sync
 * server itself, so their rules can be tested against an in-memory implementation.
 *
 * Asynchronous, as storage may be a server away (PostgreSQL). On SQLite every answer is ready
 * when returned, so awaiting one inside a transaction keeps it within its turn.
 *
 * Errors thrown (from ./errors.ts): DocumentLockedError while the section is agreed,
 * UnsavedEditsError while some edits to the document cannot be stored now.
 */
export interface DocumentAccess {
  /**
   * A copy of a document's stored state, for what is hashed, signed, exported or kept as a
   * version; null when the document does not exist.
   */
  readDocument(name: string): Promise<Y.Doc | null>;
  /**
   * A copy of what people see in a document now, stored or not (to place comments on the words a
   * person selected). Never for what is signed, exported or kept.
   */
  readLiveDocument(name: string): Promise<Y.Doc | null>;
  /**
   * Stores what people typed in the document that is not stored yet (before a server edit starts
   * from what is stored); UnsavedEditsError when it cannot be stored now. Not inside a transaction.
   */
  storeQueued(name: string): Promise<void>;
  /** The stored state (as an update) of each of these documents that is open in memory now. */
  openStoredStates(names: Iterable<string>): Promise<Map<string, Uint8Array>>;
  /**
   * Changes a document as one new edit inside the caller's transaction `tx`: `edit` runs on a copy
   * of the state stored (read in `tx`); its update is stored in `tx` with whatever else the caller
   * writes there, and people receive it only once `tx` commits. A rollback leaves nothing.
   */
  editDocument<T>(tx: Sql, name: string, planId: string, edit: (doc: Y.Doc) => T): Promise<T>;
}
