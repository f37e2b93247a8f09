import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { CLIENT_DIR, editorOf, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { connectPeer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * A long section with a comment on words in its middle: "Show these words in the text" (the quote
 * on the thread) brings the words into view below the sticky status bar and editor toolbar, from
 * whichever side of the screen they were, rather than leaving them under the toolbar.
 * Screenshots: test-output/comment-show-words-*.png.
 */
let server: TestServer;
const { newPage } = useBrowser({ viewport: { width: 1440, height: 900 } });
afterAll(async () => {
  await server?.destroy();
});

const QUOTE = 'abolish the death penalty';
const PARAGRAPHS = 60;
const MIDDLE = 30;

/** Where the highlighted words and the bottom of the sticky toolbar are on screen, in px. */
async function positions(page: Page) {
  return page.evaluate(() => {
    const words = document.querySelector('[data-testid=comment-highlight].comment-highlight--active')!.getBoundingClientRect();
    const toolbar = document.querySelector('.section-pane .toolbar-wrap')!.getBoundingClientRect();
    return { wordsTop: words.top, wordsBottom: words.bottom, toolbarBottom: toolbar.bottom, viewport: window.innerHeight };
  });
}

async function showWords(page: Page) {
  const thread = page.getByTestId('thread').first();
  // Let another click let it go first, so each click is a fresh "show".
  if ((await thread.getAttribute('class'))?.includes('thread--active')) await thread.getByTestId('thread-quote').click();
  await thread.getByTestId('thread-quote').click();
  await expect.poll(() => page.locator('.comment-highlight--active').count()).toBe(1);
  // The scroll may be smooth: wait until the words stop moving.
  let last = NaN;
  await expect
    .poll(async () => {
      const now = (await positions(page)).wordsTop;
      const still = now === last;
      last = now;
      return still;
    }, { interval: 100 })
    .toBe(true);
  return positions(page);
}

describe('"Show these words in the text"', () => {
  it('brings the words into view below the sticky toolbar, from above and from below', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);

    // A long section, written over a real sync connection.
    const peer = connectPeer(base, coordinator, sectionId);
    await peer.synced();
    for (let i = 0; i < PARAGRAPHS; i++) {
      peer.typeParagraph(
        i === MIDDLE
          ? `Paragraph ${i}: the Government will ${QUOTE} for all crimes.`
          : `Paragraph ${i}: the Government will report every year on the measures it has taken, with the figures of each ministry.`,
      );
    }
    await eventually(() => expect(peer.isSaved()).toBe(true), 10_000);
    const text = getSectionBody(peer.doc)
      .toArray()
      .map((p) => (p as Y.XmlElement).get(0))
      .find((t): t is Y.XmlText => t instanceof Y.XmlText && t.toString().includes(QUOTE))!;
    const at = text.toString().indexOf(QUOTE);
    expect(at).toBeGreaterThan(0);
    const rel = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, i, -1))).toString('base64');
    const created = await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/threads`, {
      anchor: { start: rel(at), end: rel(at + QUOTE.length), quote: QUOTE },
      body: 'Which crimes keep it until then?',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    peer.destroy();

    const page = await newPage();
    page.setDefaultTimeout(15_000);
    await signInThroughForm(page, base, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await page.goto(`${base}/plans/${planId}/sections/${sectionId}`);
    await editorOf(page).waitFor();
    await expect.poll(() => page.getByTestId('comment-highlight').count(), { timeout: 10_000 }).toBe(1);

    // The words below the screen: the page at its top.
    await page.evaluate(() => window.scrollTo(0, 0));
    let where = await showWords(page);
    await page.screenshot({ path: screenshotPath('comment-show-words-from-above') });
    expect(where.wordsTop, JSON.stringify(where)).toBeGreaterThanOrEqual(where.toolbarBottom);
    expect(where.wordsBottom, JSON.stringify(where)).toBeLessThanOrEqual(where.viewport);

    // The words above the screen: the page at its end.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    where = await showWords(page);
    await page.screenshot({ path: screenshotPath('comment-show-words-from-below') });
    expect(where.wordsTop, JSON.stringify(where)).toBeGreaterThanOrEqual(where.toolbarBottom);
    expect(where.wordsBottom, JSON.stringify(where)).toBeLessThanOrEqual(where.viewport);

    // Already in view: the page does not move.
    const before = await page.evaluate(() => window.scrollY);
    where = await showWords(page);
    expect(await page.evaluate(() => window.scrollY)).toBe(before);
  }, 120_000);
});
