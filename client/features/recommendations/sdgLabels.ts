import type { TFunction } from 'i18next';
import { groupSdgs, sdgGoalName } from '../../../shared/sdg.ts';

/** "Goal 16: Peace, justice and strong institutions", in the reader's language. */
export const sdgGoalLabel = (t: TFunction, goal: number, language: string) => t('sdg.goal', { n: goal, name: sdgGoalName(goal, language) });

/**
 * The SDG filter's choices: each goal the plan's recommendations link to (choosing it takes all of
 * its targets), followed by those of its targets they name, indented under it.
 */
export function sdgOptions(t: TFunction, language: string, codes: readonly string[]): Array<{ value: string; label: string }> {
  return groupSdgs(codes).goals.flatMap(({ goal, targets }) => [
    { value: String(goal), label: sdgGoalLabel(t, goal, language) },
    ...targets.map((code) => ({ value: code, label: `\u2003${t('sdg.target', { code })}` })),
  ]);
}

/** A recommendation's SDG targets for reading, goal by goal: "Goal 16: Peace, justice and strong institutions — 16.3, 16.10". */
export function sdgSummary(t: TFunction, language: string, stored: readonly string[]): string {
  const { goals, other } = groupSdgs(stored);
  const parts = goals.map(({ goal, targets }) =>
    targets.length ? t('sdg.goalTargets', { goal: sdgGoalLabel(t, goal, language), targets: targets.join(', ') }) : sdgGoalLabel(t, goal, language),
  );
  return [...parts, ...other].join('; ');
}
