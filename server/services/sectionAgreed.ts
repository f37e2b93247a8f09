import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { col, rowShape } from '../db/rows.ts';
import { rowNow } from '../db/sql/sqliteNow.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { conflict } from '../errors.ts';

const Status = rowShape({ status: col.text });
const statusQuery = (sectionId: string) => sql`SELECT status FROM sections WHERE id = ${sectionId}`;
const AGREED = 'This section is agreed and cannot be changed. A coordinator must reopen it first.';

/**
 * Whether a section is agreed: its text and actions are frozen until a coordinator reopens it
 * (services/agreement.ts). False for an unknown section. Every write that an agreement freezes
 * asks here, inside its transaction (`q` is its `tx`).
 */
export async function isSectionAgreed(q: Sql, sectionId: string): Promise<boolean> {
  return (await q.row(Status, statusQuery(sectionId)))?.status === 'agreed';
}

/** 409 `section_agreed` when the section is agreed; `message` says what cannot be done. */
export async function requireSectionNotAgreed(q: Sql, sectionId: string, message = AGREED): Promise<void> {
  if (await isSectionAgreed(q, sectionId)) throw conflict('section_agreed', message);
}

/** isSectionAgreed for the synchronous callers (the sync server's lock, services inside `db.transaction()`): the same query. */
export function isSectionAgreedNow(db: Db, sectionId: string): boolean {
  return rowNow(db, Status, statusQuery(sectionId))?.status === 'agreed';
}

export function requireSectionNotAgreedNow(db: Db, sectionId: string, message = AGREED): void {
  if (isSectionAgreedNow(db, sectionId)) throw conflict('section_agreed', message);
}
