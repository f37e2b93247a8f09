import { sql } from 'kysely';
import { col, rowShape } from '../rows.ts';
import type { Sql } from './Sql.ts';

/**
 * What makes two transactions take turns on PostgreSQL where SQLite needs nothing: its write
 * transactions run one at a time already (decision 0011), whereas PostgreSQL's READ COMMITTED lets
 * two check the same state at once and both act on it. Each lock is held until the transaction
 * ends, so `tx` must be a transaction's handle.
 */

const Locked = rowShape({ one: col.int });

/** Tables whose rows a rule locks before checking what it is about to change. */
export type LockedTable = 'plans' | 'sections' | 'imports' | 'matrix_imports';

/**
 * Locks rows for change (FOR NO KEY UPDATE, as PgDocumentStore locks a document: rows that refer to
 * them can still be inserted), in id order, so two transactions locking the same rows cannot wait
 * for each other whatever order they meet them in.
 */
export async function lockRowsForChange(tx: Sql, table: LockedTable, ids: readonly string[]): Promise<void> {
  if (tx.engine !== 'postgres') return;
  for (const id of [...new Set(ids)].sort()) {
    await tx.row(Locked, sql`SELECT 1 AS one FROM ${sql.table(table)} WHERE id = ${id} FOR NO KEY UPDATE`);
  }
}

/**
 * Locks rows about to be deleted (FOR UPDATE: unlike FOR NO KEY UPDATE, it also waits for a row
 * being inserted that refers to them, such as a link to a recommendation, which is then seen before
 * the deletion), in id order.
 */
export async function lockRowsForDeletion(tx: Sql, table: 'recommendations', ids: readonly string[]): Promise<void> {
  if (tx.engine !== 'postgres') return;
  for (const id of [...new Set(ids)].sort()) {
    await tx.row(Locked, sql`SELECT 1 AS one FROM ${sql.table(table)} WHERE id = ${id} FOR UPDATE`);
  }
}

/**
 * Locks rows about to be referred to (FOR KEY SHARE, the lock a foreign key's check takes), in id
 * order: a link to a recommendation checks it is there under this lock, so a deletion of it holding
 * its row (lockRowsForDeletion) is waited for and the row then not found, as on SQLite when the
 * deletion came first, rather than the insert failing on the foreign key. Taken before the check,
 * not left to the insert, which would wait only after the check was made. Edits of the row
 * (FOR NO KEY UPDATE) are not held up.
 */
export async function lockRowsToReferTo(tx: Sql, table: 'recommendations', ids: readonly string[]): Promise<void> {
  if (tx.engine !== 'postgres') return;
  for (const id of [...new Set(ids)].sort()) {
    await tx.row(Locked, sql`SELECT 1 AS one FROM ${sql.table(table)} WHERE id = ${id} FOR KEY SHARE`);
  }
}

/**
 * Work that at most one transaction of the whole deployment may do at a time (a periodic check
 * several servers run): a transaction-level advisory lock named after the work, released at
 * commit or rollback.
 */
export async function oneAtATime(tx: Sql, work: string): Promise<void> {
  if (tx.engine !== 'postgres') return;
  await tx.row(Locked, sql`SELECT 1 AS one FROM (SELECT pg_advisory_xact_lock(hashtext(${`accord:${work}`}))) AS held`);
}
