import type { Db } from '../../db/database.ts';
import type { Evidence } from '../../../shared/api/index.ts';

/**
 * How evidence is read: its rows and what people are shown of them. Apart from evidence.ts (which
 * adds and removes it on a draft the person may write, see reports.ts), so a report can list its
 * evidence without the two depending on each other.
 */

export interface EvidenceRow {
  id: string;
  planId: string;
  reportId: string;
  kind: 'link' | 'file';
  url: string | null;
  label: string;
  mimeType: string | null;
  size: number | null;
  storageKey: string | null;
}

export const COLUMNS = `id, plan_id AS planId, report_id AS reportId, kind, url, label, mime_type AS mimeType, size, storage_key AS storageKey`;

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

/** The evidence of each report, in the order it was added. */
export function listEvidence(db: Db, reportIds: string[]): Map<string, Evidence[]> {
  const out = new Map<string, Evidence[]>();
  if (reportIds.length === 0) return out;
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM evidence WHERE report_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, rowid`)
    .all(JSON.stringify(reportIds)) as EvidenceRow[];
  for (const r of rows) out.set(r.reportId, [...(out.get(r.reportId) ?? []), toEvidence(r)]);
  return out;
}
