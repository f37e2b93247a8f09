import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { readdirSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/**
 * The built browser app (dist/client): its files, and its HTML shell for every other GET the
 * browser app routes itself.
 *
 * Compressed: the build writes .br and .gz copies of its scripts, styles and shell
 * (scripts/precompress.ts), and a browser that accepts one gets it, so someone on a slow
 * connection waits for a third of the bytes. Only these files: API answers, the live event stream
 * and downloads are never compressed here (nothing is compressed per request).
 *
 * Cached: Vite names every file under /assets/ by a hash of its content, so a browser keeps them
 * for a year without asking again; the shell is asked for every time (it names the current
 * assets), and the rest (the service worker) for an hour.
 */

/** The copies the build writes, in the order they are preferred (Brotli is smaller). */
const ENCODINGS = [
  { encoding: 'br', ext: '.br' },
  { encoding: 'gzip', ext: '.gz' },
] as const;
type Encoding = (typeof ENCODINGS)[number]['encoding'];

const SHELL = '/index.html';
const YEAR = 365 * 24 * 60 * 60 * 1000;

/** URL path of each built file ("/assets/index-x.js") → the encodings it has a copy in. */
function compressedCopies(clientDir: string): Map<string, Set<Encoding>> {
  const copies = new Map<string, Set<Encoding>>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      const kind = ENCODINGS.find((e) => entry.name.endsWith(e.ext));
      if (!kind) continue;
      const urlPath = '/' + relative(clientDir, path).slice(0, -kind.ext.length).split(sep).join('/');
      copies.set(urlPath, (copies.get(urlPath) ?? new Set()).add(kind.encoding));
    }
  };
  walk(clientDir);
  return copies;
}

const cacheFor = (urlPath: string) =>
  urlPath === SHELL
    ? { cacheControl: false } // Cache-Control: no-cache is set by the caller
    : urlPath.startsWith('/assets/')
      ? { maxAge: YEAR, immutable: true }
      : { maxAge: '1h' };

export function clientFiles(clientDir: string): Router {
  const copies = compressedCopies(clientDir);
  const router = Router();

  /**
   * Sends `urlPath`'s compressed copy when there is one the browser accepts; otherwise (or when
   * the copy is gone, the build having changed under a running server) calls `plain`.
   */
  const sendBest = (urlPath: string, req: Request, res: Response, next: NextFunction, plain: () => void) => {
    const available = copies.get(urlPath);
    if (!available) return plain();
    // Caches between the server and the browser keep one answer per Accept-Encoding.
    res.vary('Accept-Encoding');
    // Brotli whenever it is accepted at all, whatever order the browser lists them in (Chrome
    // says "gzip, deflate, br, zstd").
    const chosen = ENCODINGS.find((e) => available.has(e.encoding) && req.acceptsEncodings(e.encoding) === e.encoding);
    if (!chosen) return plain();
    res.setHeader('Content-Encoding', chosen.encoding);
    // The type of what is inside, not of a .br or .gz file.
    res.type(extname(urlPath));
    res.sendFile(
      join(clientDir, urlPath + chosen.ext),
      // A byte range of the compressed copy is no use to a browser resuming the plain file.
      { ...cacheFor(urlPath), acceptRanges: false },
      (err?: NodeJS.ErrnoException) => {
        if (!err) return;
        if (res.headersSent) return next(err);
        res.removeHeader('Content-Encoding');
        res.removeHeader('Content-Type');
        if (err.code === 'ENOENT') plain();
        else next(err);
      },
    );
  };

  const sendShell = (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-cache');
    sendBest(SHELL, req, res, next, () => res.sendFile(join(clientDir, 'index.html'), (err) => err && next(err)));
  };

  // The shell by its own name too, so it is never served uncompressed or kept for an hour.
  router.get(SHELL, sendShell);
  router.use((req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? sendBest(req.path, req, res, next, next) : next()));
  router.use('/assets', express.static(join(clientDir, 'assets'), { index: false, ...cacheFor('/assets/') }));
  router.use(express.static(clientDir, { index: false, ...cacheFor('/') }));
  // The browser app routes on the client: every other GET gets the app shell.
  router.get(/^(?!\/api\/|\/sync\/).*/, sendShell);
  return router;
}
