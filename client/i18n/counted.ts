/**
 * The options of a message that counts something, for t(): `t('agreement.openSuggestions', counted(n))`.
 *
 * Belarusian and Russian use their "one" form for 1 and also for 21, 31, 101…: "21 правка", not
 * "21 правки". A sentence that goes on about the counted thing ("…примите или отклоните её") is
 * right for exactly one and wrong for twenty-one ("…их"). Such a message keeps its exactly-one
 * wording under `<key>_single` (i18next's context, looked up before the plural forms) and writes its
 * `_one` form for 21, 31…; messages without `_single` are unaffected. English has `_single` too,
 * the same as its `_one`, so every catalogue has the same keys (tests/unit/i18n-catalogues.test.ts).
 */
export function counted<T extends object = Record<never, never>>(count: number, values?: T): T & { count: number; context?: 'single' } {
  return { ...(values as T), count, ...(count === 1 ? { context: 'single' as const } : {}) };
}
