import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, editorOf, openSignedIn, screenshotPath, selectInEditor, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * A ministry coordinator drafts a section on a train: the connection drops and comes back, now
 * for two seconds, now for longer while she goes on typing. What she did before and during the
 * drop stays hers to undo; what needs the server waits for it, saying so, without losing what she
 * wrote; and she is not told that the NGO drafter beside her in the section has left.
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
  await addMember(server, coordinator, planId, 'drafter', {
    name: 'Andrei Petrov',
    email: 'andrei@viasna.example',
    organisation: { name: 'Human Rights Centre Viasna', side: 'civil_society' },
  });
  sectionUrl = `${server.url}/plans/${planId}/sections/${sectionId}`;
});
afterAll(async () => {
  await server?.destroy();
});

const openAsOlga = () => openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, sectionUrl);
const openAsAndrei = () => openSignedIn(newPage, server.url, 'andrei@viasna.example', MEMBER_PASSWORD, sectionUrl);

/** The section's text as the person reads it, without other people's caret labels. */
const textOf = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('[data-testid=section-editor] .ProseMirror')!.cloneNode(true) as HTMLElement;
    el.querySelectorAll('.collab-caret').forEach((c) => c.remove());
    return el.innerText.trim();
  });

async function waitForState(page: Page, state: string, timeout = 20_000) {
  await page.waitForFunction((s) => document.querySelector('[data-testid=connection-status]')?.getAttribute('data-state') === s, state, { timeout });
}

/**
 * Drops the page's connection and brings it back, waiting until it is saved again and the page
 * has fetched again what a reconnect makes it fetch (the record of suggestion decisions among it):
 * whatever a reconnect does to the page has been done by then. `whileOffline` runs in between.
 */
async function dropAndReturn(page: Page, whileOffline: () => Promise<void>) {
  await page.context().setOffline(true);
  await waitForState(page, 'offline');
  await whileOffline();
  const refetched = page.waitForResponse((r) => r.url().includes('/suggestions/decisions') && r.request().method() === 'GET', { timeout: 20_000 });
  await page.context().setOffline(false);
  await waitForState(page, 'saved');
  await refetched;
  // The page renders what it fetched.
  await page.waitForTimeout(500);
}

/**
 * Undoes (with the toolbar's Undo button or Ctrl+Z) until the text reads `expected`; fails when
 * Undo is unavailable or does nothing first.
 */
async function undoUntil(page: Page, expected: string, how: 'button' | 'keys') {
  for (let i = 0; i < 40; i++) {
    const now = await textOf(page);
    if (now === expected) return;
    if (how === 'button') {
      const undo = page.getByTestId('tb-undo');
      expect(await undo.isEnabled(), `Undo is off with "${now}" in the text`).toBe(true);
      await undo.click();
    } else {
      await page.keyboard.press('Control+z');
    }
    await expect.poll(() => textOf(page), { timeout: 2000, message: `Undo did nothing to "${now}"` }).not.toBe(now);
  }
  throw new Error(`the text never read "${expected}"`);
}

