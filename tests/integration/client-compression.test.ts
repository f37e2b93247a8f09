/**
 * Someone on a slow connection (an NGO lawyer working from exile at 50 KB/s) waits for the browser
 * app's scripts before seeing anything: the server sends the build's compressed copies
 * (scripts/precompress.ts) to a browser that accepts them, the plain files to one that does not,
 * and never compresses the API, the live event stream or downloads. Hashed assets are kept by the
 * browser; the shell is asked for each time.
 *
 * Needs the client build (`npm run build`, part of `npm test`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_DIR } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A GET exactly as written: node:http adds no Accept-Encoding and unpacks nothing (fetch does
 * both). With `firstBytesOnly` it stops at the headers, for a stream that never ends.
 */
function get(url: string, headers: Record<string, string> = {}, firstBytesOnly = false): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      if (firstBytesOnly) {
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.alloc(0) });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The build's main script: the largest every page loads (index-<hash>.js, named in the shell). */
function mainScript(): string {
  const shell = readFileSync(join(CLIENT_DIR, 'index.html'), 'utf8');
  const src = /<script[^>]+src="(\/assets\/index-[^"]+\.js)"/.exec(shell)?.[1];
  if (!src) throw new Error('no main script in the built index.html');
  return src;
}

let server: TestServer;
let coordinator: ApiClient;
let planId: string;

beforeAll(async () => {
  expect(existsSync(join(CLIENT_DIR, 'index.html')), 'the client build: run "npm run build" first').toBe(true);
  server = await startTestServer({ clientDir: CLIENT_DIR });
  ({ coordinator, planId } = await setUpWorkspace(server));
});
afterAll(async () => {
  await server?.destroy();
});

describe('the browser app’s files', () => {
  it('go gzipped to a browser that accepts gzip, and plain to one that does not', async () => {
    const path = mainScript();
    const plain = readFileSync(join(CLIENT_DIR, path));

    const zipped = await get(server.url + path, { 'accept-encoding': 'gzip' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toMatch(/^text\/javascript/);
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/i);
    expect(zipped.body.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(zipped.body).equals(plain)).toBe(true);

    const unzipped = await get(server.url + path);
    expect(unzipped.status).toBe(200);
    expect(unzipped.headers['content-encoding']).toBeUndefined();
    expect(unzipped.headers.vary).toMatch(/Accept-Encoding/i);
    expect(unzipped.body.equals(plain)).toBe(true);
  });

  it('go as Brotli, the smaller, to a browser that accepts both, as browsers do', async () => {
    const path = mainScript();
    const res = await get(server.url + path, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.body).equals(readFileSync(join(CLIENT_DIR, path)))).toBe(true);
  });

  it('keep hashed assets for a year; the shell, compressed too, is asked for every time', async () => {
    const asset = await get(server.url + mainScript(), { 'accept-encoding': 'gzip' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    for (const path of ['/', '/plans/some-plan/sections/some-section', '/index.html']) {
      const shell = await get(server.url + path, { 'accept-encoding': 'gzip' });
      expect(shell.status, path).toBe(200);
      expect(shell.headers['content-type'], path).toMatch(/^text\/html/);
      expect(shell.headers['content-encoding'], path).toBe('gzip');
      expect(shell.headers['cache-control'], path).toBe('no-cache');
      expect(gunzipSync(shell.body).toString('utf8'), path).toBe(readFileSync(join(CLIENT_DIR, 'index.html'), 'utf8'));
    }
  });

  it('an API answer, the live event stream and a download are never compressed', async () => {
    const headers = { 'accept-encoding': 'gzip, br', cookie: coordinator.cookie! };

    const json = await get(`${server.url}/api/plans/${planId}`, headers);
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(json.body.toString('utf8')).plan.id).toBe(planId);

    const stream = await get(`${server.url}/api/plans/${planId}/events`, { ...headers, accept: 'text/event-stream' }, true);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['content-encoding']).toBeUndefined();

    const csv = await get(`${server.url}/api/plans/${planId}/audit.csv`, headers);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment/);
    expect(csv.headers['content-encoding']).toBeUndefined();
  });
});
