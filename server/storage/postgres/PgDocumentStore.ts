import { sql } from 'kysely';
import type pg from 'pg';
import * as Y from 'yjs';
import { compileFor } from '../../db/sql/compile.ts';
import { postgresSqlInTransaction } from '../../db/sql/postgresSql.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { inTransaction, queryRows, queryTheRow, type Queryable } from '../../db/postgres/query.ts';
import { col, rowShape } from '../../db/rows.ts';
import { nowIso } from '../../ids.ts';
import { DOC_SCHEMA_VERSION } from '../../../shared/doc/schema.ts';
import { bufferOf, bytesOf, stateOfLog, type DocumentAppend, type StoredDocument } from '../documentLog.ts';
import type { DocumentLog, MayStore } from '../documentLog.ts';

const NameRow = rowShape({ name: col.text });
// LEFT JOIN: a document with an empty log is one row without data.
const LogRow = rowShape({ data: col.blob.nullable() });
const UpdateRow = rowShape({ data: col.blob });
const OwnerRow = rowShape({ clientId: col.int, userId: col.text });
const CountRow = rowShape({ n: col.int });


/**
 * The next sequence number, read from the end of the document's own range of the primary key. Only
 * correct while the document's row is locked (lockDocuments): every writer of a log takes that lock
 * first, so no two transactions read the same maximum.
 */
const INSERT_UPDATE = `INSERT INTO document_updates (document_name, seq, data, created_at)
  VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM document_updates WHERE document_name = $1), $2, $3)`;

/**
 * The documents' rows, locked until the transaction ends, in one order (by name) so two batches of
 * several documents cannot wait for each other. FOR NO KEY UPDATE rather than FOR UPDATE: it
 * excludes the other writers of the logs (and a sign-off taking the same lock) but not the
 * KEY SHARE lock that inserting a row with a foreign key to the document takes.
 */
const lockQuery = (names: readonly string[]) =>
  sql`SELECT name FROM documents WHERE name = ANY(${[...names]}::text[]) ORDER BY name FOR NO KEY UPDATE`;

/**
 * Locks the documents' rows until `tx` ends; returns the names that exist. Every writer of a log
 * takes it, and so must anything that decides whether a document still takes edits (a sign-off):
 * the guard of appendMany then sees that decision once committed.
 */
export async function lockDocuments(tx: pg.PoolClient, names: readonly string[]): Promise<Set<string>> {
  const { sql: text, parameters } = compileFor('postgres', lockQuery(names));
  const rows = await queryRows(tx, NameRow, text, [...parameters]);
  return new Set(rows.map((r) => r.name));
}

/** lockDocuments in a service's transaction on PostgreSQL (a sign-off: agreement.ts): the same statement. */
export async function lockDocumentsIn(tx: Sql, names: readonly string[]): Promise<Set<string>> {
  if (tx.engine !== 'postgres') throw new Error('Documents are locked by their row on PostgreSQL only');
  return new Set((await tx.rows(NameRow, lockQuery(names))).map((r) => r.name));
}

/**
 * The document update log (tables `documents`, `document_updates`, `document_clients`) on
 * PostgreSQL: the operations of SQLite's DocumentStore, asynchronous, for deployments where several
 * Accord processes share one database.
 *
 * Several processes append to one document's log at once. Every write of a log (append, replace,
 * compaction) first locks the document's row in `documents` for the rest of its transaction, so
 * writers of one document take turns: sequence numbers stay unique and in commit order, and a
 * compaction reads and replaces the log with no append in between. Writers of different documents
 * do not wait for each other. (Measured against an advisory lock and against a retry on a duplicate
 * key: bench/storage.ts, docs/benchmarks.md.)
 */
export class PgDocumentStore implements DocumentLog {
  readonly engine = 'postgres' as const;

  constructor(private readonly pool: pg.Pool) {}

  async exists(name: string): Promise<boolean> {
    return (await queryRows(this.pool, NameRow, 'SELECT name FROM documents WHERE name = $1', [name])).length > 0;
  }

  /**
   * Records that a document exists, with optional seed content built on a fresh Y.Doc. `within`: a
   * connection in the caller's transaction (the one creating the section), which commits or rolls
   * back the document with it; without one, the document is created in a transaction of its own.
   */
  async create(name: string, seed?: (doc: Y.Doc) => void, within?: pg.PoolClient): Promise<void> {
    const write = async (tx: Queryable) => {
      await tx.query('INSERT INTO documents (name, schema_version, created_at) VALUES ($1, $2, $3)', [name, DOC_SCHEMA_VERSION, nowIso()]);
      if (seed) {
        const doc = new Y.Doc();
        try {
          seed(doc);
          // Nobody else can append yet: the document's row is not committed.
          await tx.query(INSERT_UPDATE, [name, bufferOf(Y.encodeStateAsUpdate(doc)), nowIso()]);
        } finally {
          doc.destroy();
        }
      }
    };
    if (within) await write(within);
    else await inTransaction(this.pool, write);
  }

