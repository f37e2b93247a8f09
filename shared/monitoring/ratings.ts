import type { AssessmentRating, ProgressStatus } from '../api/monitoring.ts';

/**
 * The government's view of an action or recommendation on the scale civil society assesses with
 * (UPR Info's mid-term assessments), derived from submitted progress reports, and the rule that
 * marks an item disputed. Pure, so the server, the client and the exports agree on one reading.
 */

/** An action's rating from its latest submitted, uncorrected report's status in the round (null: none). */
export function actionGovernmentRating(status: ProgressStatus | null): AssessmentRating {
  switch (status) {
    case 'completed':
      return 'fully_implemented';
    case 'in_progress':
    case 'delayed':
      return 'partially_implemented';
    case 'not_started':
    case 'cancelled':
      return 'not_implemented';
    case null:
      return 'no_information';
  }
}

/**
 * A recommendation's rating from the ratings of the actions linked to it. Only reported actions
 * count: all of them fully implemented → fully; any fully or partially → partially; all reported
 * not implemented → not implemented; none reported (or no linked actions) → no information.
 */
export function recommendationGovernmentRating(actionRatings: readonly AssessmentRating[]): AssessmentRating {
  const reported = actionRatings.filter((r) => r !== 'no_information');
  if (reported.length === 0) return 'no_information';
  if (reported.every((r) => r === 'fully_implemented')) return 'fully_implemented';
  if (reported.some((r) => r === 'fully_implemented' || r === 'partially_implemented')) return 'partially_implemented';
  return 'not_implemented';
}

/**
 * Disputed: the government has said something (its rating is not "no information") and some
 * assessment says something else. An assessment of "no information" disputes nothing.
 */
export function isDisputed(governmentRating: AssessmentRating, assessmentRatings: readonly AssessmentRating[]): boolean {
  if (governmentRating === 'no_information') return false;
  return assessmentRatings.some((r) => r !== 'no_information' && r !== governmentRating);
}

/** The buckets the progress page counts actions in. */
export type ProgressBucket = 'notReported' | 'onTrack' | 'delayed' | 'done' | 'cancelled';

/** Which bucket an action falls in from its latest submitted, uncorrected report's status (null: none). */
export function progressBucket(status: ProgressStatus | null): ProgressBucket {
  switch (status) {
    case null:
      return 'notReported';
    case 'not_started':
    case 'in_progress':
      return 'onTrack';
    case 'delayed':
      return 'delayed';
    case 'completed':
      return 'done';
    case 'cancelled':
      return 'cancelled';
  }
}

export interface ProgressCounts {
  total: number;
  notReported: number;
  onTrack: number;
  delayed: number;
  done: number;
  cancelled: number;
}

export const emptyCounts = (): ProgressCounts => ({ total: 0, notReported: 0, onTrack: 0, delayed: 0, done: 0, cancelled: 0 });

/** Adds one action with the given status to a tally (mutates and returns it). */
export function countStatus(counts: ProgressCounts, status: ProgressStatus | null): ProgressCounts {
  counts.total += 1;
  counts[progressBucket(status)] += 1;
  return counts;
}

/** Whether a rating says the item is implemented (fully), for the "implemented per side" totals. */
export const isImplemented = (rating: AssessmentRating) => rating === 'fully_implemented';
