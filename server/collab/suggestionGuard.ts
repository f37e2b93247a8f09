import * as Y from 'yjs';
import type { TextAccess } from '../../shared/api/index.ts';
import { getSectionBody } from '../../shared/doc/schema.ts';
import {
  bodyEntriesOf,
  blockProposalsFitIn,
  coverageOf,
  addsDoubleMarksIn,
  ownDeletableIn,
  projectBlocksWithoutAuthor,
  projectWithoutAuthor,
  spreadsOthersIn,
  suggestionValuesIn,
  type Coverage,
  type SuggestionAttrs,
} from '../../shared/doc/suggestions.ts';
import { blocksFitEditorSchema } from './sectionSchema.ts';
import { typesInsideOwnSuggestion } from './ownTyping.ts';
import { suggestionIndexOf } from './suggestionIndex.ts';
import { touchedBlocks, type TouchedBlocks } from './touchedBlocks.ts';
import { tryUpdate } from '../sync/trialDoc.ts';

/**
 * What the sync server does with a writer's update, as far as suggestions go:
 * - `apply` it;
 * - `refuse` it (the connection is closed with EditRefused, or SuggestionLimit when `limit` says
 *   which of the person's limits it would pass, and nothing of it is kept);
 * - `wait`: it depends on something this connection has not sent yet (a reconnecting client's
 *   typing can overtake its catch-up message), so it is held and judged again together with the
 *   connection's next update. Nothing with suggestion marks, nor anything of a suggest-only
 *   person's, is ever applied that could later complete unchecked.
 */
export type Verdict = { kind: 'apply' } | { kind: 'wait' } | { kind: 'refuse'; reason: string; limit?: 'count' | 'size' };

const APPLY: Verdict = { kind: 'apply' };
const WAIT: Verdict = { kind: 'wait' };

/**
 * How much one person may propose in one section: far beyond any negotiation (a section with 500
 * open proposals of one person has stopped being negotiated), but a bound on what one member can
 * make everyone's editors and the server carry.
 */
export interface SuggestionLimits {
  /** Open suggestions of one person in one section. */
  openPerPerson: number;
  /** Characters (and proposed paragraphs) one suggestion covers, counted in the blocks an update touches. */
  charsPerSuggestion: number;
}

export const DEFAULT_SUGGESTION_LIMITS: SuggestionLimits = { openPerPerson: 500, charsPerSuggestion: 20_000 };

/**
 * A person who may only suggest: the update must leave the section with their suggestions
 * rejected exactly as it was (projectWithoutAuthor), delete nothing but their own proposed words
 * and paragraphs, fit the editor's schema, and not mark words both ways.
 *
 * Anyone who writes: no suggestion in another person's name, new or stretched over other words;
 * and no more open suggestions, nor larger ones, than `limits` allow.
 *
 * `marksSuggestions`: the update writes suggestion attributes (seen while validating it). An
 * editor's update that does not, while nothing is held back in the document, needs no check.
 *
 * The update is tried on a copy that follows the section (trialDoc.ts), and every rule is checked
 * on the blocks it touches only (touchedBlocks.ts): the cost follows the update and those blocks,
 * not the section's length nor how many suggestions it holds. Only while the section holds updates
 * back (an editor's update that came before what it builds on) is it judged on a full copy, as
 * whatever completes then changes blocks no update names.
 */
export function judgeUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  author: string,
  access: TextAccess,
  marksSuggestions: boolean,
  limits: SuggestionLimits = DEFAULT_SUGGESTION_LIMITS,
): Verdict {
  const holdsBack = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  if (access === 'edit' && !marksSuggestions && !holdsBack) return APPLY;
  if (holdsBack) return judgeOnCopy(doc, update, author, access, marksSuggestions, limits);
  const after = tryUpdate(doc, update);
  if (!after) return WAIT;
  // Typing inside one's own proposal passes by construction (ownTyping.ts): no work on the paragraph.
  if (access === 'suggest' && !marksSuggestions && typesInsideOwnSuggestion(after, update, author, limits.charsPerSuggestion)) return APPLY;
  return judgeChange({ doc, after, update, author, access, marksSuggestions, holdsBack: false, limits, touched: touchedBlocks(doc, after, update) });
}

