import type { ActionsDiffSummary, ActionsSnapshot, SectionDiff } from '../../shared/api/index.ts';
import { diffActions } from './diffActions.ts';

// Differences between two states of a section's actions (field by field): ./diffActions.ts.
export { diffActions } from './diffActions.ts';

/**
 * Differences between two texts of a section, block by block (a block is one line of
 * shared/doc/canonical.ts sectionTextLines: a paragraph, heading, list item or table row).
 *
 * 1. Blocks are aligned with a Myers diff on their exact text.
 * 2. In each run of blocks between two unchanged ones, removed and added blocks are paired by how
 *    many words they share (a weighted LCS), so an edited paragraph shows as one changed block and
 *    a new paragraph next to it as an added one.
 * 3. A paired block gets a word-level Myers diff (words, whitespace runs and single punctuation
 *    marks are the tokens; Unicode letters of any script count as word characters).
 *
 * No dependency: the Myers diff below is small and works on any sequence.
 */

export type DiffOp = 'equal' | 'insert' | 'delete';
export interface DiffPart {
  op: DiffOp;
  text: string;
}

type Step = { op: 'equal'; a: number; b: number } | { op: 'delete'; a: number } | { op: 'insert'; b: number };

/** Beyond this many edits, a diff gives up and reports "all removed, all added" (keeps memory bounded). */
const MAX_EDITS = 4000;

/**
 * Myers' O((N+M)·D) shortest edit script between sequences of lengths n and m, with `same(i, j)`
 * comparing a[i] and b[j]. Common prefix and suffix are trimmed first.
 */
export function diffSequences(n: number, m: number, same: (i: number, j: number) => boolean): Step[] {
  let start = 0;
  while (start < n && start < m && same(start, start)) start++;
  let endA = n;
  let endB = m;
  while (endA > start && endB > start && same(endA - 1, endB - 1)) {
    endA--;
    endB--;
  }
  const head: Step[] = [];
  for (let i = 0; i < start; i++) head.push({ op: 'equal', a: i, b: i });
  const tail: Step[] = [];
  for (let i = endA, j = endB; i < n; i++, j++) tail.push({ op: 'equal', a: i, b: j });
  const middle = myers(endA - start, endB - start, (i, j) => same(start + i, start + j)).map((s): Step => {
    switch (s.op) {
      case 'equal':
        return { op: 'equal', a: s.a + start, b: s.b + start };
      case 'delete':
        return { op: 'delete', a: s.a + start };
      case 'insert':
        return { op: 'insert', b: s.b + start };
    }
  });
  return [...head, ...middle, ...tail];
}

function allReplaced(n: number, m: number): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < n; i++) steps.push({ op: 'delete', a: i });
  for (let j = 0; j < m; j++) steps.push({ op: 'insert', b: j });
  return steps;
}

function myers(n: number, m: number, same: (i: number, j: number) => boolean): Step[] {
  if (n === 0 || m === 0) return allReplaced(n, m);
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v for k in -(d+1)..(d+1) as it was before step d.
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && same(x, y)) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  if (!done) return allReplaced(n, m);

  const steps: Step[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const t = trace[d]!;
    const at = (k: number) => t[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      steps.push({ op: 'equal', a: x, b: y });
    }
    if (d > 0) {
      if (x === prevX) steps.push({ op: 'insert', b: y - 1 });
      else steps.push({ op: 'delete', a: x - 1 });
    }
    x = prevX;
    y = prevY;
  }
  return steps.reverse();
}

// ----- Words -----

const TOKEN = /[\p{L}\p{M}\p{N}_]+|\s+|[^\p{L}\p{M}\p{N}_\s]/gu;
const WORD = /^[\p{L}\p{M}\p{N}_]+$/u;

