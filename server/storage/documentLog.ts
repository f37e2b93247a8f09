import * as Y from 'yjs';
import type { Sql } from '../db/sql/Sql.ts';

/**
 * What both stores of the document update log share: SQLite's DocumentStore (synchronous, the one
 * the server runs on) and PostgreSQL's PgDocumentStore (asynchronous). Same rows, same meaning:
 * a document's log is its updates in `seq` order, and applying them all gives the document.
 */

export interface StoredDocument {
  /** Every stored update, oldest first; applying them all gives the document. */
  updates: Uint8Array[];
}

/** One document's update in a batch that is stored all or nothing. */
export interface DocumentAppend {
  name: string;
  update: Uint8Array;
  /** Who first wrote under new Yjs client ids of this update, recorded in the same transaction. */
  owners?: Array<[clientId: number, userId: string]>;
}

/** A stored row's bytes as the Uint8Array Yjs reads, without copying them. */
export function bytesOf(data: Uint8Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The bytes to store: a Buffer over the same memory (both drivers write a Buffer as a BLOB/BYTEA). */
export function bufferOf(update: Uint8Array): Buffer {
  return Buffer.from(update.buffer, update.byteOffset, update.byteLength);
}

/** The full state a log adds up to, as one update (what compaction stores in place of the log). */
export function stateOfLog(updates: Iterable<Uint8Array>): Uint8Array {
  const doc = new Y.Doc();
  try {
    Y.transact(doc, () => {
      for (const update of updates) Y.applyUpdate(doc, update);
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Asked inside the transaction that appends, once per document, after the document is locked:
 * whether its updates may still be stored (false when its section was agreed meanwhile, by this
 * process or another). Reads through `tx`, so it sees what others committed before the lock.
 */
export type MayStore = (name: string, tx: Sql) => Promise<boolean>;

/**
 * The document update log as the sync server stores and reads it, on either engine: SQLite's
 * DocumentStore, whose promises are settled when returned (its statements run synchronously, so
 * storing and broadcasting still happen in the turn that flushed), or PostgreSQL's
 * PgDocumentStore, a server away. The sync server awaits every answer, so one code path serves both.
 */
export interface DocumentLog {
  readonly engine: 'sqlite' | 'postgres';
  /** The stored updates, or null when the document does not exist. */
  load(name: string): Promise<StoredDocument | null>;
  /** Who writes under each client id of a document. */
  clientOwners(name: string): Promise<Map<number, string>>;
  /**
   * Appends updates of one or more documents in one transaction. With `mayStore`, a document it
   * refuses has nothing of the batch stored, the others are, and the refused names are returned.
   * Resolves once committed: only then may the updates be broadcast.
   */
  appendMany(batch: readonly DocumentAppend[], mayStore?: MayStore): Promise<{ refused: string[] }>;
  /** Replaces the whole log by one full state (what a room holds when everything in it is stored). */
  replaceAll(name: string, state: Uint8Array): Promise<void>;
  /** Replaces the whole log by the state it adds up to, read under the document's lock. */
  compactLog(name: string): Promise<void>;
}
