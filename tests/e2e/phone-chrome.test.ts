import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpSampleWorkspace } from '../helpers/workspace.ts';

/**
 * Olga, coordinator, writes a section on her phone (390 × 844) in English, Russian and Belarusian.
 * What stays above the text leaves her room to write: the site header is one line (the app's name,
 * Notices and Menu, with the language, her name and Sign out under Menu), the section's chapter and
 * title a line each, cut short with "…" and shown whole with "Full title", and, scrolled into the
 * text, only the status bar and one row of toolbar (which scrolls sideways) stay stuck at the top,
 * one under the other. The plan's other pages (overview, recommendations, progress) share the
 * header, and their tabs are one row. Screenshots go to test-output/phone-chrome-*.png.
 */
let server: TestServer;
let planId: string;
let sectionUrl: string;
const OLGA = 'olga@mfa.example';
const PHONE = { width: 390, height: 844 };
// A title as long as Belarusian ones get: it cannot fit one line of a phone.
const LONG_TITLE = 'Забеспячэнне незалежнасці судовай улады і справядлівага судовага разбору для ўсіх';
const { newPage } = useBrowser({ viewport: PHONE });

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const sample = await setUpSampleWorkspace(server);
  planId = sample.planId;
  const section = sample.outline.chapters[0]!.sections[0]!;
  const renamed = await sample.coordinator.patch(`/api/plans/${planId}/sections/${section.id}`, { title: LONG_TITLE });
  expect(renamed.status, JSON.stringify(renamed.body)).toBeLessThan(300);
  sectionUrl = `${server.url}/plans/${planId}/sections/${section.id}`;
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

const heightOf = (page: Page, selector: string) => page.evaluate((sel) => document.querySelector(sel)!.getBoundingClientRect().height, selector);

/** What stays stuck at the top of the screen: each sticky or fixed element there, top to bottom. */
const stuckAtTop = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => {
        const style = getComputedStyle(el);
        if (style.position !== 'sticky' && style.position !== 'fixed') return false;
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && box.top >= 0 && Math.abs(box.top - parseFloat(style.top)) <= 1;
      })
      .map((el) => ({ name: el.className, top: el.getBoundingClientRect().top, bottom: el.getBoundingClientRect().bottom }))
      .sort((a, b) => a.top - b.top),
  );

