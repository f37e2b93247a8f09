import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Layout at the edges: a colleague's caret at the end of the first line, against the right edge,
 * shows its whole label inside the text area (not cut off above it or past its side).
 */
let server: TestServer;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 900 } });
afterAll(async () => {
  await server?.destroy();
});

const TEXT =
  'The Government will introduce a moratorium on executions and commute every death sentence already handed down, ' +
  'and civil society will monitor its application in every region of the country through the coming years.';

type Box = { left: number; right: number; top: number; bottom: number };
const boxOf = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const r = document.querySelector(sel)!.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  }, selector);
const inside = (inner: Box, outer: Box) =>
  inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 && inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;

/** Puts the caret at the end of the first visual line of the text (the line's right edge). */
async function caretAtEndOfFirstLine(page: Page) {
  await editorOf(page).click();
  await page.evaluate(() => {
    const text = document.querySelector('[data-testid=section-editor] .ProseMirror p')!.firstChild as Text;
    const range = document.createRange();
    const topOf = (i: number) => {
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      return range.getBoundingClientRect().top;
    };
    const firstTop = topOf(0);
    let end = 0;
    while (end + 1 < text.length && topOf(end + 1) === firstTop) end++;
    // Before the space that ends the line, so the caret stays on the first line.
    const selection = window.getSelection()!;
    range.setStart(text, end);
    range.collapse(true);
    selection.removeAllRanges();
    selection.addRange(range);
  });
}

describe('layout at the edges', () => {
  it("a colleague's caret label on the first line at the right edge stays whole inside the text area", async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    await addMember(server, coordinator, planId, 'drafter', {
      name: 'Maryna Ivanova-Kavalenka',
      email: 'maryna@helsinki.example',
      organisation: { name: 'Belarusian Helsinki Committee for Human Rights', side: 'civil_society' },
    });
    const sectionUrl = `${server.url}/plans/${planId}/sections/${sectionId}`;
    const ministry = await newPage();
    ministry.setDefaultTimeout(15_000);
    await signInThroughForm(ministry, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await ministry.goto(sectionUrl);
    await editorOf(ministry).click();
    await ministry.keyboard.type(TEXT);

    const ngo = await newPage();
    ngo.setDefaultTimeout(15_000);
    await signInThroughForm(ngo, server.url, 'maryna@helsinki.example', MEMBER_PASSWORD);
    await ngo.goto(sectionUrl);
    await expect.poll(() => editorOf(ngo).innerText(), { timeout: 10_000 }).toContain('coming years');
    await caretAtEndOfFirstLine(ngo);

    const label = ministry.locator('.collab-caret__label', { hasText: 'Maryna Ivanova-Kavalenka' });
    await label.waitFor({ timeout: 10_000 });
    // The caret itself is at the right end of the first line.
    const area = await boxOf(ministry, '[data-testid=section-editor]');
    const caret = await ministry.locator('.collab-caret').first().boundingBox();
    expect(area.right - caret!.x).toBeLessThan(120);
    try {
      await expect
        .poll(async () => {
          const b = (await label.boundingBox())!;
          return inside({ left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height }, area);
        })
        .toBe(true);
    } finally {
      await ministry.locator('.editor').screenshot({ path: screenshotPath('caret-label-at-edge') });
    }
  }, 120_000);
});

describe('the outline', () => {
  it("the selected section's title is not covered by its buttons when they show", async () => {
    const own = await startTestServer({ clientDir: CLIENT_DIR });
    try {
      const { coordinator, planId, sectionId } = await setUpWorkspace(own);
      const title = 'Abolition of the death penalty and commutation of every sentence already handed down';
      expect((await coordinator.patch(`/api/plans/${planId}/sections/${sectionId}`, { title })).status).toBe(200);
      const page = await newPage();
      page.setDefaultTimeout(15_000);
      await signInThroughForm(page, own.url, 'olga@mfa.example', COORDINATOR_PASSWORD);
      await page.goto(`${own.url}/plans/${planId}/sections/${sectionId}`);
      const row = page.locator('.outline__row.is-active');
      await row.waitFor();
      await row.hover();
      const actions = row.locator('.outline__actions');
      await expect.poll(() => actions.evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
      const overlaps = await row.evaluate((el) => {
        const link = el.querySelector('.outline__link')!;
        const buttons = el.querySelector('.outline__actions')!.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(link);
        return [...range.getClientRects()].filter(
          (r) => r.width > 0 && r.left < buttons.right && r.right > buttons.left && r.top < buttons.bottom && r.bottom > buttons.top,
        ).length;
      });
      await page.locator('.outline').screenshot({ path: screenshotPath('outline-selected-hover') });
      expect(overlaps).toBe(0);
    } finally {
      await own.destroy();
    }
  }, 120_000);
});
