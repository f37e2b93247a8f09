import { createHash, randomBytes } from 'node:crypto';

/** A random, URL-safe identifier (128 bits). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
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
