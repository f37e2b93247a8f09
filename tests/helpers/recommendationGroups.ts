import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const LABELLED = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/recommendation-groups/labelled.json');

const LabelledSetSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      states: z.array(z.string()),
      cycle: z.number().int().nullable(),
      mechanism: z.string(),
      group: z.string(),
      source: z.string(),
    }),
  ),
});

export type LabelledItem = z.output<typeof LabelledSetSchema>['items'][number];

/** The labelled set (tests/fixtures/recommendation-groups/README.md): items and their true groups. */
export function labelledGroups(): { items: LabelledItem[]; truth: string[][] } {
  const { items } = LabelledSetSchema.parse(JSON.parse(readFileSync(LABELLED, 'utf8')));
  const byGroup = new Map<string, string[]>();
  for (const item of items) {
    const list = byGroup.get(item.group) ?? [];
    list.push(item.id);
    byGroup.set(item.group, list);
  }
  return { items, truth: [...byGroup.values()] };
}

/** The State whose review the A/HRC/15/16 items are from: named in some texts, never the ask. */
export const LABELLED_STATE_UNDER_REVIEW = 'Belarus';
