import { z } from 'zod';
import { indicatorMeasure, isYesNoValue } from '../../../shared/indicators/yesNo.ts';
import { sql } from 'kysely';
import { col, rowShape } from '../../db/rows.ts';
import { jsonArrayTexts } from '../../db/sql/portable.ts';
import type { Sql } from '../../db/sql/Sql.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import { idSequence, newId, nowIso } from '../../ids.ts';
import { recordChange, type Actor } from '../history.ts';
import { requireReportingStage } from './lifecycle.ts';
import { actionOfPlan, requireDraftWriter, requireReporter, type ReportedAction } from './reporters.ts';
import { requireOpenRound } from './rounds.ts';
import { COLUMNS as EVIDENCE_COLUMNS, EvidenceRow, listEvidence } from './evidenceRecords.ts';
import { ProgressReportSchema, ProgressStatusSchema, type ObservedValueInput, type ProgressReport, type ProgressStatus } from '../../../shared/api/index.ts';

/**
 * Progress reports: per round, what an action's implementers did. A report is a draft until
 * submitted; a submitted report is never changed again, and a correction is a new report naming
 * the one it corrects. Nothing here touches actions, indicators or sections: what was agreed and
 * signed stays as it was signed.
 *
 * On Sql (decision 0011). Each write checks what it may do inside its own transaction, so a draft
 * submitted or a round closed meanwhile by another server is seen; ties of order go by id, not
 * SQLite's rowid, the same way on both engines.
 */

const ReportRow = rowShape({
  id: col.text,
  planId: col.text,
  actionId: col.text,
  roundId: col.text,
  state: ProgressReportSchema.shape.state,
  status: ProgressStatusSchema,
  reason: col.text,
  narrative: col.text,
  spentAmount: col.nullableNum,
  currency: col.nullableText,
  corrects: col.nullableText,
  correctedBy: col.nullableText,
  authorName: col.text,
  authorOrganisationId: col.text,
  authorOrganisation: col.text,
  createdAt: col.text,
  submittedAt: col.nullableText,
});
type ReportRow = z.output<typeof ReportRow>;

const SELECT = sql`SELECT r.id, r.plan_id AS "planId", r.action_id AS "actionId", r.round_id AS "roundId", r.state, r.status, r.reason, r.narrative,
    r.spent_amount AS "spentAmount", r.currency, r.corrects, c.id AS "correctedBy", r.author_name AS "authorName",
    r.author_organisation_id AS "authorOrganisationId", o.name AS "authorOrganisation", r.created_at AS "createdAt", r.submitted_at AS "submittedAt"
  FROM progress_reports r JOIN organisations o ON o.id = r.author_organisation_id
  LEFT JOIN progress_reports c ON c.corrects = r.id`;

/** The ids as a FROM item of one JSON parameter, however many there are. */
const idList = (q: Sql, ids: string[]) => sql`(SELECT ids.value FROM ${jsonArrayTexts(q.engine, sql`${JSON.stringify(ids)}`, 'ids')})`;

const ValueRow = rowShape({
  id: col.text,
  reportId: col.text,
  indicatorId: col.text,
  value: col.num,
  date: col.text,
  source: col.text,
  disaggregated: col.text,
});

async function toReports(q: Sql, rows: ReportRow[]): Promise<ProgressReport[]> {
  const ids = rows.map((r) => r.id);
  const values = new Map<string, ProgressReport['values']>();
  if (ids.length > 0) {
    const valueRows = await q.rows(
      ValueRow,
      sql`SELECT v.id, v.report_id AS "reportId", v.indicator_id AS "indicatorId", v.value, v.observed_on AS date, v.source, v.disaggregated
            FROM observed_values v WHERE v.report_id IN ${idList(q, ids)} ORDER BY v.observed_on, v.id`,
    );
    const roundOf = new Map(rows.map((r) => [r.id, r.roundId]));
    for (const v of valueRows) {
      const list = values.get(v.reportId) ?? [];
      list.push({
        id: v.id,
        reportId: v.reportId,
        roundId: roundOf.get(v.reportId)!,
        indicatorId: v.indicatorId,
        value: v.value,
        date: v.date,
        source: v.source,
        disaggregated: JSON.parse(v.disaggregated) as ObservedValueInput['disaggregated'],
      });
      values.set(v.reportId, list);
    }
  }
  const evidence = await listEvidence(q, ids);
  return rows.map((r) => ({
    id: r.id,
    actionId: r.actionId,
    roundId: r.roundId,
    state: r.state,
    status: r.status,
    reason: r.reason,
    narrative: r.narrative,
    spentAmount: r.spentAmount,
    currency: r.currency,
    values: values.get(r.id) ?? [],
    evidence: evidence.get(r.id) ?? [],
    corrects: r.corrects,
    correctedBy: r.correctedBy,
    author: { name: r.authorName, organisation: r.authorOrganisation },
    createdAt: r.createdAt,
    submittedAt: r.submittedAt,
  }));
}

