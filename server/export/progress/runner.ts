/**
 * Runs progress report workers (reportWorker.ts), at most two at a time; the others wait their
 * turn, so a crowd asking for reports at once cannot take every core from the people editing.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { newId } from '../../ids.ts';
import { workerUrl } from '../../runtimeLayout.ts';
import type { ReportKind } from './reportModel.ts';
import type { ExportLanguage } from '../../../shared/api/agreement.ts';

export interface ReportWorkerInput {
  databaseFile: string;
  planId: string;
  roundId: string;
  kind: ReportKind;
  format: 'docx' | 'pdf';
  /** The language of the report's own words. */
  language: ExportLanguage;
  exportedAt: string;
  outFile: string;
}

export type ReportWorkerMessage =
  | { type: 'done'; title: string; planTitle: string; bytes: number; memory: NodeJS.MemoryUsage }
  | { type: 'failed'; error: string };

export interface RenderedReport {
  file: string;
  title: string;
  planTitle: string;
  bytes: number;
  memory: NodeJS.MemoryUsage;
}

const MAX_RUNNING = 2;
const WORKER_URL = workerUrl('reportWorker', import.meta.url);
let running = 0;
const waiting: Array<() => void> = [];

async function turn(): Promise<() => void> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

export async function renderProgressReport(
  opts: { dataDir: string; databaseFile: string },
  job: Omit<ReportWorkerInput, 'databaseFile' | 'outFile'>,
): Promise<RenderedReport> {
  const release = await turn();
  const dir = join(opts.dataDir, 'progress-reports');
  mkdirSync(dir, { recursive: true });
  const outFile = join(dir, `${newId()}.${job.format}`);
  try {
    const message = await new Promise<ReportWorkerMessage>((resolve, reject) => {
      const worker = new Worker(WORKER_URL, { workerData: { ...job, databaseFile: opts.databaseFile, outFile } satisfies ReportWorkerInput });
      worker.once('message', (m: ReportWorkerMessage) => {
        resolve(m);
        void worker.terminate();
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The report stopped (exit code ${code}).`)));
    });
    if (message.type === 'failed') throw new Error(message.error);
    return { file: outFile, title: message.title, planTitle: message.planTitle, bytes: message.bytes, memory: message.memory };
  } catch (err) {
    rmSync(outFile, { force: true });
    throw err;
  } finally {
    release();
  }
}
