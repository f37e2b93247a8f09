/**
 * TF-IDF vectors over normalised words, their cosine, and the blocking that keeps the comparison
 * from being all pairs: two texts are compared only when they share one of the rarer words of
 * either (an inverted index of those words). Words almost every text has ("rights", "human")
 * carry little weight and cannot make a pair on their own, so skipping them loses little.
 */

/** A unit-length sparse vector: term ids ascending, with their weights. */
export interface Vec {
  terms: Int32Array;
  weights: Float64Array;
}

export function cosine(a: Vec, b: Vec): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.terms.length && j < b.terms.length) {
    const ta = a.terms[i]!;
    const tb = b.terms[j]!;
    if (ta === tb) dot += a.weights[i++]! * b.weights[j++]!;
    else if (ta < tb) i++;
    else j++;
  }
  return dot;
}

/** A text's term ids (deduplicated, ascending), giving new words the next id in `ids`. */
export function termIdsOf(words: readonly string[], ids: Map<string, number>): Int32Array {
  const set = new Set<number>();
  for (const w of words) {
    let id = ids.get(w);
    if (id === undefined) ids.set(w, (id = ids.size));
    set.add(id);
  }
  return Int32Array.from([...set].sort((x, y) => x - y));
}

/** Each term's document frequency. */
export function documentFrequencies(termIds: readonly Int32Array[], terms: number): Int32Array {
  const df = new Int32Array(terms);
  for (const t of termIds) for (const id of t) df[id]!++;
  return df;
}

/**
 * TF-IDF with a smoothed idf (log((1 + N) / (1 + df)) + 1, as scikit-learn's default), binary term
 * frequency (a word repeated in one recommendation does not make it more about that word), unit length.
 */
export function tfidfVector(terms: Int32Array, df: Int32Array, n: number): Vec {
  const weights = new Float64Array(terms.length);
  let norm = 0;
  terms.forEach((t, k) => {
    const w = Math.log((1 + n) / (1 + df[t]!)) + 1;
    weights[k] = w;
    norm += w * w;
  });
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < weights.length; k++) weights[k]! /= norm;
  return { terms, weights };
}

/**
 * Adds one text to the inverted index (term id → the texts containing it), under the terms no
 * commoner than `maxPosting` and not unique to it.
 */
export function addToPostings(index: Map<number, number[]>, doc: number, terms: Int32Array, df: Int32Array, maxPosting: number): void {
  for (const t of terms) {
    if (df[t]! < 2 || df[t]! > maxPosting) continue;
    let list = index.get(t);
    if (!list) index.set(t, (list = []));
    list.push(doc);
  }
}

/** The texts `doc` is compared with: those sharing one of its `probeTerms` rarest blockable words. */
export function candidatesOf(
  doc: number,
  termIds: Int32Array[],
  df: Int32Array,
  index: Map<number, number[]>,
  probeTerms: number,
): number[] {
  const probes = [...termIds[doc]!].filter((t) => index.has(t)).sort((x, y) => df[x]! - df[y]! || x - y).slice(0, probeTerms);
  const seen = new Set<number>();
  // Both ways: a pair is found from either text's rare words, so a text whose rarest words it
  // shares with one neighbour still meets another through that neighbour's probes.
  for (const t of probes) for (const other of index.get(t)!) if (other !== doc) seen.add(other);
  return [...seen];
}
