/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside each text file of the client build, once, at
 * build time, at the highest levels: the server then sends whichever the browser accepts
 * (server/http/clientFiles.ts) without compressing anything per request. On a 50 KB/s connection
 * the first page's scripts and styles shrink from about 700 KB to under 200 KB.
 *
 * Source maps are left alone: only developer tools fetch them, and compressing them at the
 * highest Brotli level is most of the build's time.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** What is worth compressing: text. Images, fonts and archives are compressed already. */
const TEXT = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/;
/** Below this a compressed copy saves less than a packet. */
const MIN_BYTES = 512;

/** The encodings written, each with its file ending: the server offers them in this order. */
export const PRECOMPRESSED = [
  { encoding: 'br', ext: '.br' },
  { encoding: 'gzip', ext: '.gz' },
] as const;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    // .vite/ (the manifest) is read by tests and benchmarks, never served.
    if (entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Compresses every text file under `dir` that shrinks; returns how many files it wrote copies of. */
export function precompressDir(dir: string): number {
  let written = 0;
  for (const file of filesUnder(dir).filter((f) => TEXT.test(f))) {
    const plain = readFileSync(file);
    if (plain.length < MIN_BYTES) continue;
    const copies = {
      '.br': brotliCompressSync(plain, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
        },
      }),
      '.gz': gzipSync(plain, { level: 9 }),
    };
    // A copy that saves almost nothing only costs the browser the time to unpack it.
    if (copies['.gz'].length > plain.length * 0.9) continue;
    for (const { ext } of PRECOMPRESSED) writeFileSync(file + ext, copies[ext]);
    written += 1;
  }
  return written;
}

/** Vite plugin: precompresses the client build once every file is written (`vite build` only). */
export function precompress(outDir: string): Plugin {
  return {
    name: 'accord-precompress',
    apply: 'build',
    closeBundle() {
      precompressDir(outDir);
    },
  };
}