/** Words, whitespace runs and single other characters; joined, they give the text back. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Length in Unicode code points (what a person counts as characters, Cyrillic or emoji alike). */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Joins neighbouring parts of the same kind and drops empty ones. */
function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) {
    if (!p.text) continue;
    const last = out[out.length - 1];
    if (last && last.op === p.op) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/**
 * Within a run of changes, shows what was removed before what was added, and folds a lone space
 * between two changes into both, so "the quick" → "a slow" reads as one replacement, not two.
 */
function tidy(parts: DiffPart[]): DiffPart[] {
  const folded: DiffPart[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const before = parts[i - 1];
    const after = parts[i + 1];
    if (p.op === 'equal' && /^\s+$/.test(p.text) && before && before.op !== 'equal' && after && after.op !== 'equal') {
      folded.push({ op: 'delete', text: p.text }, { op: 'insert', text: p.text });
    } else folded.push(p);
  }
  const out: DiffPart[] = [];
  let dels = '';
  let ins = '';
  const flush = () => {
    if (dels) out.push({ op: 'delete', text: dels });
    if (ins) out.push({ op: 'insert', text: ins });
    dels = ins = '';
  };
  for (const p of folded) {
    if (p.op === 'delete') dels += p.text;
    else if (p.op === 'insert') ins += p.text;
    else {
      flush();
      out.push(p);
    }
  }
  flush();
  return merge(out);
}

/** Word-level difference between two texts of one block. */
export function diffWords(from: string, to: string): DiffPart[] {
  if (from === to) return from ? [{ op: 'equal', text: from }] : [];
  const a = tokenize(from);
  const b = tokenize(to);
  const parts = diffSequences(a.length, b.length, (i, j) => a[i] === b[j]).map(
    (s): DiffPart => (s.op === 'insert' ? { op: 'insert', text: b[s.b]! } : { op: s.op, text: a[s.a]! }),
  );
  return tidy(merge(parts));
}

function words(text: string): string[] {
  return tokenize(text.toLocaleLowerCase()).filter((t) => WORD.test(t));
}

/** Share of words two blocks have in common, from 0 (nothing) to 1 (the same words). */
export function similarity(a: string, b: string): number {
  const wa = words(a);
  const wb = words(b);
  if (wa.length === 0 && wb.length === 0) return a.trim() === b.trim() ? 1 : 0.5;
  if (wa.length === 0 || wb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const w of wa) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of wb) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      common++;
      counts.set(w, c - 1);
    }
  }
  return (2 * common) / (wa.length + wb.length);
}

/** Blocks sharing less than this share of words are shown as one removed and one added. */
const PAIR_THRESHOLD = 0.3;
/** Larger runs of changed blocks are paired in order instead (the weighted LCS is quadratic). */
const MAX_PAIRING_CELLS = 10_000;

/**
 * Pairs removed with added blocks of one run of changes, keeping their order, to maximise the words
 * they share. Returns index pairs [removed, added], increasing in both.
 */
