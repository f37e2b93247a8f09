import { createHash, randomBytes } from 'node:crypto';

/** A random, URL-safe identifier (128 bits). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Identifiers for many rows written together (the recommendations one import creates): a random
 * prefix of 84 bits shared by the sequence, then a counter, so they sort in the order they are
 * made. Every index keyed by recommendation id (its own, coverage's, the import's change log, the
 * tag table's) then takes a chunk's rows at one end instead of one page per row all over: at
 * 40,000 rows the commit wrote several times fewer pages (docs/benchmarks.md). The same alphabet
 * and length as newId; unique while prefixes are, and no more secret than any id.
 */
export function idSequence(): () => string {
  const prefix = randomBytes(11).toString('base64url').slice(0, 14);
  let n = 0;
  return () => prefix + (n++).toString(36).padStart(8, '0');
}

/** A random secret for sessions and invite links (256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored hashed, so a copy of the database cannot be used to sign in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function nowIso(): string {
  return new Date().toISOString();
}
