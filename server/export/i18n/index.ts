/**
 * The language an export is written in (issue #17): its words (en.ts, ru.ts, be.ts) and how it
 * writes times, dates, numbers and money, all through Intl in that language. The plan's own text
 * (titles, section text, names) is never translated; only what the export itself says is.
 *
 * Times keep the one style every export has used: the date with the month in words (no day/month
 * order to guess), the time on a 24-hour clock, and always UTC, the zone times are stored in.
 */
import type { ExportLanguage } from '../../../shared/api/agreement.ts';
import type { Catalogue, Plural } from './catalogue.ts';
import { be } from './be.ts';
import { en } from './en.ts';
import { ru } from './ru.ts';

export type { Catalogue, Plural };
export const CATALOGUES: Record<ExportLanguage, Catalogue> = { en, ru, be };

/** The locale Intl formats in: British English, so "2 December 2026" rather than "December 2, 2026". */
const LOCALE: Record<ExportLanguage, string> = { en: 'en-GB', ru: 'ru', be: 'be' };
/** The language tag written into DOCX (w:lang wants a region). */
export const DOCX_LANGUAGE: Record<ExportLanguage, string> = { en: 'en-GB', ru: 'ru-RU', be: 'be-BY' };

/**
 * "{name}" → vars.name; a placeholder with no value stays as it is, so a gap is visible rather than
 * silent. A value that ends a sentence with its own full stop ("6 декабря 2026 г.") takes the
 * template's: no "г..".
 */
export function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}(\.(?!\.))?/g, (m, key: string, stop: string | undefined) => {
    if (!(key in vars)) return m;
    const value = String(vars[key]);
    return stop && value.endsWith('.') ? value : value + (stop ?? '');
  });
}

export class ExportWords {
  readonly w: Catalogue;
  readonly locale: string;
  private readonly dateFormat: Intl.DateTimeFormat;
  private readonly clockFormat: Intl.DateTimeFormat;
  private readonly numberFormat: Intl.NumberFormat;
  private readonly plurals: Intl.PluralRules;
  private readonly moneyFormats = new Map<string, Intl.NumberFormat | null>();

  constructor(readonly language: ExportLanguage = 'en') {
    this.w = CATALOGUES[language];
    this.locale = LOCALE[language];
    this.dateFormat = new Intl.DateTimeFormat(this.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    this.clockFormat = new Intl.DateTimeFormat(this.locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
    this.numberFormat = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 2 });
    this.plurals = new Intl.PluralRules(this.locale);
  }

  /** A template with its placeholders filled. */
  t(template: string, vars?: Record<string, string | number>): string {
    return fill(template, vars);
  }

  /** The form of a plural entry for `count`, with {count} filled (as a formatted number) and any other placeholders. */
  plural(entry: Plural, count: number, vars: Record<string, string | number> = {}): string {
    const form = (entry as unknown as Record<string, string | undefined>)[this.plurals.select(count)] ?? entry.other;
    return fill(form, { ...vars, count: this.number(count) });
  }

  /** "2 December 2026, 18:09 UTC" from a stored ISO time (or SQLite's "YYYY-MM-DD HH:MM"); anything else as it is. */
  time(iso: string): string {
    const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(iso);
    if (!m) return iso;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])));
    return Number.isNaN(d.getTime()) ? iso : `${this.dateFormat.format(d)}, ${this.clockFormat.format(d)} UTC`;
  }

  /** "2 December 2026" from "2026-12-02" (or an ISO time); anything else as it is. */
  date(value: string): string {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? /^(\d{4})-(\d{2})-(\d{2})[T ]/.exec(value);
    if (!m) return value;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return Number.isNaN(d.getTime()) ? value : this.dateFormat.format(d);
  }

  number(n: number): string {
    return this.numberFormat.format(n);
  }

  /** A point of an action's timeline: a year as it is, a quarter (2027-Q4) and a day as the language writes them. */
  timePoint(value: string): string {
    const q = /^(\d{4})-Q([1-4])$/.exec(value);
    return q ? this.t(this.w.facts.quarter, { quarter: q[2]!, year: q[1]! }) : this.date(value);
  }

  /**
   * An amount in its currency, always with the ISO code ("150 000 BYN" in Russian): a code reads the
   * same in every language. A currency Intl does not know (people type it) prints after the number.
   */
  money(amount: number, currency: string | null): string {
    if (!currency) return this.number(amount);
    let format = this.moneyFormats.get(currency);
    if (format === undefined) {
      try {
        format = new Intl.NumberFormat(this.locale, { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 0, maximumFractionDigits: 2 });
      } catch {
        format = null;
      }
      this.moneyFormats.set(currency, format);
    }
    return format ? format.format(amount) : `${this.number(amount)} ${currency}`;
  }

  /** A label from an enum's words, or the stored value when it has none (an older or unknown value). */
  label(words: Record<string, string>, value: string): string {
    return words[value] ?? value;
  }
}

const cache = new Map<ExportLanguage, ExportWords>();
/** The words of a language (built once per worker). */
export function exportWords(language: ExportLanguage = 'en'): ExportWords {
  let words = cache.get(language);
  if (!words) cache.set(language, (words = new ExportWords(language)));
  return words;
}
