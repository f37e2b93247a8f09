import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, screenshotPath, setUpThroughForm, signInThroughForm, useBrowser, editorOf, createPlanThroughForm } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A ministry coordinator sets Accord up, creates a plan and invites an NGO lawyer; both write the
 * same section in their own browsers; the lawyer loses the connection, keeps typing, comes back,
 * and both end with the same text.
 */
let server: TestServer;

const { newPage } = useBrowser({ viewport: { width: 1360, height: 900 } });
afterAll(async () => {
  await server?.destroy();
});


const stateOf = (page: Page) => page.getByTestId('connection-status').getAttribute('data-state');
/** The section's text as the person reads it, without other people's caret labels. */
const textOf = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('[data-testid=section-editor] .ProseMirror')!.cloneNode(true) as HTMLElement;
    el.querySelectorAll('.collab-caret').forEach((c) => c.remove());
    return el.innerText;
  });
async function waitForState(page: Page, state: string, timeout = 15_000) {
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid=connection-status]')?.getAttribute('data-state') === s,
    state,
    { timeout },
  );
}

describe('joint drafting in real browsers', () => {
  it('set-up, sign-in, plan, invite link, and two organisations writing one section live and offline', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;

    // --- The ministry coordinator sets Accord up on a fresh server.
    const ministry = await newPage();
    await setUpThroughForm(ministry, base);

    // Sign out and back in, as she would the next morning.
    await ministry.getByTestId('sign-out').click();
    await ministry.waitForURL('**/sign-in**');
    await ministry.getByTestId('sign-in-email').fill('alena@mfa.example');
    await ministry.getByTestId('sign-in-password').fill('wrong password entirely');
    await ministry.getByTestId('sign-in-submit').click();
    await expect.poll(() => ministry.getByRole('alert').first().textContent()).toBeTruthy();
    await ministry.getByTestId('sign-in-password').fill('correct horse battery');
    await ministry.getByTestId('sign-in-submit').click();
    await ministry.waitForURL(base + '/');

    // --- She creates the plan; it opens with a starter outline; she adds a section.
    await createPlanThroughForm(ministry);
    await ministry.getByTestId('add-section').first().click();
    await ministry.getByTestId('add-section-input').fill('Abolition of the death penalty');
    await ministry.getByTestId('add-section-submit').click();
    const section = ministry.getByTestId('outline-section').filter({ hasText: 'Abolition of the death penalty' });
    await section.click();
    await editorOf(ministry).waitFor();
    await waitForState(ministry, 'saved');
    const sectionUrl = ministry.url();

    // --- She invites an NGO lawyer as a drafter: the link is shown to copy.
    await ministry.getByTestId('members-link').click();
    await ministry.getByTestId('invite-role').selectOption('drafter');
    await ministry.getByTestId('create-invite').click();
    const inviteUrl = await ministry.getByTestId('invite-url').inputValue();
    expect(inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);

    // --- The lawyer opens the link in her own browser and creates her account.
    const ngo = await newPage();
    await ngo.goto(inviteUrl);
    await ngo.getByTestId('invite-name').fill('Maryna Ivanova');
    await ngo.getByTestId('invite-email').fill('maryna@helsinki.example');
    await ngo.getByTestId('invite-password').fill('another good passphrase');
    if (await ngo.getByTestId('invite-org-new').count()) await ngo.getByTestId('invite-org-new').check();
    await ngo.getByTestId('invite-org-name').fill('Belarusian Helsinki Committee');
    await ngo.getByTestId('invite-org-side').selectOption('civil_society');
    await ngo.getByTestId('invite-submit').click();
    await ngo.waitForURL('**/plans/**');

    // --- Both in the section.
    await ministry.goto(sectionUrl);
    await ngo.goto(sectionUrl);
    await editorOf(ministry).waitFor();
    await editorOf(ngo).waitFor();
    await expect.poll(() => ministry.getByTestId('presence-item').count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => ngo.getByTestId('presence-item').count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => ministry.getByTestId('presence-list').innerText()).toContain('Belarusian Helsinki Committee');

    await editorOf(ministry).click();
    await ministry.keyboard.type('The Government will introduce a moratorium on executions.');
    await expect.poll(() => editorOf(ngo).innerText(), { timeout: 10_000 }).toContain('moratorium on executions');
    await editorOf(ngo).click();
    await ngo.keyboard.press('Control+End');
    await ngo.keyboard.press('Enter');
    await ngo.keyboard.type('Civil society will monitor its application.');
    await expect.poll(() => editorOf(ministry).innerText(), { timeout: 10_000 }).toContain('monitor its application');

    // Each sees the other's caret with name and organisation.
    await expect
      .poll(() => ministry.locator('.collab-caret__label').allInnerTexts(), { timeout: 10_000 })
      .toContainEqual(expect.stringContaining('Maryna Ivanova'));
    await editorOf(ministry).click();
    await expect
      .poll(() => ngo.locator('.collab-caret__label').allInnerTexts(), { timeout: 10_000 })
      .toContainEqual(expect.stringContaining('Alena Kavalenka'));
    await waitForState(ministry, 'saved');
    await waitForState(ngo, 'saved');
    await ministry.screenshot({ path: screenshotPath('co-drafting-live') });

    // --- The lawyer's connection drops; she keeps typing; the ministry types too.
    await ngo.context().setOffline(true);
    await waitForState(ngo, 'offline');
    await editorOf(ngo).click();
    await ngo.keyboard.press('Control+End');
    await ngo.keyboard.press('Enter');
    await ngo.keyboard.type('Drafted while offline by the NGO.');
    await editorOf(ministry).click();
    await ministry.keyboard.press('Control+Home');
    await ministry.keyboard.type('Preamble. ');
    await waitForState(ministry, 'saved');
    expect(await editorOf(ministry).innerText()).not.toContain('Drafted while offline');
    await ngo.screenshot({ path: screenshotPath('co-drafting-offline') });

    // --- Back online: both converge on the same text, with both offline-time edits.
    await ngo.context().setOffline(false);
    await waitForState(ngo, 'saved', 20_000);
    await expect.poll(() => editorOf(ministry).innerText(), { timeout: 10_000 }).toContain('Drafted while offline by the NGO.');
    await expect.poll(() => editorOf(ngo).innerText()).toContain('Preamble.');
    expect(await textOf(ngo)).toBe(await textOf(ministry));
    await ministry.screenshot({ path: screenshotPath('co-drafting-converged') });
  });
});

