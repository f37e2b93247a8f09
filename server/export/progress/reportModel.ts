/**
 * What a round's reports say, gathered for the exports (issue #15): the government's progress
 * report in the shape of a State's voluntary UPR mid-term report (per recommendation: actions
 * taken, their status, indicators) with civil society's assessments beside it, and the
 * civil-society assessment report of one or several organisations.
 */
import type {
  Assessment,
  AssessmentRating,
  IndicatorSeries,
  PlanLifecycle,
  PlanProgress,
  ProgressReport,
  ProgressStatus,
  Round,
} from '../../../shared/api/monitoring.ts';
import { exportWords } from '../i18n/index.ts';
import type { RecommendationKind } from '../../../shared/api/recommendations.ts';

export interface ReportAction {
  id: string;
  title: string;
  leadAgency: string | null;
  end: string | null;
  currency: string | null;
  budgetAmount: number | null;
  recommendationIds: string[];
}

export interface ReportRecommendation {
  id: string;
  reference: string;
  /** A voluntary pledge is headed as one, not as a recommendation (absent in inputs built by hand: a recommendation). */
  kind?: RecommendationKind;
  text: string;
}

export interface ReportIndicator {
  id: string;
  actionId: string;
  description: string;
}

export interface ProgressReportInput {
  plan: { title: string; country: string; periodStart: number; periodEnd: number };
  lifecycle: PlanLifecycle;
  round: Round;
  progress: PlanProgress;
  /** Every report of the round; the latest submitted, uncorrected one per action is what counts. */
  reports: ProgressReport[];
  actions: ReportAction[];
  recommendations: ReportRecommendation[];
  indicators: ReportIndicator[];
  exportedAt: string;
}

export type ReportKind = { kind: 'government' } | { kind: 'civil_society'; organisationIds: string[] };

/** English words for progress statuses and ratings (the public pages print them: server/public/i18n); each export takes its language's. */
export const STATUS_LABEL: Record<ProgressStatus, string> = exportWords('en').w.progressStatus;
export const RATING_LABEL: Record<AssessmentRating, string> = exportWords('en').w.rating;

/** The report that stands for an action in the round: submitted, and not corrected by a later one. */
export function standingReports(reports: ProgressReport[]): Map<string, ProgressReport> {
  const standing = new Map<string, ProgressReport>();
  for (const r of reports) {
    if (r.state !== 'submitted' || r.correctedBy !== null) continue;
    const prev = standing.get(r.actionId);
    if (!prev || (r.submittedAt ?? '') > (prev.submittedAt ?? '')) standing.set(r.actionId, r);
  }
  return standing;
}

export function seriesByAction(series: IndicatorSeries[]): Map<string, IndicatorSeries[]> {
  const out = new Map<string, IndicatorSeries[]>();
  for (const s of series) out.set(s.actionId, [...(out.get(s.actionId) ?? []), s]);
  return out;
}

export function assessmentsOf(items: PlanProgress['actions'], kind: ReportKind): Map<string, Assessment[]> {
  const out = new Map<string, Assessment[]>();
  for (const item of items) {
    const list = kind.kind === 'government' ? item.assessments : item.assessments.filter((a) => kind.organisationIds.includes(a.organisation.id));
    out.set(item.targetId, list);
  }
  return out;
}
