import { sql, type RawBuilder } from 'kysely';
import Papa from 'papaparse';
import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import { col, rowShape } from '../db/rows.ts';
import { jsonArrayHas, jsonText } from '../db/sql/portable.ts';
import type { Engine, Query, Sql } from '../db/sql/Sql.ts';
import { rowNow, theRowNow } from '../db/sql/sqliteNow.ts';
import { step, type Steps } from '../db/sql/steps.ts';
import { PrincipalShape, type Principal } from '../auth/sessions.ts';
import { nowIso } from '../ids.ts';
import { AuditEntrySchema, type AuditAction, type AuditEntry, type AuditQuerySchema, type Role } from '../../shared/api/index.ts';

/**
 * The audit log: who did what to a plan, when, as whom. Append-only (migration 005 refuses any
 * UPDATE or DELETE with triggers); the actor's name, organisation and role are copied into the
 * entry, so it stays true after people change organisation or leave the plan.
 */
export interface AuditRecord {
  planId: string;
  /** The person acting; null for Accord itself. */
  actor: Principal | null;
  /** Their role in the plan at that moment (null for Accord itself or a person no longer a member). */
  role: Role | null;
  action: AuditAction;
  targetType: string;
  targetId: string | null;
  /** A sentence for people, e.g. "Olga Coordinator signed “Purpose and scope”". */
  summary: string;
  details?: Record<string, unknown>;
}

const AuditId = rowShape({ id: col.int });

function auditInsert(entry: AuditRecord): Query {
  return sql`INSERT INTO audit_log (plan_id, at, actor_id, actor_name, actor_organisation, actor_role, action, target_type, target_id,
      summary, details)
    VALUES (${entry.planId}, ${nowIso()}, ${entry.actor?.userId ?? null}, ${entry.actor?.name ?? 'Accord'},
      ${entry.actor?.organisationName ?? ''}, ${entry.role}, ${entry.action}, ${entry.targetType}, ${entry.targetId},
      ${entry.summary}, ${JSON.stringify(entry.details ?? {})})
    RETURNING id`;
}

/**
 * Writes one audit entry; returns its id. Used by every feature that changes a plan's state,
 * inside the transaction that changes it (`tx`), so the entry and the change commit together.
 */
export async function recordAudit(tx: Sql, entry: AuditRecord): Promise<number> {
  return (await tx.theRow(AuditId, auditInsert(entry))).id;
}

/** recordAudit for services still inside a synchronous `db.transaction()` (decision 0011): the same statement. */
export function recordAuditNow(db: Db, entry: AuditRecord): number {
  return theRowNow(db, AuditId, auditInsert(entry)).id;
}

/** recordAudit as a step of work written for both forms (server/db/sql/steps.ts). */
export const recordAuditStep = (entry: AuditRecord): Steps<number> => step({ now: (db) => recordAuditNow(db, entry), on: (tx) => recordAudit(tx, entry) });

const principalQuery = (userId: string) =>
  sql`SELECT u.id AS "userId", u.name, u.email, u.language, o.id AS "organisationId", o.name AS "organisationName", o.side, o.color
    FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ${userId}`;
const nameQuery = (userId: string) => sql`SELECT name FROM users WHERE id = ${userId}`;
const NameRow = rowShape({ name: col.text });

/** The person with their organisation, as a Principal (for audit entries written on someone's behalf). */
export async function principalOf(q: Sql, userId: string): Promise<Principal | null> {
  return (await q.row(PrincipalShape, principalQuery(userId))) ?? null;
}

/** principalOf for synchronous callers (decision 0011): the same query. */
export function principalOfNow(db: Db, userId: string): Principal | null {
  return rowNow(db, PrincipalShape, principalQuery(userId)) ?? null;
}

/** A person's name for summaries ("someone" when unknown). */
export async function userName(q: Sql, userId: string): Promise<string> {
  return (await q.row(NameRow, nameQuery(userId)))?.name ?? 'someone';
}

/** An entry as stored: `details` is JSON text. */
const AuditRow = AuditEntrySchema.extend({ details: col.text });
const TotalRow = rowShape({ total: col.int });