/** Number of updates the page has written to its IndexedDB copy of the open section. */
const localUpdateCount = (page: Page) =>
  page.evaluate(async () => {
    const dbs = await indexedDB.databases();
    const name = dbs.map((d) => d.name ?? '').find((n) => n.startsWith('accord:') && n.includes(':section.'));
    if (!name) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const req = db.transaction('updates', 'readonly').objectStore('updates').count();
        req.onsuccess = () => {
          db.close();
          resolve(req.result);
        };
        req.onerror = () => reject(req.error);
      };
    });
  });

describe('working while the server is down', () => {
  it('keeps edits across a page reload while the server is unreachable, and saves them when it is back', async () => {
    await server?.destroy();
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { url: base, port, dataDir } = server;

    const page = await newPage();
    await setUpThroughForm(page, base);
    await page.getByTestId('create-plan-title').fill('Plan');
    await page.getByTestId('create-plan-country').fill('Belarus');
    await page.getByTestId('create-plan-submit').click();
    await page.getByTestId('outline-section').first().click();
    await editorOf(page).waitFor();
    // The app shell and the last answers are cached by the service worker once it controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    await editorOf(page).waitFor();
    await waitForState(page, 'saved');
    const sectionUrl = page.url();

    // The server goes away (not the browser's network).
    const dataDirKept = dataDir;
    await server.close();
    await waitForState(page, 'offline');
    const before = await localUpdateCount(page);
    await editorOf(page).click();
    await page.keyboard.type('Written while the server was down.');
    await expect.poll(() => localUpdateCount(page)).toBeGreaterThan(before);

    // A reload with the server still down opens the section from the local copy.
    await page.reload();
    await editorOf(page).waitFor({ timeout: 15_000 });
    await expect.poll(() => textOf(page), { timeout: 10_000 }).toContain('Written while the server was down.');
    expect(await stateOf(page)).toBe('offline');
    await page.screenshot({ path: screenshotPath('offline-after-reload') });

    // The server comes back on the same address: the edit is stored.
    server = await startTestServer({ clientDir: CLIENT_DIR, dataDir: dataDirKept, env: { PORT: String(port) } });
    await waitForState(page, 'saved', 30_000);

    // Someone on another device (no local copy) reads it from the server.
    const other = await newPage();
    await signInThroughForm(other, base, 'alena@mfa.example', 'correct horse battery');
    await other.goto(sectionUrl);
    await expect.poll(() => textOf(other), { timeout: 10_000 }).toContain('Written while the server was down.');
  });
});
