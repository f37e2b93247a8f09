/**
 * `npm run bench groups`: how well Accord proposes near-duplicate recommendation groups (pairwise
 * precision and recall on the labelled set in tests/fixtures/recommendation-groups) and how long
 * proposing takes for a 40,000-recommendation plan, in total and in its longest single step (the
 * longest any other request on the server waits behind it, since it yields between steps).
 */
import { performance } from 'node:perf_hooks';
import { findGroups, groupSteps, type GroupInput } from '../server/services/recommendationGroups/findGroups.ts';
import { pairwiseQuality, type PairwiseQuality } from '../server/services/recommendationGroups/quality.ts';
import { LABELLED_STATE_UNDER_REVIEW, labelledGroups } from '../tests/helpers/recommendationGroups.ts';

export interface GroupsBenchResult {
  labelled: PairwiseQuality & { items: number; groupsProposed: number };
  scale: {
    recommendations: number;
    groups: number;
    totalMs: number;
    /** Wall time of the longest step: on a shared machine it includes time the process was not running. */
    longestStepMs: number;
    /** CPU time of the longest step: the work done between two yields, whatever the machine's load. */
    longestStepCpuMs: number;
    steps: number;
  };
}

/** Deterministic pseudo-random numbers, so every run groups the same 40,000 texts. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 40,000 distinct texts shaped like a big plan's: each is a labelled recommendation with two of
 * its words dropped and two words from a 5,000-word made-up vocabulary added, so asks repeat with
 * variations (as they do across States and cycles) and rare words are rare.
 */
export function scaleTexts(count: number, seed = 19): GroupInput[] {
  const rand = prng(seed);
  const { items } = labelledGroups();
  const out: GroupInput[] = [];
  for (let k = 0; k < count; k++) {
    const base = items[Math.floor(rand() * items.length)]!;
    const words = base.text.split(/\s+/);
    for (let d = 0; d < 2 && words.length > 4; d++) words.splice(Math.floor(rand() * words.length), 1);
    for (let a = 0; a < 2; a++) words.splice(Math.floor(rand() * words.length), 0, `lex${Math.floor(rand() * 5000)}`);
    out.push({ id: `r${k}`, text: words.join(' '), states: base.states });
  }
  return out;
}

export function runGroupsBench(): GroupsBenchResult {
  const { items, truth } = labelledGroups();
  const proposed = findGroups(items, { extraStates: [LABELLED_STATE_UNDER_REVIEW] });
  const labelled = { ...pairwiseQuality(proposed.map((g) => g.memberIds), truth), items: items.length, groupsProposed: proposed.length };

  const texts = scaleTexts(40_000);
  const steps = groupSteps(texts);
  let longestStepMs = 0;
  let longestStepCpuMs = 0;
  let count = 0;
  const start = performance.now();
  let result;
  for (;;) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const next = steps.next();
    longestStepMs = Math.max(longestStepMs, performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    longestStepCpuMs = Math.max(longestStepCpuMs, (cpu.user + cpu.system) / 1000);
    count++;
    if (next.done) {
      result = next.value;
      break;
    }
  }
  const totalMs = performance.now() - start;
  return { labelled, scale: { recommendations: texts.length, groups: result.length, totalMs, longestStepMs, longestStepCpuMs, steps: count } };
}
