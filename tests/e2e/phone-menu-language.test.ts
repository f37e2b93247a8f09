import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Olga, the coordinator, keeps Belarusian with her account and signs in on her phone, in a browser
 * that reads English, over a slow connection: the plans list's code takes a moment to arrive and
 * the Belarusian words a moment more. The address already says she is in, though the sign-in page
 * still shows while that code arrives, and she opens the Menu at once, to reach her Account page.
 * The plans list then appears, the page turns Belarusian, and the Menu she opened stays open.
 * Screenshot: test-output/phone-menu-language-be.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
afterAll(async () => {
  await server?.destroy();
});

/** Holds back the answers for files matching `glob` by `ms`; tells whether one has arrived yet. */
async function slowDown(page: Page, glob: string, ms: number): Promise<{ arrived: () => boolean }> {
  let arrived = false;
  await page.context().route(glob, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue();
    arrived = true;
  });
  return { arrived: () => arrived };
}

describe('the phone Menu after signing in on a slow connection', () => {
  it('stays open while the next page and the account language arrive', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator } = await setUpWorkspace(server);
    expect((await coordinator.request('PUT', '/api/auth/me/language', { language: 'be' })).status).toBe(200);

    const phone = await newPage();
    const plansPage = await slowDown(phone, '**/assets/PlansPage-*.js', 800);
    const belarusian = await slowDown(phone, '**/assets/be-*.js', 1_500);
    await signInThroughForm(phone, base, 'olga@mfa.example', COORDINATOR_PASSWORD);

    const menu = phone.getByTestId('header-menu-toggle');
    await menu.click();
    // Opened in English, while the plans list and the Belarusian words are still on their way.
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await menu.innerText()).toBe('Menu');
    expect(plansPage.arrived()).toBe(false);
    expect(belarusian.arrived()).toBe(false);

    await phone.getByTestId('create-plan-title').waitFor({ timeout: 10_000 });
    await expect.poll(() => phone.evaluate(() => document.documentElement.lang), { timeout: 10_000 }).toBe('be');
    await expect.poll(() => menu.innerText()).toBe('Меню');
    // Whatever follows the language change is drawn before looking.
    await phone.waitForTimeout(300);
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await phone.getByTestId('header-tools').isVisible()).toBe(true);
    expect(await phone.getByTestId('header-account-link').innerText()).toBe('Уліковы запіс');
    await phone.screenshot({ path: screenshotPath('phone-menu-language-be') });

    // Following a link in the Menu still closes it: it belongs to the page it was opened on.
    await phone.getByTestId('header-account-link').click();
    await phone.waitForURL(`${base}/account`);
    await expect.poll(() => phone.locator('h1').innerText(), { timeout: 10_000 }).toBe('Ваш уліковы запіс');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await phone.getByTestId('header-tools').isVisible()).toBe(false);
  }, 60_000);
});
