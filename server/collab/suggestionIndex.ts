import * as Y from 'yjs';
import { suggestionCarriedBy } from '../../shared/doc/suggestions.ts';

/**
 * Which suggestions a live section holds, by author and id, kept up to date from each transaction
 * (what it adds and what it deletes), so that the sync server can ask "is this id someone's?" and
 * "how many open suggestions has this person?" per keystroke without listing the section.
 *
 * A suggestion counts while an item that writes it is in the section (a mark's opening, a proposed
 * paragraph's attribute). Built once from the section's struct store when first asked.
 */
export class SuggestionIndex {
  /** Item id → the suggestion it writes, and the item. */
  private readonly carriers = new Map<string, { author: string; id: string; item: Y.Item }>();
  /** Suggestion id → author → how many items write it. */
  private readonly byId = new Map<string, Map<string, number>>();
  /** Author → their suggestion ids. */
  private readonly byAuthor = new Map<string, Set<string>>();

  constructor(doc: Y.Doc) {
    for (const structs of doc.store.clients.values()) for (const s of structs) if (s instanceof Y.Item && !s.deleted) this.add(s);
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      // Before deleted items are emptied (after this event): what they wrote can still be read.
      Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
        if (s instanceof Y.Item) this.remove(s);
      });
      tr.afterState.forEach((end, client) => {
        const start = tr.beforeState.get(client) ?? 0;
        if (end <= start) return;
        const structs = doc.store.clients.get(client)!;
        for (let i = Y.findIndexSS(structs, start); i < structs.length; i++) {
          const s = structs[i]!;
          if (s instanceof Y.Item && !s.deleted) this.add(s);
        }
      });
    });
  }

  /** Whether `author` has an open suggestion with this id. */
  has(author: string, id: string): boolean {
    return (this.byId.get(id)?.get(author) ?? 0) > 0;
  }

  /** Whether someone other than `author` has an open suggestion with this id. */
  heldByOther(author: string, id: string): boolean {
    for (const [who, n] of this.byId.get(id) ?? []) if (who !== author && n > 0) return true;
    return false;
  }

  /**
   * How many open suggestions `author` has, at most: a mark whose words were all deleted since
   * still counts here (its opening stays in the text until Yjs tidies it away).
   */
  openCount(author: string): number {
    return this.byAuthor.get(author)?.size ?? 0;
  }

  /**
   * How many of `author`'s suggestions still cover something: asked only when openCount reaches a
   * limit, and costs in proportion to that person's own suggestions.
   */
  coveringCount(author: string): number {
    const ids = this.byAuthor.get(author);
    if (!ids) return 0;
    const live = new Set<string>();
    for (const carried of this.carriers.values()) {
      if (carried.author === author && !live.has(carried.id) && covers(carried.item)) live.add(carried.id);
    }
    return live.size;
  }

  private add(item: Y.Item): void {
    const value = suggestionCarriedBy(item);
    if (!value) return;
    const key = `${item.id.client}:${item.id.clock}`;
    if (this.carriers.has(key)) return;
    this.carriers.set(key, { author: value.author, id: value.id, item });
    let authors = this.byId.get(value.id);
    if (!authors) this.byId.set(value.id, (authors = new Map()));
    authors.set(value.author, (authors.get(value.author) ?? 0) + 1);
    let ids = this.byAuthor.get(value.author);
    if (!ids) this.byAuthor.set(value.author, (ids = new Set()));
    ids.add(value.id);
  }

  private remove(item: Y.Item): void {
    const key = `${item.id.client}:${item.id.clock}`;
    const carried = this.carriers.get(key);
    if (!carried) return;
    this.carriers.delete(key);
    const authors = this.byId.get(carried.id)!;
    const left = authors.get(carried.author)! - 1;
    if (left > 0) {
      authors.set(carried.author, left);
      return;
    }
    authors.delete(carried.author);
    if (authors.size === 0) this.byId.delete(carried.id);
    const ids = this.byAuthor.get(carried.author)!;
    ids.delete(carried.id);
    if (ids.size === 0) this.byAuthor.delete(carried.author);
  }
}

/** Whether a mark's opening still has words after it before it is closed (an attribute's element is there while it is). */
function covers(item: Y.Item): boolean {
  if (!(item.content instanceof Y.ContentFormat)) return !item.deleted;
  const { key } = item.content;
  for (let r = item.right; r !== null; r = r.right) {
    if (r.content instanceof Y.ContentFormat) {
      if (!r.deleted && r.content.key === key) return false;
      continue;
    }
    if (!r.deleted) return true;
  }
  return false;
}

const indexes = new WeakMap<Y.Doc, SuggestionIndex>();

export function suggestionIndexOf(doc: Y.Doc): SuggestionIndex {
  let index = indexes.get(doc);
  if (!index) indexes.set(doc, (index = new SuggestionIndex(doc)));
  return index;
}
