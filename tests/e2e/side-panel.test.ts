import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { anchorOn, setUpNoticeWorld, type NoticeWorld } from '../helpers/noticeWorld.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, addMember } from '../helpers/workspace.ts';

/**
 * The panel beside a section's text where people read and filter comments and suggestions. Olga,
 * coordinator, opens a section four organisations have commented on, on a laptop (1280 px) in
 * English and in Belarusian: the organisation filter shows the whole of what is chosen in it
 * ("All organisations", or an organisation's name), and the threads are not cramped: beside the
 * text they scroll in the panel's own column, which stays in view as tall as the screen under the
 * section's status bar (so opening a thread never scrolls the text away, comment-open-thread.test.ts);
 * on a phone (390 px), with the panels opened under the text, they take the height they need, in
 * the page. Screenshots go to test-output/side-panel-*.png.
 */
let server: TestServer;
let world: NoticeWorld;
const { newPage } = useBrowser();

const THREADS = [
  'Please name the authority that will supervise the moratorium, and by when.',
  'The paragraph should mention the right to a lawyer from the first hour of detention.',
  'Could the Ministry of Justice report on this every year, with figures for each region?',
  'We would add: “including in places of pre-trial detention”.',
  'The UPR recommendation 97.23 asks for more than this sentence commits to.',
];

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  world = await setUpNoticeWorld(server);
  const helsinki = await addMember(server, world.olga.client, world.planId, 'commenter', {
    name: 'Maryna Ivanova',
    email: 'maryna@helsinki.example',
    organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
  });
  const authors = [world.carl.client, world.nina.client, world.gary.client, helsinki.client, world.olga.client];
  for (const [i, body] of THREADS.entries()) {
    const created = await authors[i]!.post(`/api/plans/${world.planId}/sections/${world.sectionId}/threads`, { anchor: anchorOn(world.peer), body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const replied = await world.olga.client.post(`/api/plans/${world.planId}/threads/${created.body.id}/comments`, { body: 'Thank you: we will take this up with the ministry before the next reading.' });
    expect(replied.status, JSON.stringify(replied.body)).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  world?.peer.destroy();
  await server?.destroy();
});

/** The option chosen in the organisation filter, when its words are wider than the box shows them. */
const clippedChoice = (page: Page) =>
  page.getByTestId('threads-org-filter').evaluate((select: HTMLSelectElement) => {
    const text = select.selectedOptions[0]!.text;
    const style = getComputedStyle(select);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    // The box's inner width, less the drop-down arrow the browser draws at its end.
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    const needed = context.measureText(text).width;
    return needed > room ? `“${text}” needs ${Math.round(needed)}px, the filter shows ${Math.round(room)}px` : null;
  });

/**
 * Boxes around the comments panel that scroll it within themselves, with their heights: all of
 * them on a phone, and beside the text those shorter than the screen under the status bar.
 */
const scrollBoxesAround = (page: Page, besideText: boolean) =>
  page.getByTestId('comments-panel').evaluate((panel, beside) => {
    const bar = document.querySelector('.section-pane__bar')!.getBoundingClientRect().height;
    const room = window.innerHeight - bar - 32;
    const found: string[] = [];
    for (let el = panel.parentElement; el && el !== document.body; el = el.parentElement) {
      const { overflowY } = getComputedStyle(el);
      if ((overflowY === 'auto' || overflowY === 'scroll') && el.scrollHeight > el.clientHeight + 1 && (!beside || el.clientHeight < room))
        found.push(`${el.className}: shows ${el.clientHeight}px of ${el.scrollHeight}px`);
    }
    return found;
  }, besideText);

describe('the comments and suggestions panel', () => {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    for (const language of ['en', 'be'] as const) {
      it(`at ${width} px in ${language}: the organisation filter shows its whole choice, and the threads are not cramped`, async () => {
        const page = await openSignedIn(
          () => newPage({ viewport: { width, height }, locale: language }),
          server.url,
          world.olga.email,
          COORDINATOR_PASSWORD,
          `${server.url}/plans/${world.planId}/sections/${world.sectionId}`,
        );
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
        await page.getByTestId('connection-status').and(page.locator('[data-state=saved]')).waitFor();
        // Below 1100 px the panels are folded under the text, one button away.
        if (width < 1100) await page.getByTestId('panels-toggle').click();
        const panel = page.getByTestId('comments-panel');
        await expect.poll(() => panel.getByTestId('thread').count()).toBe(THREADS.length);
        await page.screenshot({ path: screenshotPath(`side-panel-${width}-${language}`), fullPage: true });

        const found: string[] = [];
        for (const scroller of await scrollBoxesAround(page, width >= 1100)) found.push(`the threads scroll in a cramped box: ${scroller}`);
        const filter = page.getByTestId('threads-org-filter');
        const choices = await filter.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
        expect(choices.length).toBeGreaterThan(4);
        for (const value of choices) {
          await filter.selectOption(value);
          const clipped = await clippedChoice(page);
          if (clipped) found.push(`the organisation filter cuts its choice short: ${clipped}`);
        }
        expect(found).toEqual([]);
        await page.context().close();
      }, 60_000);
    }
  }
});
