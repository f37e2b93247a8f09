import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { CLIENT_DIR, editorOf, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { connectPeer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Olga reads a long section on a laptop (1440 × 900) with fourteen comment threads beside it, so
 * the last ones lie far down the panel. Opening a thread from its words in the text keeps the text
 * where it is and brings the thread into view beside it; opening a thread far down the panel with
 * its quote ("Show these words in the text") shows the words below the sticky toolbar and keeps
 * the thread in view. Screenshots: test-output/comment-open-thread-*.png.
 */
let server: TestServer;
let sectionUrl: string;
const { newPage } = useBrowser({ viewport: { width: 1440, height: 900 } });
const THREADS = 14;
const PARAGRAPHS = 40;
/** The paragraph that holds the words of thread `i`: spread over the text. */
const paragraphOf = (i: number) => 2 + i * 2;

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const { coordinator, planId, sectionId } = await setUpWorkspace(server);
  const peer = connectPeer(server.url, coordinator, sectionId);
  await peer.synced();
  for (let p = 0; p < PARAGRAPHS; p++) {
    peer.typeParagraph(`Paragraph ${p}: the Government will report every year on measure${p} it has taken, with the figures of each ministry and region.`);
  }
  await eventually(() => expect(peer.isSaved()).toBe(true), 10_000);
  const texts = getSectionBody(peer.doc)
    .toArray()
    .map((p) => (p as Y.XmlElement).get(0) as Y.XmlText);
  const rel = (text: Y.XmlText, i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i, -1))).toString('base64');
  for (let i = 0; i < THREADS; i++) {
    const quote = `measure${paragraphOf(i)}`;
    const text = texts.find((t) => t.toString().includes(`${quote} `))!;
    const at = text.toString().indexOf(quote);
    const created = await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/threads`, {
      anchor: { start: rel(text, at), end: rel(text, at + quote.length), quote },
      body: `Thread ${i}: which ministry reports on this, and with which figures? The civil society organisations ask for figures by region and by year, published with the report.`,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  peer.destroy();
  sectionUrl = `${server.url}/plans/${planId}/sections/${sectionId}`;
}, 90_000);

afterAll(async () => {
  await server?.destroy();
});

/** Waits until the page and every box in it stop scrolling (scrolls may be smooth). */
async function settled(page: Page) {
  let last = '';
  await expect
    .poll(
      async () => {
        const now = await page.evaluate(() => JSON.stringify([window.scrollY, ...[...document.querySelectorAll('.section-pane__aside')].map((el) => el.scrollTop)]));
        const still = now === last;
        last = now;
        return still;
      },
      { interval: 150, timeout: 10_000 },
    )
    .toBe(true);
}

/** Whether the thread's quote can be seen: on the screen and in the visible part of any box it scrolls in. */
const threadInView = (page: Page, i: number) =>
  page.evaluate((n) => {
    const thread = document.querySelectorAll('[data-testid=thread]')[n]!;
    const quote = thread.querySelector('[data-testid=thread-quote]')!.getBoundingClientRect();
    let top = 0;
    let bottom = window.innerHeight;
    for (let box = thread.parentElement; box && box !== document.body; box = box.parentElement) {
      const { overflowY } = getComputedStyle(box);
      if (overflowY !== 'auto' && overflowY !== 'scroll') continue;
      const frame = box.getBoundingClientRect();
      top = Math.max(top, frame.top);
      bottom = Math.min(bottom, frame.bottom);
    }
    return quote.top >= top - 1 && quote.bottom <= bottom + 1;
  }, i);

/** Where the thread's words are in the text, and the bottom of the sticky toolbar, on screen. */
const wordsOf = (page: Page, i: number) =>
  page.evaluate((quote) => {
    const words = [...document.querySelectorAll('[data-testid=comment-highlight]')].find((el) => el.textContent === quote)!.getBoundingClientRect();
    const toolbar = document.querySelector('.section-pane .toolbar-wrap')!.getBoundingClientRect();
    return { top: words.top, bottom: words.bottom, toolbarBottom: toolbar.bottom, viewport: window.innerHeight };
  }, `measure${paragraphOf(i)}`);

describe('opening a comment thread', () => {
  it('from its words in the text keeps the text in place, and from far down the panel keeps the thread in view', async () => {
    const page = await newPage();
    page.setDefaultTimeout(15_000);
    await signInThroughForm(page, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await page.goto(sectionUrl);
    await editorOf(page).waitFor();
    await expect.poll(() => page.getByTestId('thread').count(), { timeout: 10_000 }).toBe(THREADS);
    await expect.poll(() => page.getByTestId('comment-highlight').count()).toBe(THREADS);

    // The words of the last thread, in the text, in the middle of the screen; its card far down.
    const last = THREADS - 1;
    await page.evaluate((quote) => {
      const words = [...document.querySelectorAll('[data-testid=comment-highlight]')].find((el) => el.textContent === quote)!;
      window.scrollBy(0, words.getBoundingClientRect().top - window.innerHeight / 2);
    }, `measure${paragraphOf(last)}`);
    await settled(page);
    expect(await threadInView(page, last)).toBe(false);
    const before = await page.evaluate(() => window.scrollY);
    await page.getByTestId('comment-highlight').filter({ hasText: `measure${paragraphOf(last)}` }).click();
    await expect.poll(() => page.getByTestId('thread').nth(last).getAttribute('class')).toContain('thread--active');
    await settled(page);
    await page.screenshot({ path: screenshotPath('comment-open-thread-from-text') });
    expect(await page.evaluate(() => window.scrollY), 'the text stays where it was').toBe(before);
    expect(await threadInView(page, last), 'the thread is brought into view').toBe(true);

    // Back to the top of the page; the panel's second-last thread is opened from far down the panel.
    await page.getByTestId('thread').nth(last).getByTestId('thread-quote').click();
    await page.evaluate(() => window.scrollTo(0, 0));
    const far = THREADS - 2;
    await page.getByTestId('thread').nth(far).getByTestId('thread-quote').scrollIntoViewIfNeeded();
    await settled(page);
    expect(await threadInView(page, far)).toBe(true);
    await page.getByTestId('thread').nth(far).getByTestId('thread-quote').click();
    await expect.poll(() => page.getByTestId('thread').nth(far).getAttribute('class')).toContain('thread--active');
    await settled(page);
    await page.screenshot({ path: screenshotPath('comment-open-thread-from-panel') });
    const words = await wordsOf(page, far);
    expect(words.top, `the words below the toolbar: ${JSON.stringify(words)}`).toBeGreaterThanOrEqual(words.toolbarBottom);
    expect(words.bottom, JSON.stringify(words)).toBeLessThanOrEqual(words.viewport);
    expect(await threadInView(page, far), 'the thread stays in view').toBe(true);
  }, 120_000);
});
