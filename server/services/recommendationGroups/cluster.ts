import type { Vec } from './similarity.ts';

/**
 * Clusters from scored pairs: union-find, strongest pairs first, with a guard against chaining.
 * Plain single linkage would let A≈B≈C≈… join "ratify OPCAT" to "ratify CRPD" through a chain of
 * ratification asks; here two clusters merge only when their centroids (the sums of their members'
 * vectors) are also similar, which is average linkage checked at merge time.
 */
export class GuardedUnionFind {
  private readonly parent: Int32Array;
  private readonly centroid: Array<Map<number, number> | undefined>;
  /** Each root's centroid length, kept so a merge test costs the smaller centroid's size only. */
  private readonly length: Float64Array;

  constructor(
    private readonly vectors: Vec[],
    private readonly weightOf: (doc: number) => number,
  ) {
    this.parent = Int32Array.from(vectors.keys());
    // Built on a text's first merge: most texts of a big plan never join a group.
    this.centroid = new Array<Map<number, number> | undefined>(vectors.length);
    // A unit vector times its weight has the weight as length.
    this.length = Float64Array.from(vectors.keys(), (doc) => weightOf(doc));
  }

  private centroidOf(root: number): Map<number, number> {
    let m = this.centroid[root];
    if (!m) {
      const v = this.vectors[root]!;
      const w = this.weightOf(root);
      m = new Map();
      v.terms.forEach((t, k) => m!.set(t, v.weights[k]! * w));
      this.centroid[root] = m;
    }
    return m;
  }

  find(x: number): number {
    let r = x;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[x] !== r) {
      const next = this.parent[x]!;
      this.parent[x] = r;
      x = next;
    }
    return r;
  }

  /** Merges the clusters of a and b if their centroids' cosine is at least `guard`; true when merged (or already one). */
  union(a: number, b: number, guard: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return true;
    const ca = this.centroidOf(ra);
    const cb = this.centroidOf(rb);
    if (dot(ca, cb) / (this.length[ra]! * this.length[rb]! || 1) < guard) return false;
    if (ca.size < cb.size) [ra, rb] = [rb, ra];
    const into = this.centroidOf(ra);
    for (const [t, w] of this.centroidOf(rb)) into.set(t, (into.get(t) ?? 0) + w);
    this.centroid[rb] = undefined;
    this.length[ra] = norm(into);
    this.parent[rb] = ra;
    return true;
  }
}

function dot(a: Map<number, number>, b: Map<number, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [t, w] of small) sum += w * (large.get(t) ?? 0);
  return sum;
}

function norm(m: Map<number, number>): number {
  let s = 0;
  for (const w of m.values()) s += w * w;
  return Math.sqrt(s);
}
