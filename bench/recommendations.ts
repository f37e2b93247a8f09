import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));

interface Waits {
  samples: number;
  p50: number;
  max: number;
}
type Phases = Record<'idle' | 'preview' | 'commit' | 'undo', Waits>;

export interface RecommendationsResult {
  rows: number;
  recommendations: number;
  toCreate: number;
  csvMB: number;
  previewMs: number;
  commitMs: number;
  undoMs: number;
  /** A plan page asked for every 10 ms by another drafter. */
  request: Phases;
  /** A keystroke's round trip from one sync connection to another. */
  sync: Phases;
  unechoedKeystrokes: number;
  /** Probe requests asked again after the server closed a kept-alive connection under them. */
  connectionResets: number;
  memoryMB: { beforeImport: number; afterCommit: number; afterUndo: number; peak: number; heapBeforeImport: number; heapAfterUndo: number };
  query: Record<string, number>;
}

/** Runs the registry benchmark at one size: a driver process and the server's own process. */
export async function runRecommendationsBench(rows: number): Promise<RecommendationsResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(HERE, 'recommendationsWorker.ts'), String(rows)], {
    maxBuffer: 16 * 2 ** 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as RecommendationsResult;
}
