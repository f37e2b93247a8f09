import { readFileSync } from 'node:fs';
import i18next from 'i18next';
import type { Translate } from '../../client/i18n/errorText.ts';

export type Catalogue = Record<string, unknown>;
export const LANGUAGES = ['en', 'be', 'ru'] as const;

/** A locale file of the client as it is on disk. */
export function catalogue(lng: (typeof LANGUAGES)[number]): Catalogue {
  return JSON.parse(readFileSync(new URL(`../../client/i18n/locales/${lng}.json`, import.meta.url), 'utf8')) as Catalogue;
}

/** A locale file as key paths ("audit.title") to texts: the shape the catalogue checks compare. */
export function flatCatalogue(lng: (typeof LANGUAGES)[number]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (value: Catalogue, prefix: string) => {
    for (const [key, child] of Object.entries(value)) {
      if (child && typeof child === 'object') walk(child as Catalogue, `${prefix}${key}.`);
      else out[prefix + key] = String(child);
    }
  };
  walk(catalogue(lng), '');
  return out;
}

/** The value at a path of keys (a key may itself hold dots, as audit actions do). */
export const at = (c: Catalogue, path: readonly string[]): unknown =>
  path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Catalogue)[k] : undefined), c);

/** The t of an i18next instance reading the client's catalogues in one language, English the fallback as in the app. */
export async function translator(lng: (typeof LANGUAGES)[number]): Promise<Translate> {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    fallbackLng: 'en',
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: catalogue(l) }])),
    interpolation: { escapeValue: false },
  });
  return i18n.t.bind(i18n) as unknown as Translate;
}
