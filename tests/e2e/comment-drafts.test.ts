import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Thread } from '../../shared/api/index.ts';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, editorOf, openSignedIn, screenshotPath, selectInEditor, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * An NGO lawyer writes comments on a train: the connection drops while she writes, the page is
 * reloaded, the browser is closed and opened again. What she wrote and did not send is still in
 * its box, on the same words or in the same thread, until she sends it or discards it; nothing
 * is sent without her pressing send.
 */
let server: TestServer;
let coordinator: ApiClient;
let planId = '';
let sectionId = '';
let sectionUrl = '';

const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  sectionUrl = `${server.url}/plans/${planId}/sections/${sectionId}`;
});
afterAll(async () => {
  await server?.destroy();
});

async function waitForState(page: Page, state: string, timeout = 20_000) {
  await page.waitForFunction((s) => document.querySelector('[data-testid=connection-status]')?.getAttribute('data-state') === s, state, { timeout });
}

/** Every comment of the section, as the server has them. */
async function storedComments(): Promise<string[]> {
  const res = await coordinator.get<Thread[]>(`/api/plans/${planId}/sections/${sectionId}/threads?status=all`);
  expect(res.status).toBe(200);
  return res.body.flatMap((th) => th.comments.map((c) => c.body));
}

async function reloadAndWait(page: Page) {
  await page.reload();
  await editorOf(page).waitFor({ timeout: 15_000 });
}

describe('comments being written survive a reload', () => {
  it('keeps an unsent comment and reply through a reload offline and a closed tab, and sends them only when she does', async () => {
    let page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, sectionUrl);
    await editorOf(page).waitFor();
    await waitForState(page, 'saved');
    // The app is kept by the service worker once it controls the page, so it reloads offline.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await reloadAndWait(page);
    await waitForState(page, 'saved');
    await editorOf(page).click();
    await page.keyboard.type('The right to a fair trial is guaranteed. Hearings are public.');
    await waitForState(page, 'saved');

    // A first thread, posted while online, to reply to later.
    await selectInEditor(page, 'Hearings are public');
    await page.getByTestId('comment-button').click();
    await page.getByTestId('comment-body').fill('Say which courts.');
    await page.getByTestId('comment-submit').click();
    await expect.poll(() => page.getByTestId('thread').count()).toBe(1);

    // The connection drops while she writes a new comment and a reply.
    await page.context().setOffline(true);
    await waitForState(page, 'offline');
    await selectInEditor(page, 'fair trial');
    await page.getByTestId('comment-button').click();
    await page.getByTestId('comment-body').fill('Name the courts this covers.');
    await page.getByTestId('reply-body').fill('Military courts too.');

    // The page is reloaded, still offline: both are back in their boxes, the comment on its words.
    await reloadAndWait(page);
    await expect.poll(() => page.getByTestId('comment-body').inputValue(), { timeout: 15_000 }).toBe('Name the courts this covers.');
    expect(await page.getByTestId('comment-form').innerText()).toContain('fair trial');
    await expect.poll(() => page.getByTestId('reply-body').inputValue()).toBe('Military courts too.');
    expect(await page.getByTestId('comment-submit').isDisabled()).toBe(true);
    await page.getByTestId('comments-panel').screenshot({ path: screenshotPath('comment-drafts-restored-offline') });

    // Back online: nothing is sent by itself.
    await page.context().setOffline(false);
    await waitForState(page, 'saved');
    await expect.poll(() => page.getByTestId('comment-submit').isEnabled()).toBe(true);
    await page.waitForTimeout(1500);
    expect(await storedComments()).toEqual(['Say which courts.']);

    // The browser is closed and opened again (what it keeps on disk, its cookies and storage, carried over).
    const kept = await page.context().storageState();
    await page.context().close();
    page = await newPage({ storageState: kept });
    page.setDefaultTimeout(15_000);
    await page.goto(sectionUrl);
    await editorOf(page).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('comment-body').inputValue(), { timeout: 15_000 }).toBe('Name the courts this covers.');
    await expect.poll(() => page.getByTestId('reply-body').inputValue()).toBe('Military courts too.');
    expect(await storedComments()).toEqual(['Say which courts.']);

    // She sends both; once sent, nothing is kept.
    await page.getByTestId('comment-submit').click();
    await expect.poll(() => page.getByTestId('thread').count()).toBe(2);
    const replyBox = page.locator('[data-testid=thread]', { hasText: 'Say which courts.' }).getByTestId('reply-body');
    await expect.poll(() => replyBox.inputValue()).toBe('Military courts too.');
    await page.locator('[data-testid=thread]', { hasText: 'Say which courts.' }).getByTestId('reply-submit').click();
    await expect.poll(() => page.getByTestId('comment').count()).toBe(3);
    expect((await storedComments()).sort()).toEqual(['Military courts too.', 'Name the courts this covers.', 'Say which courts.']);
    await reloadAndWait(page);
    await expect.poll(() => page.getByTestId('thread').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByTestId('comment-form').count()).toBe(0);
    for (const box of await page.getByTestId('reply-body').all()) expect(await box.inputValue()).toBe('');
    await page.close();
  }, 120_000);

  it('discards a draft only when she says so, and offers it back', async () => {
    const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, sectionUrl);
    await editorOf(page).waitFor();
    await expect.poll(() => page.getByTestId('thread').count(), { timeout: 15_000 }).toBe(2);

    // A new comment, cancelled with words in it: discarded, with Undo.
    await selectInEditor(page, 'guaranteed');
    await page.getByTestId('comment-button').click();
    await page.getByTestId('comment-body').fill('Guaranteed by which law?');
    await page.getByTestId('comment-cancel').click();
    expect(await page.getByTestId('comment-form').count()).toBe(0);
    expect(await page.getByTestId('comment-discarded').innerText()).toContain('Your unsent comment was discarded.');
    await page.screenshot({ path: screenshotPath('comment-drafts-discarded') });
    await page.getByTestId('comment-discarded-undo').click();
    expect(await page.getByTestId('comment-body').inputValue()).toBe('Guaranteed by which law?');
    expect(await page.getByTestId('comment-form').innerText()).toContain('guaranteed');
    // Discarded for good: a reload does not bring it back.
    await page.getByTestId('comment-cancel').click();
    await reloadAndWait(page);
    await expect.poll(() => page.getByTestId('thread').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByTestId('comment-form').count()).toBe(0);

    // A reply: discarded with its own button, and taken back.
    const thread = page.locator('[data-testid=thread]', { hasText: 'Say which courts.' });
    await thread.getByTestId('reply-body').fill('And the Constitutional Court.');
    await page.screenshot({ path: screenshotPath('comment-drafts-reply') });
    await thread.getByTestId('reply-discard').click();
    expect(await thread.getByTestId('reply-body').inputValue()).toBe('');
    expect(await thread.getByTestId('reply-discarded').innerText()).toContain('Your unsent reply was discarded.');
    await thread.getByTestId('reply-discarded-undo').click();
    expect(await thread.getByTestId('reply-body').inputValue()).toBe('And the Constitutional Court.');
    await thread.getByTestId('reply-discard').click();
    await reloadAndWait(page);
    await expect.poll(() => page.getByTestId('thread').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.locator('[data-testid=thread]', { hasText: 'Say which courts.' }).getByTestId('reply-body').inputValue()).toBe('');
    expect((await storedComments()).length).toBe(3);
    await page.close();
  }, 120_000);
});

