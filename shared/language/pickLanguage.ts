import { LANGUAGES, type Language } from '../api/auth.ts';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The language to show: a choice already made (stored) wins; otherwise the first of the browser's
 * preferred languages that Accord is written in, matched by primary subtag ("be-BY" and "be" both
 * mean Belarusian); English when none matches, since it is the one complete catalogue. The browser
 * (navigator.languages) and the server (a request's Accept-Language) pick by these same rules.
 */
export function pickLanguage(preferred: readonly string[], stored?: string | null): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

/**
 * An Accept-Language header as the browser's list of preferred languages, most preferred first
 * (what navigator.languages says in the page): "ru-RU,ru;q=0.9,en;q=0.8" → ["ru-RU", "ru", "en"].
 * Ranges it refuses (q=0) and the wildcard are left out; equal weights keep the header's order.
 */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  const ranges = header.split(',').flatMap((part, index) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)).find(Boolean);
    const weight = q ? Number(q[1]) : 1;
    const name = tag.trim();
    if (!name || name === '*' || !(weight > 0)) return [];
    return [{ name, weight, index }];
  });
  return ranges.sort((a, b) => b.weight - a.weight || a.index - b.index).map((r) => r.name);
}

/** The language a request's browser asks for, by the page's rules; null when it says nothing. */
export function browserLanguage(acceptLanguage: string | undefined): Language | null {
  const preferred = acceptedLanguages(acceptLanguage);
  return preferred.length > 0 ? pickLanguage(preferred) : null;
}
