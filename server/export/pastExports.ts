/**
 * The record of a plan's exports (migration 020): one row per export, its file under
 * DATA_DIR/exports/. An export is listed and downloadable until its plan's retention period has
 * passed since it was made; then its row and file go. Every function takes `now` so expiry is
 * tested without waiting.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { allRows, col, oneRow, rowShape } from '../db/rows.ts';
import {
  ExportErrorCodeSchema,
  ExportFormatSchema,
  ExportLanguageSchema,
  ExportScopeSchema,
  PastExportSchema,
  type ExportErrorCode,
  type PastExport,
} from '../../shared/api/agreement.ts';

const DAY_MS = 24 * 3600_000;

const ExportRow = rowShape({
  id: col.text,
  planId: col.text,
  createdBy: col.text,
  createdByName: col.text,
  format: ExportFormatSchema,
  scope: ExportScopeSchema,
  language: ExportLanguageSchema,
  versionGroupId: col.nullableText,
  versionName: col.nullableText,
  state: PastExportSchema.shape.state,
  error: col.nullableText,
  errorCode: ExportErrorCodeSchema.nullable(),
  file: col.text,
  contentType: col.text,
  filename: col.nullableText,
  title: col.nullableText,
  sizeBytes: col.nullableInt,
  total: col.int,
  createdAt: col.text,
  finishedAt: col.nullableText,
  retentionDays: col.int,
});
export type ExportRow = z.output<typeof ExportRow>;
const RetentionRow = rowShape({ days: col.int });
const ExportFileRow = rowShape({ id: col.text, file: col.text });
const FileRow = rowShape({ file: col.text });

const SELECT = `SELECT e.id, e.plan_id AS planId, e.created_by AS createdBy, u.name AS createdByName, e.format, e.scope, e.language,
  e.version_group_id AS versionGroupId, e.version_name AS versionName, e.state, e.error, e.error_code AS errorCode, e.file, e.content_type AS contentType,
  e.filename, e.title, e.size_bytes AS sizeBytes, e.total, e.created_at AS createdAt, e.finished_at AS finishedAt,
  p.export_retention_days AS retentionDays
  FROM exports e JOIN plans p ON p.id = e.plan_id JOIN users u ON u.id = e.created_by`;

/** Still kept at `now`: made less than the plan's retention period ago. */
const NOT_EXPIRED = `julianday(e.created_at) + p.export_retention_days > julianday(@now)`;

export function expiresAt(row: Pick<ExportRow, 'createdAt' | 'retentionDays'>): string {
  return new Date(Date.parse(row.createdAt) + row.retentionDays * DAY_MS).toISOString();
}

export function insertExport(
  db: Db,
  row: Pick<ExportRow, 'id' | 'planId' | 'createdBy' | 'format' | 'scope' | 'language' | 'versionGroupId' | 'versionName' | 'file' | 'contentType' | 'createdAt'> & {
    /** The process making it (server/ownership/owners.ts). */
    owner: string | null;
  },
): void {
  db.prepare(
    `INSERT INTO exports (id, plan_id, created_by, format, scope, language, version_group_id, version_name, state, file, content_type, created_at, owner)
     VALUES (@id, @planId, @createdBy, @format, @scope, @language, @versionGroupId, @versionName, 'running', @file, @contentType, @createdAt, @owner)`,
  ).run(row);
}

export function finishExport(
  db: Db,
  id: string,
  result: { state: 'done' | 'failed'; error: string | null; errorCode: ExportErrorCode | null; filename: string | null; title: string | null; sizeBytes: number | null; total: number; finishedAt: string },
): void {
  db.prepare(
    `UPDATE exports SET state = @state, error = @error, error_code = @errorCode, filename = @filename, title = @title, size_bytes = @sizeBytes, total = @total,
     finished_at = @finishedAt WHERE id = @id AND state = 'running'`,
  ).run({ id, ...result });
}