describe('coming back after the connection dropped', () => {
  it("keeps the person's own undo history through a drop, for words typed before it and during it", async () => {
    const olga = await openAsOlga();
    await editorOf(olga).waitFor();
    await waitForState(olga, 'saved');
    const start = await textOf(olga);

    // Typed just before a two-second drop, in which she types nothing.
    await editorOf(olga).click();
    await olga.keyboard.press('Control+End');
    await olga.keyboard.type(' Torture is prohibited.');
    await waitForState(olga, 'saved');
    await dropAndReturn(olga, () => olga.waitForTimeout(2000));
    expect(await textOf(olga)).toContain('Torture is prohibited.');
    await olga.screenshot({ path: screenshotPath('offline-return-undo-after-drop') });
    await undoUntil(olga, start, 'button');

    // Typed while offline, undone with the keyboard once back.
    await editorOf(olga).click();
    await olga.keyboard.press('Control+End');
    await dropAndReturn(olga, () => olga.keyboard.type(' Written on the train.'));
    expect(await textOf(olga)).toContain('Written on the train.');
    await editorOf(olga).focus();
    await undoUntil(olga, start, 'keys');
    await waitForState(olga, 'saved');
    await olga.close();
  });

  it('turns Undo off, there and then, when a decision on a suggestion starts the history afresh', async () => {
    const olga = await openAsOlga();
    await editorOf(olga).waitFor();
    await waitForState(olga, 'saved');
    await olga.getByTestId('mode-suggesting').check();
    await editorOf(olga).click();
    await olga.keyboard.press('Control+End');
    await olga.keyboard.type(' Proposed wording.');
    await waitForState(olga, 'saved');
    await expect.poll(() => olga.getByTestId('suggestion-card').count(), { timeout: 10_000 }).toBe(1);
    expect(await olga.getByTestId('tb-undo').isEnabled()).toBe(true);
    const id = (await olga.getByTestId('suggestion-card').getAttribute('data-suggestion-id'))!;

    // Accepted elsewhere (another of her tabs, say): undoing her typing now would be refused.
    const decided = await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/suggestions/decisions`, { decision: 'accept', ids: [id] });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    await expect.poll(() => olga.getByTestId('suggestion-decision').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => olga.getByTestId('tb-undo').isDisabled(), { timeout: 5000 }).toBe(true);
    await olga.getByTestId('mode-editing').check();
    await olga.close();
  });

  it('while offline, what needs the server is off and says why; what was typed is kept and sent once back', async () => {
    const NEEDS = 'You are offline: this needs a connection';
    const olga = await openAsOlga();
    await editorOf(olga).waitFor();
    await waitForState(olga, 'saved');
    await editorOf(olga).click();
    await olga.keyboard.press('Control+End');
    await olga.keyboard.type(' The right to a fair trial is guaranteed.');
    await waitForState(olga, 'saved');
    await expect.poll(() => olga.getByTestId('sign-off').isEnabled(), { timeout: 10_000 }).toBe(true);

    // She starts a comment, and the connection drops before she posts it.
    await selectInEditor(olga, 'fair trial');
    await olga.getByTestId('comment-button').click();
    await olga.getByTestId('comment-body').fill('Name the courts this covers.');
    await olga.context().setOffline(true);
    await waitForState(olga, 'offline');

    // Signing off is off, and says why.
    await expect.poll(() => olga.getByTestId('sign-off').isDisabled()).toBe(true);
    expect(await olga.getByTestId('agreement-offline').innerText()).toContain(NEEDS);
    // Her comment waits, kept, with the reason beside it; the keyboard shortcut does not send it either.
    expect(await olga.getByTestId('comment-submit').isDisabled()).toBe(true);
    expect(await olga.getByTestId('comment-form').innerText()).toContain(NEEDS);
    await olga.getByTestId('comment-body').press('Control+Enter');
    await olga.waitForTimeout(500);
    expect(await olga.getByTestId('comment-form').getByRole('alert').count()).toBe(0);
    expect(await olga.getByTestId('comment-body').inputValue()).toBe('Name the courts this covers.');
    await olga.screenshot({ path: screenshotPath('offline-return-actions-offline') });

    // Back: she posts what she wrote.
    await olga.context().setOffline(false);
    await waitForState(olga, 'saved');
    expect(await olga.getByTestId('agreement-offline').count()).toBe(0);
    await expect.poll(() => olga.getByTestId('sign-off').isEnabled()).toBe(true);
    expect(await olga.getByTestId('comment-body').inputValue()).toBe('Name the courts this covers.');
    await olga.getByTestId('comment-submit').click();
    await expect.poll(() => olga.getByTestId('thread').count()).toBe(1);

    // A reply the server could not be reached for (the network went before the page knew it):
    // the error is there while it is true, and gone once the connection is back; the words stay.
    const unreachable = '**/api/plans/*/threads/*/comments';
    await olga.route(unreachable, (route) => route.abort('internetdisconnected'));
    await olga.getByTestId('reply-body').fill('The Supreme Court too.');
    await olga.getByTestId('reply-submit').click();
    await expect.poll(() => olga.getByTestId('thread').getByRole('alert').innerText()).toContain('could not be reached');
    await olga.unroute(unreachable);
    await dropAndReturn(olga, async () => {
      // Offline, replying and resolving are off too.
      expect(await olga.getByTestId('reply-submit').isDisabled()).toBe(true);
      expect(await olga.getByTestId('resolve-thread').isDisabled()).toBe(true);
      expect(await olga.getByTestId('comments-offline').innerText()).toContain(NEEDS);
    });
    expect(await olga.getByTestId('thread').getByRole('alert').count()).toBe(0);
    expect(await olga.getByTestId('reply-body').inputValue()).toBe('The Supreme Court too.');
    await olga.getByTestId('reply-submit').click();
    await expect.poll(() => olga.getByTestId('comment').count()).toBe(2);

    // A suggestion cannot be accepted or rejected offline either.
    await olga.getByTestId('mode-suggesting').check();
    await editorOf(olga).click();
    await olga.keyboard.press('Control+End');
    await olga.keyboard.type(' In public.');
    await expect.poll(() => olga.getByTestId('suggestion-card').count(), { timeout: 10_000 }).toBe(1);
    await waitForState(olga, 'saved');
    await dropAndReturn(olga, async () => {
      expect(await olga.getByTestId('suggestion-accept').isDisabled()).toBe(true);
      expect(await olga.getByTestId('suggestion-reject').isDisabled()).toBe(true);
      expect(await olga.getByTestId('suggestions-offline').innerText()).toContain(NEEDS);
      await olga.screenshot({ path: screenshotPath('offline-return-suggestion-offline') });
    });
    await olga.getByTestId('suggestion-accept').click();
    await olga.getByTestId('suggestions-confirm-button').click();
    await expect.poll(() => olga.getByTestId('suggestion-card').count(), { timeout: 10_000 }).toBe(0);
    await olga.getByTestId('mode-editing').check();
    await olga.close();
  });

  it('offline, nobody is said to have left: the people last seen stay listed, greyed, as last seen', async () => {
    const olga = await openAsOlga();
    const andrei = await openAsAndrei();
    await editorOf(olga).waitFor();
    await editorOf(andrei).waitFor();
    await waitForState(olga, 'saved');
    await expect.poll(() => olga.getByTestId('presence-item').count(), { timeout: 10_000 }).toBe(2);
    // Past the first moments, in which those already here are not announced as joining.
    await olga.waitForTimeout(2500);
    const andreiHere = olga.getByTestId('presence-item').filter({ hasText: 'Andrei Petrov' });
    const said = () => olga.getByTestId('presence-announcement').innerText();

    await olga.context().setOffline(true);
    await waitForState(olga, 'offline');
    await olga.waitForTimeout(3000);
    // She cannot know who is there now: nobody is announced as leaving, and Andrei stays listed, as last seen.
    expect(await said()).not.toContain('no longer in this section');
    expect(await andreiHere.count()).toBe(1);
    expect(await andreiHere.getAttribute('data-stale')).toBe('true');
    expect(await olga.getByTestId('presence-heading').textContent()).not.toContain('now');
    expect(await olga.getByTestId('presence-offline').innerText()).toContain('You are offline');
    await olga.getByTestId('presence-list').scrollIntoViewIfNeeded();
    await olga.screenshot({ path: screenshotPath('offline-return-presence-offline') });

    // Back: Andrei is there live again, and not announced as arriving (he never left).
    await olga.context().setOffline(false);
    await waitForState(olga, 'saved');
    await expect.poll(() => andreiHere.getAttribute('data-stale'), { timeout: 10_000 }).toBe(null);
    expect(await olga.getByTestId('presence-offline').count()).toBe(0);
    expect(await olga.getByTestId('presence-heading').textContent()).toContain('In this section now (2)');
    await olga.waitForTimeout(3000);
    expect(await said()).not.toMatch(/no longer in this section|is now in this section/);
    expect(await olga.getByTestId('presence-item').count()).toBe(2);
    await olga.screenshot({ path: screenshotPath('offline-return-presence-back') });

    // Someone who really leaves once she is back is announced as before.
    await andrei.close();
    await expect.poll(said, { timeout: 45_000 }).toContain('Andrei Petrov (Human Rights Centre Viasna) is no longer in this section.');
    await olga.close();
  });

  it('on a slow line, those already in the section are not announced as arriving when she opens it', async () => {
    const andrei = await openAsAndrei();
    await editorOf(andrei).waitFor();
    // Olga's line: every message from the server reaches her page later than the moments a page
    // allows those already here to show, in order.
    const slowLine = async () => {
      const page = await newPage();
      await page.routeWebSocket(/\/sync\//, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((m) => server.send(m));
        server.onMessage((m) => void setTimeout(() => ws.send(m), 3500));
      });
      return page;
    };
    const olga = await openSignedIn(slowLine, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, sectionUrl);
    await editorOf(olga).waitFor({ timeout: 30_000 });
    const andreiHere = olga.getByTestId('presence-item').filter({ hasText: 'Andrei Petrov' });
    await expect.poll(() => andreiHere.count(), { timeout: 20_000 }).toBe(1);
    await olga.waitForTimeout(1000);
    expect(await olga.getByTestId('presence-announcement').innerText()).not.toContain('is now in this section');
    await andrei.close();
    await olga.close();
  });
});
