/**
 * The export worker (a worker_threads Worker, loaded through worker.mjs): builds the plan model on
 * a connection of its own (through Sql, as the public record's snapshot reads it: a read-only
 * connection on SQLite's file, or a pool of one connection when the services run on PostgreSQL),
 * renders it, writes the file and reports progress, so a big export never blocks the event loop
 * that serves editing. The file goes from here to the disk; the main thread only ever streams it
 * from the disk to a download.
 */
import { createWriteStream, renameSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { withWorkerSql } from '../db/sql/workerDatabase.ts';
import { buildPlanModel, fileStem } from './model.ts';
import { FORMAT_INFO, MATRIX_FORMATS, writeExport } from './render/index.ts';
import { loadPlanRecommendations } from './matrixRecommendations.ts';
import { scratchFile, type WorkerInput, type WorkerMessage } from './protocol.ts';

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

async function run() {
  const docStates = new Map(input.docStates.map(([id, state]) => [id, new Uint8Array(state)]));
  // Progress: gathering is the first half, rendering the second.
  let lastPost = 0;
  const progress = (done: number, total: number, force = false) => {
    const now = Date.now();
    if (force || now - lastPost > 100) {
      lastPost = now;
      post({ type: 'progress', done, total });
    }
  };
  // Read in one transaction: a consistent snapshot even while people keep editing. The
  // connection is closed before rendering, which reads nothing more.
  const model = await withWorkerSql(input.database, (q) =>
    q.transaction(
      async (tx) => {
        const model = await buildPlanModel(tx, input.planId, {
          scope: input.scope,
          language: input.language,
          versionGroupId: input.versionGroupId,
          exportedAt: input.exportedAt,
          docStates,
          onSection: (d, t) => progress(d, t * 2),
        });
        // The matrix lists every recommendation of the plan, read in the same snapshot as the actions.
        if (MATRIX_FORMATS.has(input.format)) model.planRecommendations = await loadPlanRecommendations(tx, input.planId, model);
        return model;
      },
      { snapshot: true },
    ),
  );
  const total = model.chapters.reduce((n, c) => n + c.sections.length, 0);
  // Written as it is made, to a part file the finished export is renamed from.
  const tmp = `${input.outFile}.part`;
  const out = createWriteStream(tmp);
  await writeExport(input.format, model, out, (d) => progress(total + d, total * 2), scratchFile(input.outFile));
  renameSync(tmp, input.outFile);
  const info = FORMAT_INFO[input.format];
  post({ type: 'progress', done: total * 2, total: total * 2 });
  post({ type: 'done', filename: `${fileStem(model)}${info.suffix}.${info.ext}`, title: model.plan.title, bytes: out.bytesWritten, memory: process.memoryUsage() });
}

run().catch((err: unknown) => post({ type: 'failed', error: err instanceof Error ? err.message : String(err) }));
