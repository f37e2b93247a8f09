/**
 * Notice e-mail in its recipient's language (the one they chose in Accord, kept with their
 * account): its words (en.ts, ru.ts, be.ts) and its dates as that language writes them ("2 December
 * 2026", "2 декабря 2026 г.", "2 снежня 2026 г."), through Node's Intl, which speaks Belarusian.
 */
import { fill } from '../../export/i18n/index.ts';
import type { Plural } from '../../export/i18n/catalogue.ts';
import type { NoticeText, Notification } from '../../../shared/api/index.ts';
import type { MailCatalogue } from './catalogue.ts';
import { be } from './be.ts';
import { en } from './en.ts';
import { ru } from './ru.ts';

export type MailLanguage = 'en' | 'ru' | 'be';
export const MAIL_CATALOGUES: Record<MailLanguage, MailCatalogue> = { en, ru, be };
/** British English, as the exports write it: "2 December 2026", no day/month order to guess. */
const LOCALE: Record<MailLanguage, string> = { en: 'en-GB', ru: 'ru', be: 'be' };

const isMailLanguage = (value: string | null | undefined): value is MailLanguage => value === 'en' || value === 'ru' || value === 'be';

/**
 * The language to write to a person in: the one they chose; else the one their browser asked for
 * when they last signed in, set Accord up or accepted an invitation (what they read Accord in
 * until they choose); else English, the language every Accord deployment shares. Plans have no
 * language of their own to fall back on.
 */
export function mailLanguage(chosen: string | null, browser?: string | null): MailLanguage {
  if (isMailLanguage(chosen)) return chosen;
  if (isMailLanguage(browser)) return browser;
  return 'en';
}

/** Values stored by their codes (a role, a side, a rating), put in words before they fill a sentence. */
const WORDED: Record<string, 'role' | 'side' | 'rating'> = { from: 'role', to: 'role', role: 'role', side: 'side', rating: 'rating', governmentRating: 'rating' };
/** Values stored as calendar days ("2027-01-31", when reports are due), written as the language writes dates. */
const DATED: ReadonlySet<string> = new Set(['due']);
/**
 * Values stored as moments (an ISO time: until when a reset link works), written with the time of
 * day in UTC and saying so: the server does not know the reader's time zone (the app shows theirs).
 */
const TIMED: ReadonlySet<string> = new Set(['until']);

export class MailWords {
  readonly w: MailCatalogue;
  private readonly dates: Intl.DateTimeFormat;
  private readonly times: Intl.DateTimeFormat;
  private readonly numbers: Intl.NumberFormat;
  private readonly plurals: Intl.PluralRules;

  constructor(readonly language: MailLanguage) {
    this.w = MAIL_CATALOGUES[language];
    const locale = LOCALE[language];
    this.dates = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    this.times = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'UTC',
      timeZoneName: 'short',
    });
    this.numbers = new Intl.NumberFormat(locale);
    this.plurals = new Intl.PluralRules(locale);
  }

  t(template: string, vars?: Record<string, string | number>): string {
    return fill(template, vars);
  }

  /** "2027-01-31" as "31 January 2027"; anything that is not a calendar day as it is. */
  date(value: string): string {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) return value;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return Number.isNaN(d.getTime()) ? value : this.dates.format(d);
  }

  /** "2026-12-07T17:04:00.000Z" as "7 December 2026 at 17:04 UTC"; anything that is not a time as it is. */
  time(value: string): string {
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return value;
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? value : this.times.format(d);
  }

  /**
   * What a notice says, in this language: its stored sentence with names, titles and reasons as
   * written, codes in words and dates as the language writes them; a notice stored before texts
   * were kept says its kind's general sentence.
   */
  notice(kind: Notification['kind'], text: NoticeText | null): string {
    const generic = this.w.generic[kind];
    const template: string | Plural | undefined = text ? (this.w.text as Record<string, string | Plural>)[text.key] : undefined;
    if (!text || !template) return generic;
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(text.params)) {
      if (typeof v === 'number') params[k] = this.numbers.format(v);
      else if (WORDED[k]) params[k] = (this.w[WORDED[k]] as Record<string, string>)[v] ?? v;
      else params[k] = DATED.has(k) ? this.date(v) : TIMED.has(k) ? this.time(v) : v;
    }
    if (typeof template === 'string') return fill(template, params);
    const count = typeof text.params.count === 'number' ? text.params.count : 1;
    const form = (template as unknown as Record<string, string | undefined>)[this.plurals.select(count)] ?? template.other;
    return fill(form, params);
  }
}

const cache = new Map<MailLanguage, MailWords>();
export function mailWords(language: MailLanguage): MailWords {
  let words = cache.get(language);
  if (!words) cache.set(language, (words = new MailWords(language)));
  return words;
}
