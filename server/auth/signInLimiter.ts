import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { tooManyRequests } from '../errors.ts';
import { Limits } from '../../shared/limits.ts';

const MESSAGE = 'Too many sign-in attempts. Wait a few minutes and try again.';

/**
 * Per-address limit on failed sign-ins. Successful ones are not counted: a shared office behind
 * one address must not lock itself out by signing in.
 */
export function signInIpLimiter(): RequestHandler {
  return rateLimit({
    windowMs: Limits.signInWindowMs,
    limit: Limits.signInAttempts,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(tooManyRequests(MESSAGE)),
  });
}

/**
 * Per-account counter of failed sign-ins, so guessing one person's password from many addresses
 * is slowed as well. In memory: a restart resets it, which is acceptable for a single server.
 */
export class SignInAttempts {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number = Limits.signInAttempts,
    private readonly windowMs: number = Limits.signInWindowMs,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 rate_limited when this e-mail has used up its failed attempts in the window. */
  check(email: string): void {
    const entry = this.failures.get(email);
    if (entry && entry.resetAt > this.now() && entry.count >= this.limit) throw tooManyRequests(MESSAGE);
  }

  recordFailure(email: string): void {
    const now = this.now();
    const entry = this.failures.get(email);
    if (!entry || entry.resetAt <= now) {
      if (this.failures.size > 10_000) this.sweep(now);
      this.failures.set(email, { count: 1, resetAt: now + this.windowMs });
    } else {
      entry.count += 1;
    }
  }

  clear(email: string): void {
    this.failures.delete(email);
  }

  // Bounded memory: an attacker cycling through e-mail addresses cannot grow the map forever.
  private sweep(now: number): void {
    for (const [email, entry] of this.failures) if (entry.resetAt <= now) this.failures.delete(email);
  }
}
