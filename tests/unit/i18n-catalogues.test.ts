import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../shared/api/index.ts';
import { flatCatalogue } from '../helpers/i18n.ts';

/**
 * The three catalogues say the same things (issue #17): every key of any language is in every
 * other, plural families have exactly the forms each language's grammar needs, `{{placeholders}}`
 * agree, and no English key is left that nothing reads. The failure messages name every key.
 *
 * Belarusian and Russian are translated in parallel with development: until every key is
 * translated, the completeness checks for them fail and list what is missing. That is the point.
 */

const ROOT = join(import.meta.dirname, '..', '..');
/** Where t(), <Trans i18nKey> and key constants live. */
const SOURCE_DIRS = ['client', 'shared'].map((d) => join(ROOT, d));

type Catalogue = Record<string, string>;

const catalogues = Object.fromEntries(LANGUAGES.map((l) => [l, flatCatalogue(l)])) as Record<Language, Catalogue>;

// ---- Plural families -----------------------------------------------------------------------

/**
 * i18next's plural suffixes; `_zero` is i18next's own extra (used for 0 in any language), and
 * `_single` the wording for exactly one where the "one" form also serves 21, 31… (client/i18n/counted.ts).
 */
const PLURAL = /^(.*)_(zero|single|one|two|few|many|other)$/;
/** The forms each language's grammar needs (CLDR, as the browser's Intl knows it). */
const formsOf = (language: Language) => new Intl.PluralRules(language).resolvedOptions().pluralCategories as string[];

/** Base key → the plural forms present; keys that are not plurals are not listed. */
function pluralFamilies(catalogue: Catalogue): Map<string, Set<string>> {
  const families = new Map<string, Set<string>>();
  for (const key of Object.keys(catalogue)) {
    const match = PLURAL.exec(key);
    if (!match) continue;
    const forms = families.get(match[1]!) ?? new Set<string>();
    forms.add(match[2]!);
    families.set(match[1]!, forms);
  }
  // A lone `x_one` with no sibling form is an ordinary key that happens to end like a plural.
  for (const [base, forms] of families) if (forms.size === 1 && !forms.has('other')) families.delete(base);
  return families;
}

/** Every key, with each plural family as its base key: what "the same key" means across languages. */
function logicalKeys(language: Language): Set<string> {
  const families = pluralFamilies(catalogues[language]);
  return new Set(
    Object.keys(catalogues[language]).map((key) => {
      const match = PLURAL.exec(key);
      return match && families.has(match[1]!) ? match[1]! : key;
    }),
  );
}

const placeholders = (text: string) =>
  [...new Set([...text.matchAll(/\{\{\s*([^},\s]+)[^}]*\}\}/g)].map((m) => m[1]!))].sort();

/** The text(s) of a logical key: one for a plain key, every form for a plural family. */
function textsOf(language: Language, key: string): string[] {
  const catalogue = catalogues[language];
  if (key in catalogue) return [catalogue[key]!];
  return Object.entries(catalogue)
    .filter(([k]) => PLURAL.exec(k)?.[1] === key)
    .map(([, v]) => v);
}

