/**
 * Notices read in the reader's language: every sentence the server can ask for has a template in
 * every catalogue with exactly the values it sends, every kind has a general sentence for notices
 * stored before texts were kept, and states (roles, ratings) are put in words.
 */
import { describe, expect, it } from 'vitest';
import { NOTICE_TEXT_PARAMS, NotificationSchema } from '../../shared/api/index.ts';
import { noticeText } from '../../client/features/notifications/noticeText.ts';
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
    const role = noticeText({ kind: 'role_changed', text: { key: 'role_changed', params: { who: 'Olga', from: 'drafter', to: 'coordinator' } } }, t);
    expect(role).toBe(`Вашу роль в этом плане изменил координатор (Olga): ${t('role.drafter')} → ${t('role.coordinator')}.`);
    expect(noticeText({ kind: 'mention', text: null }, t)).toBe('Вас упомянули в комментарии.');
  });
});
