import { sql } from 'kysely';
import type { z } from 'zod';
import { col, rowShape } from '../../db/rows.ts';
import { jsonArrayTexts } from '../../db/sql/portable.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { EvidenceSchema, type Evidence } from '../../../shared/api/index.ts';

/**
 * How evidence is read: its rows and what people are shown of them. Apart from evidence.ts (which
 * adds and removes it on a draft the person may write, see reports.ts), so a report can list its
 * evidence without the two depending on each other.
 */

export const EvidenceRow = rowShape({
  id: col.text,
  planId: col.text,
  reportId: col.text,
  kind: EvidenceSchema.shape.kind,
  url: col.nullableText,
  label: col.text,
  mimeType: col.nullableText,
  size: col.nullableInt,
  storageKey: col.nullableText,
});
export type EvidenceRow = z.output<typeof EvidenceRow>;

export const COLUMNS = sql`id, plan_id AS "planId", report_id AS "reportId", kind, url, label, mime_type AS "mimeType", size, storage_key AS "storageKey"`;

/** Where a file is served from: any member of the plan may download it. */
export const evidenceUrl = (planId: string, evidenceId: string) => `/api/plans/${planId}/evidence/${evidenceId}`;

export const toEvidence = (r: EvidenceRow): Evidence => ({
  id: r.id,
  kind: r.kind,
  url: r.kind === 'file' ? evidenceUrl(r.planId, r.id) : (r.url ?? ''),
  label: r.label,
  mimeType: r.mimeType,
  size: r.size,
});

/**
 * The evidence of each report, in the order it was added (ties by id: PostgreSQL has no rowid).
 * The ids go as one JSON parameter, however many reports there are.
 */
export async function listEvidence(q: Sql, reportIds: string[]): Promise<Map<string, Evidence[]>> {
  const out = new Map<string, Evidence[]>();
  if (reportIds.length === 0) return out;
  const rows = await q.rows(
    EvidenceRow,
    sql`SELECT ${COLUMNS} FROM evidence
         WHERE report_id IN (SELECT ids.value FROM ${jsonArrayTexts(q.engine, sql`${JSON.stringify(reportIds)}`, 'ids')})
         ORDER BY created_at, id`,
  );
  for (const r of rows) out.set(r.reportId, [...(out.get(r.reportId) ?? []), toEvidence(r)]);
  return out;
}
