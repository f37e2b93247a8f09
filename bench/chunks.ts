/**
 * What JavaScript each page of the built client loads before it can paint, from Vite's manifest
 * (dist/client/.vite/manifest.json): the entry's chunks for the pages in the app shell (sign-in,
 * set-up), plus a lazily loaded page's own chunk and everything it imports for the others.
 * Sizes are of the minified files on disk and of their gzip (level 9), so they are deterministic.
 *
 * `npm run bench chunks` builds first and prints a table; `node --import tsx bench/chunks.ts`
 * reads the existing build. tests/unit/bundle-size.test.ts asserts on the same analysis.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLIENT_DIR = join(ROOT, 'dist', 'client');

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

export interface ChunkSize {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** npm packages whose code is in this chunk, from its source map. */
  packages: string[];
  /** The app's own modules in this chunk (paths from the repository root), from its source map. */
  appModules: string[];
}

export interface PageLoad {
  page: string;
  /** Manifest key of the page's lazily loaded module; null for pages inside the entry chunk. */
  module: string | null;
  /** Every JS file the page needs before it can paint, entry first. */
  chunks: ChunkSize[];
  totalBytes: number;
  totalGzipBytes: number;
  largest: ChunkSize;
}

/** Routes of the pages, for people reading the report; keys are manifest keys (from client/). */
const PAGE_NAMES: Record<string, string> = {
  'pages/PlansPage.tsx': 'plans list (/)',
  'pages/PlanPage.tsx': "a plan's section (/plans/:id/sections/:id)",
  'pages/PlanHistoryPage.tsx': 'plan history',
  'pages/AuditPage.tsx': 'audit log',
  'pages/BinPage.tsx': 'bin',
  'pages/ExportPage.tsx': 'export',
  'pages/MembersPage.tsx': 'members',
  'pages/RecommendationsPage.tsx': 'recommendations',
  'pages/CoveragePage.tsx': 'coverage',
  'pages/PublicRecordPage.tsx': 'public record',
  'pages/InvitePage.tsx': 'invite link',
  'pages/ResetPasswordPage.tsx': 'password reset link',
};

export const SIGN_IN_PAGE = 'sign-in (/sign-in)';
export const SECTION_PAGE = PAGE_NAMES['pages/PlanPage.tsx']!;

export function readManifest(clientDir = CLIENT_DIR): Manifest {
  const path = join(clientDir, '.vite', 'manifest.json');
  if (!existsSync(path)) {
    throw new Error(`No build manifest at ${path}: run "npm run build" first (npm test does).`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** The manifest key of the HTML entry (index.html). */
export function entryKey(manifest: Manifest): string {
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
  if (entries.length !== 1) throw new Error(`Expected one entry in the manifest, found ${entries.length}`);
  return entries[0]![0];
}

/** A chunk and, transitively, its static imports (what the browser must fetch before running it). */
export function staticClosure(manifest: Manifest, key: string, seen = new Set<string>()): string[] {
  if (seen.has(key)) return [];
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) throw new Error(`The manifest has no chunk "${key}"`);
  const files = [chunk.file];
  for (const imported of chunk.imports ?? []) files.push(...staticClosure(manifest, imported, seen));
  return files;
}

const sizeCache = new Map<string, ChunkSize>();

export function chunkSize(clientDir: string, file: string): ChunkSize {
  const path = join(clientDir, file);
  const cached = sizeCache.get(path);
  if (cached) return cached;
  const code = readFileSync(path);
  const packages = new Set<string>();
  const appModules = new Set<string>();
  const mapPath = `${path}.map`;
  if (existsSync(mapPath)) {
    const map = JSON.parse(readFileSync(mapPath, 'utf8')) as { sources: string[] };
    for (const source of map.sources) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
      if (match) packages.add(match[1]!);
      else appModules.add(source.replace(/^(\.\.\/)+/, ''));
    }
  }
  const size = { file, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, packages: [...packages].sort(), appModules: [...appModules].sort() };
  sizeCache.set(path, size);
  return size;
}

function load(clientDir: string, page: string, module: string | null, files: string[]): PageLoad {
  const chunks = [...new Set(files)].filter((f) => f.endsWith('.js')).map((f) => chunkSize(clientDir, f));
  return {
    page,
    module,
    chunks,
    totalBytes: chunks.reduce((n, c) => n + c.bytes, 0),
    totalGzipBytes: chunks.reduce((n, c) => n + c.gzipBytes, 0),
    largest: chunks.reduce((a, b) => (b.bytes > a.bytes ? b : a)),
  };
}

/** Per page: the JS it loads to paint. The sign-in page is first, the section page second. */
export function pageLoads(clientDir = CLIENT_DIR): PageLoad[] {
  const manifest = readManifest(clientDir);
  const entry = entryKey(manifest);
  const shell = staticClosure(manifest, entry);
  const lazyPages = Object.keys(manifest)
    .filter((key) => manifest[key]!.isDynamicEntry && key.startsWith('pages/'))
    .sort((a, b) => (a === 'pages/PlanPage.tsx' ? -1 : b === 'pages/PlanPage.tsx' ? 1 : a.localeCompare(b)));
  return [
    load(clientDir, SIGN_IN_PAGE, null, shell),
    ...lazyPages.map((key) => load(clientDir, PAGE_NAMES[key] ?? key, key, [...shell, ...staticClosure(manifest, key)])),
  ];
}

/** The HTML entry's script and modulepreload links: what a browser fetches for any first page. */
export function htmlScripts(clientDir = CLIENT_DIR): string[] {
  const html = readFileSync(join(clientDir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*\ssrc="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  return [...scripts, ...preloads];
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

export function printPageLoads(loads: PageLoad[]) {
  for (const l of loads) {
    console.log(
      `  ${l.page.padEnd(44)} ${String(l.chunks.length).padStart(2)} JS files, ${kB(l.totalBytes).padStart(9)} (gzip ${kB(l.totalGzipBytes).padStart(8)}); ` +
        `largest ${l.largest.file} ${kB(l.largest.bytes)} (gzip ${kB(l.largest.gzipBytes)})`,
    );
  }
}

/** The bench suite: a fresh production build, then the per-page report. */
export function runChunksBench(): PageLoad[] {
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error(`npm run build failed (exit ${built.status})`);
  sizeCache.clear();
  return pageLoads();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printPageLoads(pageLoads());
}
