import { createHash } from 'node:crypto';

/**
 * The hash of content given as lines (shared/doc/canonical.ts): sha256, hex, of the lines joined
 * with "\n". What a sign-off covers, what a version records of its text, and what a reader of an
 * exported document recomputes from the lines between its markers: all must agree byte for byte.
 */
export function hashLines(lines: readonly string[]): string {
  return createHash('sha256').update(lines.join('\n'), 'utf8').digest('hex');
}
