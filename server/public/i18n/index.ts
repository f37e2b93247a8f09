/**
 * The language a public page is written in (issue #17) and its words. A reader picks it with
 * ?lang=be|ru|en (and every link inside the record keeps that choice), else the browser's
 * Accept-Language decides (its first of be, ru, en), else English. The plan's own text is never
 * translated; what the record itself says is, with dates and numbers through Intl in that language.
 */
import { ExportLanguageSchema, type ExportLanguage } from '../../../shared/api/agreement.ts';
import { LANGUAGES } from '../../../shared/api/auth.ts';
import { exportWords, fill, type ExportWords, type Plural } from '../../export/i18n/index.ts';
import type { PublicCatalogue } from './catalogue.ts';
import { be } from './be.ts';
import { en } from './en.ts';
import { ru } from './ru.ts';

export type PublicLanguage = ExportLanguage;
export const PUBLIC_LANGUAGES: readonly PublicLanguage[] = LANGUAGES;
export const PUBLIC_CATALOGUES: Record<PublicLanguage, PublicCatalogue> = { en, ru, be };

export interface LanguageChoice {
  lang: PublicLanguage;
  /** Where it came from: the address (then links carry it on) or the browser's header (then the response varies by it). */
  from: 'query' | 'header' | 'default';
}

/** The languages of an Accept-Language header, most wanted first ("ru-RU,ru;q=0.9,en;q=0.8"). */
function accepted(header: string): string[] {
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((l) => l.tag.split('-')[0]!);
}

export function chooseLanguage(query: unknown, acceptLanguage: string | undefined): LanguageChoice {
  const asked = ExportLanguageSchema.safeParse(query);
  if (asked.success) return { lang: asked.data, from: 'query' };
  const fromHeader = accepted(acceptLanguage ?? '').find((l): l is PublicLanguage => (PUBLIC_LANGUAGES as readonly string[]).includes(l));
  if (fromHeader) return { lang: fromHeader, from: 'header' };
  return { lang: 'en', from: acceptLanguage ? 'header' : 'default' };
}

export class PublicWords {
  readonly w: PublicCatalogue;
  /** The exports' words and formats in the same language: statuses, positions, ratings, mechanisms, facts. */
  readonly x: ExportWords;

  constructor(readonly choice: LanguageChoice) {
    this.w = PUBLIC_CATALOGUES[choice.lang];
    this.x = exportWords(choice.lang);
  }

  get lang(): PublicLanguage {
    return this.choice.lang;
  }

  t(template: string, vars?: Record<string, string | number>): string {
    return fill(template, vars);
  }

  plural(entry: Plural, count: number, vars?: Record<string, string | number>): string {
    return this.x.plural(entry, count, vars);
  }

  /** "2 December 2026" in the language, from a stored date or time; "—" for none. */
  date(value: string | null | undefined): string {
    return value ? this.x.date(value) : '—';
  }

  /** A label from a table of words, the stored value when it has none, "—" for none. */
  label(table: Record<string, string>, key: string | null | undefined): string {
    return key ? (table[key] ?? key) : '—';
  }

  /**
   * An address inside the record that keeps the language the reader chose in the address. A
   * language that came from the browser's header needs no carrying: the browser sends it again.
   */
  href(path: string): string {
    if (this.choice.from !== 'query') return path;
    const [beforeHash, hash] = path.split('#', 2) as [string, string | undefined];
    const joined = `${beforeHash}${beforeHash.includes('?') ? '&' : '?'}lang=${this.choice.lang}`;
    return hash === undefined ? joined : `${joined}#${hash}`;
  }
}

const cache = new Map<string, PublicWords>();
export function publicWords(choice: LanguageChoice = { lang: 'en', from: 'default' }): PublicWords {
  const key = `${choice.lang} ${choice.from}`;
  let words = cache.get(key);
  if (!words) cache.set(key, (words = new PublicWords(choice)));
  return words;
}
