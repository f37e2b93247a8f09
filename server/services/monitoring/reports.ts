import { z } from 'zod';
import { indicatorMeasure, isYesNoValue } from '../../../shared/indicators/yesNo.ts';
import type { Db } from '../../db/database.ts';
import { allRows, col, oneRow, rowShape } from '../../db/rows.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { recordChangeNow, type Actor } from '../history.ts';
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

const SELECT = `SELECT r.id, r.plan_id AS planId, r.action_id AS actionId, r.round_id AS roundId, r.state, r.status, r.reason, r.narrative,
    r.spent_amount AS spentAmount, r.currency, r.corrects, c.id AS correctedBy, r.author_name AS authorName,
    r.author_organisation_id AS authorOrganisationId, o.name AS authorOrganisation, r.created_at AS createdAt, r.submitted_at AS submittedAt
  FROM progress_reports r JOIN organisations o ON o.id = r.author_organisation_id
  LEFT JOIN progress_reports c ON c.corrects = r.id`;

const ValueRow = rowShape({
  id: col.text,
  reportId: col.text,
  indicatorId: col.text,
  value: col.num,
  date: col.text,
  source: col.text,
  disaggregated: col.text,
});

function toReports(db: Db, rows: ReportRow[]): ProgressReport[] {
  const ids = rows.map((r) => r.id);
  const values = new Map<string, ProgressReport['values']>();
  if (ids.length > 0) {
    const valueRows = allRows(
      db.prepare(
        `SELECT v.id, v.report_id AS reportId, v.indicator_id AS indicatorId, v.value, v.observed_on AS date, v.source, v.disaggregated
           FROM observed_values v WHERE v.report_id IN (SELECT value FROM json_each(?)) ORDER BY v.observed_on, v.rowid`,
      ),
      ValueRow,
      JSON.stringify(ids),
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
  const evidence = listEvidence(db, ids);
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
export function listReports(db: Db, planId: string, roundId: string, actionId?: string): ProgressReport[] {
  const rows = allRows(
    db.prepare(`${SELECT} WHERE r.plan_id = ? AND r.round_id = ? AND (? IS NULL OR r.action_id = ?) ORDER BY r.created_at, r.rowid`),
    ReportRow,
    planId,
    roundId,
    actionId ?? null,
    actionId ?? null,
  );
  return toReports(db, rows);
}

function reportRow(db: Db, planId: string, reportId: string): ReportRow {
  const row = oneRow(db.prepare(`${SELECT} WHERE r.id = ? AND r.plan_id = ?`), ReportRow, reportId, planId);
  if (!row) throw notFound('report');
  return row;
}

export function getReport(db: Db, planId: string, reportId: string): ProgressReport {
  return toReports(db, [reportRow(db, planId, reportId)])[0]!;
}

/**
 * A draft the person may change, in a plan and round that still take reports: 409
 * `report_submitted` once submitted (corrections are new reports).
 */
export function requireWritableDraft(db: Db, planId: string, reportId: string, who: Actor): { row: ReportRow; action: ReportedAction } {
  const row = reportRow(db, planId, reportId);
  const action = actionOfPlan(db, planId, row.actionId);
  requireDraftWriter(db, who, action, row.authorOrganisationId);
  if (row.state === 'submitted') {
    throw conflict('report_submitted', 'This report is submitted and is never changed: write a correction instead.');
  }
  requireReportingStage(db, planId);
  requireOpenRound(db, planId, row.roundId);
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
function checkValues(db: Db, actionId: string, values: ObservedValueInput[]): void {
  const indicators = new Map(
    allRows(
      db.prepare('SELECT id, description, disaggregation, baseline_value AS baselineValue, target_value AS targetValue FROM indicators WHERE action_id = ?'),
      IndicatorRow,
      actionId,
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

function writeValues(db: Db, reportId: string, values: ObservedValueInput[]): void {
  db.prepare('DELETE FROM observed_values WHERE report_id = ?').run(reportId);
  const insert = db.prepare(
    'INSERT INTO observed_values (id, report_id, indicator_id, value, observed_on, source, disaggregated) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const v of values) insert.run(newId(), reportId, v.indicatorId, v.value, v.date, v.source, JSON.stringify(v.disaggregated));
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
function carryEvidenceOver(db: Db, planId: string, fromReportId: string, toReportId: string, who: Actor): void {
  const rows = allRows(db.prepare(`SELECT ${EVIDENCE_COLUMNS} FROM evidence WHERE report_id = ? AND plan_id = ? ORDER BY created_at, rowid`), EvidenceRow, fromReportId, planId);
  const insert = db.prepare(
    `INSERT INTO evidence (id, plan_id, report_id, kind, url, label, mime_type, size, storage_key, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rows) insert.run(newId(), planId, toReportId, r.kind, r.url, r.label, r.mimeType, r.size, r.storageKey, who.principal.userId, nowIso());
}

export function createReport(
  db: Db,
  planId: string,
  roundId: string,
  actionId: string,
  who: Actor,
  input: ReportInput & { corrects: string | null },
): ProgressReport {
  const action = actionOfPlan(db, planId, actionId);
  requireReporter(db, who, action);
  requireReportingStage(db, planId);
  const round = requireOpenRound(db, planId, roundId);
  if (input.corrects) {
    const corrected = oneRow(db.prepare(`${SELECT} WHERE r.id = ? AND r.plan_id = ?`), ReportRow, input.corrects, planId);
    if (!corrected || corrected.actionId !== actionId || corrected.roundId !== roundId) {
      throw badRequest('A correction names a submitted report of the same action and round.', { corrects: { code: 'correction_target' } });
    }
    if (corrected.state !== 'submitted') {
      throw badRequest('Only a submitted report is corrected; a draft is simply edited.', { corrects: { code: 'correction_of_draft' } });
    }
    if (corrected.correctedBy) throw conflict('already_corrected', 'This report already has a correction: correct that one instead.');
  }
  checkValues(db, actionId, input.values);
  const id = newId();
  const now = nowIso();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO progress_reports (id, plan_id, action_id, round_id, state, status, reason, narrative, spent_amount, currency, corrects,
         author_id, author_name, author_organisation_id, created_at, updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      planId,
      actionId,
      roundId,
      input.status,
      input.reason,
      input.narrative,
      input.spentAmount,
      action.currency,
      input.corrects,
      who.principal.userId,
      who.principal.name,
      who.principal.organisationId,
      now,
      now,
    );
    writeValues(db, id, input.values);
    if (input.corrects) carryEvidenceOver(db, planId, input.corrects, id, who);
    recordChangeNow(db, {
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
  })();
  return getReport(db, planId, id);
}

export function updateReport(db: Db, planId: string, reportId: string, who: Actor, input: ReportInput): ProgressReport {
  const { row, action } = requireWritableDraft(db, planId, reportId, who);
  checkValues(db, row.actionId, input.values);
  const before = getReport(db, planId, reportId);
  db.transaction(() => {
    db.prepare('UPDATE progress_reports SET status = ?, reason = ?, narrative = ?, spent_amount = ?, updated_at = ? WHERE id = ?').run(
      input.status,
      input.reason,
      input.narrative,
      input.spentAmount,
      nowIso(),
      reportId,
    );
    writeValues(db, reportId, input.values);
    recordChangeNow(db, {
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
  })();
  return getReport(db, planId, reportId);
}

export function submitReport(db: Db, planId: string, reportId: string, who: Actor): ProgressReport {
  const { row, action } = requireWritableDraft(db, planId, reportId, who);
  db.transaction(() => {
    const now = nowIso();
    db.prepare("UPDATE progress_reports SET state = 'submitted', submitted_at = ?, updated_at = ? WHERE id = ? AND state = 'draft'").run(now, now, reportId);
    recordChangeNow(db, {
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
  })();
  return getReport(db, planId, reportId);
}

/** Deletes a draft with its values and evidence records; returns the stored evidence files to remove. */
export function deleteReport(db: Db, planId: string, reportId: string, who: Actor): { roundId: string; storageKeys: string[] } {
  const { row, action } = requireWritableDraft(db, planId, reportId, who);
  const before = getReport(db, planId, reportId);
  const storageKeys = allRows(db.prepare("SELECT storage_key AS key FROM evidence WHERE report_id = ? AND kind = 'file'"), StorageKeyRow, reportId).map(
    (r) => r.key,
  );
  db.transaction(() => {
    db.prepare('DELETE FROM progress_reports WHERE id = ?').run(reportId);
    recordChangeNow(db, {
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
  })();
  return { roundId: row.roundId, storageKeys };
}
