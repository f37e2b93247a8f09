/**
 * Every error a person can see is a code with words in every language: the server's English
 * message never reaches them. A code added to shared/api/errors.ts (the only codes server/errors.ts
 * accepts) without an `errors.*` key fails here; so does a field error code or a "not found" thing.
 */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, FIELD_ERROR_CODES, NOT_FOUND_WHATS, fieldIssues } from '../../shared/api/index.ts';
import { EmailSchema, TitleSchema } from '../../shared/api/index.ts';
import { errorText, fieldErrorText } from '../../client/i18n/errorText.ts';
import { at, catalogue, translator } from '../helpers/i18n.ts';

const catalogues = { en: catalogue('en'), be: catalogue('be'), ru: catalogue('ru') };

describe('error codes', () => {
  for (const [lng, c] of Object.entries(catalogues)) {
    it(`has a sentence for every server error code in ${lng}`, () => {
      expect(ERROR_CODES.filter((code) => typeof at(c, ['errors', code]) !== 'string')).toEqual([]);
    });
    it(`has a sentence for every field error code in ${lng}`, () => {
      expect(FIELD_ERROR_CODES.filter((code) => typeof at(c, ['fieldErrors', code]) !== 'string')).toEqual([]);
    });
    it(`says what was not found for every kind of thing in ${lng}`, () => {
      expect(NOT_FOUND_WHATS.filter((what) => typeof at(c, ['errors', 'notFoundWhat', what]) !== 'string')).toEqual([]);
    });
  }

  it('never shows the server’s English: an unknown code reads as the generic sentence', async () => {
    const t = await translator('ru');
    expect(errorText(t, 'some_future_code')).toBe(at(catalogues.ru, ['errors', 'unexpected']));
    expect(errorText(t, 'section_agreed')).toBe(at(catalogues.ru, ['errors', 'section_agreed']));
    expect(errorText(t, 'not_found', { what: 'section' })).toBe(at(catalogues.ru, ['errors', 'notFoundWhat', 'section']));
    expect(fieldErrorText(t, 'too_long', { max: 200 })).toContain('200');
    expect(errorText(t, 'rate_limited')).toBe(at(catalogues.ru, ['errors', 'rate_limited']));
    expect(errorText(t, 'rate_limited', { retryAfterSeconds: 5 })).toBe((at(catalogues.ru, ['errors', 'rateLimitedRetry_many']) as string).replace('{{count}}', '5'));
    expect(errorText(t, 'rate_limited', { retryAfterSeconds: 2 })).toBe((at(catalogues.ru, ['errors', 'rateLimitedRetry_few']) as string).replace('{{count}}', '2'));
  });

  it('names zod problems with the same codes on the client and the server', () => {
    const schema = z.object({ title: TitleSchema, email: EmailSchema, count: z.number().int().min(2).max(5), note: z.string().max(3) });
    const result = schema.safeParse({ title: '  ', email: 'not-mail', count: 9, note: 'long' });
    expect(result.success).toBe(false);
    const issues = fieldIssues(result.error!);
    expect(issues).toEqual({
      title: { code: 'required' },
      email: { code: 'invalid_email' },
      count: { code: 'too_big', params: { max: 5 } },
      note: { code: 'too_long', params: { max: 3 } },
    });
    expect(fieldIssues(z.object({ x: z.string() }).safeParse({}).error!)).toEqual({ x: { code: 'required' } });
  });
});
