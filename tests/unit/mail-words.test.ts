/**
 * Notice e-mail says what the notice in the app says: the mail catalogues (server/mail/i18n) carry
 * the app's notice sentences, roles, sides and ratings word for word in every language, and each
 * mail catalogue has the frame and a subject for every kind of notice. The server cannot read the
 * client's catalogues, so this keeps the two copies the same.
 */
import { describe, expect, it } from 'vitest';
import { NOTICE_TEXT_PARAMS, NotificationSchema } from '../../shared/api/index.ts';
import { MAIL_CATALOGUES, mailWords } from '../../server/mail/i18n/index.ts';
import { LANGUAGES, at, catalogue, translator } from '../helpers/i18n.ts';
import { noticeText } from '../../client/features/notifications/noticeText.ts';

/** The app's `{{x}}` placeholders written as the server's `{x}`; plural families gathered by form. */
function appSentences(lng: (typeof LANGUAGES)[number]): Record<string, unknown> {
  const texts = at(catalogue(lng), ['notifications', 'text']) as Record<string, string>;
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(texts)) {
    const server = text.replace(/\{\{\s*(\w+)\s*\}\}/g, '{$1}');
    const plural = /^(.*)_(zero|one|two|few|many|other)$/.exec(key);
    if (plural) ((out[plural[1]!] ??= {}) as Record<string, string>)[plural[2]!] = server;
    else out[key] = server;
  }
  return out;
}

describe('notice e-mail words', () => {
  for (const lng of LANGUAGES) {
    it(`in ${lng} are the app's notice sentences and words, with a subject for every kind`, () => {
      const mail = MAIL_CATALOGUES[lng];
      const app = catalogue(lng);
      expect(mail.text).toEqual(appSentences(lng));
      expect(mail.generic).toEqual(at(app, ['notifications', 'generic']));
      expect(mail.role).toEqual(at(app, ['role']));
      expect(mail.side).toEqual(at(app, ['side']));
      expect(mail.rating).toEqual(at(app, ['monitoring', 'rating']));
      expect(Object.keys(mail.subject).sort()).toEqual([...NotificationSchema.shape.kind.options].sort());
    });
  }

  it('word every notice as the app does, but dates as "2 December 2026"', async () => {
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    for (const lng of LANGUAGES) {
      const t = await translator(lng);
      for (const [key, params] of Object.entries(NOTICE_TEXT_PARAMS)) {
        for (const count of [1, 3, 5]) {
          const values = Object.fromEntries(
            params.map((p) => [p, p === 'count' ? count : p === 'from' ? 'drafter' : p === 'to' ? 'coordinator' : p === 'side' ? 'civil_society' : /rating/i.test(p) ? 'not_implemented' : `[${p}]`]),
          );
          const text = { key: key as keyof typeof NOTICE_TEXT_PARAMS, params: values };
          expect(mailWords(lng).notice('report_due', text), `${lng} ${key} ${count}`).toBe(noticeText({ kind: 'report_due', text }, t, lng));
        }
      }
      expect(mailWords(lng).notice('mention', null)).toBe(t('notifications.generic.mention'));
    }
    const due = { key: 'report_due', params: { title: 'A', round: 'B', due: '2026-12-02' } } as const;
    expect(plain(mailWords('en').notice('report_due', due))).toContain('is due on 2 December 2026.');
    expect(plain(mailWords('ru').notice('report_due', due))).toContain('до 2 декабря 2026 г.');
    expect(plain(mailWords('be').notice('report_due', due))).toContain('да 2 снежня 2026 г.');
    // Until when a reset link works: to the minute, in UTC and saying so (the server cannot know the reader's zone).
    const made = { key: 'password_reset_made', params: { who: 'H', organisation: 'O', plan: 'P', until: '2026-12-02T15:04:00.000Z' } } as const;
    expect(plain(mailWords('en').notice('password_reset_made', made))).toMatch(/until 2 December 2026.* 15:04 UTC\./);
    expect(plain(mailWords('ru').notice('password_reset_made', made))).toMatch(/до 2 декабря 2026 г\.,? (в )?15:04 UTC\./);
  });
});
