import { performance } from 'node:perf_hooks';
import { GuardedUnionFind } from './cluster.ts';
import { makeNormaliser } from './normalise.ts';
import { addToPostings, candidatesOf, cosine, documentFrequencies, termIdsOf, tfidfVector, type Vec } from './similarity.ts';

/** One recommendation as the grouping reads it. */
export interface GroupInput {
  id: string;
  text: string;
  /** States that may be named in the text: recommending States (and the State under review). */
  states: readonly string[];
}

export interface FoundGroup {
  /** Member ids in input order. */
  memberIds: string[];
  /** The weakest pair similarity that joined this group (1 for identical asks), for review order. */
  score: number;
}

export interface GroupingOptions {
  /** Pair cosine at or above which two recommendations are proposed as saying the same thing. */
  threshold: number;
  /** Two clusters merge only when their centroids are at least this similar (the chaining guard). */
  guard: number;
  /** How many of a text's rarest words it is looked up by (blocking). */
  probeTerms: number;
  /** A word in more texts than this is too common to block on. */
  maxPosting: number;
  /** Extra State names to remove from every text (the State under review). */
  extraStates: readonly string[];
}

/**
 * Chosen on the labelled set in tests/fixtures/recommendation-groups (docs/benchmarks.md gives the
 * precision and recall they give); a lower threshold finds more of the report's own groups at the
 * price of proposing same-topic asks that differ.
 */
export const DEFAULT_GROUPING: GroupingOptions = { threshold: 0.3, guard: 0.35, probeTerms: 6, maxPosting: 400, extraStates: [] };

/**
 * The longest the grouping runs between two yields. A request arriving meanwhile waits at most
 * about this long (plus one text's work) when the caller yields to the event loop at each step.
 */
const SLICE_MS = 15;

/** Each text keeps at most this many of its most similar neighbours: enough to join its group, and
 * a ceiling on the pairs a plan of many near-identical asks produces. */
const NEIGHBOURS = 8;

/**
 * Proposes groups of recommendations that say the same thing, as a generator that yields every
 * SLICE_MS so that a caller on the server's thread lets other requests through between steps
 * (`findGroupsInSteps`); `findGroups` runs it to the end at once.
 */
export function* groupSteps(items: readonly GroupInput[], options: Partial<GroupingOptions> = {}): Generator<void, FoundGroup[]> {
  const o = { ...DEFAULT_GROUPING, ...options };
  let since = performance.now();
  const due = () => {
    if (performance.now() - since < SLICE_MS) return false;
    since = performance.now();
    return true;
  };
  const normalise = makeNormaliser([...o.extraStates, ...items.flatMap((i) => i.states)]);

  // Identical asks after normalisation are one text: 40,000 UPR Info rows hold far fewer asks.
  const textIndex = new Map<string, number>();
  const docOfItem: number[] = [];
  const docs: string[][] = [];
  const copies: number[] = [];
  for (const item of items) {
    const words = normalise(item.text);
    const key = words.join(' ');
    let doc = textIndex.get(key);
    if (doc === undefined) {
      textIndex.set(key, (doc = docs.length));
      docs.push(words);
      copies.push(0);
    }
    copies[doc]!++;
    docOfItem.push(doc);
    if (due()) yield;
  }

  const ids = new Map<string, number>();
  const termIds: Int32Array[] = [];
  for (const words of docs) {
    termIds.push(termIdsOf(words, ids));
    if (due()) yield;
  }
  const df = documentFrequencies(termIds, ids.size);
  const vectors: Vec[] = [];
  for (const terms of termIds) {
    vectors.push(tfidfVector(terms, df, termIds.length));
    if (due()) yield;
  }
  const index = new Map<number, number[]>();
  for (let doc = 0; doc < termIds.length; doc++) {
    addToPostings(index, doc, termIds[doc]!, df, o.maxPosting);
    if (due()) yield;
  }

  // Pairs over the threshold, bucketed by similarity (hundredths) rather than sorted: linear, and
  // the strongest still come first.
  const buckets: Array<Array<[number, number]>> = Array.from({ length: 101 }, () => []);
  const near: Array<[number, number]> = [];
  for (let doc = 0; doc < docs.length; doc++) {
    if (termIds[doc]!.length === 0) continue;
    near.length = 0;
    for (const other of candidatesOf(doc, termIds, df, index, o.probeTerms)) {
      const sim = cosine(vectors[doc]!, vectors[other]!);
      if (sim >= o.threshold) near.push([other, sim]);
    }
    if (near.length > NEIGHBOURS) near.sort((a, b) => b[1] - a[1]).length = NEIGHBOURS;
    for (const [other, sim] of near) buckets[Math.min(100, Math.floor(sim * 100))]!.push([doc, other]);
    if (due()) yield;
  }

  const uf = new GuardedUnionFind(vectors, (doc) => copies[doc]!);
  const weakest = new Map<number, number>();
  for (let b = 100; b >= 0; b--) {
    for (const [a, c] of buckets[b]!) {
      // Refused merges cost a centroid comparison too: the clock is checked for every pair.
      if (due()) yield;
      const ra = uf.find(a);
      const rc = uf.find(c);
      if (ra === rc || !uf.union(a, c, o.guard)) continue;
      weakest.set(uf.find(a), Math.min(b / 100, weakest.get(ra) ?? 1, weakest.get(rc) ?? 1));
    }
  }
  const byRoot = new Map<number, string[]>();
  for (let k = 0; k < items.length; k++) {
    const doc = docOfItem[k]!;
    // An empty text (all State names and boilerplate) says nothing to match on.
    if (termIds[doc]!.length === 0) continue;
    const root = uf.find(doc);
    let list = byRoot.get(root);
    if (!list) byRoot.set(root, (list = []));
    list.push(items[k]!.id);
    if (due()) yield;
  }
  const groups: FoundGroup[] = [];
  for (const [root, memberIds] of byRoot) {
    if (memberIds.length < 2) continue;
    groups.push({ memberIds, score: weakest.get(root) ?? 1 });
  }
  return groups;
}

export function findGroups(items: readonly GroupInput[], options: Partial<GroupingOptions> = {}): FoundGroup[] {
  const steps = groupSteps(items, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** As `findGroups`, giving the event loop a turn between steps: no request waits for the whole run. */
export async function findGroupsInSteps(items: readonly GroupInput[], options: Partial<GroupingOptions> = {}): Promise<FoundGroup[]> {
  const steps = groupSteps(items, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
