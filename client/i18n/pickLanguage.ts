import { LANGUAGES, type Language } from '../../shared/api/auth.ts';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The language to show: a choice already made (stored) wins; otherwise the first of the browser's
 * preferred languages that Accord is written in, matched by primary subtag ("be-BY" and "be" both
 * mean Belarusian); English when none matches, since it is the one complete catalogue.
 */
export function pickLanguage(preferred: readonly string[], stored?: string | null): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}
