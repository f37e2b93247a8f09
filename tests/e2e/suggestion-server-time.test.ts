import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * The coordinator's laptop believes it is September 2001. She proposes words in Suggesting mode;
 * the suggestion's card shows when the server received it, today, not 2001, and so does a
 * colleague's browser with a correct clock.
 */
let server: TestServer;
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterAll(async () => {
  await server?.destroy();
});

const SKEWED = new Date('2001-09-01T12:00:00Z');
const stateOf = (page: Page) => page.getByTestId('connection-status').getAttribute('data-state');
const cardTime = async (page: Page) => Date.parse((await page.getByTestId('suggestion-time').first().getAttribute('datetime')) ?? '');

describe('a suggestion is shown with the server’s time', () => {
  it('a suggestion typed on a computer whose clock says 2001 shows the server’s time', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { planId, sectionId } = await setUpWorkspace(server);
    const sectionUrl = `${server.url}/plans/${planId}/sections/${sectionId}`;

    const page = await newPage();
    page.setDefaultTimeout(15_000);
    await signInThroughForm(page, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await page.clock.install({ time: SKEWED });
    await page.goto(sectionUrl);
    await editorOf(page).waitFor();
    expect(new Date(await page.evaluate(() => Date.now())).getUTCFullYear()).toBe(2001);

    await editorOf(page).click();
    await page.keyboard.type('The Government will abolish the death penalty.');
    await expect.poll(() => stateOf(page), { timeout: 10_000 }).toBe('saved');
    await page.getByTestId('mode-suggesting').check();
    await editorOf(page).click();
    await page.keyboard.press('Control+End');
    const before = Date.now();
    await page.keyboard.type(' By 2028.');
    await expect.poll(() => page.getByTestId('suggestion-card').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('suggestion-time').count(), { timeout: 10_000 }).toBe(1);
    const after = Date.now();
    const shown = await cardTime(page);
    // Minutes, as the card shows them: within the minute of the server's clock, nowhere near 2001.
    expect(shown).toBeGreaterThanOrEqual(before - 60_000);
    expect(shown).toBeLessThanOrEqual(after + 60_000);
    expect(await page.getByTestId('suggestion-card').first().innerText()).not.toContain('2001');
    await page.getByTestId('suggestions-panel').screenshot({ path: screenshotPath('suggestion-server-time') });

    // A colleague with a correct clock sees the same time.
    const colleague = await newPage();
    colleague.setDefaultTimeout(15_000);
    await signInThroughForm(colleague, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await colleague.goto(sectionUrl);
    await expect.poll(() => colleague.getByTestId('suggestion-time').count(), { timeout: 10_000 }).toBe(1);
    expect(await cardTime(colleague)).toBe(shown);
  }, 120_000);
});
