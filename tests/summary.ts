/**
 * Prints the suite's totals as one plain line ("N passed, N failed, N skipped") from Vitest's
 * JSON report, so any reader of the log, human or CI, sees at a glance what ran.
 */
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync('test-output/vitest.json', 'utf8')) as {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
};
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`);
