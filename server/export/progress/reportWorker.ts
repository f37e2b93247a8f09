/**
 * Builds a round's progress report in a worker thread on a connection of its own (a read-only one
 * on SQLite's file, or a pool of one connection when the services run on PostgreSQL:
 * workerDatabase.ts): drawing a chart per indicator is CPU work that must not hold up the event
 * loop serving editing.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { blocksToDocx } from './blocksDocx.ts';
import { blocksToPdf } from './blocksPdf.ts';
import { gatherProgressReport } from './gather.ts';
import { withWorkerSql } from '../../db/sql/workerDatabase.ts';
import { progressReportBlocks } from './reportContent.ts';
import type { ReportWorkerInput, ReportWorkerMessage } from './runner.ts';
import { exportWords } from '../i18n/index.ts';

const input = workerData as ReportWorkerInput;
const post = (m: ReportWorkerMessage) => parentPort!.postMessage(m);

async function run() {
  // One transaction: a consistent snapshot while people keep reporting. The connection is closed
  // before the charts are drawn.
  const data = await withWorkerSql(input.database, (q) =>
    q.transaction((tx) => gatherProgressReport(tx, input.planId, input.roundId, input.exportedAt), { snapshot: true }),
  );
  const blocks = await progressReportBlocks(data, input.kind, exportWords(input.language));
  const title = blocks[0]?.type === 'title' ? blocks[0].text : 'Progress report';
  const bytes = input.format === 'docx' ? await blocksToDocx(blocks, title, input.language) : await blocksToPdf(blocks, title, input.language);
  writeFileSync(`${input.outFile}.part`, bytes);
  renameSync(`${input.outFile}.part`, input.outFile);
  post({ type: 'done', title, planTitle: data.plan.title, bytes: bytes.length, memory: process.memoryUsage() });
}

run().catch((err: unknown) => post({ type: 'failed', error: err instanceof Error ? err.message : String(err) }));
