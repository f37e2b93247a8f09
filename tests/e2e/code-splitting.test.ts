import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SECTION_PAGE, SIGN_IN_PAGE, pageLoads } from '../../bench/chunks.ts';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Route-level code splitting (issue #12) in a real browser: the sign-in page fetches only the
 * app shell's JavaScript (what the built manifest says it needs, none of the editor's), a section
 * fetches the editor when it is opened, and a page whose code cannot be fetched says so and opens
 * after "Try again". Screenshots go to test-output/code-splitting-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser();
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

/** Records the /assets/*.js files a page requests, by their path in dist/client. */
function recordScripts(page: Page): string[] {
  const scripts: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/assets/') && path.endsWith('.js')) scripts.push(path.slice(1));
  });
  return scripts;
}

describe('each page loads the code it needs', () => {
  it('the sign-in page fetches only the shell; a section fetches the editor when it opens', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { planId, sectionId } = await setUpWorkspace(server);
    const loads = pageLoads(CLIENT_DIR);
    const signInFiles = loads.find((l) => l.page === SIGN_IN_PAGE)!.chunks.map((c) => c.file);
    const sectionFiles = loads.find((l) => l.page === SECTION_PAGE)!.chunks.map((c) => c.file);
    const editorOnly = sectionFiles.filter((f) => !signInFiles.includes(f));
    expect(editorOnly.length).toBeGreaterThan(0);

    const page = await newPage();
    page.setDefaultTimeout(15_000);
    const scripts = recordScripts(page);
    await page.goto(`${base}/sign-in`);
    await page.getByTestId('sign-in-email').waitFor();
    // Give any stray lazy fetch time to start before the check: nothing else should come.
    await page.waitForTimeout(500);
    expect([...new Set(scripts)].sort()).toEqual([...signInFiles].sort());
    await page.screenshot({ path: screenshotPath('code-splitting-sign-in') });

    await signInThroughForm(page, base, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await page.goto(`${base}/plans/${planId}/sections/${sectionId}`);
    await page.getByTestId('section-editor').locator('.ProseMirror').waitFor();
    for (const file of editorOnly) expect(scripts).toContain(file);
    await page.screenshot({ path: screenshotPath('code-splitting-section') });
  });

  it('a page whose code cannot be fetched says so, and opens after "Try again"', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { planId, sectionId } = await setUpWorkspace(server);
    const page = await newPage();
    page.setDefaultTimeout(15_000);
    // As if the connection dropped before the export page's code was ever fetched. On the context,
    // not the page, so the service worker's fetches are refused too.
    const exportChunk = '**/assets/ExportPage-*.js';
    await page.context().route(exportChunk, (route) => route.abort('internetdisconnected'));
    await signInThroughForm(page, base, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await page.goto(`${base}/plans/${planId}/sections/${sectionId}`);
    await page.getByTestId('export-link').click();

    const failed = page.getByTestId('page-load-failed');
    await failed.waitFor();
    expect(await failed.getByRole('alert').innerText()).toContain('This page could not be opened');
    // The header stays, so the person can still go elsewhere.
    expect(await page.locator('header').count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('code-splitting-load-failed') });

    await page.context().unroute(exportChunk);
    await page.getByTestId('page-load-retry').click();
    await page.getByTestId('export-format').waitFor();
    expect(await page.getByTestId('page-load-failed').count()).toBe(0);
  });
});
