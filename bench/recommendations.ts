import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface RecommendationsResult {
  rows: number;
  recommendations: number;
  csvMB: number;
  parseMs: number;
  previewMs: number;
  commitMs: number;
  totalImportMs: number;
  longestEventLoopStallMs: number;
  importPeakRssMB: number;
  rssBeforeImportMB: number;
  query: Record<string, number>;
}

/** Runs the registry benchmark at one size in a fresh process (so peak memory is its own). */
export async function runRecommendationsBench(rows: number): Promise<RecommendationsResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(HERE, 'recommendationsWorker.ts'), String(rows)], {
    maxBuffer: 16 * 2 ** 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as RecommendationsResult;
}
