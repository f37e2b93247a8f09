import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
}

describe('module boundaries', () => {
  it('shared/ imports no React, DOM-only or Node modules, nor server/ or client/', () => {
    // One exception: shared/charts/ holds pure render components (no effects, no DOM access) that
    // the browser, the report exports and the public pages all draw, so it may import React.
    const isChart = (file: string) => relative(ROOT, file).startsWith(join('shared', 'charts'));
    const offenders = sources(join(ROOT, 'shared')).flatMap((file) =>
      imports(file)
        .filter((spec) => (isChart(file) ? /^(react-dom|node:|fs$|path$)/ : /^(react|react-dom|node:|fs$|path$)/).test(spec) || /\/(server|client)\//.test(spec))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('client/ never imports server/, and server/ never imports client/', () => {
    const offenders = [
      ...sources(join(ROOT, 'client')).flatMap((file) =>
        imports(file).filter((s) => s.includes('/server/')).map((s) => `${relative(ROOT, file)} imports ${s}`),
      ),
      ...sources(join(ROOT, 'server')).flatMap((file) =>
        imports(file).filter((s) => s.includes('/client/')).map((s) => `${relative(ROOT, file)} imports ${s}`),
      ),
    ];
    expect(offenders).toEqual([]);
  });

  it('no module outside shared/doc names a Yjs root type with a literal', () => {
    const offenders = [...sources(join(ROOT, 'client')), ...sources(join(ROOT, 'server'))].filter((file) =>
      /\.get(XmlFragment|Map|Array|Text)\(\s*['"]/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
