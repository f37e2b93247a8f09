/**
 * Import problems and notes reach people as codes their browser words: every code in
 * shared/api/importText.ts needs a sentence in every catalogue that uses exactly the values the
 * server sends with it, and a Russian reader's preview reads Russian, never the server's English.
 */
import { describe, expect, it } from 'vitest';
import { IMPORT_FILE_PROBLEMS, IMPORT_ROW_PROBLEMS, IMPORT_WARNINGS } from '../../shared/api/index.ts';
import { errorText } from '../../client/i18n/errorText.ts';
import { importWarningText, rowProblemText } from '../../client/features/import/importText.ts';
import { parseImport } from '../../server/import/index.ts';
import { at, catalogue, translator } from '../helpers/i18n.ts';

const catalogues = { en: catalogue('en'), be: catalogue('be'), ru: catalogue('ru') };
const groups = { fileProblem: IMPORT_FILE_PROBLEMS, rowProblem: IMPORT_ROW_PROBLEMS, warning: IMPORT_WARNINGS } as const;

const placeholders = (text: string) => [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!))].sort();

describe('import text codes', () => {
  for (const [lng, c] of Object.entries(catalogues)) {
    for (const [group, codes] of Object.entries(groups)) {
      it(`words every import ${group} code in ${lng}, with exactly the values the server sends`, () => {
        const wrong: string[] = [];
        for (const [code, params] of Object.entries(codes)) {
          const text = at(c, ['import', group, code]);
          if (typeof text !== 'string') wrong.push(`${code}: missing`);
          else if (placeholders(text).join() !== [...params].sort().join()) wrong.push(`${code}: uses ${placeholders(text).join()}`);
        }
        expect(wrong).toEqual([]);
      });
    }
  }

  it('shows a Russian reader the problems and notes of a file in Russian', async () => {
    const t = await translator('ru');
    const csv = [
      'To,Text,From,Response,Session',
      'Belarus,Ratify the Convention,France,Supported,8',
      'Belarus,,France,Supported,8',
      'Belarus,Abolish the death penalty,Spain,Maybe later,8',
    ].join('\n');
    const parsed = parseImport({ bytes: new TextEncoder().encode(csv), filename: 'upr.csv' });
    expect(parsed.rejected.map((r) => r.code)).toEqual(['text_empty', 'unknown_position']);
    const texts = parsed.rejected.map((r) => rowProblemText(t, r));
    expect(texts).toEqual([at(catalogues.ru, ['import', 'rowProblem', 'text_empty']), 'Неизвестная позиция «Maybe later».']);

    const heading = importWarningText(t, {
      code: 'heading_position',
      params: { paragraph: '97', matched: 'enjoy the support', position: 'supported', heading: 'The following recommendations enjoy the support of Belarus' },
    });
    expect(heading).toContain(String(at(catalogues.ru, ['position', 'supported'])));
    expect(heading).toMatch(/^Пункт 97: /);

    let problem: { code: string; params: Record<string, string | number> } | null = null;
    try {
      parseImport({ bytes: new TextEncoder().encode('Name,Colour\nA,B\n'), filename: 'x.csv', format: 'upr-info-csv' });
    } catch (err) {
      const e = err as { code: string; params: Record<string, string | number> };
      problem = { code: e.code, params: e.params };
    }
    expect(problem?.code).toBe('missing_columns_upr_info');
    const sentence = errorText(t, 'import_file_invalid', { problem: problem!.code, ...problem!.params });
    expect(sentence).toMatch(/^В файле нет столбцов, которые есть в выгрузке UPR Info: To, Text, From, Response/);
    expect(sentence).toContain('Name, Colour');
  });

  it('reads a code this browser does not know as a general sentence, never as nothing', async () => {
    const t = await translator('be');
    expect(rowProblemText(t, { code: 'future' as never, params: {} })).toBe(at(catalogues.be, ['import', 'rowProblemUnknown']));
    expect(importWarningText(t, { code: 'future' as never, params: {} })).toBe(at(catalogues.be, ['import', 'warningUnknown']));
    expect(errorText(t, 'import_file_invalid', { problem: 'future' })).toBe(at(catalogues.be, ['errors', 'import_file_invalid']));
  });
});