type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** The conditions the filters make, joined with AND (the plan's own entries, always). */
function where(engine: Engine, planId: string, q: Partial<AuditQuery>): RawBuilder<unknown> {
  const clauses: Array<RawBuilder<unknown>> = [sql`plan_id = ${planId}`];
  if (q.action) clauses.push(sql`action = ${q.action}`);
  if (q.actorId) clauses.push(sql`actor_id = ${q.actorId}`);
  if (q.from) clauses.push(sql`at >= ${q.from}`);
  if (q.to) {
    // A bare date as `to` includes that whole day.
    clauses.push(sql`at <= ${/^\d{4}-\d{2}-\d{2}$/.test(q.to) ? `${q.to}T23:59:59.999Z` : q.to}`);
  }
  if (q.targetType && q.targetId) clauses.push(itemClause(engine, q.targetType, q.targetId));
  else if (q.targetType) clauses.push(sql`target_type = ${q.targetType}`);
  else if (q.targetId) clauses.push(sql`target_id = ${q.targetId}`);
  if (q.organisation) clauses.push(sql`actor_organisation = ${q.organisation}`);
  return sql.join(clauses, sql` AND `);
}

const details = sql.ref('details');

/**
 * The entries about one item. An action's include its indicators' entries (they carry `actionId`)
 * and its links; a recommendation's include the links made to it and removed from it, so "what
 * happened to this" reads whole in one place.
 */
export function itemClause(engine: Engine, targetType: string, targetId: string): RawBuilder<unknown> {
  if (targetType === 'action') {
    return sql`((target_type = 'action' AND target_id = ${targetId}) OR (target_type = 'indicator' AND ${jsonText(engine, details, 'actionId')} = ${targetId}))`;
  }
  if (targetType === 'recommendation') {
    return sql`((target_type = 'recommendation' AND target_id = ${targetId})
      OR (action IN ('link.added', 'link.removed') AND ${jsonText(engine, details, 'recommendationId')} = ${targetId})
      OR (target_type = 'recommendation_group' AND ${jsonArrayHas(engine, details, 'memberIds', targetId)}))`;
  }
  return sql`(target_type = ${targetType} AND target_id = ${targetId})`;
}

// camelCase aliases are quoted: PostgreSQL folds unquoted names to lower case.
const COLUMNS = sql.raw(`id, at, actor_id AS "actorId", actor_name AS "actorName", actor_organisation AS "actorOrganisation",
  actor_role AS "actorRole", action, target_type AS "targetType", target_id AS "targetId", summary, details`);

const toEntry = (row: z.output<typeof AuditRow>): AuditEntry => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> });

/**
 * Entries of a plan, newest first, filtered and paged. The total and the page are read from one
 * snapshot, so on PostgreSQL an entry written in between cannot make them disagree.
 */
export function queryAudit(db: Sql, planId: string, q: AuditQuery): Promise<{ total: number; items: AuditEntry[] }> {
  const w = where(db.engine, planId, q);
  return db.transaction(
    async (tx) => {
      const { total } = await tx.theRow(TotalRow, sql`SELECT count(*) AS total FROM audit_log WHERE ${w}`);
      const rows = await tx.rows(AuditRow, sql`SELECT ${COLUMNS} FROM audit_log WHERE ${w} ORDER BY id DESC LIMIT ${q.limit} OFFSET ${q.offset}`);
      return { total, items: rows.map(toEntry) };
    },
    { snapshot: true },
  );
}

/**
 * What the per-item history shows every member: changes to the plan's content and membership, not
 * coordinators' business such as invitation links, password resets or exports.
 */
export const HISTORY_ACTIONS: readonly AuditAction[] = [
  'member.joined',
  'member.role_changed',
  'member.removed',
  'section.status_changed',
  'section.agreed',
  'section.reopened',
  'organisation.verified',
  'organisation.unverified',
  'section.deleted',
  'section.restored',
  'chapter.deleted',
  'chapter.restored',
  'action.created',
  'action.updated',
  'action.moved',
  'action.deleted',
  'indicator.created',
  'indicator.updated',
  'indicator.deleted',
  'link.added',
  'link.removed',
  'recommendation.created',
  'recommendation.updated',
  'recommendation.deleted',
  'recommendation_group.confirmed',
  'recommendation_group.split',
  'recommendation_group.dismissed',
  'section.created',
  'section.renamed',
  'section.moved',
  'chapter.created',
  'chapter.renamed',
  'chapter.moved',
  'organisation.created',
  'organisation.added',
];

/** One item's history, newest first (see itemClause for what belongs to an item). */
export async function itemHistory(db: Sql, planId: string, targetType: string, targetId: string, limit: number): Promise<AuditEntry[]> {
  const rows = await db.rows(
    AuditRow,
    sql`SELECT ${COLUMNS} FROM audit_log
         WHERE plan_id = ${planId} AND action IN (${sql.join(HISTORY_ACTIONS)}) AND ${itemClause(db.engine, targetType, targetId)}
         ORDER BY id DESC LIMIT ${limit}`,
  );
  return rows.map(toEntry);
}

/** Every entry matching the filters (no paging), oldest first: for the CSV download. */
export async function allAudit(db: Sql, planId: string, q: Partial<AuditQuery>): Promise<AuditEntry[]> {
  const rows = await db.rows(AuditRow, sql`SELECT ${COLUMNS} FROM audit_log WHERE ${where(db.engine, planId, q)} ORDER BY id`);
  return rows.map(toEntry);
}

/**
 * A cell a spreadsheet will not run as a formula: text starting with = + - @, a tab or a line
 * break gets a leading apostrophe (OWASP "CSV injection").
 */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r\n]/.test(value) ? `'${value}` : value;
}

const CSV_FIELDS = ['id', 'at', 'actor', 'organisation', 'role', 'action', 'target_type', 'target_id', 'summary', 'details'];

/** The entries as CSV (RFC 4180, CRLF), every cell formula-safe. */
export function auditCsv(entries: AuditEntry[]): string {
  const data = entries.map((e) =>
    [
      String(e.id),
      e.at,
      e.actorName,
      e.actorOrganisation,
      e.actorRole ?? '',
      e.action,
      e.targetType,
      e.targetId ?? '',
      e.summary,
      JSON.stringify(e.details),
    ].map(safeCell),
  );
  return Papa.unparse({ fields: CSV_FIELDS, data }, { newline: '\r\n', quotes: true }) + '\r\n';
}
