/**
 * The import preview worker (a worker_threads Worker, loaded through importWorker.mjs from the
 * sources): reads the uploaded file with the pure parsers (server/import/) and classifies its rows
 * against the plan on a connection of its own (through Sql, as the export worker reads its model:
 * a read-only connection on SQLite's file, or a pool of one connection when the services run on
 * PostgreSQL), so a 40,000-row file never holds the event loop that serves everyone else (#19).
 * The preview goes back in slices (importWorkerProtocol.ts); the main thread keeps it for the
 * commit. The worker ends with the preview: its heap, and the parsed file in it, go with it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImportFileError, parseImport } from '../import/index.ts';
import { withWorkerSql } from '../db/sql/workerDatabase.ts';
import { classifyImport, writeOrder } from './imports.ts';
import { PREVIEW_SLICE, type ImportWorkerInput, type ImportWorkerMessage } from './importWorkerProtocol.ts';

const input = workerData as ImportWorkerInput;
const post = (m: ImportWorkerMessage) => parentPort!.postMessage(m);

/** Resolves when the main thread asks for the next slice. */
const nextSlice = () => new Promise<void>((resolve) => parentPort!.once('message', () => resolve()));

async function run() {
  post({ type: 'progress', done: 0, total: 0 });
  let parsed;
  try {
    parsed = parseImport({
      filename: input.filename,
      bytes: new Uint8Array(input.bytes),
      ...(input.format ? { format: input.format } : {}),
      ...(input.encoding ? { encoding: input.encoding } : {}),
      defaults: input.defaults,
    });
  } catch (err) {
    if (err instanceof ImportFileError) {
      post({ type: 'file-error', code: err.code, message: err.message, params: err.params });
      return;
    }
    throw err;
  }
  let lastPost = 0;
  // One snapshot (classifyImport's transaction): every row is classified against the same plan,
  // whatever people do meanwhile. The connection is closed before the slices go back.
  const preview = await withWorkerSql(input.database, (q) =>
    classifyImport(q, input.planId, parsed, input.filename, (done, total) => {
      const now = Date.now();
      if (now - lastPost > 100 || done === total) {
        lastPost = now;
        post({ type: 'progress', done, total });
      }
    }),
  );
  const order = writeOrder(preview.rows);
  const { rows, rejected, ...head } = preview;
  post({ type: 'head', preview: head });
  for (let i = 0; i < rows.length; i += PREVIEW_SLICE) {
    post({ type: 'rows', rows: rows.slice(i, i + PREVIEW_SLICE) });
    await nextSlice();
  }
  for (let i = 0; i < rejected.length; i += PREVIEW_SLICE) {
    post({ type: 'rejected', rejected: rejected.slice(i, i + PREVIEW_SLICE) });
    await nextSlice();
  }
  parentPort!.postMessage({ type: 'order', order } satisfies ImportWorkerMessage, [order.buffer]);
  post({ type: 'done', memory: process.memoryUsage() });
}

run().catch((err: unknown) => post({ type: 'failed', error: err instanceof Error ? err.message : String(err) }));
