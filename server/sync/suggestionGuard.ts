import * as Y from 'yjs';
import { foreignSuggestionMarks, hasDoubleMarkedText, projectWithoutAuthor, spreadsOthersSuggestions, suggestionValuesIn } from '../../shared/doc/suggestions.ts';

/**
 * Whether an update from a person who may only suggest keeps to their own suggestions: applied to
 * a copy of the document, it must leave the text with their suggestions rejected exactly as it was
 * (see projectWithoutAuthor). The update may also not leave anything waiting for missing parts,
 * which would be applied later, unchecked, when those parts arrive.
 */
export function isSuggestionOnlyUpdate(doc: Y.Doc, update: Uint8Array, author: string): boolean {
  const after = new Y.Doc();
  try {
    Y.applyUpdate(after, Y.encodeStateAsUpdate(doc));
    const pendingBefore = after.store.pendingStructs !== null || after.store.pendingDs !== null;
    Y.applyUpdate(after, update);
    if (!pendingBefore && (after.store.pendingStructs !== null || after.store.pendingDs !== null)) return false;
    // Only the section body may change; no other root may appear.
    for (const key of after.share.keys()) if (!doc.share.has(key) && key !== 'body') return false;
    if (hasDoubleMarkedText(after) && !hasDoubleMarkedText(doc)) return false;
    return projectWithoutAuthor(doc, author) === projectWithoutAuthor(after, author);
  } finally {
    after.destroy();
  }
}

/**
 * Whether an update (from anyone who writes) makes a suggestion in someone else's name: a new one,
 * or an existing one stretched over words its author never proposed.
 */
export function claimsOthersSuggestions(doc: Y.Doc, update: Uint8Array, author: string): boolean {
  if (foreignSuggestionMarks(update, doc, author).length > 0) return true;
  // Re-creating someone's existing suggestion is allowed only on words new in this update.
  if (!suggestionValuesIn(update).some((v) => v !== null && v.author !== author)) return false;
  const after = new Y.Doc();
  try {
    Y.applyUpdate(after, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(after, update);
    return spreadsOthersSuggestions(doc, after, author);
  } finally {
    after.destroy();
  }
}