const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('on a phone, the header leaves room for the text', () => {
  for (const language of ['en', 'ru', 'be'] as const) {
    it(`in ${language}: one-line header, a title cut short and shown whole, a thin sticky bar and toolbar`, async () => {
      const page = await newPage({ locale: language });
      page.setDefaultTimeout(15_000);
      await signInThroughForm(page, server.url, OLGA, COORDINATOR_PASSWORD);
      await page.goto(sectionUrl);
      await editorOf(page).waitFor();
      await page.getByTestId('connection-status').and(page.locator('[data-state=saved]')).waitFor();
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);

      // The site header: one line; the language, the person and Sign out wait under Menu.
      const header = await heightOf(page, '.site-header');
      expect(header, 'site header height').toBeLessThanOrEqual(72);
      expect(await page.getByTestId('notifications-button').isVisible()).toBe(true);
      expect(await page.getByTestId('sign-out').isVisible()).toBe(false);
      const menu = page.getByTestId('header-menu-toggle');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');

      // The chapter and the title a line each; the title is cut short, and "Full title" shows it whole.
      const title = page.getByTestId('section-title');
      expect(await title.textContent()).toBe(LONG_TITLE);
      const oneLine = await title.evaluate((el) => ({ height: el.getBoundingClientRect().height, lineHeight: parseFloat(getComputedStyle(el).lineHeight), cut: el.scrollWidth > el.clientWidth }));
      expect(oneLine.cut).toBe(true);
      expect(oneLine.height).toBeLessThan(oneLine.lineHeight * 1.5);
      expect(await heightOf(page, '.section-pane__header'), 'section header height').toBeLessThanOrEqual(100);

      // The text starts in the upper half of the screen.
      const textTop = await editorOf(page).evaluate((el) => el.getBoundingClientRect().top);
      expect(textTop, 'where the text starts').toBeLessThan(PHONE.height / 2);
      expect(await sidewaysScroll(page)).toBe(0);
      await page.screenshot({ path: screenshotPath(`phone-chrome-section-${language}`) });

      const full = page.getByTestId('section-full-title');
      await full.click();
      expect(await full.getAttribute('aria-expanded')).toBe('true');
      expect(await title.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(false);
      expect(await heightOf(page, '[data-testid=section-title]')).toBeGreaterThan(oneLine.height * 1.5);
      expect(await sidewaysScroll(page)).toBe(0);
      await page.screenshot({ path: screenshotPath(`phone-chrome-full-title-${language}`) });
      await full.click();
      expect(await title.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);

      // Scrolled into the text: the status bar and one row of toolbar stay, the toolbar under the bar.
      await editorOf(page).evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + 400));
      const stuck = await stuckAtTop(page);
      expect(stuck.map((s) => s.name)).toEqual(['section-pane__bar', 'toolbar-wrap']);
      expect(stuck[1]!.top, 'the toolbar starts where the bar ends').toBeGreaterThanOrEqual(stuck[0]!.bottom - 1);
      expect(stuck[1]!.bottom, 'height of what stays stuck at the top').toBeLessThanOrEqual(100);
      const rows = await page.locator('.toolbar .tb-button').evaluateAll((buttons) => new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().top))).size);
      expect(rows, 'rows of toolbar buttons').toBe(1);
      const toolbar = await page.locator('.toolbar').evaluate((el) => ({ scrolls: el.scrollWidth > el.clientWidth, overflowX: getComputedStyle(el).overflowX }));
      if (toolbar.scrolls) expect(toolbar.overflowX).toBe('auto');
      expect(await sidewaysScroll(page)).toBe(0);
      await page.screenshot({ path: screenshotPath(`phone-chrome-writing-${language}`) });

      // Menu opens the language, the person and Sign out, and closes them again.
      await page.evaluate(() => window.scrollTo(0, 0));
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await page.getByTestId('sign-out').waitFor();
      expect(await page.getByTestId('language-switch').isVisible()).toBe(true);
      expect(await page.getByTestId('header-name').isVisible()).toBe(true);
      expect(await sidewaysScroll(page)).toBe(0);
      await page.screenshot({ path: screenshotPath(`phone-chrome-menu-${language}`) });
      await menu.click();
      await page.getByTestId('sign-out').waitFor({ state: 'hidden' });

      // The plan's other pages share the one-line header; their tabs are one row.
      for (const [name, path] of [
        ['overview', ''],
        ['recommendations', '/recommendations'],
        ['progress', '/progress'],
      ] as const) {
        await page.goto(`${server.url}/plans/${planId}${path}`);
        await page.locator('main h1, main .plan-head__title').first().waitFor();
        expect(await heightOf(page, '.site-header'), `${name}: site header height`).toBeLessThanOrEqual(72);
        expect(await page.getByTestId('sign-out').isVisible(), name).toBe(false);
        if (path) {
          const tabRows = await page.locator('.plan-tabs__list a').evaluateAll((links) => new Set(links.map((a) => Math.round(a.getBoundingClientRect().top))).size);
          expect(tabRows, `${name}: rows of plan tabs`).toBe(1);
          // The page's own tab can be seen in that row.
          const active = await page.locator('.plan-tabs__list a.active').evaluate((a) => {
            const box = a.getBoundingClientRect();
            const row = a.closest('ul')!.getBoundingClientRect();
            return box.left >= row.left - 1 && box.right <= row.right + 1;
          });
          expect(active, `${name}: its tab in view`).toBe(true);
        }
        expect(await sidewaysScroll(page), name).toBe(0);
        await page.screenshot({ path: screenshotPath(`phone-chrome-${name}-${language}`) });
      }
      await page.context().close();
    }, 90_000);
  }
});
