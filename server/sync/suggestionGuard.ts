import * as Y from 'yjs';
import type { TextAccess } from '../../shared/api/index.ts';
import {
  addsDoubleMarks,
  blockProposalsFit,
  CoverageCache,
  foreignSuggestionValues,
  ownDeletable,
  projectWithoutAuthor,
  spreadsOthersSuggestions,
  suggestionValuesIn,
} from '../../shared/doc/suggestions.ts';
import { fitsEditorSchema } from './sectionSchema.ts';

/**
 * What the sync server does with a writer's update, as far as suggestions go:
 * - `apply` it;
 * - `refuse` it (the connection is closed with EditRefused and nothing of it is kept);
 * - `wait`: it depends on something this connection has not sent yet (a reconnecting client's
 *   typing can overtake its catch-up message), so it is held and judged again together with the
 *   connection's next update. Nothing with suggestion marks, nor anything of a suggest-only
 *   person's, is ever applied that could later complete unchecked.
 */
export type Verdict = { kind: 'apply' } | { kind: 'wait' } | { kind: 'refuse'; reason: string };

const APPLY: Verdict = { kind: 'apply' };

/**
 * A person who may only suggest: applied to a copy, the update must leave the section with their
 * suggestions rejected exactly as it was (projectWithoutAuthor), delete nothing but their own
 * proposed words and paragraphs, fit the editor's schema, and not mark words both ways.
 *
 * Anyone who writes: no suggestion in another person's name, new or stretched over other words.
 *
 * `marksSuggestions`: the update writes suggestion attributes (seen while validating it). An
 * editor's update that does not, while nothing is held back in the document, needs no copy.
 */
export function judgeUpdate(doc: Y.Doc, update: Uint8Array, author: string, access: TextAccess, marksSuggestions: boolean): Verdict {
  const holdsBack = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  if (access === 'edit' && !marksSuggestions && !holdsBack) return APPLY;
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
    if (!mayWaitInDocument && !within(pendingRanges(after), pendingBefore)) return { kind: 'wait' };
    const cache = new CoverageCache();
    // Someone else's suggestion can only be made or stretched by an update that writes it; when the
    // room holds something back, what completes now is judged by its effect on the whole text.
    const values = marksSuggestions ? suggestionValuesIn(update) : [];
    const writesOthers = values.some((v) => v === null || v.author !== author);
    // (Their own marks count too: one's own mark may not take over someone else's suggestion id.)
    if (values.length > 0 && foreignSuggestionValues(values, doc, author).length > 0) {
      return { kind: 'refuse', reason: "suggestion in another person's name" };
    }
    if ((writesOthers || holdsBack) && spreadsOthersSuggestions(doc, after, author, cache)) {
      return { kind: 'refuse', reason: "suggestion in another person's name" };
    }
    // A proposed change of structure sits on a block that can take it (a list type on a list).
    if (values.length > 0 && !blockProposalsFit(after) && blockProposalsFit(doc)) return { kind: 'refuse', reason: 'malformed suggestion' };
    if (access !== 'suggest') return APPLY;
    if (!deletesOnlyOwn(doc, after, update, author, cache)) return { kind: 'refuse', reason: 'only suggestions may be made: deletes words that are not their own proposal' };
    for (const key of after.share.keys()) if (!doc.share.has(key)) return { kind: 'refuse', reason: 'only suggestions may be made: writes outside the text' };
    if ((marksSuggestions || holdsBack) && addsDoubleMarks(doc, after, cache)) return { kind: 'refuse', reason: 'only suggestions may be made: marks words both ways' };
    if (projectWithoutAuthor(doc, author) !== projectWithoutAuthor(after, author)) return { kind: 'refuse', reason: 'only suggestions may be made' };
    if (!fitsEditorSchema(after) && fitsEditorSchema(doc)) return { kind: 'refuse', reason: 'only suggestions may be made: not a document the editor can show' };
    return APPLY;
  } finally {
    after.destroy();
  }
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
 * space of one's own proposed words next to someone's proposal that starts with a space may
 * delete *their* space and move their mark onto one's own. So another person's characters may go
 * as long as as many of one's own proposed characters stopped being one's own; the projection
 * still requires the text to read the same.
 */
function deletesOnlyOwn(doc: Y.Doc, after: Y.Doc, update: Uint8Array, author: string, cache: CoverageCache): boolean {
  const { ds } = Y.decodeUpdate(update);
  if (ds.clients.size === 0) return true;
  const own = ownDeletable(doc, author, cache);
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
        for (let c = from; c < to; c++) if (!own.has(`${client}:${c}`)) othersDeleted++;
      }
    }
  }
  if (othersDeleted === 0) return true;
  const stillOwn = ownDeletable(after, author, cache);
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
