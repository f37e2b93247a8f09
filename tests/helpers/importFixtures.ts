import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The plain-text UN document layouts in tests/fixtures/import (its README says which layout each stands for). */
export const LAYOUT_FIXTURES = {
  plainNumbering: 'upr-wg-cycle1-plain-numbering.txt',
  dottedReordered: 'upr-wg-dotted-reordered.txt',
  footnotes: 'upr-wg-footnotes.txt',
  joint: 'upr-wg-joint.txt',
  ccpr: 'treaty-body-ccpr-concluding-observations.txt',
  cescr: 'treaty-body-cescr-concluding-observations.txt',
} as const;

export type LayoutFixture = (typeof LAYOUT_FIXTURES)[keyof typeof LAYOUT_FIXTURES];

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'import');

export function layoutFixture(file: LayoutFixture): Uint8Array {
  return readFileSync(join(DIR, file));
}
