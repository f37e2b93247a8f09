import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * The server's refusal of one field is said once, at that field, not again in an alert over the
 * form: the field is marked invalid, points to the message (so a screen reader reads it with the
 * field) and takes the focus. Nina, an NGO lawyer, signs in on her phone in Belarusian with an
 * address she mistyped (the server, not the page, finds it malformed); at her desk in English she
 * changes her password but types the current one wrong.
 * Screenshots: test-output/field-errors-once-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser();
afterAll(async () => {
  await server?.destroy();
});

const NINA = { name: 'Nina Lawyer', email: 'nina@ngo.example', organisation: { name: 'Lawtrend', side: 'civil_society' as const } };

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const occurrences = (text: string, words: string) => plain(text).split(words).length - 1;
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

/** The message the field points to as its error, after checking that it is marked invalid. */
async function problemOf(page: Page, testId: string): Promise<string> {
  const input = page.getByTestId(testId);
  await expect.poll(() => input.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
  const ids = (await input.getAttribute('aria-describedby'))?.split(' ') ?? [];
  const errors = await Promise.all(ids.map((id) => page.locator(`[id="${id}"].field__error`).allInnerTexts()));
  expect(errors.flat()).toHaveLength(1);
  return plain(errors.flat()[0]!);
}

describe('a field the server refuses', () => {
  it('is told once, at the field, which takes the focus', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId } = await setUpWorkspace(server);
    await addMember(server, coordinator, planId, 'drafter', NINA);

    // --- Signing in on her phone, in Belarusian, with "nina@ngo" (no domain ending): the page
    // only checks that something was typed; the server says what is wrong with the address.
    const phone = await newPage({ locale: 'be-BY', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.goto(`${base}/sign-in`);
    await phone.getByTestId('sign-in-email').fill('nina@');
    await phone.getByTestId('sign-in-password').fill(MEMBER_PASSWORD);
    await phone.getByTestId('sign-in-submit').click();
    const malformed = 'Увядзіце адрас электроннай пошты ў выглядзе name@example.org.';
    expect(await problemOf(phone, 'sign-in-email')).toContain(malformed);
    const signInForm = phone.getByTestId('sign-in-form');
    expect(occurrences(await signInForm.innerText(), malformed)).toBe(1);
    expect(await signInForm.getByRole('alert').count()).toBe(0);
    expect(await focusedTestId(phone)).toBe('sign-in-email');
    await phone.screenshot({ path: screenshotPath('field-errors-once-sign-in-be-phone'), fullPage: true });
    // A refusal that is no field's still shows over the form.
    await phone.getByTestId('sign-in-email').fill(NINA.email);
    await phone.getByTestId('sign-in-password').fill('not her password');
    await phone.getByTestId('sign-in-submit').click();
    await expect.poll(() => signInForm.getByRole('alert').count(), { timeout: 10_000 }).toBe(1);
    expect(await phone.getByTestId('sign-in-email').getAttribute('aria-invalid')).toBeNull();

    // --- Changing her password at her desk, in English, with a wrong current password.
    const desk = await newPage({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
    await signInThroughForm(desk, base, NINA.email, MEMBER_PASSWORD);
    await desk.goto(`${base}/account`);
    await desk.getByTestId('current-password').fill('not my password');
    await desk.getByTestId('new-password').fill('a passphrase only Nina knows');
    await desk.getByTestId('new-password-again').fill('a passphrase only Nina knows');
    await desk.getByTestId('change-password-submit').click();
    expect(await problemOf(desk, 'current-password')).toContain('This is not your current password.');
    const passwordForm = desk.getByTestId('change-password-form');
    expect(await passwordForm.getByRole('alert').count()).toBe(0);
    // Not said again in other words either.
    expect(await passwordForm.innerText()).not.toContain('Your current password is not right');
    expect(await focusedTestId(desk)).toBe('current-password');
    await passwordForm.screenshot({ path: screenshotPath('field-errors-once-password-en-desk') });
  });
});
