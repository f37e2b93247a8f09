import { afterEach, describe, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { CLIENT_DIR, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';

/**
 * On a slow connection (an NGO lawyer working from exile at 50 KB/s) the app's scripts and
 * stylesheet take seconds to arrive. Until they do, the page shows the product's name and a moving
 * bar (client/index.html) instead of a blank white page: it paints before any of the app's files
 * has arrived, and holds no sentence (the language is not chosen yet). The app still waits for its
 * stylesheet, so it never appears unstyled, and replaces the indicator when it starts.
 * Screenshot: test-output/slow-connection-loading.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser();
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

/** Holds every request for the app's files until `release(kind)`: a connection slower than any. */
function holdAssets() {
  const held: Array<{ route: Route; kind: 'css' | 'js' | 'other' }> = [];
  const released = new Set<string>();
  return {
    async handler(route: Route) {
      const path = new URL(route.request().url()).pathname;
      const kind = path.endsWith('.css') ? 'css' : path.endsWith('.js') ? 'js' : 'other';
      if (released.has(kind)) await route.continue();
      else held.push({ route, kind });
    },
    async release(kind: 'css' | 'js' | 'other') {
      released.add(kind);
      for (const h of held.filter((h) => h.kind === kind)) await h.route.continue();
    },
  };
}

describe('while the app loads', () => {
  it('the page shows the product’s name at once, then the app replaces it', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    await setUpWorkspace(server);
    const page = await newPage();
    page.setDefaultTimeout(15_000);
    const assets = holdAssets();
    await page.route('**/assets/**', (route) => assets.handler(route));

    await page.goto(`${server.url}/sign-in`, { waitUntil: 'commit' });
    const boot = page.getByTestId('boot');
    await boot.waitFor();
    // Painted, not only in the document: a stylesheet in the head would hold every paint back.
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 5000 });
    expect((await page.locator('body').innerText()).trim()).toBe('Accord');
    await page.screenshot({ path: screenshotPath('slow-connection-loading') });

    // The scripts arrive first: the app waits for its stylesheet rather than appear unstyled.
    const scriptsDone = page.waitForResponse((r) => /\/assets\/index-[^/]+\.js$/.test(r.url()));
    await assets.release('js');
    await scriptsDone;
    await page.waitForTimeout(500);
    await expect(boot.isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('sign-in-email').count()).resolves.toBe(0);

    await assets.release('css');
    await assets.release('other');
    await page.getByTestId('sign-in-email').waitFor();
    await expect(boot.count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath('slow-connection-loaded') });
  });
});
