import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { anchorOn, mention, setUpNoticeWorld, type NoticeWorld } from '../helpers/noticeWorld.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { MEMBER_PASSWORD } from '../helpers/workspace.ts';
import { notify } from '../../server/services/notifications.ts';
import { NOTIFICATIONS_PAGE } from '../../shared/api/index.ts';

/**
 * The inbox in a real browser: Nina is on the plan when Carl mentions her in a comment; the
 * unread count on Notices goes up at once (the live event, not the 30-second poll); opening the
 * list shows the notice without marking it read; following it opens the thread and marks that
 * one read; "Mark all read" clears the rest. Screenshots go to test-output/notifications-*.png.
 */
let server: TestServer | undefined;
let world: NoticeWorld | undefined;
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterEach(async () => {
  world?.peer.destroy();
  await server?.destroy();
  server = world = undefined;
});

/** Nina told of `count` mentions at once (as a reporting round opened on many actions would), "point 1" the oldest. */
async function mentionNina(server: TestServer, w: NoticeWorld, count: number): Promise<void> {
  await server.sql.transaction(async (tx) => {
    for (let i = 1; i <= count; i++) {
      await notify(tx, {
        userId: w.nina.userId,
        planId: w.planId,
        kind: 'mention',
        summary: `Notice ${i}`,
        text: { key: 'mention', params: { who: 'Carl Commenter', organisation: 'UN Country Team', title: w.title, excerpt: `point ${i}` } },
        link: null,
      });
    }
  });
}

