/**
 * Notices read in the reader's language: every sentence the server can ask for has a template in
 * every catalogue with exactly the values it sends, every kind has a general sentence for notices
 * stored before texts were kept, and states (roles, ratings) are put in words.
 */
import { describe, expect, it } from 'vitest';
import { NOTICE_TEXT_PARAMS, NotificationSchema } from '../../shared/api/index.ts';
import { DATED, TIMED, noticeText } from '../../client/features/notifications/noticeText.ts';
import { formatDate, formatDateTime } from '../../client/i18n/format.ts';
import { LANGUAGES, at, catalogue, translator } from '../helpers/i18n.ts';

const placeholders = (template: string) => [...template.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!).sort();
const KINDS = NotificationSchema.shape.kind.options;
const PLURAL_FORMS = ['zero', 'one', 'two', 'few', 'many', 'other'];

/** A sentence's template, or every form of it when it is a plural family (`key_one`, `key_other`, …). */
function templatesOf(c: Record<string, unknown>, key: string): string[] {
  const texts = (at(c, ['notifications', 'text']) ?? {}) as Record<string, unknown>;
  if (typeof texts[key] === 'string') return [texts[key]];
  return PLURAL_FORMS.map((form) => texts[`${key}_${form}`]).filter((text): text is string => typeof text === 'string');
}

describe('notice texts', () => {
  for (const lng of LANGUAGES) {
    it(`are in the ${lng} catalogue with exactly the values the server sends, and every kind has a general sentence`, () => {
      const c = catalogue(lng);
      const problems: string[] = [];
      for (const [key, params] of Object.entries(NOTICE_TEXT_PARAMS)) {
        const templates = templatesOf(c, key);
        // The forms of a plural together use every value (a form for one may leave out the count).
        const used = [...new Set(templates.flatMap(placeholders))].sort();
        if (templates.length === 0) problems.push(`${key}: missing`);
        else if (JSON.stringify(used) !== JSON.stringify([...params].sort())) problems.push(`${key}: uses ${used.join(', ')}`);
        else if (templates.length > 1 && !(params as readonly string[]).includes('count')) problems.push(`${key}: a plural, but the server sends no count`);
      }
      for (const kind of KINDS) if (typeof at(c, ['notifications', 'generic', kind]) !== 'string') problems.push(`generic ${kind}: missing`);
      expect(problems).toEqual([]);
    });
  }

  it('word a notice in Russian, roles in words; an old notice reads as its kind’s general sentence', async () => {
    const t = await translator('ru');
    const role = noticeText({ kind: 'role_changed', text: { key: 'role_changed', params: { who: 'Olga', from: 'drafter', to: 'coordinator' } } }, t, 'ru');
    expect(role).toBe(`Вашу роль в этом плане изменил координатор (Olga): ${t('role.drafter')} → ${t('role.coordinator')}.`);
    expect(noticeText({ kind: 'mention', text: null }, t, 'ru')).toBe('Вас упомянули в комментарии.');
  });

  it('writes the due date of a round or a report as the app writes dates, in the reader’s language', async () => {
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    const en = await translator('en');
    const opened = { kind: 'report_due', text: { key: 'round_opened', params: { who: 'Olga Coordinator', round: '2027 annual', count: 3, due: '2027-01-31' } } } as const;
    expect(noticeText(opened, en, 'en')).toBe(
      'The monitoring round “2027 annual” was opened by Olga Coordinator: reports on your organisation’s actions (3) are due 31 January 2027.',
    );
    expect(plain(noticeText(opened, await translator('ru'), 'ru'))).toContain('31 января 2027 г.');
    expect(plain(noticeText(opened, await translator('be'), 'be'))).toContain('31 студзеня 2027 г.');
    // Every kind of notice that carries a date, in every language: never the stored ISO day.
    for (const lng of LANGUAGES) {
      const t = await translator(lng);
      for (const [key, params] of Object.entries(NOTICE_TEXT_PARAMS)) {
        const values = Object.fromEntries(params.map((p) => [p, DATED.has(p) ? '2027-01-31' : p === 'count' ? 2 : `[${p}]`]));
        const text = noticeText({ kind: 'report_due', text: { key: key as keyof typeof NOTICE_TEXT_PARAMS, params: values } }, t, lng);
        expect(text, `${lng} ${key}`).not.toContain('2027-01-31');
        if (params.some((p) => DATED.has(p))) expect(text, `${lng} ${key}`).toContain(formatDate('2027-01-31', lng));
      }
    }
  });

  it('knows every value a notice sends that is a date or a moment', () => {
    const params = new Set(Object.values(NOTICE_TEXT_PARAMS).flat() as string[]);
    const datelike = [...params].filter((p) => /due|date|until|deadline/i.test(p));
    expect(datelike.filter((p) => !DATED.has(p) && !TIMED.has(p))).toEqual([]);
  });

  it('says until when a reset link works as a time of day in the reader\'s language, never the stored ISO time', async () => {
    const until = '2027-01-31T15:04:00.000Z';
    const made = { kind: 'password_reset_made' as const, text: { key: 'password_reset_made' as const, params: { who: 'Hanna', organisation: 'BHC', plan: 'NHRP', until } } };
    for (const lng of LANGUAGES) {
      const text = noticeText(made, await translator(lng), lng);
      expect(text, lng).not.toContain(until);
      expect(text, lng).toContain(formatDateTime(until, lng));
    }
  });
});
