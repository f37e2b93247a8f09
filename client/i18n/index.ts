import i18n, { type PostProcessorModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../shared/api/auth.ts';
import en from './locales/en.json';
import { valueFormatter } from './valueFormatter.ts';
import { isLanguage, pickLanguage } from './pickLanguage.ts';

/**
 * Every string a person reads goes through t(). Belarusian and Russian are the languages of the
 * people the plan is for; English is for international partners and is the fallback while a
 * catalogue is incomplete (tests/unit/i18n-catalogues.test.ts fails on any key missing from any
 * language).
 *
 * Only English is in the entry bundle (it is the fallback every page needs); Belarusian and
 * Russian arrive as chunks of their own when chosen, so no one downloads three catalogues.
 */
/**
 * A Russian or Belarusian date ends with its own full stop ("31 января 2027 г."); a sentence that
 * ends with one ("…не позднее {{date}}.") would read "г..". The exports' fill() does the same.
 */
const oneFullStop: PostProcessorModule = {
  type: 'postProcessor',
  name: 'oneFullStop',
  process: (value: string) => value.replace(/ (г|гг)\.\.(?!\.)/g, ' $1.'),
};

void i18n.use(initReactI18next).use(valueFormatter).use(oneFullStop).init({
  postProcess: ['oneFullStop'],
  resources: { en: { translation: en } },
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: ['be', 'ru', 'en'],
  partialBundledLanguages: true,
  interpolation: { escapeValue: false, alwaysFormat: true },
  returnNull: false,
});

// Screen readers, hyphenation and spell-checking follow <html lang>: it always names the language shown.
i18n.on('languageChanged', (language) => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
});

const catalogues: Record<Exclude<Language, 'en'>, () => Promise<{ default: Record<string, unknown> }>> = {
  be: () => import('./locales/be.json'),
  ru: () => import('./locales/ru.json'),
};

/**
 * Shows the page in `language` once its catalogue is here: until then the page stays in the
 * language it was in, so no one sees a mix of two languages while the chunk arrives.
 */
export async function applyLanguage(language: Language): Promise<void> {
  if (language !== 'en' && !i18n.hasResourceBundle(language, 'translation')) {
    const { default: catalogue } = await catalogues[language]();
    i18n.addResourceBundle(language, 'translation', catalogue, true, true);
  }
  if (i18n.language !== language) await i18n.changeLanguage(language);
}

const STORAGE_KEY = 'accord.language';

/** The language chosen in this browser before (signed out, or by the last person signed in). */
export function storedLanguage(): Language | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null; // storage blocked: the browser's preference applies
  }
}

export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}

/** The language of the first paint: a stored choice, else the browser's preference, else English. */
export async function startLanguage(): Promise<void> {
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  try {
    await applyLanguage(pickLanguage(preferred, storedLanguage()));
  } catch (err) {
    // The catalogue could not be fetched (offline before it was ever cached): English, not nothing.
    console.warn('Language catalogue failed to load; showing English', err);
    document.documentElement.lang = 'en';
  }
}

export default i18n;
