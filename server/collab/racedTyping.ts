import * as Y from 'yjs';
import { getSectionBody } from '../../shared/doc/schema.ts';
import {
  isSuggestionAttrs,
  newSuggestionId,
  SUGGEST_DELETE,
  SUGGEST_INSERT,
  type SuggestionAttrs,
} from '../../shared/doc/suggestions.ts';
import { tryUpdate, writeOnTrial } from '../sync/trialDoc.ts';

/**
 * Typing that raced a decision on the author's own suggestion.
 *
 * Accepting or rejecting is an ordinary Yjs edit on the server (SyncServer.editDocument), so the
 * author's concurrent keystrokes merge with it. But keystrokes their page made before it heard of
 * the decision carry the decided suggestion's mark as their page saw it, and Yjs places them after
 * the decision's formatting: after an accept they are plain words; after a reject, plain words
 * where the suggestion was. For a person who may only suggest that is typing outside a suggestion,
 * which the guard refuses, and their page used to start over from the shared text, losing those
 * words. Instead, the server makes them what the person meant them to be: a proposal of theirs.
 *
 * Returns an update (written on a copy of the section, under a client id of its own; see trialDoc.ts) that marks as a new
 * suggestion, in the author's name, the characters this update adds outside any suggestion
 * insertion that continue the author's own words (their own characters right before or after,
 * present or deleted), and those that still carry the mark of their suggestion that was decided
 * (`decided`: recorded as accepted or rejected), so a decided suggestion never comes back open
 * under its id; null when there are none. The caller still judges the update together with
 * this repair: nothing is taken that the rules would not take as the author's own suggestion.
 * Plain typing next to anyone else's words is not touched, and is refused as before.
 */
export function markRacedTyping(
  doc: Y.Doc,
  update: Uint8Array,
  { author, ownsClient, decided: isDecided }: { author: string; ownsClient: (client: number) => boolean; decided: (id: string) => boolean },
): Uint8Array | null {
  const decidedIds = new Map<string, boolean>();
  const decided = (value: unknown) => {
    if (!isSuggestionAttrs(value) || value.author !== author) return false;
    if (!decidedIds.has(value.id)) decidedIds.set(value.id, isDecided(value.id));
    return decidedIds.get(value.id)!;
  };
  const known = (client: number) => Y.getState(doc.store, client);
  const repairIn = (texts: Iterable<Y.XmlText>) => {
    const repairs: Array<{ text: Y.XmlText; ranges: Array<[number, number]> }> = [];
    for (const text of texts) {
      const ranges = racedRanges(text, known, ownsClient, decided);
      if (ranges.length > 0) repairs.push({ text, ranges });
    }
    return repairs.length === 0
      ? null
      : () => {
          for (const { text, ranges } of repairs) {
            const mark: SuggestionAttrs = { id: newSuggestionId(), author, at: Date.now() };
            for (const [index, length] of ranges) text.format(index, length, { [SUGGEST_INSERT]: mark });
          }
        };
  };
  if (doc.store.pendingStructs === null && doc.store.pendingDs === null) {
    // On the copy that follows the section, in the texts the update writes characters in only.
    const after = tryUpdate(doc, update);
    if (!after) return null;
    const repair = repairIn(textsWrittenIn(after, update));
    return repair ? writeOnTrial(doc, repair) : null;
  }
  // The section holds updates back: what completes may be anywhere, so on a full copy.
  const after = new Y.Doc();
  try {
    Y.applyUpdate(after, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(after, update);
    const repair = repairIn(textsIn(after));
    if (!repair) return null;
    const updates: Uint8Array[] = [];
    after.on('update', (u: Uint8Array) => updates.push(u));
    after.transact(repair);
    return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
  } finally {
    after.destroy();
  }
}

/** The texts the update writes characters in (raced typing is characters only). */
function textsWrittenIn(after: Y.Doc, update: Uint8Array): Set<Y.XmlText> {
  const out = new Set<Y.XmlText>();
  for (const s of Y.decodeUpdate(update).structs) {
    if (!(s instanceof Y.Item) || !(s.content instanceof Y.ContentString)) continue;
    const item = Y.getItem(after.store, s.id);
    if (item instanceof Y.Item && item.parent instanceof Y.XmlText) out.add(item.parent);
  }
  return out;
}

/** Every text in the section body. */
function textsIn(doc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) out.push(child);
      else if (child instanceof Y.XmlElement) walk(child);
    }
  };
  walk(getSectionBody(doc));
  return out;
}

/**
 * [index, length] of the runs of new, visible characters written by the author that are either
 * unmarked next to the author's own characters (deleted ones included: a rejected suggestion's
 * words are deleted), or still marked as one of their suggestions that was decided.
 */
function racedRanges(
  text: Y.XmlText,
  known: (client: number) => number,
  ownsClient: (client: number) => boolean,
  decided: (mark: unknown) => boolean,
): Array<[number, number]> {
  // The text's content items in order (formatting items carry no position), with their attributes.
  const items: Array<{ item: Y.Item; index: number; insertMark: unknown; marked: boolean }> = [];
  const attrs = new Map<string, unknown>();
  let index = 0;
  for (let n = text._start; n !== null; n = n.right) {
    const content = n.content;
    if (content instanceof Y.ContentFormat) {
      if (!n.deleted) {
        if (content.value === null) attrs.delete(content.key);
        else attrs.set(content.key, content.value);
      }
      continue;
    }
    items.push({ item: n, index, insertMark: attrs.get(SUGGEST_INSERT), marked: attrs.has(SUGGEST_INSERT) || attrs.has(SUGGEST_DELETE) });
    if (!n.deleted) index += n.length;
  }
  // Yjs may merge new characters into the author's item of earlier ones: only the new part counts.
  const newFrom = (item: Y.Item) => Math.max(0, known(item.id.client) - item.id.clock);
  const ownNeighbour = (i: number) => {
    const neighbour = items[i]?.item;
    return neighbour !== undefined && ownsClient(neighbour.id.client);
  };
  const ranges: Array<[number, number]> = [];
  items.forEach(({ item, index: at, insertMark, marked }, i) => {
    if (item.deleted || !(item.content instanceof Y.ContentString)) return;
    const skip = newFrom(item);
    if (!ownsClient(item.id.client) || skip >= item.length) return;
    // Asked only of the author's new characters: a look-up per mark, not per suggestion in the text.
    const stale = marked && decided(insertMark);
    if (marked && !stale) return;
    if (!stale && skip === 0 && !ownNeighbour(i - 1) && !ownNeighbour(i + 1)) return;
    const [from, length] = [at + skip, item.length - skip];
    const last = ranges[ranges.length - 1];
    if (last && last[0] + last[1] === from) last[1] += length;
    else ranges.push([from, length]);
  });
  return ranges;
}