/** A round's reports (optionally one action's), oldest first. */
export async function listReports(q: Sql, planId: string, roundId: string, actionId?: string): Promise<ProgressReport[]> {
  const rows = await q.rows(
    ReportRow,
    sql`${SELECT} WHERE r.plan_id = ${planId} AND r.round_id = ${roundId} ${actionId ? sql`AND r.action_id = ${actionId}` : sql``} ORDER BY r.created_at, r.id`,
  );
  return toReports(q, rows);
}

const oneReport = (q: Sql, planId: string, reportId: string) => q.row(ReportRow, sql`${SELECT} WHERE r.id = ${reportId} AND r.plan_id = ${planId}`);

async function reportRow(q: Sql, planId: string, reportId: string): Promise<ReportRow> {
  const row = await oneReport(q, planId, reportId);
  if (!row) throw notFound('report');
  return row;
}

export async function getReport(q: Sql, planId: string, reportId: string): Promise<ProgressReport> {
  return (await toReports(q, [await reportRow(q, planId, reportId)]))[0]!;
}

/**
 * A draft the person may change, in a plan and round that still take reports: 409
 * `report_submitted` once submitted (corrections are new reports).
 */
export async function requireWritableDraft(q: Sql, planId: string, reportId: string, who: Actor): Promise<{ row: ReportRow; action: ReportedAction }> {
  const row = await reportRow(q, planId, reportId);
  const action = await actionOfPlan(q, planId, row.actionId);
  await requireDraftWriter(q, who, action, row.authorOrganisationId);
  if (row.state === 'submitted') {
    throw conflict('report_submitted', 'This report is submitted and is never changed: write a correction instead.');
  }
  await requireReportingStage(q, planId);
  await requireOpenRound(q, planId, row.roundId);
  return { row, action };
}

const IndicatorRow = rowShape({
  id: col.text,
  description: col.text,
  disaggregation: col.text,
  baselineValue: col.nullableText,
  targetValue: col.nullableText,
});
const StorageKeyRow = rowShape({ key: col.text });

/**
 * The last day a value may say it was observed on: today where the earliest time zone already is
 * (UTC + 14 h), so a person anywhere can date a value today. West of that zone this lets a value
 * through dated up to a day ahead; the report form checks the person's own day. What it stops is a
 * typing slip (2062 for 2026) that would become the indicator's "latest value" in every chart,
 * export and the public record.
 */
export function lastObservableDay(now = new Date()): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}

/**
 * 400 unless every value is for one of the action's own indicators, is 1 or 0 for a yes/no
 * indicator, names only its disaggregations, and was not observed after today.
 */
async function checkValues(q: Sql, actionId: string, values: ObservedValueInput[]): Promise<void> {
  const indicators = new Map(
    (
      await q.rows(
        IndicatorRow,
        sql`SELECT id, description, disaggregation, baseline_value AS "baselineValue", target_value AS "targetValue" FROM indicators WHERE action_id = ${actionId}`,
      )
    ).map((i) => [i.id, i]),
  );
  const lastDay = lastObservableDay();
  values.forEach((v, n) => {
    if (v.date > lastDay) {
      throw badRequest(`A value cannot be observed after today: ${v.date}.`, { [`values.${n}.date`]: { code: 'observed_in_future', params: { date: v.date } } });
    }
    const indicator = indicators.get(v.indicatorId);
    if (!indicator) {
      throw badRequest('An observed value is for an indicator that is not one of this action’s.', { [`values.${n}.indicatorId`]: { code: 'not_in_plan' } });
    }
    if (indicatorMeasure(indicator) === 'yes_no' && !isYesNoValue(v.value)) {
      throw badRequest(`The indicator “${indicator.description}” is answered yes or no: its value is 1 (yes) or 0 (no), not ${v.value}.`, {
        [`values.${n}.value`]: { code: 'yes_no_value' },
      });
    }
    const dimensions = new Set((JSON.parse(indicator.disaggregation) as string[]).map((d) => d.toLowerCase()));
    v.disaggregated.forEach((d, k) => {
      if (!dimensions.has(d.dimension.toLowerCase())) {
        const named = dimensions.size > 0 ? `it names ${[...dimensions].join(', ')}` : 'it names none';
        throw badRequest(`The indicator “${indicator.description}” is not disaggregated by “${d.dimension}”: ${named}.`, {
          [`values.${n}.disaggregated.${k}.dimension`]: { code: 'not_disaggregated' },
        });
      }
    });
  });
}