describe('notices', () => {
  it('a mention arrives live, leads to its thread, and notices are marked read when followed or all at once', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const w = (world = await setUpNoticeWorld(server));
    const base = server.url;
    const nina = await openSignedIn(newPage, base, w.nina.email, MEMBER_PASSWORD, `${base}/plans/${w.planId}/sections/${w.sectionId}`);
    const button = nina.getByTestId('notifications-button');
    // Her organisation was verified when she joined: one unread notice.
    await expect.poll(() => button.getAttribute('data-unread')).toBe('1');

    const created = await w.carl.client.post(`/api/plans/${w.planId}/sections/${w.sectionId}/threads`, {
      anchor: anchorOn(w.peer),
      body: `${mention(w.nina)} could your centre check the wording?`,
    });
    expect(created.status).toBe(201);
    // Well inside the poll interval: the plan's live stream brought it.
    await expect.poll(() => button.getAttribute('data-unread'), { timeout: 10_000 }).toBe('2');
    expect(await nina.getByTestId('notifications-count').innerText()).toContain('2');

    await button.click();
    const notices = nina.getByTestId('notification');
    await expect.poll(() => notices.count()).toBe(2);
    const first = notices.first();
    expect(await first.innerText()).toContain('Carl Commenter (UN Country Team) mentioned you in a comment on “Purpose and scope”: “@Nina Lawyer could your centre check the wording?”');
    // Looking is not reading.
    expect(await button.getAttribute('data-unread')).toBe('2');
    await nina.screenshot({ path: screenshotPath('notifications-mention') });

    await first.getByRole('link').click();
    await expect.poll(() => nina.url()).toContain(`#thread-${created.body.id}`);
    const thread = nina.locator(`[data-testid=thread][data-thread-id="${created.body.id}"]`);
    await expect.poll(() => thread.getAttribute('class')).toContain('thread--active');
    await expect.poll(() => button.getAttribute('data-unread')).toBe('1');
    await nina.screenshot({ path: screenshotPath('notifications-thread') });

    await button.click();
    await expect.poll(() => notices.nth(1).getAttribute('data-read')).toBe('false');
    expect(await notices.first().getAttribute('data-read')).toBe('true');
    await nina.getByTestId('notifications-mark-all-read').click();
    await expect.poll(() => button.getAttribute('data-unread')).toBe('0');
    expect(await nina.getByTestId('notifications-count').count()).toBe(0);
    expect(await nina.getByTestId('notifications-mark-all-read').count()).toBe(0);
    expect(await notices.nth(1).getAttribute('data-read')).toBe('true');
    await nina.screenshot({ path: screenshotPath('notifications-all-read') });
  });

  it('"Show older" still brings the older page when a live notice refreshes the list while it loads', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const w = (world = await setUpNoticeWorld(server));
    const extra = NOTIFICATIONS_PAGE + 3;
    await mentionNina(server, w, extra);
    const nina = await openSignedIn(newPage, server.url, w.nina.email, MEMBER_PASSWORD, `${server.url}/plans/${w.planId}`);
    await nina.getByTestId('notifications-button').click();
    const notices = nina.getByTestId('notification');
    await expect.poll(() => notices.count()).toBe(NOTIFICATIONS_PAGE);

    // The older page is held on its way until a live event has made the list refresh itself.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held: string[] = [];
    // On the context, not the page: the service worker makes the request.
    await nina.context().route(/\/api\/notifications\?before=/, async (route) => {
      held.push(route.request().url());
      if (held.length === 1) await released;
      await route.continue();
    });
    const refreshed = nina.waitForRequest((r) => /\/api\/notifications$/.test(r.url()));
    await nina.getByTestId('notifications-older').click();
    await expect.poll(() => held.length).toBe(1);
    server.events.emit('plan', w.planId, { type: 'notifications' });
    await refreshed;
    release();
    await expect.poll(() => notices.count()).toBe(extra + 1);
    expect(await nina.getByTestId('notifications-older').count()).toBe(0);
  });

  it('with more notices than a page, the list goes on to the oldest one', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const w = (world = await setUpNoticeWorld(server));
    // A reporting round opened on many actions: Nina is told about each, on top of her organisation's verification.
    const extra = NOTIFICATIONS_PAGE + 5;
    await mentionNina(server, w, extra);
    const nina = await openSignedIn(newPage, server.url, w.nina.email, MEMBER_PASSWORD, `${server.url}/plans/${w.planId}`);
    const button = nina.getByTestId('notifications-button');
    await expect.poll(() => button.getAttribute('data-unread')).toBe(String(NOTIFICATIONS_PAGE));
    // The oldest shown is unread and older ones are not loaded yet: "50+", not a count that looks complete.
    const count = nina.getByTestId('notifications-count');
    expect(await count.locator('[aria-hidden=true]').innerText()).toBe(`${NOTIFICATIONS_PAGE}+`);
    expect(await count.locator('.visually-hidden').innerText()).toBe(`at least ${NOTIFICATIONS_PAGE} unread notices`);
    await button.click();
    const notices = nina.getByTestId('notification');
    await expect.poll(() => notices.count()).toBe(NOTIFICATIONS_PAGE);

    const older = nina.getByTestId('notifications-older');
    await older.click();
    await expect.poll(() => notices.count()).toBe(extra + 1);
    // Reading goes on from the first notice just loaded.
    await expect
      .poll(() => nina.evaluate(() => document.activeElement?.closest('[data-testid=notification]')?.textContent ?? ''))
      .toContain(`point ${extra - NOTIFICATIONS_PAGE}`);
    expect(await older.count()).toBe(0);
    expect(await count.locator('[aria-hidden=true]').innerText()).toBe(String(extra + 1));
    expect(await button.getAttribute('data-unread')).toBe(String(extra + 1));

    // The oldest notice, at the very end, can be scrolled to and seen whole inside the list.
    const last = notices.last();
    expect(await last.innerText()).toContain('Your organisation, Human Rights Centre, was verified');
    await last.scrollIntoViewIfNeeded();
    const seen = await nina.evaluate(() => {
      const list = document.querySelector('[data-testid=notifications-list]')!.getBoundingClientRect();
      const items = document.querySelectorAll('[data-testid=notification]');
      const item = items[items.length - 1]!.getBoundingClientRect();
      return item.top >= list.top && item.bottom <= list.bottom && item.bottom <= window.innerHeight;
    });
    expect(seen).toBe(true);
    await nina.screenshot({ path: screenshotPath('notifications-oldest') });
  });
});
