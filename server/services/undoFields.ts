import { sameField, STORED_FIELD_KEYS, type StoredFields } from './recommendations.ts';

/** What undoing one import change writes back over an item the import updated or filled in. */
export interface Restoration<T> {
  /** The item's fields after the undo. */
  fields: T;
  /**
   * Fields the import changed that someone changed again since (by hand, or with a later import
   * undone meanwhile): they keep today's value, not the one from before the import.
   */
  keptEdits: Array<keyof T>;
  /** True when some field differs from what the import left: the item was edited since. */
  editedSince: boolean;
}

/** True when field `k` holds the same value in both, as the item's kind compares it. */
export type SameField<T> = (a: T, b: T, k: keyof T) => boolean;

/**
 * Field by field, what undoing an import gives back: a field the import changed returns to its
 * value from before the import (`previous`) while it still holds the import's value (`applied`);
 * one edited since keeps the edit, as does every field the import did not change. A list is one
 * field: an edited list is kept whole, not merged. Undoing a file takes back what the file
 * brought, never what people did after it. `keys` are the fields the change recorded; `same`
 * compares one of them as the item's kind does (an order of links may not matter, "4" may be "4.0").
 */
export function restoreFields<T extends object>(previous: T, applied: T, current: T, keys: readonly (keyof T)[], same: SameField<T>): Restoration<T> {
  const fields: T = { ...current };
  const keptEdits: Array<keyof T> = [];
  for (const k of keys) {
    if (same(previous, applied, k)) continue;
    if (same(current, applied, k)) fields[k] = previous[k];
    // Edited back to the earlier value is no edit lost either way.
    else if (!same(current, previous, k)) keptEdits.push(k);
  }
  const editedSince = keys.some((k) => !same(current, applied, k));
  return { fields, keptEdits, editedSince };
}

/** restoreFields for a recommendation an import updated or filled in: every stored field. */
export function restoration(previous: StoredFields, applied: StoredFields, current: StoredFields): Restoration<StoredFields> {
  return restoreFields(previous, applied, current, STORED_FIELD_KEYS, sameField);
}
