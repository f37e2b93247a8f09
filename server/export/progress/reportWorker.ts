/**
 * Builds a round's progress report in a worker thread on its own read-only SQLite connection:
 * drawing a chart per indicator is CPU work that must not hold up the event loop serving editing.
 */
import Database from 'better-sqlite3';
import { renameSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { blocksToDocx } from './blocksDocx.ts';
import { blocksToPdf } from './blocksPdf.ts';
import { gatherProgressReport } from './gather.ts';
import { sqliteSql } from '../../db/sql/sqliteSql.ts';
import { progressReportBlocks } from './reportContent.ts';
import type { ReportWorkerInput, ReportWorkerMessage } from './runner.ts';
import { exportWords } from '../i18n/index.ts';

const input = workerData as ReportWorkerInput;
const post = (m: ReportWorkerMessage) => parentPort!.postMessage(m);

async function run() {
  const db = new Database(input.databaseFile, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // One transaction: a consistent snapshot while people keep reporting. Its reads on `db` and
    // on `tx` are the same connection's, inside the same BEGIN.
    const data = await sqliteSql(db).transaction((tx) => gatherProgressReport(db, tx, input.planId, input.roundId, input.exportedAt), { snapshot: true });
    const blocks = await progressReportBlocks(data, input.kind, exportWords(input.language));
    const title = blocks[0]?.type === 'title' ? blocks[0].text : 'Progress report';
    const bytes = input.format === 'docx' ? await blocksToDocx(blocks, title, input.language) : await blocksToPdf(blocks, title, input.language);
    writeFileSync(`${input.outFile}.part`, bytes);
    renameSync(`${input.outFile}.part`, input.outFile);
    post({ type: 'done', title, planTitle: data.plan.title, bytes: bytes.length, memory: process.memoryUsage() });
  } finally {
    db.close();
  }
}

run().catch((err: unknown) => post({ type: 'failed', error: err instanceof Error ? err.message : String(err) }));