/** The judgement on a full copy of the section, for a section that holds updates back. */
function judgeOnCopy(doc: Y.Doc, update: Uint8Array, author: string, access: TextAccess, marksSuggestions: boolean, limits: SuggestionLimits): Verdict {
  const after = new Y.Doc();
  try {
    Y.applyUpdate(after, Y.encodeStateAsUpdate(doc));
    const pendingBefore = pendingRanges(after);
    Y.applyUpdate(after, update);
    // An editor's update without suggestion marks may leave parts waiting in the document for
    // what they build on (edits the server lost, which their author will send again; see
    // Room.isClaimedByOther): held per connection instead, two people's returning work could wait
    // on each other's for ever.
    const mayWaitInDocument = access === 'edit' && !marksSuggestions;
    if (!mayWaitInDocument && !within(pendingRanges(after), pendingBefore)) return WAIT;
    const whole: TouchedBlocks = { whole: true, stretches: [{ before: bodyOf(doc), after: bodyOf(after) }], bodyEntries: true };
    return judgeChange({ doc, after, update, author, access, marksSuggestions, holdsBack: true, limits, touched: whole });
  } finally {
    after.destroy();
  }
}

const bodyOf = (doc: Y.Doc) => getSectionBody(doc).toArray();

interface Change {
  doc: Y.Doc;
  after: Y.Doc;
  update: Uint8Array;
  author: string;
  access: TextAccess;
  marksSuggestions: boolean;
  holdsBack: boolean;
  limits: SuggestionLimits;
  touched: TouchedBlocks;
}

function judgeChange({ doc, after, update, author, access, marksSuggestions, holdsBack, limits, touched }: Change): Verdict {
  const beforeBlocks = touched.stretches.flatMap((s) => s.before);
  const afterBlocks = touched.stretches.flatMap((s) => s.after);
  const was = coverageOf(beforeBlocks);
  const now = coverageOf(afterBlocks);
  const index = suggestionIndexOf(doc);
  // Someone else's suggestion can only be made or stretched by an update that writes it; when the
  // room holds something back, what completes now is judged by its effect on the whole text.
  const values = marksSuggestions ? suggestionValuesIn(update) : [];
  const writesOthers = values.some((v) => v === null || v.author !== author);
  // (Their own marks count too: one's own mark may not take over someone else's suggestion id.)
  if (values.some((v) => v === null || (v.author !== author ? !index.has(v.author, v.id) : index.heldByOther(author, v.id)))) {
    return { kind: 'refuse', reason: "suggestion in another person's name" };
  }
  if ((writesOthers || holdsBack) && spreadsOthersIn(was, now, doc, author)) {
    return { kind: 'refuse', reason: "suggestion in another person's name" };
  }
  // A proposed change of structure sits on a block that can take it (a list type on a list).
  if (values.length > 0 && !blockProposalsFitIn(afterBlocks) && blockProposalsFitIn(beforeBlocks)) return { kind: 'refuse', reason: 'malformed suggestion' };
  const overLimit = passesLimits(values, author, index, was, now, limits);
  if (overLimit) return overLimit;
  if (access !== 'suggest') return APPLY;
  if (!deletesOnlyOwn(doc, update, author, was, now)) return { kind: 'refuse', reason: 'only suggestions may be made: deletes words that are not their own proposal' };
  for (const key of after.share.keys()) if (!doc.share.has(key)) return { kind: 'refuse', reason: 'only suggestions may be made: writes outside the text' };
  if ((marksSuggestions || holdsBack) && addsDoubleMarksIn(was, now)) return { kind: 'refuse', reason: 'only suggestions may be made: marks words both ways' };
  if (!projectionKept(doc, after, author, touched)) return { kind: 'refuse', reason: 'only suggestions may be made' };
  if (!blocksFitEditorSchema(afterBlocks, touched.whole) && blocksFitEditorSchema(beforeBlocks, touched.whole)) {
    return { kind: 'refuse', reason: 'only suggestions may be made: not a document the editor can show' };
  }
  return APPLY;
}

/** Whether the section with the author's suggestions rejected reads the same after the update. */
function projectionKept(doc: Y.Doc, after: Y.Doc, author: string, touched: TouchedBlocks): boolean {
  if (touched.whole) return projectWithoutAuthor(doc, author) === projectWithoutAuthor(after, author);
  if (touched.bodyEntries && JSON.stringify(bodyEntriesOf(doc)) !== JSON.stringify(bodyEntriesOf(after))) return false;
  return touched.stretches.every((s) => projectBlocksWithoutAuthor(s.before, author) === projectBlocksWithoutAuthor(s.after, author));
}

/**
 * The person's limits: a new suggestion of theirs while they have `openPerPerson` open already
 * (counted from the section's index, not by listing it), or one of theirs grown past
 * `charsPerSuggestion` in the blocks the update touches.
 */
