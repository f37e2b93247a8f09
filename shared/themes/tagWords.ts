/**
 * Tags that UN sources write in English (UPR Info's issues, the Universal Human Rights Index's
 * affected persons) shown in Russian or Belarusian. Tags are the plan's data, stored as the
 * source wrote them, so filters, links and open data keep matching the source; only what a reader
 * sees is translated, and a tag not in the table is shown as written.
 */

export type TagWords = { ru: string; be: string };

/**
 * The form a tag is looked up by: sources differ in case, spacing, quotes, "&" against "and" and
 * hyphens ("Refugees & asylum-seekers", "refugees and asylum seekers").
 */
export function tagKey(tag: string): string {
  return tag
    .trim()
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s*&\s*/g, ' and ')
    .replace(/-/g, ' ')
    .replace(/\s+/g, ' ');
}

/** A table keyed by tagKey, from entries written as the sources write them. */
export function tagTable(entries: Record<string, TagWords>): ReadonlyMap<string, TagWords> {
  return new Map(Object.entries(entries).map(([tag, words]) => [tagKey(tag), words]));
}

/** A tag as a reader of `language` (en, ru, be, or a longer tag such as ru-RU) sees it. */
export function tagLabel(table: ReadonlyMap<string, TagWords>, tag: string, language: string): string {
  const lang = language.slice(0, 2);
  if (lang !== 'ru' && lang !== 'be') return tag;
  return table.get(tagKey(tag))?.[lang] ?? tag;
}

/** Tags as a reader sees them, in the order of their language, each with its stored value. */
export function tagOptions(table: ReadonlyMap<string, TagWords>, tags: readonly string[], language: string): Array<{ value: string; label: string }> {
  return tags
    .map((value) => ({ value, label: tagLabel(table, value, language) }))
    .sort((a, b) => a.label.localeCompare(b.label, language));
}
