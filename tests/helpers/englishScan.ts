import type { Page } from 'playwright-core';
import { flatCatalogue } from './i18n.ts';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/**
 * Finds the interface's English on a page shown in another language: every English catalogue
 * string (split at its placeholders and tags into the words people would read) is looked for in
 * the page's text, its title and the names screen readers announce. A string whose translation is
 * the same as the English ("Accord", "PDF", "DOCX") is not English to look for.
 *
 * `englishFragments`: the English fragments that must not appear in a page shown in `lang`.
 */
export function englishFragments(lang: 'be' | 'ru'): string[] {
  const en = flatCatalogue('en');
  const translated = flatCatalogue(lang);
  const translatedValues = new Set(Object.values(translated));
  const fragments = new Set<string>();
  for (const [key, value] of Object.entries(en)) {
    const translation = translated[key] ?? '';
    const same = translation === value || (PLURAL.test(key) && translatedValues.has(value));
    if (same) continue;
    for (const part of value.split(/\{\{[^}]*\}\}|<\/?\d+>|\n/)) {
      const text = part.trim().replace(/^[\s,.:;–—()·"“”'‘’]+|[\s,.:;–—()·"“”'‘’]+$/g, '');
      // A fragment people would recognise as English: at least one word of three letters and
      // four letters in all; "of", "by" or "a" alone could be anything.
      // A name the translation keeps too ("Word" in "Assessment report of {{organisation}} (Word)")
      // is not English to look for.
      if (/[A-Za-z]{3,}/.test(text) && text.replace(/[^A-Za-z]/g, '').length >= 4 && !translation.includes(text)) fragments.add(text);
    }
  }
  return [...fragments];
}

/**
 * Everything a person reads or hears on the page now: text, title, names, hints. Text marked as
 * another language (the language switch names each language in itself: "English") is left out.
 */
export async function readableText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const pageLang = document.documentElement.lang;
    let body = document.body.innerText;
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('[lang]'))) {
      if (el.lang && el.lang !== pageLang) body = body.split(el.innerText || el.textContent || '\u0000').join(' ');
    }
    const parts = [document.title, body];
    for (const el of Array.from(document.querySelectorAll('[aria-label],[title],[placeholder],[alt],[aria-description]'))) {
      for (const attr of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
        const v = el.getAttribute(attr);
        if (v) parts.push(v);
      }
    }
    return parts.join('\n');
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The English fragments found on the page, ignoring the text in `own` (the plan's own words,
 * people's names and addresses, which are as written).
 */
export async function englishOnPage(page: Page, lang: 'be' | 'ru', own: readonly string[] = []): Promise<string[]> {
  let text = await readableText(page);
  for (const words of own) text = text.split(words).join(' ');
  return englishFragments(lang).filter((fragment) => new RegExp(`(^|[^A-Za-z])${escape(fragment)}($|[^A-Za-z])`).test(text));
}
