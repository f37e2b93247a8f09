import type { Principal } from '../auth/sessions.ts';
import type { Db } from '../db/database.ts';
import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import { rows, step, type Steps } from '../db/sql/steps.ts';
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

const Named = rowShape({ id: col.text, name: col.text });

/** Each id that `found` names, in the order of `ids`: the order the entry's `names` keep. */
function namesIn(ids: readonly string[], found: ReadonlyArray<{ id: string; name: string }>): Record<string, string> {
  const byId = new Map(found.map((r) => [r.id, r.name]));
  const out: Record<string, string> = {};
  for (const id of ids) {
    const name = byId.get(id);
    if (name !== undefined) out[id] = name;
  }
  return out;
}

/** Names of organisations by id, for turning ids in before/after into words people read (steps.ts: both forms). */
export function* organisationNames(ids: ReadonlyArray<string | null | undefined>): Steps<Record<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return {};
  return namesIn(wanted, yield* rows(Named, sql`SELECT id, name FROM organisations WHERE id IN (${sql.join(wanted)})`));
}

/** References of recommendations by id ("97.3"), for the same purpose. */
export function* recommendationReferences(ids: readonly string[]): Steps<Record<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return {};
  return namesIn(wanted, yield* rows(Named, sql`SELECT id, reference AS name FROM recommendations WHERE id IN (${sql.join(wanted)})`));
}

/** recordChange as a step of work written for both forms (steps.ts). */
export const recordChangeStep = (c: Change): Steps<number> => step({ now: (db) => recordChangeNow(db, c), on: (tx) => recordChange(tx, c) });