  /** The stored updates, or null when the document does not exist (one statement: one snapshot). */
  async load(name: string): Promise<StoredDocument | null> {
    const rows = await queryRows(
      this.pool,
      LogRow,
      `SELECT u.data FROM documents d LEFT JOIN document_updates u ON u.document_name = d.name
       WHERE d.name = $1 ORDER BY u.seq`,
      [name],
    );
    if (rows.length === 0) return null;
    return { updates: rows.flatMap((r) => (r.data === null ? [] : [bytesOf(r.data)])) };
  }

  /**
   * Appends updates of one or more documents in one transaction: all are stored or none. `owners`
   * records who first wrote under new Yjs client ids, in the same transaction. With `mayStore`, a
   * document it refuses has none of its updates or owners stored (the others are), and is named in
   * `refused`. The promise resolves once the transaction is committed: only then may the updates
   * be broadcast (store before broadcast).
   */
  async appendMany(batch: readonly DocumentAppend[], mayStore?: MayStore): Promise<{ refused: string[] }> {
    if (batch.length === 0) return { refused: [] };
    const names = [...new Set(batch.map((e) => e.name))];
    return inTransaction(this.pool, async (tx) => {
      const locked = await lockDocuments(tx, names);
      const missing = names.filter((n) => !locked.has(n));
      if (missing.length > 0) throw new Error(`No such document: ${missing.join(', ')}`);
      const refused = new Set<string>();
      if (mayStore) {
        const q = postgresSqlInTransaction(this.pool, tx);
        for (const name of names) if (!(await mayStore(name, q))) refused.add(name);
      }
      const at = nowIso();
      for (const { name, update, owners } of batch) {
        if (refused.has(name)) continue;
        await tx.query(INSERT_UPDATE, [name, bufferOf(update), at]);
        if (owners?.length) {
          await tx.query(
            `INSERT INTO document_clients (document_name, client_id, user_id)
             SELECT $1, o.client_id, o.user_id FROM unnest($2::bigint[], $3::text[]) AS o (client_id, user_id)
             ON CONFLICT DO NOTHING`,
            [name, owners.map(([clientId]) => clientId), owners.map(([, userId]) => userId)],
          );
        }
      }
      return { refused: [...refused] };
    });
  }

  /** Who writes under each client id of a document. */
  async clientOwners(name: string): Promise<Map<number, string>> {
    const rows = await queryRows(
      this.pool,
      OwnerRow,
      'SELECT client_id AS "clientId", user_id AS "userId" FROM document_clients WHERE document_name = $1',
      [name],
    );
    return new Map(rows.map((r) => [r.clientId, r.userId]));
  }

  async updateCount(name: string): Promise<number> {
    return (await queryTheRow(this.pool, CountRow, 'SELECT count(*) AS n FROM document_updates WHERE document_name = $1', [name])).n;
  }

  /**
   * Replaces the whole log by one full state (the loaded document, when everything in memory is
   * stored). One transaction: a crash leaves either the old log or the new state.
   */
  async replaceAll(name: string, state: Uint8Array): Promise<void> {
    await inTransaction(this.pool, async (tx) => {
      if ((await lockDocuments(tx, [name])).size === 0) throw new Error(`No such document: ${name}`);
      await tx.query('DELETE FROM document_updates WHERE document_name = $1', [name]);
      await tx.query(INSERT_UPDATE, [name, bufferOf(state), nowIso()]);
    });
  }

  /**
   * Replaces the whole log by the state it adds up to, read under the document's lock in the same
   * transaction: another process's append waits for the lock (or was committed before it was
   * granted, and so is read), so no row is deleted without being part of the state written.
   */
  async compactLog(name: string): Promise<void> {
    await inTransaction(this.pool, async (tx) => {
      if ((await lockDocuments(tx, [name])).size === 0) return;
      const rows = await queryRows(tx, UpdateRow, 'SELECT data FROM document_updates WHERE document_name = $1 ORDER BY seq', [name]);
      if (rows.length < 2) return;
      const state = stateOfLog(rows.map((r) => bytesOf(r.data)));
      await tx.query('DELETE FROM document_updates WHERE document_name = $1', [name]);
      await tx.query(INSERT_UPDATE, [name, bufferOf(state), nowIso()]);
    });
  }

  /** Removes the document with its log and owners (ON DELETE CASCADE). `within`: the caller's transaction. */
  async delete(name: string, within?: pg.PoolClient): Promise<void> {
    await (within ?? this.pool).query('DELETE FROM documents WHERE name = $1', [name]);
  }
}
