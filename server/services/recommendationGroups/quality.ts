/**
 * Pairwise precision and recall of a grouping against true groups: every pair of recommendations
 * put in one group is a claim "these say the same thing"; precision is the share of claimed pairs
 * that are true, recall the share of true pairs claimed. Singletons make no pairs.
 */
export interface PairwiseQuality {
  precision: number;
  recall: number;
  truePairs: number;
  proposedPairs: number;
  correctPairs: number;
}

function pairsOf(groups: ReadonlyArray<readonly string[]>): Set<string> {
  const pairs = new Set<string>();
  for (const group of groups) {
    const sorted = [...group].sort();
    for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) pairs.add(`${sorted[i]}\u0000${sorted[j]}`);
  }
  return pairs;
}

export function pairwiseQuality(proposed: ReadonlyArray<readonly string[]>, truth: ReadonlyArray<readonly string[]>): PairwiseQuality {
  const p = pairsOf(proposed);
  const t = pairsOf(truth);
  let correct = 0;
  for (const pair of p) if (t.has(pair)) correct++;
  return {
    precision: p.size === 0 ? 1 : correct / p.size,
    recall: t.size === 0 ? 1 : correct / t.size,
    truePairs: t.size,
    proposedPairs: p.size,
    correctPairs: correct,
  };
}
