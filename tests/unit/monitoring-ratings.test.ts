import { describe, expect, it } from 'vitest';
import {
  actionGovernmentRating,
  countStatus,
  emptyCounts,
  isDisputed,
  progressBucket,
  recommendationGovernmentRating,
} from '../../shared/monitoring/ratings.ts';

/** The government's rating, the disputed rule and the progress buckets, without a server. */

describe('actionGovernmentRating', () => {
  it('reads the latest submitted status on the assessment scale', () => {
    expect(actionGovernmentRating('completed')).toBe('fully_implemented');
    expect(actionGovernmentRating('in_progress')).toBe('partially_implemented');
    expect(actionGovernmentRating('delayed')).toBe('partially_implemented');
    expect(actionGovernmentRating('not_started')).toBe('not_implemented');
    expect(actionGovernmentRating('cancelled')).toBe('not_implemented');
    expect(actionGovernmentRating(null)).toBe('no_information');
  });
});

describe('recommendationGovernmentRating', () => {
  it('is fully implemented only when every reported linked action is', () => {
    expect(recommendationGovernmentRating(['fully_implemented', 'fully_implemented'])).toBe('fully_implemented');
    expect(recommendationGovernmentRating(['fully_implemented', 'no_information'])).toBe('fully_implemented');
  });

  it('is partially implemented when some reported action is fully or partially implemented', () => {
    expect(recommendationGovernmentRating(['fully_implemented', 'not_implemented'])).toBe('partially_implemented');
    expect(recommendationGovernmentRating(['partially_implemented', 'not_implemented'])).toBe('partially_implemented');
    expect(recommendationGovernmentRating(['partially_implemented'])).toBe('partially_implemented');
  });

  it('is not implemented when every reported action is not', () => {
    expect(recommendationGovernmentRating(['not_implemented', 'not_implemented', 'no_information'])).toBe('not_implemented');
  });

  it('has no information when no linked action is reported, or none is linked', () => {
    expect(recommendationGovernmentRating(['no_information', 'no_information'])).toBe('no_information');
    expect(recommendationGovernmentRating([])).toBe('no_information');
  });
});

describe('isDisputed', () => {
  it('marks an assessment that differs from a government rating', () => {
    expect(isDisputed('partially_implemented', ['not_implemented'])).toBe(true);
    expect(isDisputed('fully_implemented', ['fully_implemented', 'partially_implemented'])).toBe(true);
  });

  it('does not mark agreement, silence or "no information"', () => {
    expect(isDisputed('partially_implemented', ['partially_implemented'])).toBe(false);
    expect(isDisputed('partially_implemented', [])).toBe(false);
    expect(isDisputed('partially_implemented', ['no_information'])).toBe(false);
  });

  it('does not mark anything while the government has said nothing', () => {
    expect(isDisputed('no_information', ['not_implemented', 'fully_implemented'])).toBe(false);
  });
});

describe('progress buckets', () => {
  it('puts each status in one bucket', () => {
    expect(progressBucket(null)).toBe('notReported');
    expect(progressBucket('not_started')).toBe('onTrack');
    expect(progressBucket('in_progress')).toBe('onTrack');
    expect(progressBucket('delayed')).toBe('delayed');
    expect(progressBucket('completed')).toBe('done');
    expect(progressBucket('cancelled')).toBe('cancelled');
  });

  it('tallies statuses with a total', () => {
    const counts = emptyCounts();
    for (const s of ['in_progress', 'completed', null, 'delayed', 'not_started'] as const) countStatus(counts, s);
    expect(counts).toEqual({ total: 5, notReported: 1, onTrack: 2, delayed: 1, done: 1, cancelled: 0 });
  });
});
