import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { col, rowShape } from '../../db/rows.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { recordChange, type Actor } from '../history.ts';
import { COLUMNS, EvidenceRow, toEvidence } from './evidenceRecords.ts';
import { requireWritableDraft } from './reports.ts';
import type { Evidence } from '../../../shared/api/index.ts';

export { evidenceUrl, listEvidence } from './evidenceRecords.ts';

/**
 * Evidence for a draft progress report: links, and files stored under
 * DATA_DIR/evidence/<planId>/<random key> (never under the name they were sent with: a name is
 * only shown and offered on download). The bytes never enter the database.
 *
 * On Sql (decision 0011): files are written before a record's transaction and removed after one,
 * never inside it (a transaction awaits nothing but its own queries).
 */

async function evidenceRow(q: Sql, planId: string, evidenceId: string): Promise<EvidenceRow> {
  const row = await q.row(EvidenceRow, sql`SELECT ${COLUMNS} FROM evidence WHERE id = ${evidenceId} AND plan_id = ${planId}`);
  if (!row) throw notFound('evidence');
  return row;
}

export const evidenceDir = (dataDir: string, planId: string) => join(dataDir, 'evidence', planId);

/** The stored file's path, or null when a key is not one Accord made (it never is). */
function storedPath(dataDir: string, planId: string, key: string): string | null {
  return /^[A-Za-z0-9_-]{16,64}$/.test(key) ? join(evidenceDir(dataDir, planId), key) : null;
}

/** Records evidence on a draft the person may still write (checked in the same transaction); returns it and the report's round. */
async function insert(q: Sql, who: Actor, row: Omit<EvidenceRow, 'id'>): Promise<{ evidence: Evidence; roundId: string }> {
  return q.transaction(async (tx) => {
    const { row: report, action } = await requireWritableDraft(tx, row.planId, row.reportId, who);
    const stored: EvidenceRow = { id: newId(), ...row };
    await tx.run(
      sql`INSERT INTO evidence (id, plan_id, report_id, kind, url, label, mime_type, size, storage_key, created_by, created_at)
          VALUES (${stored.id}, ${stored.planId}, ${stored.reportId}, ${stored.kind}, ${stored.url}, ${stored.label}, ${stored.mimeType}, ${stored.size},
                  ${stored.storageKey}, ${who.principal.userId}, ${nowIso()})`,
    );
    await recordChange(tx, {
      planId: stored.planId,
      who,
      action: 'evidence.added',
      targetType: 'report',
      targetId: stored.reportId,
      summary: `${who.principal.name} added ${stored.kind === 'file' ? `the file “${stored.label}”` : `the link “${stored.label}”`} as evidence to the report on “${action.title}”`,
      before: null,
      after: { kind: stored.kind, label: stored.label, url: stored.url, mimeType: stored.mimeType, size: stored.size },
      details: { evidenceId: stored.id },
    });
    return { evidence: toEvidence(stored), roundId: report.roundId };
  });
}

export function addEvidenceLink(q: Sql, planId: string, reportId: string, who: Actor, input: { url: string; label: string }): Promise<{ evidence: Evidence; roundId: string }> {
  return insert(q, who, { planId, reportId, kind: 'link', url: input.url, label: input.label || input.url, mimeType: null, size: null, storageKey: null });
}

/** Stores an already type-checked file and records it; the file is removed again if recording fails. */
export async function addEvidenceFile(
  deps: { sql: Sql; dataDir: string },
  planId: string,
  reportId: string,
  who: Actor,
  file: { name: string; mimeType: string; bytes: Uint8Array },
): Promise<{ evidence: Evidence; roundId: string }> {
  const { sql: q, dataDir } = deps;
  await requireWritableDraft(q, planId, reportId, who);
  const storageKey = randomBytes(24).toString('base64url');
  const path = storedPath(dataDir, planId, storageKey)!;
  mkdirSync(evidenceDir(dataDir, planId), { recursive: true });
  writeFileSync(path, file.bytes, { flag: 'wx' });
  try {
    return await insert(q, who, { planId, reportId, kind: 'file', url: null, label: file.name, mimeType: file.mimeType, size: file.bytes.length, storageKey });
  } catch (err) {
    rmSync(path, { force: true });
    throw err;
  }
}

/** Removes evidence from a draft (its file too); returns the report's round. */
export async function removeEvidence(deps: { sql: Sql; dataDir: string }, planId: string, evidenceId: string, who: Actor): Promise<{ roundId: string }> {
  const { sql: q, dataDir } = deps;
  const { row, roundId } = await q.transaction(async (tx) => {
    const row = await evidenceRow(tx, planId, evidenceId);
    const { row: report, action } = await requireWritableDraft(tx, planId, row.reportId, who);
    await tx.run(sql`DELETE FROM evidence WHERE id = ${evidenceId}`);
    await recordChange(tx, {
      planId,
      who,
      action: 'evidence.removed',
      targetType: 'report',
      targetId: row.reportId,
      summary: `${who.principal.name} removed the evidence “${row.label}” from the report on “${action.title}”`,
      before: { kind: row.kind, label: row.label, url: row.url, mimeType: row.mimeType, size: row.size },
      after: null,
      details: { evidenceId },
    });
    return { row, roundId: report.roundId };
  });
  await removeStoredFiles(q, dataDir, planId, row.storageKey ? [row.storageKey] : []);
  return { roundId };
}

const NamedRow = rowShape({ one: col.int });

/**
 * Deletes stored files whose records are gone (a removed piece of evidence, a deleted draft). A
 * correction carries its report's evidence over, sharing the stored file: the file stays while
 * any record still names it.
 */
export async function removeStoredFiles(q: Sql, dataDir: string, planId: string, keys: string[]): Promise<void> {
  for (const key of keys) {
    const stillNamed = await q.row(NamedRow, sql`SELECT 1 AS one FROM evidence WHERE plan_id = ${planId} AND storage_key = ${key} LIMIT 1`);
    if (stillNamed) continue;
    const path = storedPath(dataDir, planId, key);
    if (path) rmSync(path, { force: true });
  }
}

/** A stored file to serve: its path, name and type (404 for a link or an unknown id). */
export async function evidenceFile(dataDir: string, q: Sql, planId: string, evidenceId: string): Promise<{ path: string; name: string; mimeType: string }> {
  const row = await evidenceRow(q, planId, evidenceId);
  const path = row.kind === 'file' && row.storageKey ? storedPath(dataDir, planId, row.storageKey) : null;
  if (!path || !row.mimeType) throw notFound('evidenceFile');
  return { path, name: row.label, mimeType: row.mimeType };
}
