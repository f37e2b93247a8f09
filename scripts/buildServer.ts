/**
 * Compiles the server (server/ and the shared/ code it imports) to plain JavaScript under
 * dist/server, so `npm start` runs without a TypeScript loader: less memory at idle and a faster
 * start (docs/benchmarks.md, "Server start"). `npm run dev` and the tests keep running the sources.
 *
 * One JavaScript file per source file, in the same folders (dist/server/server/…, dist/server/shared/…),
 * with relative imports renamed from .ts/.tsx to .js. Keeping the layout keeps every
 * `import.meta.url`-relative path of the sources true in the output; the files the server reads
 * beside its code (migrations, the sample CSV, the public record's stylesheet) are copied along.
 */
import { build, type Plugin } from 'esbuild';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_OUT_DIR = join(ROOT, 'dist', 'server');
const SOURCE_DIRS = ['server', 'shared'];
const CODE = /\.tsx?$/;
/** The tsx bootstraps the sources use to start a worker; compiled workers need none. */
const SOURCES_ONLY = /\.mjs$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every import stays an import of its own file: nothing is bundled, `.ts` becomes `.js`. */
const keepImports: Plugin = {
  name: 'keep-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const relativeImport = args.path.startsWith('.');
      return { path: relativeImport ? args.path.replace(CODE, '.js') : args.path, external: true };
    });
  },
};

export async function buildServer(): Promise<void> {
  const files = SOURCE_DIRS.flatMap((dir) => filesUnder(join(ROOT, dir)));
  rmSync(SERVER_OUT_DIR, { recursive: true, force: true });
  await build({
    entryPoints: files.filter((f) => CODE.test(f) && !f.endsWith('.d.ts')),
    outbase: ROOT,
    outdir: SERVER_OUT_DIR,
    bundle: true,
    plugins: [keepImports],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Names and lines of errors in the logs point at the sources with `node --enable-source-maps`.
    sourcemap: true,
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
  for (const file of files.filter((f) => !CODE.test(f) && !SOURCES_ONLY.test(f))) {
    cpSync(file, join(SERVER_OUT_DIR, relative(ROOT, file)));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  await buildServer();
  console.log(`server compiled to ${relative(ROOT, SERVER_OUT_DIR).split(sep).join('/')} in ${Date.now() - started} ms`);
}
