/**
 * The record of a plan's exports (migration 020): one row per export, its file under
 * DATA_DIR/exports/. An export is listed and downloadable until its plan's retention period has
 * passed since it was made; then its row and file go. Every function takes `now` so expiry is
 * tested without waiting.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Engine, Sql } from '../db/sql/Sql.ts';
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
const OwnerRow = rowShape({ owner: col.nullableText });

const SELECT = sql`SELECT e.id, e.plan_id AS "planId", e.created_by AS "createdBy", u.name AS "createdByName", e.format, e.scope, e.language,
  e.version_group_id AS "versionGroupId", e.version_name AS "versionName", e.state, e.error, e.error_code AS "errorCode", e.file,
  e.content_type AS "contentType", e.filename, e.title, e.size_bytes AS "sizeBytes", e.total, e.created_at AS "createdAt",
  e.finished_at AS "finishedAt", p.export_retention_days AS "retentionDays"
  FROM exports e JOIN plans p ON p.id = e.plan_id JOIN users u ON u.id = e.created_by`;

/**
 * Still kept at `now`: made less than the plan's retention period ago. Times are ISO text on both
 * engines: SQLite counts in Julian days, PostgreSQL reads them as timestamps and adds the days.
 */
const notExpired = (engine: Engine, now: number) => {
  const at = new Date(now).toISOString();
  return engine === 'postgres'
    ? sql`(e.created_at)::timestamptz + make_interval(days => p.export_retention_days::int) > (${at})::timestamptz`
    : sql`julianday(e.created_at) + p.export_retention_days > julianday(${at})`;
};

export function expiresAt(row: Pick<ExportRow, 'createdAt' | 'retentionDays'>): string {
  return new Date(Date.parse(row.createdAt) + row.retentionDays * DAY_MS).toISOString();
}

export async function insertExport(
  q: Sql,
  row: Pick<ExportRow, 'id' | 'planId' | 'createdBy' | 'format' | 'scope' | 'language' | 'versionGroupId' | 'versionName' | 'file' | 'contentType' | 'createdAt'> & {
    /** The process making it (server/ownership/owners.ts). */
    owner: string | null;
  },
): Promise<void> {
  await q.run(
    sql`INSERT INTO exports (id, plan_id, created_by, format, scope, language, version_group_id, version_name, state, file, content_type, created_at, owner)
         VALUES (${row.id}, ${row.planId}, ${row.createdBy}, ${row.format}, ${row.scope}, ${row.language}, ${row.versionGroupId}, ${row.versionName},
                 'running', ${row.file}, ${row.contentType}, ${row.createdAt}, ${row.owner})`,
  );
}

export async function finishExport(
  q: Sql,
  id: string,
  result: { state: 'done' | 'failed'; error: string | null; errorCode: ExportErrorCode | null; filename: string | null; title: string | null; sizeBytes: number | null; total: number; finishedAt: string },
): Promise<void> {
  await q.run(
    sql`UPDATE exports SET state = ${result.state}, error = ${result.error}, error_code = ${result.errorCode}, filename = ${result.filename}, title = ${result.title},
         size_bytes = ${result.sizeBytes}, total = ${result.total}, finished_at = ${result.finishedAt}
         WHERE id = ${id} AND state = 'running'`,
  );
}

/** One export of the plan that has not expired at `now`, or null. */
export async function getExport(q: Sql, planId: string, id: string, now = Date.now()): Promise<ExportRow | null> {
  return (await q.row(ExportRow, sql`${SELECT} WHERE e.plan_id = ${planId} AND e.id = ${id} AND ${notExpired(q.engine, now)}`)) ?? null;
}

/** The plan's exports that have not expired at `now`, newest first (ties by id, the same way on both engines). */
export async function listExports(q: Sql, planId: string, now = Date.now()): Promise<PastExport[]> {
  const rows = await q.rows(ExportRow, sql`${SELECT} WHERE e.plan_id = ${planId} AND ${notExpired(q.engine, now)} ORDER BY e.created_at DESC, e.id DESC`);
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

export async function exportRetentionDays(q: Sql, planId: string): Promise<number> {
  const row = await q.row(RetentionRow, sql`SELECT export_retention_days AS days FROM plans WHERE id = ${planId}`);
  return row?.days ?? 30;
}

export async function setExportRetentionDays(q: Sql, planId: string, days: number): Promise<void> {
  await q.run(sql`UPDATE plans SET export_retention_days = ${days} WHERE id = ${planId}`);
}

/**
 * Exports left running by a server that stopped: their worker died with it, so they can never
 * finish. Marked failed so the list says so instead of showing them in progress for ever. Those of
 * the given owners, found stopped by server/ownership/abandonedWork.ts (null: exports recorded without
 * an owner).
 */
export async function failInterruptedExports(q: Sql, now: number, owners: ReadonlyArray<string | null>): Promise<number> {
  const at = new Date(now).toISOString();
  let failed = 0;
  for (const owner of owners) {
    const whose = owner === null ? sql`owner IS NULL` : sql`owner = ${owner}`;
    failed += (
      await q.run(
        sql`UPDATE exports SET state = 'failed', error = 'The server stopped while the export was being made.', error_code = 'export_interrupted',
             finished_at = ${at} WHERE state = 'running' AND ${whose}`,
      )
    ).changes;
  }
  return failed;
}

/** The owners of exports running now, or left running by a process that stopped. */
export async function runningExportOwners(q: Sql): Promise<Array<string | null>> {
  return (await q.rows(OwnerRow, sql`SELECT DISTINCT owner FROM exports WHERE state = 'running'`)).map((r) => r.owner);
}

/** Removes expired exports of every plan: their rows, then their files. Returns how many went. */
export async function purgeExpiredExports(q: Sql, dir: string, now = Date.now()): Promise<number> {
  const expired = await q.transaction(async (tx) => {
    const rows = await tx.rows(ExportFileRow, sql`SELECT e.id, e.file FROM exports e JOIN plans p ON p.id = e.plan_id WHERE NOT (${notExpired(tx.engine, now)})`);
    for (const e of rows) await tx.run(sql`DELETE FROM exports WHERE id = ${e.id}`);
    return rows;
  });
  for (const e of expired) rmSync(join(dir, e.file), { force: true });
  return expired.length;
}

/**
 * Deletes every file in `dir` that no export names: left by a deleted plan, or half written when
 * the server stopped. Only while no export runs (at start), as a running one writes a `.part` file.
 */
export async function sweepUnlistedExportFiles(q: Sql, dir: string): Promise<void> {
  const known = new Set((await q.rows(FileRow, sql`SELECT file FROM exports`)).map((r) => r.file));
  for (const f of readdirSync(dir)) if (!known.has(f)) rmSync(join(dir, f), { force: true, recursive: true });
}
