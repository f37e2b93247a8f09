import { groupSdgs, sdgGoalName } from '../../shared/sdg.ts';
import { exportWords, type ExportWords } from './i18n/index.ts';

/**
 * A recommendation's SDG targets as the annexes print them, under its recommending States:
 * "SDG targets: Goal 5 (Gender equality): 5.1; Goal 16 (Peace, justice and strong institutions):
 * 16.3, 16.10", goal names in the export's language. Null when it names none.
 */
export function sdgLine(stored: readonly string[], words: ExportWords = exportWords()): string | null {
  const { goals, other } = groupSdgs(stored);
  if (goals.length === 0 && other.length === 0) return null;
  const d = words.w.document;
  const parts = goals.map(({ goal, targets }) => {
    const named = words.t(d.sdgGoal, { n: goal, name: sdgGoalName(goal, words.language) });
    return targets.length ? words.t(d.sdgGoalTargets, { goal: named, targets: targets.join(', ') }) : named;
  });
  return words.t(d.sdgTargets, { targets: [...parts, ...other].join('; ') });
}

/** The lines printed in italics under a recommendation's heading in Annex A: its recommending States, then its SDG targets. */
export function recommendationMeta(r: { recommendingStates: readonly string[]; sdgTargets: readonly string[] }, words: ExportWords): string[] {
  const lines: string[] = [];
  if (r.recommendingStates.length) lines.push(words.t(words.w.document.recommendingStates, { states: r.recommendingStates.join(', ') }));
  const sdgs = sdgLine(r.sdgTargets, words);
  if (sdgs) lines.push(sdgs);
  return lines;
}
