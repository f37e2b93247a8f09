import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * The language a person reads Accord in: a Russian-speaking browser gets Russian on its first
 * visit; Belarusian chosen in the header applies at once, survives a reload, is taken into the
 * account at sign-in and follows the person into a browser that prefers English.
 */
let server: TestServer;
const { newPage } = useBrowser();
afterAll(async () => {
  await server?.destroy();
});

const EMAIL = 'olga@mfa.example';
const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);
const switchLabel = (page: Page) => page.locator('label[for="language-switch"]').innerText();
const storedLanguage = async () => (await server.sql.theRow(z.object({ language: z.string().nullable() }), sql`SELECT language FROM users WHERE email = ${EMAIL}`)).language;

/** The page shows `language` throughout: <html lang>, the switch, and one string from its catalogue. */
async function expectLanguage(page: Page, language: string, label: string) {
  await expect.poll(() => htmlLang(page)).toBe(language);
  await expect.poll(() => switchLabel(page)).toBe(label);
  expect(await page.getByTestId('language-switch').inputValue()).toBe(language);
}

describe('choice of language', () => {
  it('follows the browser on a first visit, then the choice in the header, then the account', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    await setUpWorkspace(server);

    // --- First visit from a Russian browser: nothing stored, nobody signed in.
    const first = await newPage({ locale: 'ru-RU' });
    await first.goto(`${base}/sign-in`);
    await expectLanguage(first, 'ru', 'Язык');
    // Each language is offered in its own words.
    expect(await first.getByTestId('language-switch').locator('option').allInnerTexts()).toEqual(['Беларуская', 'Русский', 'English']);

    // --- Belarusian, chosen in the header before signing in: applies at once and survives a reload.
    await first.getByTestId('language-switch').selectOption('be');
    await expectLanguage(first, 'be', 'Мова');
    await first.reload();
    await expectLanguage(first, 'be', 'Мова');
    expect(await storedLanguage()).toBeNull();

    // --- Signing in keeps it, and the account (which had no language yet) takes it.
    await signInThroughForm(first, base, EMAIL, COORDINATOR_PASSWORD);
    await expectLanguage(first, 'be', 'Мова');
    await expect.poll(storedLanguage).toBe('be');
    await first.getByTestId('sign-out').click();
    await first.waitForURL('**/sign-in**');
    await expectLanguage(first, 'be', 'Мова');

    // --- Another browser that prefers English: English until she signs in, then her own language.
    const second = await newPage({ locale: 'en-US' });
    await second.goto(`${base}/sign-in`);
    await expectLanguage(second, 'en', 'Language');
    await signInThroughForm(second, base, EMAIL, COORDINATOR_PASSWORD);
    await expectLanguage(second, 'be', 'Мова');
    await second.screenshot({ path: screenshotPath('language-choice-signed-in') });

    // --- Signed in, a new choice is kept with the account and holds on reload.
    await second.getByTestId('language-switch').selectOption('ru');
    await expectLanguage(second, 'ru', 'Язык');
    await expect.poll(storedLanguage).toBe('ru');
    await second.reload();
    await expectLanguage(second, 'ru', 'Язык');

    // --- A catalogue that cannot be fetched: the page stays whole in its language and says why.
    const offline = await newPage({ locale: 'en-US' });
    // On the context, not the page, so the service worker's fetches are refused too.
    await offline.context().route('**/assets/be-*.js', (route) => route.abort('internetdisconnected'));
    await offline.goto(`${base}/sign-in`);
    await expectLanguage(offline, 'en', 'Language');
    await offline.getByTestId('language-switch').selectOption('be');
    await expect.poll(() => offline.getByTestId('language-switch-problem').innerText()).toContain('could not be loaded');
    await expectLanguage(offline, 'en', 'Language');
    await offline.screenshot({ path: screenshotPath('language-choice-not-loaded') });
    // Three browsers and two sign-ins: more than the default time on a busy machine.
  }, 60_000);
});
