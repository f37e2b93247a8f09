import type { Action, ProgressReport, ProgressStatus } from '../../../shared/api/index.ts';
import { editableNumber, typedDay, typedNumber } from '../../i18n/typedNumber.ts';

/*
 * The report form's state as strings (what the inputs hold), and its translation to the request
 * body. Kept apart from the component so the form stays readable.
 */

export interface ValueDraft {
  indicatorId: string;
  value: string;
  date: string;
  source: string;
  /** Per dimension the indicator names: "women: 12; men: 10". */
  disaggregated: Record<string, string>;
}

export interface ReportDraft {
  status: ProgressStatus;
  reason: string;
  narrative: string;
  spent: string;
  values: ValueDraft[];
}

/** Today where the person is: a value observed today may be dated today wherever they are. */
const today = () => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
};

/**
 * A form for the action, filled from an existing report (a draft being edited, or the one
 * corrected), its numbers written as the reader writes them (`lng`): 12500,5 in Russian.
 */
export function draftFrom(action: Action, report: ProgressReport | null, lng = 'en'): ReportDraft {
  return {
    status: report?.status ?? 'in_progress',
    reason: report?.reason ?? '',
    narrative: report?.narrative ?? '',
    spent: report?.spentAmount != null ? editableNumber(report.spentAmount, lng) : '',
    values: action.indicators.map((ind) => {
      const v = report?.values.find((x) => x.indicatorId === ind.id);
      const disaggregated: Record<string, string> = {};
      for (const dim of ind.disaggregation) {
        disaggregated[dim] = (v?.disaggregated ?? [])
          .filter((d) => d.dimension === dim)
          .map((d) => `${d.group}: ${d.value}`)
          .join('; ');
      }
      return { indicatorId: ind.id, value: v ? editableNumber(v.value, lng) : '', date: v?.date ?? today(), source: v?.source ?? '', disaggregated };
    }),
  };
}

export type DraftProblem = { field: string; key: string };

/** "women: 12; men: 10" → groups and values; null when a part cannot be read. */
export function parseGroups(text: string): { group: string; value: number }[] | null {
  const parts = text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  const out: { group: string; value: number }[] = [];
  for (const part of parts) {
    const m = /^(.+?)\s*:\s*(\S.*)$/.exec(part);
    const value = m ? typedNumber(m[2]!) : NaN;
    if (!m || !Number.isFinite(value)) return null;
    out.push({ group: m[1]!.trim(), value });
  }
  return out;
}

/** A number as people type it (client/i18n/typedNumber.ts). */
export const toNumber = typedNumber;

/** What the form sends: a report's fields, the observed values in the order of the action's indicators. */
export interface ReportBody {
  status: ProgressStatus;
  reason: string;
  narrative: string;
  spentAmount: number | null;
  values: { indicatorId: string; value: number; date: string; source: string; disaggregated: { dimension: string; group: string; value: number }[] }[];
}

/** The request body, or the problems that keep the form from being sent. Empty values are left out. */
export function bodyFrom(draft: ReportDraft): { ok: true; body: ReportBody } | { ok: false; problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  if ((draft.status === 'delayed' || draft.status === 'cancelled') && !draft.reason.trim()) problems.push({ field: 'reason', key: 'monitoring.form.reasonNeeded' });
  const spent = draft.spent.trim() === '' ? null : toNumber(draft.spent);
  if (spent !== null && (!Number.isFinite(spent) || spent < 0)) problems.push({ field: 'spent', key: 'monitoring.form.spentInvalid' });
  const values = [];
  for (const v of draft.values) {
    if (v.value.trim() === '') continue;
    const value = toNumber(v.value);
    if (!Number.isFinite(value)) {
      problems.push({ field: `value.${v.indicatorId}`, key: 'monitoring.form.valueInvalid' });
      continue;
    }
    const date = typedDay(v.date);
    // A value needs the day it was observed: an emptied date field asks for one.
    if (v.date.trim() === '') problems.push({ field: `date.${v.indicatorId}`, key: 'dayField.required' });
    else if (date === null) problems.push({ field: `date.${v.indicatorId}`, key: 'monitoring.form.dateInvalid' });
    else if (date > today()) problems.push({ field: `date.${v.indicatorId}`, key: 'monitoring.form.dateFuture' });
    const disaggregated: { dimension: string; group: string; value: number }[] = [];
    for (const [dimension, text] of Object.entries(v.disaggregated)) {
      const groups = parseGroups(text);
      if (groups === null) problems.push({ field: `disagg.${v.indicatorId}.${dimension}`, key: 'monitoring.form.groupsInvalid' });
      else for (const g of groups) disaggregated.push({ dimension, ...g });
    }
    values.push({ indicatorId: v.indicatorId, value, date: date ?? v.date, source: v.source.trim(), disaggregated });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, body: { status: draft.status, reason: draft.reason.trim(), narrative: draft.narrative.trim(), spentAmount: spent, values } };
}

/**
 * The server's refusals under the form's own names for its fields. The server names an observed
 * value by its place in the body (`values.0.source`, `values.0.disaggregated.1.group`), which is not
 * the place of its indicator in the form (empty values are not sent), and the amount spent
 * `spentAmount`; the form names them by indicator and dimension (`source.<id>`, `disagg.<id>.sex`)
 * and box (`spent`), so each is said at the box that holds it. Any other path is kept as it is.
 */
export function formFieldsOf(refused: Record<string, string>, body: ReportBody): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(refused)) {
    const [head, n, field, k] = path.split('.');
    const value = head === 'values' && n !== undefined ? body.values[Number(n)] : undefined;
    let key = path;
    if (path === 'spentAmount') key = 'spent';
    else if (value && (field === 'value' || field === 'date' || field === 'source')) key = `${field}.${value.indicatorId}`;
    else if (value && field === 'disaggregated' && k !== undefined) {
      const dimension = value.disaggregated[Number(k)]?.dimension;
      if (dimension !== undefined) key = `disagg.${value.indicatorId}.${dimension}`;
    }
    out[key] ??= message;
  }
  return out;
}
