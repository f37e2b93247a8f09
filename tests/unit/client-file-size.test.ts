import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Keeps the browser app easy to change (issue #12): no source file in client/ grows past about
 * 400 lines. A file that does has more than one job; split it by feature, not by line count.
 * The failure message names every offender with its length.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const CLIENT = join(ROOT, 'client');
const LIMIT = 400;
const SOURCE = /\.(ts|tsx|css)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) ? [path] : [];
  });
}

const lineCount = (path: string) => readFileSync(path, 'utf8').split('\n').length;

describe('client source files', () => {
  it('finds the client sources to measure', () => {
    expect(sourceFiles(CLIENT).length).toBeGreaterThan(20);
  });

  it(`are each at most ${LIMIT} lines`, () => {
    const offenders = sourceFiles(CLIENT)
      .map((path) => ({ file: relative(ROOT, path), lines: lineCount(path) }))
      .filter((f) => f.lines > LIMIT)
      .sort((a, b) => b.lines - a.lines)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(offenders, `Over ${LIMIT} lines:\n${offenders.join('\n')}`).toEqual([]);
  });

  it('hold no refetch counters and parse every response with a shared schema', () => {
    const found = sourceFiles(CLIENT).flatMap((path) => {
      const text = readFileSync(path, 'utf8');
      const hits: string[] = [];
      if (/refreshKey/.test(text)) hits.push(`${relative(ROOT, path)}: refreshKey`);
      if (/z\.unknown\(\)/.test(text)) hits.push(`${relative(ROOT, path)}: z.unknown()`);
      return hits;
    });
    expect(found).toEqual([]);
  });
});