// Ids of one sequence sort in the order written: values observed the same day, and evidence
// carried over in one moment, keep their order when ties go by id.
async function writeValues(tx: Sql, reportId: string, values: ObservedValueInput[]): Promise<void> {
  await tx.run(sql`DELETE FROM observed_values WHERE report_id = ${reportId}`);
  const nextId = idSequence();
  for (const v of values) {
    await tx.run(
      sql`INSERT INTO observed_values (id, report_id, indicator_id, value, observed_on, source, disaggregated)
          VALUES (${nextId()}, ${reportId}, ${v.indicatorId}, ${v.value}, ${v.date}, ${v.source}, ${JSON.stringify(v.disaggregated)})`,
    );
  }
}

export interface ReportInput {
  status: ProgressStatus;
  reason: string;
  narrative: string;
  spentAmount: number | null;
  values: ObservedValueInput[];
}

/** The fields an audit entry keeps of a report. */
const auditFields = (r: ReportInput & { state?: string }) => ({
  status: r.status,
  reason: r.reason,
  narrative: r.narrative,
  spentAmount: r.spentAmount,
  values: r.values.map((v) => ({ indicatorId: v.indicatorId, value: v.value, date: v.date })),
  ...(r.state ? { state: r.state } : {}),
});

/**
 * A correction starts with the evidence of the report it corrects (links, and files shared with
 * it), so correcting one figure does not leave the corrected report without its proof; the
 * person removes what no longer holds. Runs inside the correction's own transaction.
 */
async function carryEvidenceOver(tx: Sql, planId: string, fromReportId: string, toReportId: string, who: Actor): Promise<void> {
  const rows = await tx.rows(EvidenceRow, sql`SELECT ${EVIDENCE_COLUMNS} FROM evidence WHERE report_id = ${fromReportId} AND plan_id = ${planId} ORDER BY created_at, id`);
  const nextId = idSequence();
  const now = nowIso();
  for (const r of rows) {
    await tx.run(
      sql`INSERT INTO evidence (id, plan_id, report_id, kind, url, label, mime_type, size, storage_key, created_by, created_at)
          VALUES (${nextId()}, ${planId}, ${toReportId}, ${r.kind}, ${r.url}, ${r.label}, ${r.mimeType}, ${r.size}, ${r.storageKey}, ${who.principal.userId}, ${now})`,
    );
  }
}

