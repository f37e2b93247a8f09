/**
 * The exports' catalogues (server/export/i18n): Belarusian and Russian have every key English has
 * and no other, the same {placeholders} in each string, every plural form their language needs,
 * and no string left in English. Times, numbers and money are written through Intl per language.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUES, ExportWords, fill } from '../../server/export/i18n/index.ts';

type Tree = { [key: string]: string | Tree };

const CATEGORIES = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);
/** A plural entry: an object of plural categories, "one" and "other" among them. */
const isPlural = (v: Tree) => 'one' in v && 'other' in v && Object.keys(v).every((k) => CATEGORIES.has(k));

/** Every string by its path; a plural entry's forms as "<path>#<category>". */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(path, v);
    else if (isPlural(v)) for (const [c, s] of Object.entries(v)) out.set(`${path}#${c}`, s as string);
    else for (const [p, s] of leaves(v, path)) out.set(p, s);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const isPluralPath = (path: string) => path.includes('#');
const base = (path: string) => path.replace(/#\w+$/, '');

const en = leaves(CATALOGUES.en as unknown as Tree);

describe.each(['ru', 'be'] as const)('the %s export catalogue', (lang) => {
  const other = leaves(CATALOGUES[lang] as unknown as Tree);

  it('has every key English has, and no other', () => {
    const enKeys = new Set([...en.keys()].map((k) => (isPluralPath(k) ? base(k) : k)));
    const otherKeys = new Set([...other.keys()].map((k) => (isPluralPath(k) ? base(k) : k)));
    expect([...otherKeys].sort()).toEqual([...enKeys].sort());
  });

  it('keeps the placeholders of each string', () => {
    for (const [path, s] of other) {
      const source = en.get(path) ?? en.get(`${base(path)}#other`)!;
      expect(placeholders(s), `${lang}.${path}`).toEqual(placeholders(source));
    }
  });

  it('has the plural forms Intl gives the language', () => {
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    const plurals = new Set([...en.keys()].filter(isPluralPath).map(base));
    for (const p of plurals) for (const c of categories) expect(other.has(`${p}#${c}`), `${lang}.${p}.${c}`).toBe(true);
  });

  it('is translated: no string is the English one, beyond names and symbols that read the same', () => {
    const same = [...other].filter(([path, s]) => s === en.get(path) && /[a-z]{3}/i.test(s.replace(/\{\w+\}/g, '')));
    expect(same).toEqual([]);
  });
});

describe('export words', () => {
  it('write a time with the month in words, 24-hour, UTC, in each language', () => {
    expect(new ExportWords('en').time('2026-12-02T18:09:41.000Z')).toBe('2 December 2026, 18:09 UTC');
    expect(new ExportWords('ru').time('2026-12-02T18:09:41.000Z')).toBe('2 декабря 2026 г., 18:09 UTC');
    expect(new ExportWords('be').time('2026-12-02 07:05')).toBe('2 снежня 2026 г., 07:05 UTC');
    expect(new ExportWords('ru').time('not a time')).toBe('not a time');
  });

  it('write money with its currency code, as the language writes numbers; an unknown currency follows the number', () => {
    // Intl keeps the code and the number together with no-break spaces; compared as plain spaces.
    expect(new ExportWords('en').money(150000, 'BYN').replace(/\s/g, ' ')).toBe('BYN 150,000');
    expect(new ExportWords('ru').money(150000, 'BYN').replace(/\s/g, ' ')).toBe('150 000 BYN');
    expect(new ExportWords('be').money(1234.5, 'EUR').replace(/\s/g, ' ')).toBe('1234,5 EUR');
    expect(new ExportWords('ru').money(1500, 'рублей').replace(/\s/g, ' ')).toBe('1 500 рублей');
  });

  it('choose the plural form by Intl.PluralRules', () => {
    const entry = CATALOGUES.ru.progress.recommendationCount;
    const ru = new ExportWords('ru');
    expect([1, 3, 5, 21].map((n) => ru.plural(entry, n))).toEqual(['1 рекомендация', '3 рекомендации', '5 рекомендаций', '21 рекомендация']);
    expect(new ExportWords('en').plural(CATALOGUES.en.progress.recommendationCount, 2)).toBe('2 recommendations');
  });

  it('leave a placeholder without a value visible', () => {
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    // A value ending with its own full stop ends the sentence once; an ellipsis is left alone.
    expect(fill('опубликованной {date}.', { date: '6 декабря 2026 г.' })).toBe('опубликованной 6 декабря 2026 г.');
    expect(fill('published on {date}.', { date: '6 December 2026' })).toBe('published on 6 December 2026.');
    expect(fill('{a}... and {a}.', { a: 'etc.' })).toBe('etc.... and etc.');
  });
});
