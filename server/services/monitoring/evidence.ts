import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/database.ts';
import { oneRow } from '../../db/rows.ts';
import { notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { recordChangeNow, type Actor } from '../history.ts';
import { COLUMNS, EvidenceRow, toEvidence } from './evidenceRecords.ts';
import { requireWritableDraft } from './reports.ts';
import type { Evidence } from '../../../shared/api/index.ts';

export { evidenceUrl, listEvidence } from './evidenceRecords.ts';

/**
 * Evidence for a draft progress report: links, and files stored under
 * DATA_DIR/evidence/<planId>/<random key> (never under the name they were sent with: a name is
 * only shown and offered on download). The bytes never enter the database.
 */

function evidenceRow(db: Db, planId: string, evidenceId: string): EvidenceRow {
  const row = oneRow(db.prepare(`SELECT ${COLUMNS} FROM evidence WHERE id = ? AND plan_id = ?`), EvidenceRow, evidenceId, planId);
  if (!row) throw notFound('evidence');
  return row;
}

export const evidenceDir = (dataDir: string, planId: string) => join(dataDir, 'evidence', planId);

/** The stored file's path, or null when a key is not one Accord made (it never is). */
function storedPath(dataDir: string, planId: string, key: string): string | null {
  return /^[A-Za-z0-9_-]{16,64}$/.test(key) ? join(evidenceDir(dataDir, planId), key) : null;
}

function insert(db: Db, who: Actor, row: EvidenceRow, actionTitle: string): Evidence {
  db.transaction(() => {
    db.prepare(
      `INSERT INTO evidence (id, plan_id, report_id, kind, url, label, mime_type, size, storage_key, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(row.id, row.planId, row.reportId, row.kind, row.url, row.label, row.mimeType, row.size, row.storageKey, who.principal.userId, nowIso());
    recordChangeNow(db, {
      planId: row.planId,
      who,
      action: 'evidence.added',
      targetType: 'report',
      targetId: row.reportId,
      summary: `${who.principal.name} added ${row.kind === 'file' ? `the file “${row.label}”` : `the link “${row.label}”`} as evidence to the report on “${actionTitle}”`,
      before: null,
      after: { kind: row.kind, label: row.label, url: row.url, mimeType: row.mimeType, size: row.size },
      details: { evidenceId: row.id },
    });
  })();
  return toEvidence(row);
}

export function addEvidenceLink(db: Db, planId: string, reportId: string, who: Actor, input: { url: string; label: string }): { evidence: Evidence; roundId: string } {
  const { row: report, action } = requireWritableDraft(db, planId, reportId, who);
  const evidence = insert(
    db,
    who,
    { id: newId(), planId, reportId, kind: 'link', url: input.url, label: input.label || input.url, mimeType: null, size: null, storageKey: null },
    action.title,
  );
  return { evidence, roundId: report.roundId };
}

/** Stores an already type-checked file and records it; the file is removed again if recording fails. */
export function addEvidenceFile(
  deps: { db: Db; dataDir: string },
  planId: string,
  reportId: string,
  who: Actor,
  file: { name: string; mimeType: string; bytes: Uint8Array },
): { evidence: Evidence; roundId: string } {
  const { db, dataDir } = deps;
  const { row: report, action } = requireWritableDraft(db, planId, reportId, who);
  const storageKey = randomBytes(24).toString('base64url');
  const path = storedPath(dataDir, planId, storageKey)!;
  mkdirSync(evidenceDir(dataDir, planId), { recursive: true });
  writeFileSync(path, file.bytes, { flag: 'wx' });
  try {
    const evidence = insert(
      db,
      who,
      { id: newId(), planId, reportId, kind: 'file', url: null, label: file.name, mimeType: file.mimeType, size: file.bytes.length, storageKey },
      action.title,
    );
    return { evidence, roundId: report.roundId };
  } catch (err) {
    rmSync(path, { force: true });
    throw err;
  }
}

/** Removes evidence from a draft (its file too); returns the report's round. */
export function removeEvidence(deps: { db: Db; dataDir: string }, planId: string, evidenceId: string, who: Actor): { roundId: string } {
  const { db, dataDir } = deps;
  const row = evidenceRow(db, planId, evidenceId);
  const { row: report, action } = requireWritableDraft(db, planId, row.reportId, who);
  db.transaction(() => {
    db.prepare('DELETE FROM evidence WHERE id = ?').run(evidenceId);
    recordChangeNow(db, {
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
  })();
  removeStoredFiles(db, dataDir, planId, row.storageKey ? [row.storageKey] : []);
  return { roundId: report.roundId };
}

/**
 * Deletes stored files whose records are gone (a removed piece of evidence, a deleted draft). A
 * correction carries its report's evidence over, sharing the stored file: the file stays while
 * any record still names it.
 */
export function removeStoredFiles(db: Db, dataDir: string, planId: string, keys: string[]): void {
  const stillNamed = db.prepare('SELECT 1 FROM evidence WHERE plan_id = ? AND storage_key = ? LIMIT 1');
  for (const key of keys) {
    if (stillNamed.get(planId, key) !== undefined) continue;
    const path = storedPath(dataDir, planId, key);
    if (path) rmSync(path, { force: true });
  }
}

/** A stored file to serve: its path, name and type (404 for a link or an unknown id). */
export function evidenceFile(dataDir: string, db: Db, planId: string, evidenceId: string): { path: string; name: string; mimeType: string } {
  const row = evidenceRow(db, planId, evidenceId);
  const path = row.kind === 'file' && row.storageKey ? storedPath(dataDir, planId, row.storageKey) : null;
  if (!path || !row.mimeType) throw notFound('evidenceFile');
  return { path, name: row.label, mimeType: row.mimeType };
}