function passesLimits(values: Array<SuggestionAttrs | null>, author: string, index: ReturnType<typeof suggestionIndexOf>, was: Coverage, now: Coverage, limits: SuggestionLimits): Verdict | null {
  const fresh = new Set<string>();
  for (const v of values) if (v !== null && v.author === author && !index.has(author, v.id)) fresh.add(v.id);
  if (fresh.size > 0 && index.openCount(author) + fresh.size > limits.openPerPerson && index.coveringCount(author) + fresh.size > limits.openPerPerson) {
    return { kind: 'refuse', reason: `too many open suggestions (at most ${limits.openPerPerson} per person in a section)`, limit: 'count' };
  }
  const mine = author + '\u0000';
  for (const [key, covered] of now.covered) {
    if (!key.startsWith(mine) || covered.size <= limits.charsPerSuggestion) continue;
    if (covered.size > (was.covered.get(key)?.size ?? 0)) {
      return { kind: 'refuse', reason: `suggestion too long (at most ${limits.charsPerSuggestion} characters)`, limit: 'size' };
    }
  }
  return null;
}

type Ranges = Map<string, Array<[number, number]>>;

/** What the document holds back waiting for missing parts (structs, and deletions), as clock ranges. */
function pendingRanges(doc: Y.Doc): Ranges {
  const out: Ranges = new Map();
  const add = (key: string, from: number, to: number) => {
    const list = out.get(key) ?? [];
    list.push([from, to]);
    out.set(key, list);
  };
  const { pendingStructs, pendingDs } = doc.store;
  if (pendingStructs) {
    for (const s of Y.decodeUpdateV2(pendingStructs.update).structs) {
      if (!(s instanceof Y.Skip)) add(`s${s.id.client}`, s.id.clock, s.id.clock + s.length);
    }
  }
  if (pendingDs) {
    for (const [client, ranges] of Y.decodeUpdateV2(pendingDs).ds.clients) {
      for (const { clock, len } of ranges) add(`d${client}`, clock, clock + len);
    }
  }
  return out;
}

/** Whether every range of `after` lies within the ranges of `before`. */
function within(after: Ranges, before: Ranges): boolean {
  for (const [key, list] of after) {
    const outer = [...(before.get(key) ?? [])].sort((a, b) => a[0] - b[0]);
    // Merge touching ranges, then look for one that holds each range of `after`.
    const merged: Array<[number, number]> = [];
    for (const [a, b] of outer) {
      const last = merged[merged.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else merged.push([a, b]);
    }
    for (const [a, b] of list) if (!merged.some(([x, y]) => x <= a && b <= y)) return false;
  }
  return true;
}

/**
 * Whether the update deletes only the author's own proposals: their proposed words, and their
 * proposed paragraphs with what is in them. Deleting formatting and attribute values is left to
 * the projection, which sees what they change.
 *
 * One allowance: the editor binding rewrites text by diffing strings, so backspacing the last
 * space of one's own proposed words next to someone's words or proposal that has a space there may
 * delete *their* space and keep one's own in its place. So another person's spaces may go as long
 * as as many of one's own proposed characters stopped being one's own; the projection still
 * requires the text to read the same. Never other characters: retyping someone's words as one's
 * own, even identically, would take the words from them, and with them the comments made on them
 * (a comment is anchored to the characters it was made on).
 */
function deletesOnlyOwn(doc: Y.Doc, update: Uint8Array, author: string, was: Coverage, now: Coverage): boolean {
  const { ds } = Y.decodeUpdate(update);
  if (ds.clients.size === 0) return true;
  const own = ownDeletableIn(was, author);
  let othersDeleted = 0;
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue; // Only things new in this update: nothing of anyone's.
    for (const { clock, len } of ranges) {
      for (let i = firstStructAt(structs, clock); i < structs.length; i++) {
        const struct = structs[i]!;
        if (struct.id.clock >= clock + len) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const content = struct.content;
        if (content instanceof Y.ContentFormat || content instanceof Y.ContentAny) continue;
        if (content instanceof Y.ContentType) {
          if (!own.has(`e${struct.id.client}:${struct.id.clock}`)) return false;
          continue;
        }
        if (!(content instanceof Y.ContentString)) return false;
        const from = Math.max(clock, struct.id.clock);
        const to = Math.min(clock + len, struct.id.clock + struct.length);
        for (let c = from; c < to; c++) {
          if (own.has(`${client}:${c}`)) continue;
          if (!/^\s$/.test(content.str[c - struct.id.clock] ?? '')) return false;
          othersDeleted++;
        }
      }
    }
  }
  if (othersDeleted === 0) return true;
  const stillOwn = ownDeletableIn(now, author);
  let ownLost = 0;
  for (const key of own) if (!key.startsWith('e') && !stillOwn.has(key)) ownLost++;
  return othersDeleted <= ownLost;
}

/** Index of the struct containing `clock` (or the first after it), by binary search. */
function firstStructAt(structs: Array<Y.Item | Y.GC>, clock: number): number {
  let lo = 0;
  let hi = structs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = structs[mid]!;
    if (s.id.clock + s.length <= clock) lo = mid + 1;
    else if (s.id.clock > clock) hi = mid - 1;
    else return mid;
  }
  return lo;
}
