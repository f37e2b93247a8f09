import * as Y from 'yjs';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { isSuggestionAttrs, SUGGEST_INSERT, SUGGESTED_BLOCK_ATTR } from '../../shared/doc/suggestions.ts';

/**
 * The commonest update from a person who may only suggest: characters typed inside words they
 * are proposing, in a paragraph (or heading) of the section's body. Such an update passes every
 * rule of the suggestion check by construction, so it needs none of the check's work on the whole
 * paragraph (its projection, coverage and schema, each in proportion to what the paragraph holds):
 * - it writes only text (no formatting, no attributes, no elements) and deletes nothing, so no
 *   one's suggestion is made, stretched or removed, and nothing is deleted;
 * - each character it writes sits under the person's own insertion mark (the nearest insertion
 *   mark to its left in the same text), so the text with their suggestions rejected reads exactly
 *   as before;
 * - it goes into a text that holds characters already, of a top-level block that is nobody's
 *   proposed block, so the document fits the editor's schema as it did;
 * - that text holds no more characters than one suggestion may cover, so no suggestion in the block
 *   can pass the size limit.
 * Anything else (the first keystroke of a new proposal writes its mark; typing elsewhere; a
 * crowded or proposed block) is judged by the full check. `after` is the section with the update
 * applied (the trial copy); the walk to the mark is as long as the person's own proposal.
 */
export function typesInsideOwnSuggestion(after: Y.Doc, update: Uint8Array, author: string, charsPerSuggestion: number): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  if (ds.clients.size > 0 || structs.length === 0) return false;
  const body = getSectionBody(after);
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString)) return false;
    const placed = Y.getItem(after.store, struct.id);
    if (!(placed instanceof Y.Item) || placed.deleted || !(placed.content instanceof Y.ContentString)) return false;
    const text = placed.parent;
    if (!(text instanceof Y.XmlText) || text.length > charsPerSuggestion) return false;
    const block = text.parent;
    if (!(block instanceof Y.XmlElement) || block.parent !== body || block.getAttribute(SUGGESTED_BLOCK_ATTR) != null) return false;
    if (!underOwnInsertion(placed, author) || !holdsOtherText(text, placed)) return false;
  }
  return true;
}

/** Whether the insertion mark in force at `item` is the author's (formatting is set by the nearest mark item to the left). */
function underOwnInsertion(item: Y.Item, author: string): boolean {
  for (let n = item.left; n !== null; n = n.left) {
    if (n.deleted || !(n.content instanceof Y.ContentFormat) || n.content.key !== SUGGEST_INSERT) continue;
    const mark: unknown = n.content.value;
    return isSuggestionAttrs(mark) && mark.author === author;
  }
  return false;
}

/** Whether the text holds characters besides the update's (so text was allowed where it is typed). */
function holdsOtherText(text: Y.XmlText, placed: Y.Item): boolean {
  for (let n = text._start; n !== null; n = n.right) {
    if (n !== placed && !n.deleted && n.content instanceof Y.ContentString) return true;
  }
  // `placed` may hold characters of earlier updates merged into it.
  return placed.length > 1;
}
