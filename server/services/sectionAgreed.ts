import type { Db } from '../db/database.ts';
import { col, oneRow, rowShape } from '../db/rows.ts';
import { conflict } from '../errors.ts';

const Status = rowShape({ status: col.text });

/**
 * Whether a section is agreed: its text and actions are frozen until a coordinator reopens it
 * (services/agreement.ts). False for an unknown section. Every write that an agreement freezes
 * asks here.
 */
export function isSectionAgreed(db: Db, sectionId: string): boolean {
  return oneRow(db.prepare('SELECT status FROM sections WHERE id = ?'), Status, sectionId)?.status === 'agreed';
}

/** 409 `section_agreed` when the section is agreed; `message` says what cannot be done. */
export function requireSectionNotAgreed(
  db: Db,
  sectionId: string,
  message = 'This section is agreed and cannot be changed. A coordinator must reopen it first.',
): void {
  if (isSectionAgreed(db, sectionId)) throw conflict('section_agreed', message);
}
