import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findEscapes, repositoryFiles } from '../helpers/repositoryBoundary.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the repository stands alone', () => {
  it('no source, test, benchmark or script reads a path outside the repository', () => {
    const files = repositoryFiles(ROOT).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    expect(findEscapes(ROOT, files)).toEqual([]);
  });
});

/** The rule on made-up files placed in the real root, each kind of escape once. */
describe('what counts as leaving the repository', () => {
  const at = (rel: string, text: string) => findEscapes(ROOT, [{ path: join(ROOT, rel), text }]);
  const parent = dirname(ROOT); // the folder around the repository, to build made-up files: reads nothing outside

  it.each([
    ['a join from the file’s folder past the root', 'tests/unit/x.test.ts', "const D = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'sibling', 'data');"],
    ['a const built on the root, then climbing', 'tests/unit/x.test.ts', "const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');\nconst DATA = join(repoRoot, '..', 'sibling');"],
    ['a template on the root', 'bench/x.ts', "const HERE = dirname(fileURLToPath(import.meta.url));\nreadFileSync(`${HERE}/../../sibling/a.csv`);"],
    ['a URL from import.meta.url', 'server/x.ts', "new URL('../../other/file.txt', import.meta.url);"],
    ['the working folder', 'bench/x.ts', "resolve(process.cwd(), '..', 'sibling');"],
    ['a bare relative path', 'tests/x.ts', "readFileSync('../sibling/data/a.csv');"],
    ['an import from a sibling folder', 'server/x.ts', "import { a } from '../../shared-data/a.ts';"],
    ['a dynamic import from a sibling folder', 'server/x.ts', "await import('../../elsewhere/a.ts');"],
    ['a script climbing out', '.ci/run', 'cp ../sibling/data/a.csv tests/'],
    ['a package.json script climbing out', 'package.json', '{"scripts": {"x": "node ../tool.js"}}'],
  ])('%s is found', (_name, rel, text) => {
    const found = at(rel, text);
    expect(found).toHaveLength(1);
    expect(found[0]!.file).toBe(rel);
    expect(found[0]!.line).toBe(text.split('\n').length);
  });

  it('an absolute path into the folder around the repository is found, in any kind of file', () => {
    expect(at('server/x.ts', `const p = '${parent}/sibling/data/a.csv';`)).toHaveLength(1);
    expect(at('.ci/run', `cat ${parent}/sibling/README.md`)).toHaveLength(1);
  });

  it.each([
    ['imports within the repository', 'tests/unit/x.test.ts', "import { a } from '../../shared/api/index.ts';"],
    ['a join that stays under the root', 'tests/unit/x.test.ts', "const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');\nconst D = join(ROOT, 'tests', 'fixtures');"],
    ['a URL beside the file', 'server/export/jobs.ts', "new URL('./worker.mjs', import.meta.url);"],
    ['a script going up from its own folder to the root', '.ci/run', 'cd "$(dirname "$0")/.."'],
    ['system tools', 'tests/helpers/x.ts', "const CHROMIUM = '/usr/bin/chromium';"],
  ])('%s are fine', (_name, rel, text) => {
    expect(at(rel, text)).toEqual([]);
  });
});
