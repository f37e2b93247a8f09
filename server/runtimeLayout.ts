/**
 * The two things that differ between running the TypeScript sources (`npm run dev`, the tests) and
 * the compiled server (`npm start`, dist/server/server/, built by scripts/buildServer.ts). Anything
 * else beside the code (migrations, the sample, stylesheets) sits at the same relative place in both.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNNING_SOURCES = import.meta.url.endsWith('.ts');

/**
 * The application's folder: the nearest one above this file holding package.json, as Node itself
 * finds it to know the compiled files are ES modules. The client build is dist/client inside it.
 */
export function appRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in or above ${from}`);
  }
}

/**
 * A worker thread's entry, next to the module starting it (`base`, its import.meta.url). A worker
 * does not inherit the parent's TypeScript loader, so from the sources it starts through a small
 * bootstrap that registers tsx (`name`.mjs); compiled, it runs `name`.js directly.
 */
export function workerUrl(name: string, base: string): URL {
  return new URL(RUNNING_SOURCES ? `./${name}.mjs` : `./${name}.js`, base);
}
