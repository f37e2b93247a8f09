import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Nina, an NGO lawyer whose laptop was taken, opens the Account page on a phone with a bad
 * connection. Offline, the lists of her sessions and of the browsers Accord recognises say they
 * will load once she is back, not "Loading…" for ever; signing out, forgetting a browser and
 * changing her password are off, each saying why. Back online, the lists fill in by themselves and
 * everything works again; offline once more, what was loaded stays and the buttons wait.
 */
let server: TestServer;
const { newPage } = useBrowser();
beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const { coordinator, planId } = await setUpWorkspace(server);
  const invited = await addMember(server, coordinator, planId, 'drafter', NINA);
  // The session her invitation opened is over: she is signed in only on the laptop and where this test signs her in.
  expect((await invited.client.post('/api/auth/sign-out')).status).toBe(204);
  // The laptop: another session, and another browser Accord recognises.
  const laptop = await new ApiClient(server.url).request('POST', '/api/auth/sign-in', { email: NINA.email, password: MEMBER_PASSWORD }, { 'user-agent': FIREFOX_ON_WINDOWS });
  expect(laptop.status).toBe(200);
});
afterAll(async () => {
  await server?.destroy();
});

const NINA = { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Lawtrend', side: 'civil_society' as const } };
const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const RAW = /could not be reached/;
const WORDS = {
  en: { needs: 'You are offline: this needs a connection.', loads: 'You are offline: this will load once you are back online.', loading: 'Loading…' },
  be: { needs: 'Вы па-за сеткай: для гэтага патрэбна злучэнне.', loads: 'Вы па-за сеткай: гэта загрузіцца, калі злучэнне вернецца.', loading: 'Загрузка…' },
} as const;

const BUTTONS = ['end-session', 'end-other-sessions', 'forget-browser', 'change-password-submit'] as const;
const disabledStates = (page: Page) => Promise.all(BUTTONS.map((id) => page.getByTestId(id).first().isDisabled()));
const text = (page: Page, testId: string) => page.getByTestId(testId).innerText();

/** Signs Nina in and waits until the Account page's code is in this browser (fetched once idle, client/lazyPages.tsx). */
async function ninaSignedIn(options: Parameters<typeof newPage>[0]): Promise<Page> {
  const page = await newPage(options);
  await signInThroughForm(page, server.url, NINA.email, MEMBER_PASSWORD);
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/assets/AccountPage-')), null, { timeout: 20_000 });
  await page.waitForLoadState('networkidle');
  return page;
}

/** Moves within the app without loading the page again, as following a link in it does. */
async function goWithinApp(page: Page, path: string) {
  await page.evaluate((to) => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page.waitForURL(`**${path}`);
}

describe('the Account page offline', () => {
  it('says the lists will load once back, turns off what needs the server saying why, and fills in by itself', async () => {
    const { needs, loads, loading } = WORDS.en;
    const page = await ninaSignedIn({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });

    // Offline, she opens the Account page, never opened on this device.
    await page.context().setOffline(true);
    await goWithinApp(page, '/account');
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 10_000 }).toBe('Your account');
    await expect.poll(() => page.getByTestId('sessions-not-loaded').count(), { timeout: 15_000 }).toBe(1);
    expect(await text(page, 'sessions-not-loaded')).toBe(loads);
    expect(await text(page, 'browsers-not-loaded')).toBe(loads);
    expect(await page.getByTestId('change-password-submit').isDisabled()).toBe(true);
    expect(await text(page, 'change-password-offline')).toBe(needs);
    // However long she waits (past every retry), it neither says "Loading…" nor shows the raw network error.
    await page.waitForTimeout(5000);
    const main = await page.locator('main').innerText();
    expect(main).not.toContain(loading);
    expect(main).not.toMatch(RAW);
    expect(await text(page, 'browsers-not-loaded')).toBe(loads);
    await page.screenshot({ path: screenshotPath('account-offline-never-loaded-en'), fullPage: true });

    // Back online: both lists load by themselves, and everything can be done again.
    await page.context().setOffline(false);
    await expect.poll(() => page.getByTestId('session').count(), { timeout: 20_000 }).toBe(2);
    // This browser, the laptop, and the one her invitation was accepted in.
    await expect.poll(() => page.getByTestId('trusted-browser').count(), { timeout: 20_000 }).toBe(3);
    expect(await page.getByTestId('sessions-not-loaded').count()).toBe(0);
    expect(await page.getByTestId('browsers-not-loaded').count()).toBe(0);
    await expect.poll(() => disabledStates(page)).toEqual(BUTTONS.map(() => false));
    for (const note of ['sessions-offline', 'browsers-offline', 'change-password-offline']) expect(await page.getByTestId(note).count(), note).toBe(0);
    await page.screenshot({ path: screenshotPath('account-online-en'), fullPage: true });

    // Offline again: what was loaded stays, and every button that needs the server waits, saying why.
    await page.context().setOffline(true);
    await expect.poll(() => disabledStates(page)).toEqual(BUTTONS.map(() => true));
    expect(await page.getByTestId('session').count()).toBe(2);
    expect(await page.getByTestId('trusted-browser').count()).toBe(3);
    for (const note of ['sessions-offline', 'browsers-offline', 'change-password-offline']) expect(await text(page, note), note).toBe(needs);
    await page.screenshot({ path: screenshotPath('account-offline-loaded-en'), fullPage: true });

    await page.context().setOffline(false);
    await expect.poll(() => disabledStates(page)).toEqual(BUTTONS.map(() => false));
    await page.close();
  }, 120_000);

  it('says the same in Belarusian on a phone', async () => {
    const { needs, loads, loading } = WORDS.be;
    const phone = await ninaSignedIn({ locale: 'be-BY', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.context().setOffline(true);
    await goWithinApp(phone, '/account');
    await expect.poll(() => phone.locator('h1').innerText(), { timeout: 10_000 }).toBe('Ваш уліковы запіс');
    await expect.poll(() => phone.getByTestId('sessions-not-loaded').count(), { timeout: 15_000 }).toBe(1);
    expect(await text(phone, 'sessions-not-loaded')).toBe(loads);
    expect(await text(phone, 'browsers-not-loaded')).toBe(loads);
    expect(await text(phone, 'change-password-offline')).toBe(needs);
    expect(await phone.locator('main').innerText()).not.toContain(loading);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: screenshotPath('account-offline-never-loaded-be-390'), fullPage: true });

    await phone.context().setOffline(false);
    await expect.poll(() => phone.getByTestId('session').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await phone.getByTestId('trusted-browser').first().waitFor({ timeout: 20_000 });
    await phone.screenshot({ path: screenshotPath('account-online-be-390'), fullPage: true });
    await phone.context().setOffline(true);
    await expect.poll(() => disabledStates(phone)).toEqual(BUTTONS.map(() => true));
    expect(await text(phone, 'sessions-offline')).toBe(needs);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: screenshotPath('account-offline-loaded-be-390'), fullPage: true });
    await phone.context().setOffline(false);
    await phone.close();
  }, 120_000);
});
