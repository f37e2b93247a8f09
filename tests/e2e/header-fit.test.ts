import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { anchorOn, mention, setUpNoticeWorld, type NoticeWorld } from '../helpers/noticeWorld.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD } from '../helpers/workspace.ts';

/**
 * The header on a common laptop screen (1280 px wide): Olga, coordinator for the Ministry of
 * Foreign Affairs, sees the name of the app, the choice of language, Notices, her name and
 * organisation and Sign out on one line, in English, Russian and Belarusian, and an unread count
 * on Notices does not push the tools onto a second line. Screenshots go to test-output/header-fit-*.png.
 */
let server: TestServer | undefined;
let world: NoticeWorld | undefined;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 800 } });
afterEach(async () => {
  world?.peer.destroy();
  await server?.destroy();
  server = world = undefined;
});

/** The header's height, and whether each of its parts shows on the brand's line, whole. */
const measure = (page: Page) =>
  page.evaluate(() => {
    const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
    const brand = box('.site-header__brand');
    const parts = ['.language-switch__label', '#language-switch', '[data-testid=notifications-button]', '[data-testid=header-name]', '.site-header__org', '[data-testid=sign-out]'];
    const offLine = parts.filter((sel) => {
      const r = box(sel);
      return r.width === 0 || r.top >= brand.bottom || r.bottom <= brand.top;
    });
    // Nothing the person needs is cut short.
    const clipped = ['[data-testid=header-name]', '.site-header__org', '[data-testid=notifications-button]', '[data-testid=sign-out]'].filter((sel) => {
      const el = document.querySelector(sel) as HTMLElement;
      return el.scrollWidth > el.clientWidth + 1;
    });
    return { height: box('.site-header').height, offLine, clipped, overflow: document.documentElement.scrollWidth > window.innerWidth };
  });

describe('header at 1280 px', () => {
  it('stays on one line, with or without unread notices, in English, Russian and Belarusian', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const w = (world = await setUpNoticeWorld(server));
    for (const language of ['en', 'ru', 'be'] as const) {
      expect((await w.olga.client.post('/api/notifications/read', {})).status).toBe(204);
      const page = await openSignedIn(() => newPage({ locale: language }), server.url, w.olga.email, COORDINATOR_PASSWORD, `${server.url}/plans/${w.planId}`);
      const button = page.getByTestId('notifications-button');
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      await expect.poll(() => button.getAttribute('data-unread')).toBe('0');
      const read = await measure(page);
      expect(read.offLine, `${language}, nothing unread`).toEqual([]);
      expect(read.clipped, `${language}, nothing unread`).toEqual([]);
      expect(read.overflow).toBe(false);

      // Carl mentions her: the count shows on Notices, and the header keeps its height.
      const created = await w.carl.client.post(`/api/plans/${w.planId}/sections/${w.sectionId}/threads`, {
        anchor: anchorOn(w.peer),
        body: `${mention(w.olga)} please look at the first sentence.`,
      });
      expect(created.status).toBe(201);
      await expect.poll(() => button.getAttribute('data-unread'), { timeout: 10_000 }).toBe('1');
      const unread = await measure(page);
      expect(unread.offLine, `${language}, one unread`).toEqual([]);
      expect(unread.clipped, `${language}, one unread`).toEqual([]);
      expect(unread.overflow).toBe(false);
      expect(unread.height, `${language}: header height with an unread notice`).toBe(read.height);
      await page.screenshot({ path: screenshotPath(`header-fit-${language}`), clip: { x: 0, y: 0, width: 1280, height: 160 } });
      await page.context().close();
    }
  });
});
