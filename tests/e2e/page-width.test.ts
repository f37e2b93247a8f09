import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { setUpLayoutWorld } from '../helpers/layoutWorld.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD } from '../helpers/workspace.ts';

/**
 * Nothing on a page makes it wider than the screen: on a phone (390 px) and on a laptop (1280 px),
 * in English and in Belarusian (whose words are longest), Olga, coordinator for the Ministry of
 * Foreign Affairs, opens the section holding an action with an indicator, Members,
 * Recommendations, Coverage and Progress, and none of them scrolls sideways. A table too wide for
 * the screen scrolls inside its own box, which the keyboard can reach (focusable) and a screen
 * reader names (a labelled region); the action card and its indicator table stay inside the
 * text's column, and every member's side, role and buttons are on the screen. Screenshots go to
 * test-output/page-width-*.png.
 */
let server: TestServer;
let base: string;
let pages: Array<{ name: string; url: string; ready: string }>;
const { newPage } = useBrowser();

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  // Adopted, so the progress page has a round to show; the section still shows its action.
  const { planUrl, sectionUrl } = await setUpLayoutWorld(server, { adopt: true });
  base = server.url;
  pages = [
    { name: 'section', url: sectionUrl, ready: '[data-testid=indicator-row]' },
    { name: 'members', url: `${planUrl}/members`, ready: '[data-testid=member-row]' },
    { name: 'recommendations', url: `${planUrl}/recommendations`, ready: '[data-testid=rec-row]' },
    { name: 'coverage', url: `${planUrl}/coverage`, ready: 'main h1' },
    { name: 'progress', url: `${planUrl}/progress`, ready: '[data-testid=progress-round-title]' },
  ];
}, 120_000);

afterAll(async () => {
  await server?.destroy();
});

/** The innermost elements that reach past the screen's right edge, to name in a failure. */
const tooWide = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => el.getBoundingClientRect().right > width + 1);
    return wide
      .filter((el) => !wide.some((other) => other !== el && el.contains(other)))
      .slice(0, 6)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} [${el.dataset.testid ?? ''}] right=${Math.round(el.getBoundingClientRect().right)}`);
  });

/**
 * Boxes that scroll sideways because what is in them is wider, and are not reachable by the
 * keyboard or have no name: a keyboard user could not scroll them, a screen reader not say what
 * they hold. A row of controls (a phone's editor toolbar, a plan's tabs) is reachable as it is:
 * each of its items is a button or a link, and the one the keyboard focuses scrolls into view.
 */
const unreachableScrollers = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
      .filter((el) => ![...el.children].every((item) => item.matches('a[href], button') || item.querySelector('a[href], button') !== null))
      .filter((el) => el.tabIndex < 0 || el.getAttribute('role') !== 'region' || !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} tabindex=${el.tabIndex} role=${el.getAttribute('role')}`),
  );

/** The action cards (and their indicator tables) that reach past the right edge of the text's column. */
const cardsPastColumn = (page: Page) =>
  page.evaluate(() => {
    const main = document.querySelector('.plan-layout__main')!;
    const style = getComputedStyle(main);
    const edge = main.getBoundingClientRect().right - parseFloat(style.paddingRight);
    return [...document.querySelectorAll<HTMLElement>('[data-testid=action-card], .indicator-table')]
      .map((el) => ({ name: el.dataset.testid ?? el.className, right: el.getBoundingClientRect().right }))
      .filter((el) => el.right > edge + 1)
      .map((el) => `${el.name} right=${Math.round(el.right)} > column ${Math.round(edge)}`);
  });

/** Each member's side, role and buttons that lie (partly) beyond the screen's right edge. */
const membersPartsOffScreen = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid=member-row] td')]
      .filter((td) => td.getBoundingClientRect().right > window.innerWidth + 1)
      .map((td) => `${td.closest('tr')!.querySelector('strong')?.textContent}: ${td.dataset.label ?? td.className} right=${Math.round(td.getBoundingClientRect().right)}`),
  );

describe('pages fit the screen', () => {
  for (const [width, height] of [
    [390, 844],
    [1280, 800],
  ] as const) {
    for (const language of ['en', 'be'] as const) {
      it(`at ${width} px in ${language}: no page scrolls sideways, wide tables scroll in a box the keyboard reaches`, async () => {
        const found: string[] = [];
        for (const target of pages) {
          const page = await openSignedIn(() => newPage({ viewport: { width, height }, locale: language }), base, 'olga@mfa.example', COORDINATOR_PASSWORD, target.url);
          await page.locator(target.ready).first().waitFor();
          await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
          await page.screenshot({ path: screenshotPath(`page-width-${target.name}-${width}-${language}`), fullPage: true });
          const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
          if (!fits) {
            const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
            found.push(`${target.name}: ${scrollWidth}px wide; too wide: ${(await tooWide(page)).join('; ')}`);
          }
          for (const scroller of await unreachableScrollers(page)) found.push(`${target.name}: scrolls sideways but unreachable or unnamed: ${scroller}`);
          if (target.name === 'section') for (const card of await cardsPastColumn(page)) found.push(`section: ${card}`);
          // A coordinator changes a member's role on a phone without scrolling sideways to find it.
          if (target.name === 'members') for (const part of await membersPartsOffScreen(page)) found.push(`members: off-screen: ${part}`);
          await page.context().close();
        }
        expect(found).toEqual([]);
      }, 180_000);
    }
  }
});
