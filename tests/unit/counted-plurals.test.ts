import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { counted } from '../../client/i18n/counted.ts';
import { flatCatalogue, translator } from '../helpers/i18n.ts';

/**
 * Belarusian and Russian put 1, 21, 31… in the same "one" form. A message whose wording holds for
 * exactly one ("…примите или отклоните её") keeps it under `_single`, read through counted(), and
 * its `_one` speaks of several ("…их") — "21 нерассмотренная правка: примите или отклоните её"
 * was what a coordinator read.
 */

const ROOT = join(import.meta.dirname, '..', '..');

/** Singular pronouns and demonstratives that would be wrong for 21 of the counted things. */
const SINGULAR = /(?<![\p{L}])(его|её|ее|ему|ей|он|она|оно|этот|эта|эту|этого|этой|этим|яго|яе|яму|ён|яна|яно|гэты|гэтая|гэту|гэтага|гэтай|гэтым)(?![\p{L}])/iu;

/**
 * `_one` texts with such a word that is about something else than what is counted, so they hold
 * for 21 as for 1.
 */
const ABOUT_SOMETHING_ELSE: Record<string, string> = {
  'outline.deleteChapterBody': "the chapter's sections",
  'signoffRule.becameAgreed': 'this rule',
  'import.warnings': 'this file',
  'importHistory.undoCreated': 'this import',
  'importHistory.undoUpdated': 'this import',
  'actions.deleteIndicators': "the action's indicators",
  'monitoring.adopt.confirmBody': "the plan version's hash",
  'presence.heading': 'this section',
  'agreement.missingQuorumUnmeetable': 'this plan',
  'suggestions.acceptAllText': 'this section',
  'suggestions.rejectAllText': 'this section',
  'monitoring.due.title': 'this round',
  'account.sessions.confirmOthers': 'this browser',
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('a count of one that is not exactly one', () => {
  for (const lang of ['ru', 'be'] as const) {
    it(`${lang}: a "one" form that speaks of exactly one has its _single wording`, () => {
      const catalogue = flatCatalogue(lang);
      const offending = Object.entries(catalogue)
        .filter(([key, text]) => key.endsWith('_one') && `${key.slice(0, -4)}_other` in catalogue && SINGULAR.test(text))
        .map(([key]) => key.slice(0, -4))
        .filter((base) => !(base in ABOUT_SOMETHING_ELSE) && !(`${base}_single` in catalogue));
      expect(offending, offending.join('\n')).toEqual([]);
    });
  }

  it('reads 1 and 21 apart in Russian and Belarusian, and 1 as before in English', async () => {
    const ru = await translator('ru');
    expect(ru('agreement.openSuggestions', counted(1))).toBe('1 нерассмотренная предложенная правка: примите или отклоните её до подписания.');
    expect(ru('agreement.openSuggestions', counted(21))).toBe('21 нерассмотренная предложенная правка: примите или отклоните их до подписания.');
    expect(ru('agreement.openSuggestions', counted(3))).toContain('3 нерассмотренные предложенные правки');
    const be = await translator('be');
    expect(be('monitoring.adopt.notAgreedIntro', counted(1))).toContain('Выключыце яго');
    expect(be('monitoring.adopt.notAgreedIntro', counted(21))).toBe('21 раздзел не ўзгоднены. Выключыце кожны з іх з указаннем прычыны або спачатку дабіцеся іх узгаднення.');
    expect(be('agreement.editWithdraws', counted(31, { names: 'X' }))).toContain('адклікае гэтыя подпісы');
    const en = await translator('en');
    expect(en('agreement.openSuggestions', counted(1))).toBe('1 open suggestion: accept or reject it before signing.');
    expect(en('agreement.openSuggestions', counted(21))).toBe('21 open suggestions: accept or reject them before signing.');
  });

  it('every message with a _single wording is asked for through counted()', () => {
    const bases = Object.keys(flatCatalogue('en'))
      .filter((k) => k.endsWith('_single'))
      .map((k) => k.slice(0, -'_single'.length));
    expect(bases.length).toBeGreaterThan(0);
    const code = sources(join(ROOT, 'client')).map((f) => readFileSync(f, 'utf8')).join('\n');
    const plain = bases.filter((base) => {
      const calls = [...code.matchAll(new RegExp(`t\\('${base.replace(/\./g, '\\.')}',\\s*([^)]*)`, 'g'))];
      return calls.length === 0 || calls.some((m) => !m[1]!.startsWith('counted('));
    });
    expect(plain, `t() called without counted() for:\n${plain.join('\n')}`).toEqual([]);
  });
});
