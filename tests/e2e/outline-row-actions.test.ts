import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpSampleWorkspace } from '../helpers/workspace.ts';

/**
 * Olga, coordinator, arranges the sample plan's outline in the sidebar beside the section she has
 * open ("Moratorium and abolition"). Each chapter's and section's buttons (move up, move down,
 * rename, delete) can be seen without pointing at the row first, and never lie over a title:
 * not at rest, not when she points at the row, not when she reaches them with Tab. On a laptop
 * (1280 px) and a phone (390 px, outline opened), in English and in Belarusian.
 * Screenshots go to test-output/outline-actions-*.png.
 */
let server: TestServer;
let sectionUrl: string;
const { newPage } = useBrowser();

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const { planId, outline } = await setUpSampleWorkspace(server);
  sectionUrl = `${server.url}/plans/${planId}/sections/${outline.chapters[0]!.sections[0]!.id}`;
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

/**
 * For each row of the outline, or only the `nth` (0-based): its buttons that cannot be seen
 * (no size, hidden, or faded out) and those that lie over a line of the row's title.
 */
const rowProblems = (page: Page, nth?: number) =>
  page.evaluate((only) => {
    const opacity = (el: Element | null): number => (el ? Number(getComputedStyle(el).opacity) * opacity(el.parentElement) : 1);
    const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const rows = [...document.querySelectorAll('[data-testid=outline] .outline__row')];
    return (only === undefined ? rows : [rows[only]!]).flatMap((row) => {
      const title = row.querySelector('.outline__link, .outline__title')!;
      const name = title.textContent!.trim();
      return [...row.querySelectorAll<HTMLElement>('.outline__actions .icon-button')].flatMap((button) => {
        const box = button.getBoundingClientRect();
        const label = `${name}: ${button.textContent}`;
        if (box.width === 0 || box.height === 0 || getComputedStyle(button).visibility !== 'visible') return [`${label} is not shown`];
        if (opacity(button) < 0.3) return [`${label} is faded out (opacity ${opacity(button).toFixed(2)})`];
        return [...title.getClientRects()].some((line) => overlaps(line, box)) ? [`${label} lies over the title`] : [];
      });
    });
  }, nth);

async function openOutline(width: number, height: number, language: 'en' | 'be'): Promise<Page> {
  const page = await openSignedIn(() => newPage({ viewport: { width, height }, locale: language }), server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, sectionUrl);
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
  // On a phone the outline is folded away behind its button while a section is open.
  if (width <= 800) await page.getByTestId('outline-toggle').click();
  await page.getByTestId('outline').waitFor();
  await page.locator('.outline__actions').first().waitFor({ state: 'attached' });
  return page;
}

describe('the outline’s row buttons', () => {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    for (const language of ['en', 'be'] as const) {
      it(`at ${width} px in ${language}: are in view and beside, not over, the titles, at rest, pointed at and focused`, async () => {
        const page = await openOutline(width, height, language);
        const rows = page.locator('[data-testid=outline] .outline__row');
        const active = await rows.evaluateAll((all) => all.findIndex((r) => r.classList.contains('is-active')));
        expect(active).toBeGreaterThan(-1);
        // Rows other than the open one: the next section, and the second chapter.
        const other = await rows.evaluateAll((all, from) => all.findIndex((r, i) => i > from && r.classList.contains('outline__row--section')), active);
        const chapter = await rows.evaluateAll((all) => all.findIndex((r, i) => i > 0 && r.classList.contains('outline__row--chapter')));

        // At rest: every row's buttons can be seen, none over a title.
        const found = (await rowProblems(page)).map((p) => `at rest: ${p}`);
        await rows.nth(active).scrollIntoViewIfNeeded();
        await page.screenshot({ path: screenshotPath(`outline-actions-${width}-${language}`) });

        // Pointed at: the row's buttons stay off its title.
        for (const nth of [active, other, chapter]) {
          await rows.nth(nth).hover();
          found.push(...(await rowProblems(page, nth)).map((p) => `pointed at: ${p}`));
        }
        await rows.nth(other).hover();
        await page.screenshot({ path: screenshotPath(`outline-actions-${width}-${language}-hover`) });

        // By keyboard: Tab from the open section's link reaches its buttons, which show, off the title.
        await page.mouse.move(width - 1, height - 1);
        await rows.nth(active).locator('.outline__link').focus();
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => document.activeElement?.closest('.outline__actions') !== null && document.activeElement?.classList.contains('icon-button'));
        expect(focused, 'Tab from the section reaches its row buttons').toBe(true);
        found.push(...(await rowProblems(page, active)).map((p) => `focused: ${p}`));
        expect(found).toEqual([]);
        await page.context().close();
      }, 60_000);
    }
  }
});