export async function createReport(
  q: Sql,
  planId: string,
  roundId: string,
  actionId: string,
  who: Actor,
  input: ReportInput & { corrects: string | null },
): Promise<ProgressReport> {
  const id = await q.transaction(async (tx) => {
    const action = await actionOfPlan(tx, planId, actionId);
    await requireReporter(tx, who, action);
    await requireReportingStage(tx, planId);
    const round = await requireOpenRound(tx, planId, roundId);
    if (input.corrects) {
      const corrected = await oneReport(tx, planId, input.corrects);
      if (!corrected || corrected.actionId !== actionId || corrected.roundId !== roundId) {
        throw badRequest('A correction names a submitted report of the same action and round.', { corrects: { code: 'correction_target' } });
      }
      if (corrected.state !== 'submitted') {
        throw badRequest('Only a submitted report is corrected; a draft is simply edited.', { corrects: { code: 'correction_of_draft' } });
      }
      if (corrected.correctedBy) throw conflict('already_corrected', 'This report already has a correction: correct that one instead.');
    }
    await checkValues(tx, actionId, input.values);
    const id = newId();
    const now = nowIso();
    await tx.run(
      sql`INSERT INTO progress_reports (id, plan_id, action_id, round_id, state, status, reason, narrative, spent_amount, currency, corrects,
            author_id, author_name, author_organisation_id, created_at, updated_at)
          VALUES (${id}, ${planId}, ${actionId}, ${roundId}, 'draft', ${input.status}, ${input.reason}, ${input.narrative}, ${input.spentAmount},
            ${action.currency}, ${input.corrects}, ${who.principal.userId}, ${who.principal.name}, ${who.principal.organisationId}, ${now}, ${now})`,
    );
    await writeValues(tx, id, input.values);
    if (input.corrects) await carryEvidenceOver(tx, planId, input.corrects, id, who);
    await recordChange(tx, {
      planId,
      who,
      action: 'report.created',
      targetType: 'report',
      targetId: id,
      summary: `${who.principal.name} drafted ${input.corrects ? 'a correction of the report' : 'a progress report'} on “${action.title}” for ${round.name}`,
      before: null,
      after: auditFields(input),
      details: { actionId, roundId, actionTitle: action.title, corrects: input.corrects },
    });
    return id;
  });
  return getReport(q, planId, id);
}

export async function updateReport(q: Sql, planId: string, reportId: string, who: Actor, input: ReportInput): Promise<ProgressReport> {
  await q.transaction(async (tx) => {
    const { row, action } = await requireWritableDraft(tx, planId, reportId, who);
    await checkValues(tx, row.actionId, input.values);
    const before = await getReport(tx, planId, reportId);
    await tx.run(
      sql`UPDATE progress_reports SET status = ${input.status}, reason = ${input.reason}, narrative = ${input.narrative}, spent_amount = ${input.spentAmount},
            updated_at = ${nowIso()} WHERE id = ${reportId}`,
    );
    await writeValues(tx, reportId, input.values);
    await recordChange(tx, {
      planId,
      who,
      action: 'report.updated',
      targetType: 'report',
      targetId: reportId,
      summary: `${who.principal.name} edited the draft progress report on “${action.title}”`,
      before: auditFields(before),
      after: auditFields(input),
      details: { actionId: row.actionId, roundId: row.roundId, actionTitle: action.title },
    });
  });
  return getReport(q, planId, reportId);
}

export async function submitReport(q: Sql, planId: string, reportId: string, who: Actor): Promise<ProgressReport> {
  await q.transaction(async (tx) => {
    const { row, action } = await requireWritableDraft(tx, planId, reportId, who);
    const now = nowIso();
    await tx.run(sql`UPDATE progress_reports SET state = 'submitted', submitted_at = ${now}, updated_at = ${now} WHERE id = ${reportId} AND state = 'draft'`);
    await recordChange(tx, {
      planId,
      who,
      action: 'report.submitted',
      targetType: 'report',
      targetId: reportId,
      summary: `${who.principal.name} submitted the progress report on “${action.title}” (${row.status.replace('_', ' ')})`,
      before: { state: 'draft' },
      after: { state: 'submitted' },
      details: { actionId: row.actionId, roundId: row.roundId, actionTitle: action.title, status: row.status, corrects: row.corrects },
    });
  });
  return getReport(q, planId, reportId);
}

/** Deletes a draft with its values and evidence records; returns the stored evidence files to remove. */
export async function deleteReport(q: Sql, planId: string, reportId: string, who: Actor): Promise<{ roundId: string; storageKeys: string[] }> {
  return q.transaction(async (tx) => {
    const { row, action } = await requireWritableDraft(tx, planId, reportId, who);
    const before = await getReport(tx, planId, reportId);
    const storageKeys = (await tx.rows(StorageKeyRow, sql`SELECT storage_key AS key FROM evidence WHERE report_id = ${reportId} AND kind = 'file'`)).map((r) => r.key);
    await tx.run(sql`DELETE FROM progress_reports WHERE id = ${reportId}`);
    await recordChange(tx, {
      planId,
      who,
      action: 'report.deleted',
      targetType: 'report',
      targetId: reportId,
      summary: `${who.principal.name} deleted a draft progress report on “${action.title}”`,
      before: auditFields(before),
      after: null,
      details: { actionId: row.actionId, roundId: row.roundId, actionTitle: action.title },
    });
    return { roundId: row.roundId, storageKeys };
  });
}
