import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { ApiClient } from '../helpers/api.ts';
import { addMember, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * The Account page, as Nina (an NGO lawyer) uses it after fearing her password leaked: she opens
 * it from the header, is refused with a wrong current password, changes it, sees the two places
 * she is signed in (this browser marked, her other laptop by its browser's name), and signs the
 * other one out; that laptop's page loses its session at once. Also read in Russian and
 * Belarusian, and at 390 px through the phone Menu.
 */
let server: TestServer;
const { newPage } = useBrowser();
afterAll(async () => {
  await server?.destroy();
});

const NINA = { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Lawtrend', side: 'civil_society' as const } };
const NEW_PASSWORD = 'a passphrase only Nina knows';
const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

const sessionRows = (page: Page) => page.getByTestId('session');

describe('the Account page', () => {
  it('changes the password, shows two sessions and signs the other one out', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId } = await setUpWorkspace(server);
    const invited = await addMember(server, coordinator, planId, 'drafter', NINA);
    // The session her invitation opened is over: she is signed in only where this test signs her in.
    expect((await invited.client.post('/api/auth/sign-out')).status).toBe(204);

    // Her other laptop: Firefox on Windows, with the plan open.
    const laptop = await newPage({ userAgent: FIREFOX_ON_WINDOWS });
    await signInThroughForm(laptop, base, NINA.email, MEMBER_PASSWORD);

    const page = await newPage({ locale: 'en-GB' });
    await signInThroughForm(page, base, NINA.email, MEMBER_PASSWORD);
    await page.getByTestId('header-account-link').click();
    await page.waitForURL(`${base}/account`);
    await expect.poll(() => page.locator('h1').innerText(), { timeout: 10_000 }).toBe('Your account');

    // --- A wrong current password: said at the field, nothing changes.
    await page.getByTestId('current-password').fill('not my password');
    await page.getByTestId('new-password').fill(NEW_PASSWORD);
    await page.getByTestId('new-password-again').fill(NEW_PASSWORD);
    await page.getByTestId('change-password-submit').click();
    await expect.poll(() => page.getByTestId('change-password-form').innerText(), { timeout: 10_000 }).toContain('This is not your current password.');
    await page.screenshot({ path: screenshotPath('account-wrong-current-password'), fullPage: true });

    // --- The right one: changed, and the laptop's session ended with it.
    await page.getByTestId('current-password').fill(MEMBER_PASSWORD);
    await page.getByTestId('change-password-submit').click();
    await expect.poll(() => page.getByTestId('password-changed').innerText(), { timeout: 10_000 }).toBe('Your password was changed. 1 other session was signed out.');
    expect(await page.getByTestId('current-password').inputValue()).toBe('');
    await expect.poll(() => sessionRows(page).count(), { timeout: 10_000 }).toBe(1);
    expect((await new ApiClient(base).post('/api/auth/sign-in', { email: NINA.email, password: NEW_PASSWORD })).status).toBe(200);
    await page.screenshot({ path: screenshotPath('account-password-changed'), fullPage: true });

    // --- The laptop signs in again with the new password: two sessions, this one marked.
    await signInThroughForm(laptop, base, NINA.email, NEW_PASSWORD);
    await page.reload();
    // Three: this browser, the laptop, and the check above (a client with no browser name of note).
    await expect.poll(() => sessionRows(page).count(), { timeout: 10_000 }).toBe(3);
    await page.getByTestId('end-other-sessions').waitFor();
    // Back to two: the API check's session is signed out first, through its own row.
    const apiRow = sessionRows(page).filter({ hasText: 'Unknown device' });
    await apiRow.getByTestId('end-session').click();
    await page.getByTestId('end-session-dialog').getByTestId('confirm-dialog-confirm').click();
    await expect.poll(() => sessionRows(page).count(), { timeout: 10_000 }).toBe(2);
    const texts = await sessionRows(page).allInnerTexts();
    expect(texts.some((t) => t.includes('Firefox on Windows'))).toBe(true);
    const current = page.locator('[data-testid=session][data-current]');
    expect(await current.getByTestId('this-browser').innerText()).toBe('This browser');
    expect(await current.getByTestId('end-session').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('account-two-sessions'), fullPage: true });

    // --- Sign the laptop out: asked first, then gone from the list, and the laptop's page is signed out.
    const laptopRow = sessionRows(page).filter({ hasText: 'Firefox on Windows' });
    await laptopRow.getByTestId('end-session').click();
    const dialog = page.getByTestId('end-session-dialog');
    await expect.poll(() => dialog.innerText(), { timeout: 10_000 }).toContain('Firefox on Windows');
    await page.screenshot({ path: screenshotPath('account-confirm-sign-out') });
    await dialog.getByTestId('confirm-dialog-confirm').click();
    await expect.poll(() => sessionRows(page).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('no-other-sessions').isVisible(), { timeout: 10_000 }).toBe(true);
    await laptop.reload();
    await laptop.waitForURL('**/sign-in**');

    // --- The trusted browsers are listed, each can be forgotten after a question.
    await expect.poll(() => page.getByTestId('trusted-browser').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    // This browser is marked among them too, so she does not forget her own by mistake.
    expect(await page.getByTestId('this-trusted-browser').count()).toBe(1);
    const firefox = page.getByTestId('trusted-browser').filter({ hasText: 'Firefox on Windows' });
    await firefox.getByTestId('forget-browser').click();
    await page.getByTestId('forget-browser-dialog').getByTestId('confirm-dialog-confirm').click();
    await expect.poll(() => page.getByTestId('trusted-browser').filter({ hasText: 'Firefox on Windows' }).count(), { timeout: 10_000 }).toBe(0);
    await page.screenshot({ path: screenshotPath('account-page-en'), fullPage: true });
  });

  it('reads in Russian and Belarusian, and on a phone through the Menu', async () => {
    const base = server.url;
    // Another session for Nina (besides the English page's), so the page shows the "sign out" choices.
    await new ApiClient(base).request('POST', '/api/auth/sign-in', { email: NINA.email, password: NEW_PASSWORD }, { 'user-agent': FIREFOX_ON_WINDOWS });

    const ru = await newPage({ locale: 'ru-RU' });
    await signInThroughForm(ru, base, NINA.email, NEW_PASSWORD);
    await ru.goto(`${base}/account`);
    await expect.poll(() => ru.locator('h1').innerText(), { timeout: 10_000 }).toBe('Ваша учётная запись');
    await expect.poll(() => sessionRows(ru).filter({ hasText: 'Firefox на Windows' }).count(), { timeout: 10_000 }).toBe(1);
    await ru.getByTestId('end-other-sessions').click();
    await expect.poll(() => ru.getByTestId('end-session-dialog').innerText(), { timeout: 10_000 }).toContain('Сейчас будут завершены 2 других сеанса.');
    await ru.screenshot({ path: screenshotPath('account-confirm-others-ru') });
    await ru.getByTestId('end-session-dialog').getByText('Отмена').click();
    await ru.screenshot({ path: screenshotPath('account-page-ru'), fullPage: true });

    const phone = await newPage({ viewport: { width: 390, height: 844 }, locale: 'be-BY', isMobile: true, hasTouch: true });
    await signInThroughForm(phone, base, NINA.email, NEW_PASSWORD);
    // The Menu is in Belarusian, and opens. (Opened sooner, while the next page or the words were
    // still arriving, it stays open too: tests/e2e/phone-menu-language.test.ts.)
    const menu = phone.getByTestId('header-menu-toggle');
    await expect.poll(() => menu.innerText(), { timeout: 10_000 }).toBe('Меню');
    await menu.click();
    await expect.poll(() => menu.getAttribute('aria-expanded'), { timeout: 10_000 }).toBe('true');
    await phone.getByTestId('header-account-link').click();
    await phone.waitForURL(`${base}/account`);
    await expect.poll(() => phone.locator('h1').innerText(), { timeout: 10_000 }).toBe('Ваш уліковы запіс');
    // Nothing sticks out sideways on a phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: screenshotPath('account-page-be-390'), fullPage: true });
  });

  it('tells Nina in her notices that a reset link was made for her, and leads her to the Account page', async () => {
    const base = server.url;
    const olga = new ApiClient(base);
    expect((await olga.post('/api/auth/sign-in', { email: 'olga@mfa.example', password: 'correct horse battery staple' })).status).toBe(200);
    const [plan] = (await olga.get('/api/plans')).body as Array<{ id: string }>;
    // A coordinator of Nina's own side: only they may make her a link.
    const hanna = await addMember(server, olga, plan!.id, 'coordinator', {
      name: 'Hanna Coordinator',
      email: 'hanna@bhc.example',
      organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
    });
    const ninaId = (await server.sql.theRow(z.object({ id: z.string() }), sql`SELECT id FROM users WHERE email = ${NINA.email}`)).id;
    const made = await hanna.client.post(`/api/plans/${plan!.id}/members/${ninaId}/password-reset`, {});
    expect(made.status).toBe(201);

    const page = await newPage({ locale: 'en-GB' });
    await signInThroughForm(page, base, NINA.email, NEW_PASSWORD);
    await page.getByTestId('notifications-button').click();
    const notice = page.getByTestId('notification').filter({ hasText: 'made a link to set a new password' });
    await expect.poll(() => notice.count(), { timeout: 10_000 }).toBe(1);
    const text = await notice.innerText();
    expect(text).toContain('Hanna Coordinator (Belarusian Helsinki Committee) made a link to set a new password for your account, through the plan “National Human Rights Plan 2026–2030”.');
    expect(text).toContain('If you did not ask for it, change your password on your Account page');
    // Until when, as a time of day, not the stored ISO time.
    expect(text).not.toContain(made.body.expiresAt);
    // Day first, as English dates are written in Accord.
    expect(text).toMatch(/until \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}\./);
    await page.screenshot({ path: screenshotPath('account-reset-notice') });
    await notice.getByRole('link').click();
    await page.waitForURL(`${base}/account`);
  });
});
