import * as Y from 'yjs';

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
