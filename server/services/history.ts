import type { Principal } from '../auth/sessions.ts';
import type { Db } from '../db/database.ts';
import { col, scalar } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { recordAudit, recordAuditNow, type AuditRecord } from './audit.ts';
import type { AuditAction, Role } from '../../shared/api/index.ts';

/**
 * Every change on the record. The history of an item is the audit log (append-only, migration
 * 005): each change writes one entry, in the same transaction as the change, whose details hold
 * the item's fields `before` and `after` (null when it did not exist / no longer exists) and the
 * names of the fields that `changed`. shared/api/history.ts describes the details for readers.
 */

/** The person making a change and their role in the plan at that moment. */
export interface Actor {
  principal: Principal;
  role: Role;
}

export type Fields = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What changed between two states of an item: the differing fields, plus `keep` fields (a title or
 * description) on both sides so the entry says which item it was. Null when nothing changed.
 */
export function diffFields(before: Fields, after: Fields, keep: readonly string[] = []): { before: Fields; after: Fields; changed: string[] } | null {
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !same(before[k], after[k]));
  if (changed.length === 0) return null;
  const keys = [...new Set([...keep, ...changed])];
  const pick = (o: Fields) => Object.fromEntries(keys.map((k) => [k, o[k] ?? null]));
  return { before: pick(before), after: pick(after), changed };
}

export interface Change {
  planId: string;
  who: Actor;
  action: AuditAction;
  targetType: string;
  targetId: string;
  summary: string;
  before: Fields | null;
  after: Fields | null;
  /** Fields that differ; for a creation or a deletion, every field. */
  changed?: string[];
  /** Context: the action of an indicator, the section of an action, names for ids, a reason… */
  details?: Fields;
}

function changeEntry(c: Change): AuditRecord {
  const changed = c.changed ?? Object.keys(c.after ?? c.before ?? {});
  return {
    planId: c.planId,
    actor: c.who.principal,
    role: c.who.role,
    action: c.action,
    targetType: c.targetType,
    targetId: c.targetId,
    summary: c.summary,
    details: { ...c.details, before: c.before, after: c.after, changed },
  };
}

/** Writes one change entry. Call it inside the transaction that makes the change (`tx`). */
export function recordChange(tx: Sql, c: Change): Promise<number> {
  return recordAudit(tx, changeEntry(c));
}

/** recordChange for services still inside a synchronous `db.transaction()` (decision 0011). */
export function recordChangeNow(db: Db, c: Change): number {
  return recordAuditNow(db, changeEntry(c));
}

/** "Anna Ivanova (Ministry of Justice)": who did it, as every summary starts. */
export const byWhom = (who: Actor) => `${who.principal.name} (${who.principal.organisationName})`;

/** A title or description in quotes for a summary, shortened past 120 characters. */
export function quoted(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > 120 ? `${flat.slice(0, 119)}…` : flat}”`;
}

/** Names of organisations by id, for turning ids in before/after into words people read. */
export function organisationNames(db: Db, ids: ReadonlyArray<string | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  const stmt = db.prepare('SELECT name FROM organisations WHERE id = ?');
  for (const id of ids) {
    if (!id || id in out) continue;
    const name = scalar(stmt, col.text, id);
    if (name !== undefined) out[id] = name;
  }
  return out;
}

/** References of recommendations by id ("97.3"), for the same purpose. */
export function recommendationReferences(db: Db, ids: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const stmt = db.prepare('SELECT reference FROM recommendations WHERE id = ?');
  for (const id of ids) {
    if (id in out) continue;
    const reference = scalar(stmt, col.text, id);
    if (reference !== undefined) out[id] = reference;
  }
  return out;
}