function pairBlocks(removed: string[], added: string[]): Array<[number, number]> {
  const n = removed.length;
  const m = added.length;
  if (n === 0 || m === 0) return [];
  if (n * m > MAX_PAIRING_CELLS) {
    return Array.from({ length: Math.min(n, m) }, (_, i): [number, number] => [i, i]);
  }
  const sim: number[][] = removed.map((r) => added.map((a) => similarity(r, a)));
  // best[i][j]: best total similarity pairing removed[i..] with added[j..].
  const best: Float64Array[] = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = sim[i]![j]!;
      const pair = s >= PAIR_THRESHOLD ? s + best[i + 1]![j + 1]! : -1;
      best[i]![j] = Math.max(pair, best[i + 1]![j]!, best[i]![j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const s = sim[i]![j]!;
    if (s >= PAIR_THRESHOLD && best[i]![j] === s + best[i + 1]![j + 1]!) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (best[i]![j] === best[i + 1]![j]) i++;
    else j++;
  }
  return pairs;
}

export interface BlocksDiff {
  blocks: DiffPart[][];
  summary: { insertedChars: number; deletedChars: number; changedBlocks: number };
}

/** Block-by-block difference between two texts given as their block lines. */
export function diffBlocks(from: readonly string[], to: readonly string[]): BlocksDiff {
  const blocks: DiffPart[][] = [];
  const steps = diffSequences(from.length, to.length, (i, j) => from[i] === to[j]);
  let removed: string[] = [];
  let added: string[] = [];
  const flushRun = () => {
    const pairs = pairBlocks(removed, added);
    let i = 0;
    let j = 0;
    for (const [pi, pj] of [...pairs, [removed.length, added.length] as [number, number]]) {
      for (; i < pi; i++) blocks.push([{ op: 'delete', text: removed[i]! }]);
      for (; j < pj; j++) blocks.push([{ op: 'insert', text: added[j]! }]);
      if (pi < removed.length && pj < added.length) {
        blocks.push(diffWords(removed[pi]!, added[pj]!));
        i = pi + 1;
        j = pj + 1;
      }
    }
    removed = [];
    added = [];
  };
  for (const step of steps) {
    if (step.op === 'delete') removed.push(from[step.a]!);
    else if (step.op === 'insert') added.push(to[step.b]!);
    else {
      flushRun();
      blocks.push([{ op: 'equal', text: from[step.a]! }]);
    }
  }
  flushRun();

  let insertedChars = 0;
  let deletedChars = 0;
  let changedBlocks = 0;
  for (const block of blocks) {
    let changed = false;
    for (const part of block) {
      if (part.op === 'insert') insertedChars += charCount(part.text);
      else if (part.op === 'delete') deletedChars += charCount(part.text);
      if (part.op !== 'equal') changed = true;
    }
    if (changed) changedBlocks++;
  }
  // An empty block (an empty paragraph) still shows, as one empty equal part.
  return {
    blocks: blocks.map((b) => (b.length ? b : [{ op: 'equal', text: '' }])),
    summary: { insertedChars, deletedChars, changedBlocks },
  };
}

export function diffSection(sectionId: string, title: string, from: readonly string[], to: readonly string[]): SectionDiff {
  return { sectionId, title, ...diffBlocks(from, to) };
}

// ----- Whole plan -----

export interface SectionText {
  sectionId: string;
  title: string;
  lines: string[];
  /** The section's actions; null for a version kept before versions held actions (text only). */
  actions?: ActionsSnapshot | null;
}

export interface SectionChangeSummary {
  sectionId: string;
  title: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  insertedChars: number;
  deletedChars: number;
  changedBlocks: number;
  /** Counts of action and indicator changes; null when a side holds text only (or no actions were given). */
  actions: ActionsDiffSummary | null;
}

export interface PlanDiffSummary {
  /** In the order of `to` (the newer side), then sections only `from` has. */
  sections: SectionChangeSummary[];
  /** Ids of sections only in `to`, and only in `from`. */
  added: string[];
  removed: string[];
  totals: { insertedChars: number; deletedChars: number; changedBlocks: number; changedSections: number; changedActions: number };
}

const NO_ACTIONS: ActionsSnapshot = { format: 1, actions: [], organisations: {} };

/** A section missing on one side has no actions there; one given without actions cannot be compared. */
function actionsSummary(from: SectionText | undefined, to: SectionText | undefined): ActionsDiffSummary | null {
  const side = (s: SectionText | undefined) => (s === undefined ? NO_ACTIONS : (s.actions ?? null));
  const diff = diffActions(side(from), side(to));
  return diff.comparable ? diff.summary : null;
}

const actionChanges = (s: ActionsDiffSummary | null) => (s ? s.actionsAdded + s.actionsRemoved + s.actionsChanged : 0);

/** Per-section summary of the differences between two states of a plan. */
export function diffPlan(from: readonly SectionText[], to: readonly SectionText[]): PlanDiffSummary {
  const fromById = new Map(from.map((s) => [s.sectionId, s]));
  const toIds = new Set(to.map((s) => s.sectionId));
  const sections: SectionChangeSummary[] = [];
  for (const s of to) {
    const old = fromById.get(s.sectionId);
    const { summary } = diffBlocks(old?.lines ?? [], s.lines);
    const actions = actionsSummary(old, s);
    const change = !old ? 'added' : summary.changedBlocks > 0 || actionChanges(actions) > 0 ? 'changed' : 'unchanged';
    sections.push({ sectionId: s.sectionId, title: s.title, change, ...summary, actions });
  }
  for (const s of from) {
    if (toIds.has(s.sectionId)) continue;
    const { summary } = diffBlocks(s.lines, []);
    sections.push({ sectionId: s.sectionId, title: s.title, change: 'removed', ...summary, actions: actionsSummary(s, undefined) });
  }
  const totals = { insertedChars: 0, deletedChars: 0, changedBlocks: 0, changedSections: 0, changedActions: 0 };
  for (const s of sections) {
    totals.insertedChars += s.insertedChars;
    totals.deletedChars += s.deletedChars;
    totals.changedBlocks += s.changedBlocks;
    totals.changedActions += actionChanges(s.actions);
    if (s.change !== 'unchanged') totals.changedSections++;
  }
  return {
    sections,
    added: sections.filter((s) => s.change === 'added').map((s) => s.sectionId),
    removed: sections.filter((s) => s.change === 'removed').map((s) => s.sectionId),
    totals,
  };
}
