import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { MINISTRY, adoptedPlan } from '../helpers/monitoring.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { MEMBER_PASSWORD } from '../helpers/workspace.ts';

/**
 * Dates in notices as the rest of the app writes them: the coordinator opens the reporting round
 * "2026 report", due 2026-12-31; Marat, whose ministry leads an action, reads in his notices that
 * reports are due "31 December 2026" in English (as his e-mails say it), "31 декабря 2026 г." in Russian and
 * "31 снежня 2026 г." in Belarusian, never the stored "2026-12-31". Screenshots: test-output/notice-dates-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 800 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

describe('dates in notices', () => {
  it('are written in the reader’s language, not as stored', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const plan = await adoptedPlan(server);
    const due = { en: '31 December 2026', ru: '31 декабря 2026 г.', be: '31 снежня 2026 г.' };
    for (const [language, date] of Object.entries(due)) {
      const page = await openSignedIn(() => newPage({ locale: language }), server.url, MINISTRY.email, MEMBER_PASSWORD, `${server.url}/plans/${plan.planId}`);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      await page.getByTestId('notifications-button').click();
      const opened = page.getByTestId('notification').filter({ hasText: '2026 report' });
      await expect.poll(() => opened.count()).toBeGreaterThan(0);
      const texts = (await opened.allInnerTexts()).map((s) => s.replace(/[\u00a0\u202f]/g, ' '));
      for (const text of texts) {
        expect(text).toContain(date);
        expect(text).not.toContain('2026-12-31');
      }
      await page.screenshot({ path: screenshotPath(`notice-dates-${language}`) });
      await page.context().close();
    }
  });
});
