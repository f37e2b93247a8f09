import { sameField, STORED_FIELD_KEYS, type StoredFields } from './recommendations.ts';

/** What undoing one import change writes back over a recommendation the import updated or filled in. */
export interface Restoration {
  /** The recommendation's fields after the undo. */
  fields: StoredFields;
  /**
   * Fields the import changed that someone changed again since (by hand, or with a later import
   * undone meanwhile): they keep today's value, not the one from before the import.
   */
  keptEdits: Array<keyof StoredFields>;
  /** True when some field differs from what the import left: the recommendation was edited since. */
  editedSince: boolean;
}

/**
 * Field by field, what undoing an import gives back: a field the import changed returns to its
 * value from before the import (`previous`) while it still holds the import's value (`applied`);
 * one edited since keeps the edit, as does every field the import did not change. Lists (themes,
 * affected persons, SDG targets) are one field each: an edited list is kept whole, not merged.
 * Undoing a file takes back what the file brought, never what people did after it.
 */
export function restoration(previous: StoredFields, applied: StoredFields, current: StoredFields): Restoration {
  const fields: StoredFields = { ...current };
  const set = fields as Record<keyof StoredFields, unknown>;
  const keptEdits: Array<keyof StoredFields> = [];
  for (const k of STORED_FIELD_KEYS) {
    if (sameField(previous, applied, k)) continue;
    if (sameField(current, applied, k)) set[k] = previous[k];
    // Edited back to the earlier value is no edit lost either way.
    else if (!sameField(current, previous, k)) keptEdits.push(k);
  }
  const editedSince = STORED_FIELD_KEYS.some((k) => !sameField(current, applied, k));
  return { fields, keptEdits, editedSince };
}
