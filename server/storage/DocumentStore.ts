import * as Y from 'yjs';
import type { Db } from '../db/database.ts';
import { allRows, col, rowShape, theRow } from '../db/rows.ts';
import { nowIso } from '../ids.ts';
import { DOC_SCHEMA_VERSION } from '../../shared/doc/schema.ts';
import { sqliteSql } from '../db/sql/sqliteSql.ts';
import type { DocumentAppend, DocumentLog, StoredDocument } from './documentLog.ts';

export type { DocumentAppend, StoredDocument } from './documentLog.ts';

// Kept minimal: a load checks every row of a document's log.
const UpdateRow = rowShape({ data: col.blob });
const OwnerRow = rowShape({ clientId: col.int, userId: col.text });
const CountRow = rowShape({ n: col.int });

/**
 * Storage of Yjs documents as an append-only update log in SQLite. A document exists once its row
 * in `documents` does; its seed content is written in the same transaction, so content is seeded
 * exactly once however often the server restarts.
 */
export class DocumentStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      exists: db.prepare('SELECT 1 FROM documents WHERE name = ?'),
      insertDoc: db.prepare('INSERT INTO documents (name, schema_version, created_at) VALUES (?, ?, ?)'),
      // The next sequence number is read from the end of the document's own range of the key.
      insertUpdate: db.prepare(
        `INSERT INTO document_updates (document_name, seq, data, created_at)
         VALUES (@name, (SELECT coalesce(max(seq), 0) + 1 FROM document_updates WHERE document_name = @name), @data, @at)`,
      ),
      load: db.prepare('SELECT data FROM document_updates WHERE document_name = ? ORDER BY seq'),
      deleteAll: db.prepare('DELETE FROM document_updates WHERE document_name = ?'),
      count: db.prepare('SELECT count(*) AS n FROM document_updates WHERE document_name = ?'),
      deleteDoc: db.prepare('DELETE FROM documents WHERE name = ?'),
      owners: db.prepare('SELECT client_id AS clientId, user_id AS userId FROM document_clients WHERE document_name = ?'),
      insertOwner: db.prepare(
        'INSERT INTO document_clients (document_name, client_id, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
    };
  }

  exists(name: string): boolean {
    return this.stmts.exists.get(name) !== undefined;
  }

  /**
   * Records that a document exists, with optional seed content built on a fresh Y.Doc. Call inside
   * the transaction that creates the thing the document belongs to (a section).
   */
  create(name: string, seed?: (doc: Y.Doc) => void): void {
    this.db.transaction(() => {
      this.stmts.insertDoc.run(name, DOC_SCHEMA_VERSION, nowIso());
      if (seed) {
        const doc = new Y.Doc();
        seed(doc);
        const update = Y.encodeStateAsUpdate(doc);
        doc.destroy();
        this.stmts.insertUpdate.run({ name, data: Buffer.from(update), at: nowIso() });
      }
    })();
  }

  /** The stored updates, or null when the document does not exist. Throws on storage errors. */
  load(name: string): StoredDocument | null {
    if (!this.exists(name)) return null;
    const rows = allRows(this.stmts.load, UpdateRow, name);
    return { updates: rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)) };
  }

  /**
   * Appends updates of one or more documents in a single transaction: all are stored or none.
   * `owners` records who first wrote under new Yjs client ids, in the same transaction.
   */
  appendMany(batch: readonly DocumentAppend[]): void {
    const at = nowIso();
    const only = batch.length === 1 ? batch[0]! : null;
    if (only && !only.owners?.length) {
      // One row is its own (implicit) transaction: spares BEGIN and COMMIT on every keystroke.
      this.stmts.insertUpdate.run({
        name: only.name,
        data: Buffer.from(only.update.buffer, only.update.byteOffset, only.update.byteLength),
        at,
      });
      return;
    }
    this.db.transaction(() => {
      for (const { name, update, owners } of batch) {
        this.stmts.insertUpdate.run({ name, data: Buffer.from(update), at });
        for (const [clientId, userId] of owners ?? []) this.stmts.insertOwner.run(name, clientId, userId);
      }
    })();
  }

  /** Who writes under each client id of a document. */
  clientOwners(name: string): Map<number, string> {
    const rows = allRows(this.stmts.owners, OwnerRow, name);
    return new Map(rows.map((r) => [r.clientId, r.userId]));
  }

  updateCount(name: string): number {
    return theRow(this.stmts.count, CountRow, name).n;
  }

  /**
   * Replaces the whole log by one full state (the loaded document, when everything in memory is
   * stored). One transaction: a crash leaves either the old log or the new state.
   */
  replaceAll(name: string, state: Uint8Array): void {
    this.db.transaction(() => {
      this.stmts.deleteAll.run(name);
      this.stmts.insertUpdate.run({ name, data: Buffer.from(state), at: nowIso() });
    })();
  }

  /**
   * Replaces the whole log by the state it adds up to, read inside the same (immediate)
   * transaction: rows another process appends meanwhile wait for the write lock, so none is
   * deleted without being part of the state written.
   */
  compactLog(name: string): void {
    this.db.transaction(() => {
      const rows = allRows(this.stmts.load, UpdateRow, name);
      if (rows.length < 2) return;
      const doc = new Y.Doc();
      try {
        Y.transact(doc, () => {
          for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength));
        });
        this.stmts.deleteAll.run(name);
        this.stmts.insertUpdate.run({ name, data: Buffer.from(Y.encodeStateAsUpdate(doc)), at: nowIso() });
      } finally {
        doc.destroy();
      }
    }).immediate();
  }

  delete(name: string): void {
    this.stmts.deleteDoc.run(name);
  }
}

/**
 * SQLite's log for the sync server. Without a guard, a flush is one synchronous statement (or
 * transaction) on the shared connection, as it always was. With one (several processes on one
 * file), the write lock is taken at BEGIN so the guard's reads and the appends are one step.
 */
export function sqliteDocumentLog(db: Db): DocumentLog {
  const store = new DocumentStore(db);
  const q = sqliteSql(db);
  return {
    engine: 'sqlite',
    load: async (name) => store.load(name),
    clientOwners: async (name) => store.clientOwners(name),
    async appendMany(batch, mayStore) {
      if (!mayStore) {
        store.appendMany(batch);
        return { refused: [] };
      }
      return q.transaction(
        async (tx) => {
          const refused = new Set<string>();
          for (const name of new Set(batch.map((e) => e.name))) if (!(await mayStore(name, tx))) refused.add(name);
          const kept = batch.filter((e) => !refused.has(e.name));
          // On the same connection, inside the transaction just begun: committed with it.
          if (kept.length > 0) store.appendMany(kept);
          return { refused: [...refused] };
        },
        { write: true },
      );
    },
    replaceAll: async (name, state) => store.replaceAll(name, state),
    compactLog: async (name) => store.compactLog(name),
  };
}
