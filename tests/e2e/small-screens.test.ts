import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpSampleWorkspace } from '../helpers/workspace.ts';

/**
 * An open section on a small laptop (1024 px) and on a phone (390 px): the text comes first and
 * fits the screen (the page never scrolls sideways), and the outline and the side panels
 * (presence, suggestions, comments) are there one button away, opened and closed again; on a
 * phone the agreement panel follows the text, folded behind a disclosure button.
 * Screenshots go to test-output/small-*.png.
 */
let server: TestServer;
let sectionUrl: string;
const OLGA = 'olga@mfa.example';
const { newPage } = useBrowser();

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const { planId, outline } = await setUpSampleWorkspace(server);
  sectionUrl = `${server.url}/plans/${planId}/sections/${outline.chapters[0]!.sections[0]!.id}`;
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

/** How far the page itself can scroll sideways (0 when everything fits). */
const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The innermost elements that reach past the screen's right edge, to name in a failure. */
const tooWide = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => el.getBoundingClientRect().right > width + 1);
    return wide
      .filter((el) => !wide.some((other) => other !== el && el.contains(other)))
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} [${el.dataset.testid ?? ''}] right=${Math.round(el.getBoundingClientRect().right)}`);
  });

async function expectNoSidewaysScroll(page: Page) {
  const overflow = await sidewaysScroll(page);
  if (overflow > 0) expect.fail(`the page scrolls ${overflow}px sideways; too wide: ${(await tooWide(page)).join('; ')}`);
}

/** Whether the element is rendered and lies within the screen's width. */
const onScreen = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= document.documentElement.clientWidth + 1;
  }, selector);

/** The element's top, in page coordinates (to compare what comes first). */
const topOf = (page: Page, selector: string) => page.evaluate((sel) => document.querySelector(sel)!.getBoundingClientRect().top + window.scrollY, selector);

async function openSection(width: number, height: number): Promise<Page> {
  const page = await newPage({ viewport: { width, height } });
  page.setDefaultTimeout(15_000);
  await signInThroughForm(page, server.url, OLGA, COORDINATOR_PASSWORD);
  await page.goto(sectionUrl);
  await editorOf(page).waitFor();
  await page.getByTestId('connection-status').and(page.locator('[data-state=saved]')).waitFor();
  return page;
}

describe('an open section on small screens', () => {
  it('on a phone (390 px) the text comes first, fits, and the outline and panels open and close', async () => {
    const page = await openSection(390, 844);
    await expectNoSidewaysScroll(page);
    expect(await onScreen(page, '[data-testid=section-editor] .ProseMirror')).toBe(true);
    // The outline and the panels are closed, so the text is what the person sees first.
    expect(await page.getByTestId('outline').isVisible()).toBe(false);
    expect(await page.getByTestId('comments-panel').isVisible()).toBe(false);
    const editorTop = await topOf(page, '[data-testid=section-editor]');
    expect(editorTop).toBeLessThan(844 * 1.5);
    await page.screenshot({ path: screenshotPath('small-phone-section') });

    // Where the section stands comes after the text, in the page as on the screen (so Tab reaches
    // the text first), folded to its heading and status behind a disclosure button.
    const order = await page.evaluate(() => {
      const editor = document.querySelector('[data-testid=section-editor]')!;
      const panel = document.querySelector('[data-testid=agreement-panel]')!;
      return editor.compareDocumentPosition(panel) & Node.DOCUMENT_POSITION_FOLLOWING ? 'editor first' : 'panel first';
    });
    expect(order).toBe('editor first');
    expect(await topOf(page, '[data-testid=agreement-panel]')).toBeGreaterThan(editorTop);
    expect(await page.getByTestId('agreement-status').isVisible()).toBe(true);
    const agreementToggle = page.getByTestId('agreement-toggle');
    expect(await agreementToggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('agreement-body').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Agreement', expanded: false }).count()).toBe(1);
    // By keyboard: focused, then opened with Enter and closed with Space.
    await agreementToggle.focus();
    await page.keyboard.press('Enter');
    expect(await agreementToggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('agreement-body').waitFor();
    await page.getByTestId('sign-off').waitFor();
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: screenshotPath('small-phone-agreement'), fullPage: true });
    await page.keyboard.press('Space');
    expect(await agreementToggle.getAttribute('aria-expanded')).toBe('false');
    await page.getByTestId('agreement-body').waitFor({ state: 'hidden' });

    const outlineToggle = page.getByTestId('outline-toggle');
    expect(await outlineToggle.getAttribute('aria-expanded')).toBe('false');
    await outlineToggle.click();
    expect(await outlineToggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('outline').waitFor();
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: screenshotPath('small-phone-outline') });
    await outlineToggle.click();
    await page.getByTestId('outline').waitFor({ state: 'hidden' });

    const panelsToggle = page.getByTestId('panels-toggle');
    expect(await panelsToggle.getAttribute('aria-expanded')).toBe('false');
    await panelsToggle.click();
    expect(await panelsToggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('comments-panel').waitFor();
    expect(await onScreen(page, '[data-testid=comments-panel]')).toBe(true);
    // The panels come after the text, not before it.
    expect(await topOf(page, '[data-testid=comments-panel]')).toBeGreaterThan(editorTop);
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: screenshotPath('small-phone-panels'), fullPage: true });
    await panelsToggle.click();
    await page.getByTestId('comments-panel').waitFor({ state: 'hidden' });
  }, 60_000);

  it('on a small laptop (1024 px) the outline stays beside the text and the panels come after it', async () => {
    const page = await openSection(1024, 768);
    await expectNoSidewaysScroll(page);
    expect(await page.getByTestId('outline').isVisible()).toBe(true);
    expect(await page.getByTestId('outline-toggle').isVisible()).toBe(false);
    expect(await onScreen(page, '[data-testid=section-editor] .ProseMirror')).toBe(true);
    const editorTop = await topOf(page, '[data-testid=section-editor]');
    expect(editorTop).toBeLessThan(768);
    await page.screenshot({ path: screenshotPath('small-laptop-section') });
    // Beside a wide enough text the agreement panel stays above it, open, with no button.
    expect(await topOf(page, '[data-testid=agreement-panel]')).toBeLessThan(editorTop);
    expect(await page.getByTestId('agreement-toggle').count()).toBe(0);
    expect(await page.getByTestId('agreement-body').isVisible()).toBe(true);

    const panelsToggle = page.getByTestId('panels-toggle');
    await panelsToggle.click();
    await page.getByTestId('comments-panel').waitFor();
    expect(await topOf(page, '[data-testid=comments-panel]')).toBeGreaterThan(editorTop);
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: screenshotPath('small-laptop-panels'), fullPage: true });
    await panelsToggle.click();
    await page.getByTestId('comments-panel').waitFor({ state: 'hidden' });
  }, 60_000);
});
