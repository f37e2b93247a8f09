import type { Action } from '../../../shared/api/index.ts';
import { formatDate } from '../../i18n/format.ts';

type T = (key: string, opts?: Record<string, unknown>) => string;

/** "2027" → "2027", "2027-Q2" → "Q2 2027" (in the reader's words), "2027-05-31" → the day as the app writes days. */
export function formatTimePoint(value: string | null, lng: string, t: T): string | null {
  if (!value) return null;
  const q = /^(\d{4})-Q([1-4])$/.exec(value);
  if (q) return t('actions.quarter', { quarter: q[2], year: q[1] });
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value, lng);
  return value;
}

/** What an action lacks to be followed up: something to measure, someone in charge, a timeline. */
export type ActionProblem = 'no_indicator' | 'no_lead_agency' | 'no_timeline';

export function actionProblems(a: Action): ActionProblem[] {
  return [
    ...(a.indicators.length === 0 ? (['no_indicator'] as const) : []),
    ...(a.leadAgencyId === null ? (['no_lead_agency'] as const) : []),
    ...(a.start === null || a.end === null ? (['no_timeline'] as const) : []),
  ];
}

/** Sortable key for a time point: start of the year, quarter or day. */
export function timeKey(v: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(v);
  if (q) return `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  if (/^\d{4}$/.test(v)) return `${v}-01-01`;
  return v;
}
