import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_CSV } from '../../server/services/samplePlan.ts';

/**
 * The real Belarus files of the first UPR cycle, kept inside the repository so that a clone on its
 * own runs every test (tests/fixtures/belarus-upr-cycle1/README.md says where each came from). The
 * verbatim recommendations CSV is the sample plan's own copy: one file serves both.
 */
export const BELARUS_FILES = {
  verbatimCsv: 'belarus-upr-cycle1-recommendations.csv',
  uprInfoCsv: 'upr-info-belarus-session8.csv',
  reportText: 'A-HRC-15-16-belarus-wg-report.txt',
} as const;

export type BelarusFile = (typeof BELARUS_FILES)[keyof typeof BELARUS_FILES];

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'belarus-upr-cycle1');

/** Where one of the Belarus files lives in the repository. */
export function belarusPath(file: BelarusFile): string {
  return file === BELARUS_FILES.verbatimCsv ? SAMPLE_CSV : join(FIXTURES, file);
}
