import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `npm run test:postgres` runs only tests/integration and tests/e2e again (vite.config.ts): the
 * others must come out the same whatever TEST_ENGINE says, or a test meant for PostgreSQL would
 * quietly run on SQLite alone. Unit tests start no server; the tests in tests/postgres start one only
 * with their own DATABASE_URL, which TEST_ENGINE does not change (tests/helpers/server.ts).
 */
const testFiles = (folder: string) =>
  readdirSync(folder)
    .filter((name) => /\.test\.tsx?$/.test(name))
    .map((name) => ({ name: `${folder}/${name}`, text: readFileSync(join(folder, name), 'utf8') }));

/** The text of each call `name(…)` in `text`, up to its closing parenthesis. */
function callsOf(text: string, name: string): string[] {
  const calls: string[] = [];
  for (let at = text.indexOf(`${name}(`); at >= 0; at = text.indexOf(`${name}(`, at + 1)) {
    let depth = 0;
    let end = at + name.length;
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) break;
    }
    calls.push(text.slice(at, end + 1));
  }
  return calls;
}

describe('tests run once, not again under TEST_ENGINE=postgres', () => {
  it('are unit tests that start no server and read no TEST_ENGINE', () => {
    const engineBound = testFiles('tests/unit')
      .filter(({ name }) => !name.endsWith('engine-independent-tests.test.ts'))
      .filter(({ text }) => /helpers\/(server|storedSection|cluster)\.ts|TEST_ENGINE/.test(text))
      .map(({ name }) => name);
    expect(engineBound).toEqual([]);
  });

  it('are PostgreSQL tests whose every server is given its own DATABASE_URL', () => {
    const files = testFiles('tests/postgres');
    expect(files.length).toBeGreaterThan(0);
    const engineBound = files
      .filter(({ text }) => /TEST_ENGINE|helpers\/cluster\.ts/.test(text) || callsOf(text, 'startTestServer').some((call) => !/env:/.test(call)))
      .map(({ name }) => name);
    expect(engineBound).toEqual([]);
    // The one file that starts servers passes DATABASE_URL through `env`, as the check above assumes.
    const starting = files.filter(({ text }) => callsOf(text, 'startTestServer').length > 0);
    for (const { text } of starting) expect(text).toMatch(/DATABASE_URL: TEST_DATABASE_URL/);
  });
});
