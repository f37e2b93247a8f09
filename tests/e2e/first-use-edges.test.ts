import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, openSignedIn, selectInEditor, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Rough edges a new user met, in a real browser. Opening an invite link signed out is an ordinary
 * visit: no failed request, nothing in the console. A web address typed without https:// in the
 * editor's link form ("example.org/report") becomes a link to https://example.org/report.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

/** Everything the page said was wrong: console errors and warnings, and API answers of 400 and above. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
  });
  page.on('requestfailed', (req) => problems.push(`failed ${req.method()} ${new URL(req.url()).pathname}`));
  return problems;
}

/** The links in the section's text, as their addresses (read at once: no waiting for one to appear). */
const linksIn = (page: Page) => editorOf(page).locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

describe('a new user’s first steps', () => {
  it('an invite link opened signed out shows the invitation with no failed request or console error', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId } = await setUpWorkspace(server);
    const invite = await coordinator.post(`/api/plans/${planId}/invites`, { role: 'drafter', note: 'For the Legal Initiative' });
    expect(invite.status).toBe(201);

    const page = await newPage();
    const problems = watchProblems(page);
    await page.goto(`${base}/invite/${invite.body.token}`);
    await expect.poll(() => page.getByTestId('invite-info').innerText()).toContain('Olga Coordinator');
    // Signed out: the form to create an account, not an error.
    await page.getByTestId('invite-form').waitFor();
    expect(await page.getByTestId('header-account').count()).toBe(0);
    // Late answers (the service worker, fonts) have had time to arrive.
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
  });

  it('the editor’s link form takes "example.org/report" as https://example.org/report', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { planId, sectionId } = await setUpWorkspace(server);
    const page = await openSignedIn(newPage, base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/sections/${sectionId}`);
    const editor = editorOf(page);
    await editor.waitFor();
    await editor.click();
    await page.keyboard.type('See the annual report.');
    await selectInEditor(page, 'annual report');

    await page.getByTestId('tb-link').click();
    const form = page.getByTestId('link-form');
    await form.locator('input').fill('example.org/report');
    await form.locator('input').press('Enter');
    await expect.poll(() => linksIn(page)).toEqual(['https://example.org/report']);
    expect(await editor.locator('a').innerText()).toBe('annual report');
    expect(await form.count()).toBe(0);

    // Kept: after the text is saved, a fresh load has the same link.
    await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');
    await page.reload();
    await expect.poll(() => linksIn(page), { timeout: 10_000 }).toEqual(['https://example.org/report']);
  });
});
