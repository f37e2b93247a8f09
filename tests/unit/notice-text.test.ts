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

describe('notice texts', () => {
  for (const lng of LANGUAGES) {
    it(`are in the ${lng} catalogue with exactly the values the server sends, and every kind has a general sentence`, () => {
      const c = catalogue(lng);
      const problems: string[] = [];
      for (const [key, params] of Object.entries(NOTICE_TEXT_PARAMS)) {
        const template = at(c, ['notifications', 'text', key]);
        if (typeof template !== 'string') problems.push(`${key}: missing`);
        else if (JSON.stringify(placeholders(template)) !== JSON.stringify([...params].sort())) problems.push(`${key}: uses ${placeholders(template).join(', ')}`);
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
