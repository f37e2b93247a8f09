import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../server/sync/rateLimit.ts';

describe('TokenBucket', () => {
  it('lets a burst through, then only the refill rate, and never more than its capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    expect(bucket.msUntilToken()).toBe(500);
    now = 500;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    // A long pause refills up to the capacity, not beyond.
    now = 60_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('spending past empty is a debt the refill repays first', () => {
    let now = 0;
    const bucket = new TokenBucket(1, 10, () => now);
    bucket.spend();
    bucket.spend();
    bucket.spend();
    // Two tokens owed, one more needed: 300 ms at 10 a second.
    expect(bucket.msUntilToken()).toBe(300);
    now = 300;
    expect(bucket.take()).toBe(true);
  });
});
