import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IModule } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the sync server may not reach: it is infrastructure, and the domain plugs into it through
 * its hooks (server/sync/hooks.ts). An import from here would tie the two together again.
 */
const DOMAIN = [
  'server/services/',
  'server/routes/',
  'server/auth/',
  'server/export/',
  'server/import/',
  'server/public/',
  'server/http/',
  'server/collab/',
  'server/events.ts',
];

let modules: IModule[];

beforeAll(async () => {
  process.chdir(ROOT);
  const { output } = await cruise(['client', 'server', 'shared', 'tests', 'bench', 'scripts'], {
    // Only the repository's own files: packages are not followed, and their cycles are not ours.
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    // `import type` counts: a cycle of types still means neither module can be read alone.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  });
  modules = (output as ICruiseResult).modules;
}, 120_000);

describe('import graph', () => {
  it('reads the TypeScript sources (type-only imports included)', () => {
    const sync = modules.find((m) => m.source === 'server/sync/SyncServer.ts');
    expect(sync?.dependencies.some((d) => d.resolved === 'server/sync/Room.ts')).toBe(true);
    // A type-only import is an edge of the graph like any other.
    const typeOnly = modules.flatMap((m) => m.dependencies).filter((d) => d.dependencyTypes.includes('type-only'));
    expect(typeOnly.length).toBeGreaterThan(0);
    expect(modules.filter((m) => m.source.endsWith('.ts') || m.source.endsWith('.tsx')).length).toBeGreaterThan(300);
  });

  it('has no import cycle anywhere in the repository', () => {
    const cycles = new Set<string>();
    for (const m of modules) {
      for (const d of m.dependencies) {
        if (!d.circular || !d.cycle) continue;
        const path = [m.source, ...d.cycle.map((c) => c.name)];
        // One line per cycle, whichever module it is found from: start it at its smallest name.
        const ring = path.slice(1);
        const start = ring.indexOf([...ring].sort()[0]!);
        const canonical = [...ring.slice(start), ...ring.slice(0, start)];
        cycles.add([...canonical, canonical[0]].join(' → '));
      }
    }
    expect([...cycles].sort()).toEqual([]);
  });

  it('server/sync imports nothing from the domain', () => {
    const offenders = modules
      .filter((m) => m.source.startsWith('server/sync/'))
      .flatMap((m) => m.dependencies.filter((d) => DOMAIN.some((p) => d.resolved.startsWith(p))).map((d) => `${m.source} → ${d.resolved}`));
    expect(offenders).toEqual([]);
  });
});