/** One export of the plan that has not expired at `now`, or null. */
export function getExport(db: Db, planId: string, id: string, now = Date.now()): ExportRow | null {
  return oneRow(db.prepare(`${SELECT} WHERE e.plan_id = @planId AND e.id = @id AND ${NOT_EXPIRED}`), ExportRow, { planId, id, now: new Date(now).toISOString() }) ?? null;
}

/** The plan's exports that have not expired at `now`, newest first. */
export function listExports(db: Db, planId: string, now = Date.now()): PastExport[] {
  const rows = allRows(
    db.prepare(`${SELECT} WHERE e.plan_id = @planId AND ${NOT_EXPIRED} ORDER BY e.created_at DESC, e.rowid DESC`),
    ExportRow,
    { planId, now: new Date(now).toISOString() },
  );
  return rows.map((r) => ({
    id: r.id,
    format: r.format,
    scope: r.scope,
    language: r.language,
    versionGroupId: r.versionGroupId,
    versionName: r.versionName,
    state: r.state,
    error: r.error,
    errorCode: r.errorCode,
    filename: r.filename,
    sizeBytes: r.sizeBytes,
    createdAt: r.createdAt,
    createdBy: { id: r.createdBy, name: r.createdByName },
    expiresAt: expiresAt(r),
  }));
}

export function exportRetentionDays(db: Db, planId: string): number {
  const row = oneRow(db.prepare('SELECT export_retention_days AS days FROM plans WHERE id = ?'), RetentionRow, planId);
  return row?.days ?? 30;
}

export function setExportRetentionDays(db: Db, planId: string, days: number): void {
  db.prepare('UPDATE plans SET export_retention_days = ? WHERE id = ?').run(days, planId);
}

/**
 * Exports left running by a server that stopped: their worker died with it, so they can never
 * finish. Marked failed so the list says so instead of showing them in progress for ever. Those of
 * the given owners, found stopped by server/ownership/abandonedWork.ts (null: exports recorded without
 * an owner).
 */
export function failInterruptedExports(db: Db, now: number, owners: ReadonlyArray<string | null>): number {
  const fail = db.prepare(
    `UPDATE exports SET state = 'failed', error = 'The server stopped while the export was being made.', error_code = 'export_interrupted', finished_at = ?
      WHERE state = 'running' AND owner IS ?`,
  );
  const at = new Date(now).toISOString();
  return owners.reduce((n, owner) => n + fail.run(at, owner).changes, 0);
}

/** The owners of exports running now, or left running by a process that stopped. */
export function runningExportOwners(db: Db): Array<string | null> {
  return allRows(db.prepare("SELECT DISTINCT owner FROM exports WHERE state = 'running'"), rowShape({ owner: col.nullableText })).map((r) => r.owner);
}

/** Removes expired exports of every plan: their rows and their files. Returns how many went. */
export function purgeExpiredExports(db: Db, dir: string, now = Date.now()): number {
  const expired = allRows(db.prepare(`SELECT e.id, e.file FROM exports e JOIN plans p ON p.id = e.plan_id WHERE NOT (${NOT_EXPIRED})`), ExportFileRow, {
    now: new Date(now).toISOString(),
  });
  const remove = db.prepare('DELETE FROM exports WHERE id = ?');
  db.transaction(() => expired.forEach((e) => remove.run(e.id)))();
  for (const e of expired) rmSync(join(dir, e.file), { force: true });
  return expired.length;
}

/**
 * Deletes every file in `dir` that no export names: left by a deleted plan, or half written when
 * the server stopped. Only while no export runs (at start), as a running one writes a `.part` file.
 */
export function sweepUnlistedExportFiles(db: Db, dir: string): void {
  const known = new Set(allRows(db.prepare('SELECT file FROM exports'), FileRow).map((r) => r.file));
  for (const f of readdirSync(dir)) if (!known.has(f)) rmSync(join(dir, f), { force: true, recursive: true });
}