describe('translation catalogues', () => {
  it('are found, and English is not empty', () => {
    expect(Object.keys(catalogues.en).length).toBeGreaterThan(500);
  });

  for (const language of LANGUAGES) {
    for (const other of LANGUAGES) {
      if (other === language) continue;
      it(`${language}: has every key that ${other} has`, () => {
        const mine = logicalKeys(language);
        const missing = [...logicalKeys(other)].filter((k) => !mine.has(k)).sort();
        expect(missing, `${missing.length} keys of ${other}.json missing from ${language}.json:\n${missing.join('\n')}`).toEqual([]);
      });
    }

    it(`${language}: every plural has exactly the forms ${language} needs (${formsOf(language).join(', ')})`, () => {
      const needed = formsOf(language);
      // `_zero` ("none yet" instead of "0 …") and `_single` (exactly one) are choices of wording:
      // where one language makes them, all do.
      const extraIn = (form: string) =>
        new Set(LANGUAGES.flatMap((l) => [...pluralFamilies(catalogues[l])].filter(([, f]) => f.has(form)).map(([b]) => b)));
      const zeroIn = extraIn('zero');
      const singleIn = extraIn('single');
      const wrong = [...pluralFamilies(catalogues[language])]
        .map(([base, forms]) => {
          const want = [...needed, ...(zeroIn.has(base) ? ['zero'] : []), ...(singleIn.has(base) ? ['single'] : [])].sort();
          const have = [...forms].sort();
          return want.join() === have.join() ? null : `${base}: has ${have.join(', ')}; needs ${want.join(', ')}`;
        })
        .filter((x) => x !== null);
      // A plural elsewhere written here as one plain text would read "1 sections" for some counts.
      const flattened = LANGUAGES.flatMap((l) => [...pluralFamilies(catalogues[l]).keys()])
        .filter((base, i, all) => all.indexOf(base) === i && base in catalogues[language])
        .map((base) => `${base}: a plural in another language, one text here`);
      expect([...wrong, ...flattened], [...wrong, ...flattened].join('\n')).toEqual([]);
    });
  }

  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${language}: uses the same {{placeholders}} as English`, () => {
      const differ = Object.keys(catalogues.en)
        .map((k) => PLURAL.exec(k)?.[1] ?? k)
        .filter((key, i, all) => all.indexOf(key) === i)
        .flatMap((key) => {
          const theirs = textsOf(language, key);
          if (theirs.length === 0) return []; // missing: reported by the completeness check
          const want = [...new Set(textsOf('en', key).flatMap(placeholders))].sort().join();
          const have = [...new Set(theirs.flatMap(placeholders))].sort().join();
          return want === have ? [] : [`${key}: en {${want}}, ${language} {${have}}`];
        });
      expect(differ, differ.join('\n')).toEqual([]);
    });

    it(`${language}: no text is left in English`, () => {
      // Kept as they are in every language: names of products and formats, UN treaty bodies'
      // acronyms, and the language switch's own name for English.
      const NAMES = new Set(['Accord', 'English', 'Markdown', 'Word', 'sha256']);
      const english = Object.entries(catalogues[language]).filter(([key, text]) => {
        if (catalogues.en[key] !== text) return false;
        const words = text.replace(/\{\{[^}]*\}\}/g, '').match(/[A-Za-z][A-Za-z0-9]*/g) ?? [];
        return words.some((w) => !NAMES.has(w) && w !== w.toUpperCase());
      });
      expect(english.map(([k, v]) => `${k}: ${v}`), 'copied from English instead of translated').toEqual([]);
    });
  }
});

// ---- Keys nothing reads ---------------------------------------------------------------------

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/**
 * Template literals whose key starts with an expression, so no prefix says which keys they read:
 * each listed with the keys it can reach and why it is written that way.
 */
const DYNAMIC_WITHOUT_PREFIX: Record<string, { reaches: RegExp; why: string }> = {
  '`${k}.${v}`': {
    reaches: /^(actionStatus|monitoring\.status|indicators\.type|role|side|position|mechanism|monitoring\.stage|monitoring\.rating|itemHistory\.state|itemHistory\.evidenceKind|export\.formats)\./,
    why: "client/features/history/ItemHistory.tsx: one lookup words any changed field's value, VALUE_KEYS choosing the families by field",
  },
  '`${prefix}.${str(v)}`': {
    reaches: /^(agreement\.status|export\.formats|monitoring\.rating|monitoring\.stage|monitoring\.status|role|side)\./,
    why: 'client/features/audit/auditSummary.ts: word(t, family, value) puts a stored code in words before it fills an entry\'s sentence',
  },
  '`${WORDED[k]}.${v}`': {
    reaches: /^(role|side|monitoring\.rating)\./,
    why: "client/features/notifications/noticeText.ts: WORDED names the family of each notice value stored by its code",
  },
};

/** A template literal's text with each `${…}` (braces inside it balanced) as one \u0000. */
function withoutExpressions(literal: string): string {
  let out = '';
  for (let i = 0; i < literal.length; i++) {
    if (literal[i] !== '$' || literal[i + 1] !== '{') {
      out += literal[i];
      continue;
    }
    let depth = 0;
    for (i++; i < literal.length; i++) {
      if (literal[i] === '{') depth++;
      else if (literal[i] === '}' && --depth === 0) break;
    }
    out += '\u0000';
  }
  return out;
}

/**
 * What the sources read: every string literal that is a key (or a plural family's base), and every
 * template literal such as `errors.${code}` as all keys it can match (`errors.` then anything).
 */
function usedKeys(keys: readonly string[]): { used: Set<string>; unexplained: string[] } {
  const known = new Set(keys);
  const bases = new Map<string, string[]>();
  for (const key of keys) {
    const base = PLURAL.exec(key)?.[1];
    if (base) bases.set(base, [...(bases.get(base) ?? []), key]);
  }
  const used = new Set<string>();
  const unexplained: string[] = [];
  const useLiteral = (text: string) => {
    if (known.has(text)) used.add(text);
    for (const k of bases.get(text) ?? []) used.add(k);
  };
  for (const file of sourceFiles(SOURCE_DIRS[0]!).concat(sourceFiles(SOURCE_DIRS[1]!))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/'([^'\\\n]*)'|"([^"\\\n]*)"/g)) useLiteral(m[1] ?? m[2]!);
    for (const m of text.matchAll(/`([^`]*)`/g)) {
      const literal = m[1]!;
      if (!literal.includes('${')) {
        useLiteral(literal);
        continue;
      }
      // Only templates that look like keys: dotted words around the expressions.
      const shape = withoutExpressions(literal);
      if (!/^[A-Za-z0-9_.\u0000]+$/.test(shape) || !shape.includes('.')) continue;
      if (shape.startsWith('\u0000')) {
        const listed = DYNAMIC_WITHOUT_PREFIX[`\`${literal}\``];
        if (listed) {
          for (const key of keys) if (listed.reaches.test(key)) used.add(key);
        }
        // Only an unlisted one passed to t() itself is a problem; others are not keys (`${n}.`).
        else if (/\bt\(\s*$/.test(text.slice(0, m.index))) unexplained.push(`${relative(ROOT, file)}: \`${literal}\``);
        continue;
      }
      const pattern = new RegExp(`^${shape.split('\u0000').map((p) => p.replace(/\./g, '\\.')).join('.+')}(_(zero|single|one|two|few|many|other))?$`);
      for (const key of keys) if (pattern.test(key)) used.add(key);
    }
  }
  return { used, unexplained };
}

describe('English keys', () => {
  it('are each read somewhere in the client (no dead translations to pay for)', () => {
    const keys = Object.keys(catalogues.en);
    const { used, unexplained } = usedKeys(keys);
    expect(unexplained, `Dynamic keys with no literal prefix: list them in DYNAMIC_WITHOUT_PREFIX with why:\n${unexplained.join('\n')}`).toEqual([]);
    const unused = keys.filter((k) => !used.has(k));
    expect(unused, `${unused.length} keys nothing reads:\n${unused.join('\n')}`).toEqual([]);
  });
});
