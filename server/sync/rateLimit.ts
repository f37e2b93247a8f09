/**
 * A token bucket: `capacity` tokens, refilled at `perSecond`. A burst up to the capacity passes at
 * once; beyond it, only the refill rate. The clock is injectable for tests of the arithmetic.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }

  /** Takes one token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Takes one token even when there is none (the bucket goes into debt, repaid by the refill). */
  spend(): void {
    this.refill();
    this.tokens -= 1;
  }

  /** Milliseconds until one token is available (0 when one is). */
  msUntilToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}

/**
 * What one person may send, over all their connections (so reconnecting does not refill it), sized from what a real page sends so that nobody typing or moving
 * a caret ever reaches them:
 * - messages other than presence (edits, state requests): a fast typist sends ~15 edits a second,
 *   a reconnect two or three messages per open section at once. Beyond the rate, the server stops reading the
 *   connection until the bucket refills: nothing is dropped, the sender just waits.
 * - changes of the connection's own presence: y-websocket renews it every 15 s and sends one per
 *   caret move (one per keystroke, up to ~60 a second while a selection is dragged). Beyond the
 *   rate they are merged, the latest state of each presence winning, and sent when the bucket
 *   refills; a connection that keeps far above the rate (a flood) is closed.
 * Echoes (a page sends back everyone else's presence it was sent) change nothing and cost nothing.
 */
export const SyncRates = {
  messages: { capacity: 300, perSecond: 60 },
  presence: { capacity: 60, perSecond: 20 },
  /** Presence changes merged beyond the rate that a connection may accumulate before it is closed. */
  presenceExcess: { capacity: 1000, perSecond: 100 },
  /**
   * New connections: a page reconnects every open section at once after a network blip. Past the
   * rate a connection is refused for a moment (the page retries with back-off), so closing and
   * reopening does not become a way round the other budgets, nor a load of its own.
   */
  connects: { capacity: 100, perSecond: 5 },
} as const;

/** One person's budgets (see SyncRates). */
export class SyncBudget {
  readonly messages = new TokenBucket(SyncRates.messages.capacity, SyncRates.messages.perSecond);
  readonly presence = new TokenBucket(SyncRates.presence.capacity, SyncRates.presence.perSecond);
  readonly presenceExcess = new TokenBucket(SyncRates.presenceExcess.capacity, SyncRates.presenceExcess.perSecond);
  readonly connects = new TokenBucket(SyncRates.connects.capacity, SyncRates.connects.perSecond);
}
