import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Sql } from '../../server/db/sql/Sql.ts';
import {
  exportRetentionDays,
  failInterruptedExports,
  finishExport,
  getExport,
  insertExport,
  listExports,
  purgeExpiredExports,
  runningExportOwners,
  setExportRetentionDays,
  sweepUnlistedExportFiles,
} from '../../server/export/pastExports.ts';
import { PLAN_ROWS, sameRowsOnBothEngines } from '../helpers/postgres.ts';

/**
 * The record of a plan's exports (pastExports.ts) reads and writes the same on SQLite and
 * PostgreSQL: what is listed, what has expired at a given moment (SQLite counts Julian days,
 * PostgreSQL adds the retention period to a timestamp), exports a stopped process left running
 * (with and without an owner), and what a purge and a sweep leave, rows and files. Each engine
 * takes the same steps from the same rows, and the answers and rows left are compared.
 */

const DAY_MS = 24 * 3600_000;
const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const both = sameRowsOnBothEngines(PLAN_ROWS, { foreignKeys: true });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const ExportState = z.object({ id: z.string(), state: z.string(), error_code: z.string().nullable(), finished_at: z.string().nullable() });

async function play(q: Sql) {
  const dir = mkdtempSync(join(tmpdir(), 'accord-past-exports-'));
  dirs.push(dir);
  const record = async (id: string, createdAt: number, owner: string | null) => {
    await insertExport(q, {
      id,
      planId: 'p1',
      createdBy: 'u1',
      format: 'pdf',
      scope: 'current',
      language: 'en',
      versionGroupId: null,
      versionName: null,
      file: `${id}.pdf`,
      contentType: 'application/pdf',
      createdAt: iso(createdAt),
      owner,
    });
    writeFileSync(join(dir, `${id}.pdf`), id);
  };
  const answers: unknown[] = [];
  answers.push(await exportRetentionDays(q, 'p1'), await exportRetentionDays(q, 'no-such-plan'));
  await setExportRetentionDays(q, 'p1', 2);
  answers.push(await exportRetentionDays(q, 'p1'));
  // Two made in the same millisecond (newest first, ties by id, descending), one a day later, two left running.
  await record('export-b', T0, 'process-1');
  await record('export-a', T0, 'process-1');
  await record('export-c', T0 + DAY_MS, 'process-2');
  await record('export-d', T0 + DAY_MS, null);
  await finishExport(q, 'export-a', { state: 'done', error: null, errorCode: null, filename: 'plan.pdf', title: 'Plan', sizeBytes: 8, total: 3, finishedAt: iso(T0 + 1000) });
  await finishExport(q, 'export-b', { state: 'failed', error: 'Too big', errorCode: 'export_too_large', filename: null, title: null, sizeBytes: null, total: 0, finishedAt: iso(T0 + 2000) });
  // A finished export is not finished again.
  await finishExport(q, 'export-a', { state: 'failed', error: 'late', errorCode: 'export_failed', filename: null, title: null, sizeBytes: null, total: 0, finishedAt: iso(T0 + 3000) });
  writeFileSync(join(dir, 'left-by-a-stopped-worker.pdf.part'), 'x');

  answers.push((await runningExportOwners(q)).sort((a, b) => String(a).localeCompare(String(b))));
  answers.push(await failInterruptedExports(q, T0 + 2 * DAY_MS - 1, ['process-2', null]));
  answers.push(await runningExportOwners(q));
  // Just before and just after the first two reach their two days.
  answers.push(await listExports(q, 'p1', T0 + 2 * DAY_MS - 1));
  answers.push(await getExport(q, 'p1', 'export-a', T0 + 2 * DAY_MS - 1), await getExport(q, 'p1', 'export-a', T0 + 2 * DAY_MS));
  answers.push(await getExport(q, 'other-plan', 'export-c', T0));
  answers.push((await listExports(q, 'p1', T0 + 2 * DAY_MS)).map((e) => e.id));

  await sweepUnlistedExportFiles(q, dir);
  answers.push(readdirSync(dir).sort());
  answers.push(await purgeExpiredExports(q, dir, T0 + 2 * DAY_MS));
  answers.push(readdirSync(dir).sort(), existsSync(join(dir, 'export-a.pdf')));
  const rows = await q.rows(ExportState, sql`SELECT id, state, error_code, finished_at FROM exports ORDER BY id`);
  return { answers, rows };
}

describe('the record of exports on both engines', () => {
  it('lists, expires, fails what a stopped process left, purges and sweeps alike', async () => {
    const [a, b] = [await play(both.sqlite), await play(both.postgres)];
    expect(b).toEqual(a);
    const [days, unknownPlan, set, owners, failed, ownersAfter, listed, kept, expired, elsewhere, afterExpiry, swept, purged, left, fileOfExpired] = a.answers;
    expect([days, unknownPlan, set]).toEqual([30, 30, 2]);
    expect(owners).toEqual([null, 'process-2']);
    expect(failed).toBe(2);
    expect(ownersAfter).toEqual([]);
    expect((listed as Array<{ id: string; state: string; expiresAt: string; createdBy: unknown }>).map((e) => [e.id, e.state, e.expiresAt])).toEqual([
      ['export-d', 'failed', iso(T0 + 3 * DAY_MS)],
      ['export-c', 'failed', iso(T0 + 3 * DAY_MS)],
      ['export-b', 'failed', iso(T0 + 2 * DAY_MS)],
      ['export-a', 'done', iso(T0 + 2 * DAY_MS)],
    ]);
    expect(kept).toMatchObject({ id: 'export-a', state: 'done', filename: 'plan.pdf', title: 'Plan', sizeBytes: 8, total: 3, retentionDays: 2, createdByName: 'Coordinator' });
    expect([expired, elsewhere]).toEqual([null, null]);
    expect(afterExpiry).toEqual(['export-d', 'export-c']);
    expect(swept).toEqual(['export-a.pdf', 'export-b.pdf', 'export-c.pdf', 'export-d.pdf']);
    expect([purged, left, fileOfExpired]).toEqual([2, ['export-c.pdf', 'export-d.pdf'], false]);
    expect(a.rows).toEqual([
      { id: 'export-c', state: 'failed', error_code: 'export_interrupted', finished_at: iso(T0 + 2 * DAY_MS - 1) },
      { id: 'export-d', state: 'failed', error_code: 'export_interrupted', finished_at: iso(T0 + 2 * DAY_MS - 1) },
    ]);
  });
});
