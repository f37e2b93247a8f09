import { HttpError } from '../errors.ts';
import { Limits } from '../../shared/limits.ts';
import type { Clock } from '../services/autoVersions.ts';

/** How one kind of counter (address, account, trusted browser) slows failed sign-ins. */
export interface BackoffPolicy {
  /** Failures that cost nothing. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A counter with no failure for this long is forgotten. */
  forgetAfterMs: number;
}

export const ACCOUNT_POLICY: BackoffPolicy = {
  freeFailures: Limits.signInFreeFailures,
  firstDelayMs: Limits.signInFirstDelayMs,
  maxDelayMs: Limits.signInMaxDelayMs,
  forgetAfterMs: Limits.signInForgetAfterMs,
};
export const ADDRESS_POLICY: BackoffPolicy = { ...ACCOUNT_POLICY, freeFailures: Limits.signInFreeFailuresPerAddress };

/** The counters one sign-in attempt is judged by, each with its policy. */
export type ThrottleKey = { key: string; policy: BackoffPolicy };

export const addressKey = (ip: string): ThrottleKey => ({ key: `address:${addressGroup(ip)}`, policy: ADDRESS_POLICY });
export const accountKey = (email: string): ThrottleKey => ({ key: `account:${email}`, policy: ACCOUNT_POLICY });
export const deviceKey = (tokenHash: string): ThrottleKey => ({ key: `device:${tokenHash}`, policy: ACCOUNT_POLICY });
/** Wrong current passwords when changing one's password (the Account page): a counter per account of its own. */
export const passwordChangeKey = (userId: string): ThrottleKey => ({ key: `password-change:${userId}`, policy: ACCOUNT_POLICY });

/**
 * What one sender is, for the per-address counter: an IPv4 address, or an IPv6 /64 network, since
 * anyone given one IPv6 address usually holds the whole /64 and could step through it.
 */
export function addressGroup(ip: string): string {
  const address = ip.split('%')[0]!.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  const first = head ? head.split(':') : [];
  const last = tail ? tail.split(':') : [];
  const groups = tail === undefined ? first : [...first, ...Array<string>(Math.max(0, 8 - first.length - last.length)).fill('0'), ...last];
  return `${groups
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}

const SWEEP_AT = 10_000;
const SWEEP_EVERY_MS = 10_000;
const MAX_COUNTERS = 100_000;

interface Entry {
  failures: number;
  lastFailureAt: number;
}

/** Whole seconds, never 0, for Retry-After and the client's "try again in N seconds". */
export const retryAfterSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** 429 rate_limited with the seconds to wait. */
export const signInThrottled = (retryAfterMs: number) => {
  const seconds = retryAfterSeconds(retryAfterMs);
  return new HttpError(429, 'rate_limited', `Too many failed sign-in attempts. Try again in ${seconds} s.`, undefined, {
    retryAfterSeconds: seconds,
  });
};

/**
 * Where failed sign-ins are counted: in this process (SignInThrottle, through localSignInCounters)
 * or, with several processes, in Redis (server/cluster/redisSignInCounters.ts), so a guesser
 * spreading attempts over the processes is slowed as if there were one.
 */
export interface SignInCounters {
  /**
   * One step, so concurrent guesses cannot all pass the check before the first is counted: either
   * the wait this attempt must still do (`waitMs` > 0, nothing counted), or the attempt counted as
   * a failure on every counter before the (slow) password check, with the undo for a success.
   */
  begin(keys: ThrottleKey[]): Promise<{ waitMs: number; undo: () => Promise<void> }>;
  clear(key: ThrottleKey): Promise<void>;
}

export function localSignInCounters(throttle: SignInThrottle): SignInCounters {
  return {
    begin: async (keys) => {
      const waitMs = throttle.retryAfterMs(keys);
      if (waitMs > 0) return { waitMs, undo: async () => {} };
      const undo = throttle.charge(keys);
      return { waitMs: 0, undo: async () => undo() };
    },
    clear: async (key) => throttle.clear(key),
  };
}

/**
 * Failed sign-ins slow further attempts with growing waits (1 s, 2 s, 4 s… up to a cap) instead of
 * locking anything: whoever guesses is slowed, and the wait always ends. The sign-in route decides
 * which counters an attempt is judged by: an attempt from a browser the account's owner signed in
 * with before only by that browser's own counter, so guesses from elsewhere never hold the owner up.
 *
 * In memory: a restart forgets the counters, which only gives a guesser a few free attempts again.
 */
export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();
  private lastSweepAt = -Infinity;

  constructor(private readonly clock: Clock = { now: () => Date.now() }) {}

  /** How long this attempt must still wait (0: it may go ahead): the longest of its counters' waits. */
  retryAfterMs(keys: ThrottleKey[]): number {
    const now = this.clock.now();
    return Math.max(0, ...keys.map((k) => this.waitMs(k, now)));
  }

  /**
   * Counts a failure on every counter now, before the (slow) password check, so concurrent guesses
   * cannot all slip in before the first failure is recorded. Returns the undo for a success.
   */
  charge(keys: ThrottleKey[]): () => void {
    const now = this.clock.now();
    this.bound(now);
    const undos = keys.map(({ key, policy }) => {
      const previous = this.live(key, policy, now);
      const entry = { failures: (previous?.failures ?? 0) + 1, lastFailureAt: now };
      // Re-inserted, so the Map's order is the order of last failures: the oldest go first under a flood.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return () => {
        // Only this attempt's own failure is taken back: others counted meanwhile stay.
        const current = this.entries.get(key);
        if (!current) return;
        current.failures -= 1;
        if (current.failures <= 0) this.entries.delete(key);
        else if (current.lastFailureAt === now && previous) current.lastFailureAt = previous.lastFailureAt;
      };
    });
    return () => undos.forEach((undo) => undo());
  }

  /** Forgets a counter: the owner proved who they are (a right password, or a password reset). */
  clear(key: ThrottleKey): void {
    this.entries.delete(key.key);
  }

  private live(key: string, policy: BackoffPolicy, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.lastFailureAt >= policy.forgetAfterMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private waitMs({ key, policy }: ThrottleKey, now: number): number {
    const entry = this.live(key, policy, now);
    if (!entry || entry.failures < policy.freeFailures) return 0;
    return entry.lastFailureAt + delayAfter(entry.failures, policy) - now;
  }

  // Bounded memory: a guesser cycling through addresses or e-mails cannot grow the map forever.
  // Forgotten counters are swept now and then; past the hard cap the counters whose last failure
  // is oldest go first: under such a flood some guessers get free attempts again, which is better
  // than the server running out of memory.
  private bound(now: number): void {
    if (this.entries.size > SWEEP_AT && now - this.lastSweepAt >= SWEEP_EVERY_MS) {
      this.lastSweepAt = now;
      const forgetAfterMs = Math.max(ACCOUNT_POLICY.forgetAfterMs, ADDRESS_POLICY.forgetAfterMs);
      for (const [key, entry] of this.entries) {
        // In order of last failure: the first one still remembered ends the sweep.
        if (now - entry.lastFailureAt < forgetAfterMs) break;
        this.entries.delete(key);
      }
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size < MAX_COUNTERS) break;
      this.entries.delete(key);
    }
  }
}

/** The wait after `failures` failures: none while free, then first, 2×, 4×… up to the cap. */
export function delayAfter(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = failures - policy.freeFailures;
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(doublings, 30));
}
