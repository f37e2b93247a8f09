import { afterEach, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { agreedPlan, MINISTRY } from '../helpers/monitoring.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD } from '../helpers/workspace.ts';

/**
 * Olga, the coordinator, reads Accord in Russian on her phone, in a browser set up in American
 * English. She adopts the plan and opens and moves a reporting round, typing every day as Russian
 * writes it (30.06.2027), not as the browser's own date picker would ask (mm/dd/yyyy). A day the
 * calendar does not have (31.06.2027) is said beside its field, the field is marked invalid for
 * screen readers, and nothing is sent, even when a good day had been typed there before. An
 * emptied required date says that a date is needed. The server's refusal of a day before the plan
 * was adopted is said once, at the field, which takes the focus. Her English-reading colleague at a
 * desk sees the same days as 30/06/2027 and "30 June 2027". Marat, who reports for the Ministry of
 * Justice, also in Russian on his phone, types the day his value was observed the same way; a day
 * that does not exist, or none, is said at the field and his report is not sent.
 * Screenshots: test-output/monitoring-typed-dates-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ locale: 'en-US' });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

/** The adoption and round changes a page sends, as "POST /adoption {…}". */
function writesOf(page: Page): string[] {
  const writes: string[] = [];
  page.on('request', (r: Request) => {
    const path = new URL(r.url()).pathname;
    if (r.method() !== 'GET' && /^\/api\/plans\/[^/]+\/(adoption|rounds)/.test(path)) writes.push(`${r.method()} ${path.replace(/^\/api\/plans\/[^/]+/, '')} ${r.postData() ?? ''}`);
  });
  return writes;
}

/** The field's message, after checking that the input is marked invalid and points to it. */
async function problemOf(page: Page, testId: string): Promise<string> {
  const input = page.getByTestId(testId);
  const error = page.getByTestId(`${testId}-error`);
  await error.waitFor();
  expect(await input.getAttribute('aria-invalid')).toBe('true');
  expect((await input.getAttribute('aria-describedby'))?.split(' ')).toContain(await error.getAttribute('id'));
  return (await error.innerText()).replace(/[\u00a0\u202f]/g, ' ');
}

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const occurrences = (text: string, words: string) => text.split(words).length - 1;
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

describe('days typed in the monitoring forms', () => {
  it('are read as the interface writes them; a day that does not exist is said and nothing is sent', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, ministry, actionId } = await agreedPlan(server);
    expect((await coordinator.request('PUT', '/api/auth/me/language', { language: 'ru' })).status).toBe(200);

    const olga = await openSignedIn(() => newPage({ viewport: { width: 390, height: 844 } }), base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/adopt`);
    const writes = writesOf(olga);

    // --- The adopting act's date: the pattern is shown; 31 February is refused beside the field.
    await olga.getByTestId('adopt-act-title').fill('Указ № 12 о Национальном плане');
    expect(await olga.getByTestId('adopt-act-date-hint').innerText()).toBe('В виде ДД.ММ.ГГГГ');
    expect(await olga.getByTestId('adopt-act-date').getAttribute('required')).not.toBeNull();
    await olga.getByTestId('adopt-act-date').fill('31.02.2026');
    await olga.getByTestId('adopt-submit').click();
    expect(await problemOf(olga, 'adopt-act-date')).toContain('Такого дня нет: 31.02.2026.');
    expect(await olga.getByTestId('adopt-dialog').isVisible()).toBe(false);
    await olga.screenshot({ path: screenshotPath('monitoring-typed-dates-adopt-ru-phone'), fullPage: true });
    expect(await olga.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Emptied, it asks for a date rather than for an ISO one.
    await olga.getByTestId('adopt-act-date').fill('');
    await olga.getByTestId('adopt-submit').click();
    expect(await problemOf(olga, 'adopt-act-date')).toContain('Укажите дату.');
    expect(await olga.getByTestId('adopt-dialog').isVisible()).toBe(false);
    await olga.getByTestId('adopt-act-date').fill('01.03.2026');
    await olga.getByTestId('adopt-submit').click();
    await olga.getByTestId('adopt-confirm').click();
    await olga.waitForURL(`**/plans/${planId}/progress`);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^POST \/adoption .*"date":"2026-03-01"/);
    await expect.poll(async () => plain(await olga.getByTestId('adoption-facts').innerText())).toContain('1 марта 2026 г.');

    // --- A round: a good day typed, then changed to one June does not have. Nothing is sent, by
    // the button or by Enter, although the field had taken 30 June a moment before.
    await olga.getByTestId('round-name').fill('Полугодие 2027');
    await olga.getByTestId('round-due').fill('30.06.2027');
    expect(await olga.getByTestId('round-create').isDisabled()).toBe(false);
    await olga.getByTestId('round-due').fill('31.06.2027');
    await olga.getByTestId('round-due').press('Enter');
    expect(await problemOf(olga, 'round-due')).toContain('Такого дня нет: 31.06.2027.');
    expect(await olga.getByTestId('round-create').isDisabled()).toBe(true);
    await olga.getByTestId('round-name').press('Enter');
    await olga.getByTestId('rounds-panel').screenshot({ path: screenshotPath('monitoring-typed-dates-round-ru-phone') });
    expect(await olga.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await olga.getByTestId('round-row').count()).toBe(0);
    expect(writes).toHaveLength(1);
    // Corrected, the round opens due on the day she typed.
    await olga.getByTestId('round-due').fill('30.06.2027');
    expect(await olga.getByTestId('round-due-error').count()).toBe(0);
    await olga.getByTestId('round-create').click();
    await expect.poll(() => olga.getByTestId('round-row').count()).toBe(1);
    expect(plain(await olga.getByTestId('round-row').innerText())).toContain('30 июня 2027 г.');
    expect(writes[1]).toMatch(/^POST \/rounds .*"dueDate":"2027-06-30"/);
    expect(await olga.getByTestId('round-due').inputValue()).toBe('');

    // --- Moving it: the field shows the day as she writes it; emptied, it asks for one; 31
    // November is refused and Save sends nothing; 30 November is saved.
    await olga.getByTestId('round-edit').click();
    expect(await olga.getByTestId('round-edit-due').inputValue()).toBe('30.06.2027');
    await olga.getByTestId('round-edit-due').fill('');
    await olga.getByTestId('round-edit-due').press('Tab');
    expect(await problemOf(olga, 'round-edit-due')).toContain('Укажите дату.');
    expect(await olga.getByTestId('round-edit-save').isDisabled()).toBe(true);
    await olga.getByTestId('round-edit-due').fill('31.11.2027');
    await olga.getByTestId('round-edit-due').press('Enter');
    expect(await problemOf(olga, 'round-edit-due')).toContain('Такого дня нет: 31.11.2027.');
    expect(await olga.getByTestId('round-edit-save').isDisabled()).toBe(true);
    await olga.getByTestId('rounds-panel').screenshot({ path: screenshotPath('monitoring-typed-dates-round-edit-ru-phone') });
    expect(await olga.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(writes).toHaveLength(2);
    await olga.getByTestId('round-edit-due').fill('30.11.2027');
    await olga.getByTestId('round-edit-save').click();
    await expect.poll(() => olga.getByTestId('round-edit-form').count()).toBe(0);
    // The form closes as soon as the server has answered; the row follows once the rounds are read again.
    await expect.poll(async () => plain(await olga.getByTestId('round-row').innerText())).toContain('30 ноября 2027 г.');
    expect(writes[2]).toMatch(/^PATCH \/rounds\/[^ ]+ .*"dueDate":"2027-11-30"/);

    // --- A day before the plan was adopted: the server refuses it, and says so once, at the field,
    // which takes the focus so that a screen reader reads the reason with it. Not again under the form.
    const beforeAdoption = 'Введите дату не раньше 1 марта 2026 г., когда план был утверждён.';
    await olga.getByTestId('round-edit').click();
    await olga.getByTestId('round-edit-due').fill('28.02.2026');
    await olga.getByTestId('round-edit-save').click();
    expect(await problemOf(olga, 'round-edit-due')).toContain(beforeAdoption);
    expect(writes[3]).toMatch(/^PATCH \/rounds\/[^ ]+ .*"dueDate":"2026-02-28"/);
    expect(occurrences(plain(await olga.getByTestId('rounds-panel').innerText()), beforeAdoption)).toBe(1);
    expect(await olga.getByTestId('rounds-panel').getByRole('alert').count()).toBe(0);
    expect(await focusedTestId(olga)).toBe('round-edit-due');
    await olga.getByTestId('rounds-panel').screenshot({ path: screenshotPath('monitoring-typed-dates-round-edit-refused-ru-phone') });
    await olga.getByTestId('round-edit-cancel').click();
    // The same when opening a round.
    await olga.getByTestId('round-name').fill('Первый квартал');
    await olga.getByTestId('round-due').fill('28.02.2026');
    await olga.getByTestId('round-create').click();
    expect(await problemOf(olga, 'round-due')).toContain(beforeAdoption);
    expect(writes[4]).toMatch(/^POST \/rounds .*"dueDate":"2026-02-28"/);
    expect(occurrences(plain(await olga.getByTestId('rounds-panel').innerText()), beforeAdoption)).toBe(1);
    expect(await olga.getByTestId('rounds-panel').getByRole('alert').count()).toBe(0);
    expect(await focusedTestId(olga)).toBe('round-due');
    expect(await olga.getByTestId('round-row').count()).toBe(1);

    // --- In English at a desk: the same days, day first.
    expect((await coordinator.request('PUT', '/api/auth/me/language', { language: 'en' })).status).toBe(200);
    const desk = await openSignedIn(() => newPage({ viewport: { width: 1280, height: 800 } }), base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/progress`);
    await expect.poll(() => desk.getByTestId('round-row').count()).toBe(1);
    expect(await desk.getByTestId('round-row').innerText()).toContain('30 November 2027');
    expect(await desk.getByTestId('adoption-facts').innerText()).toContain('1 March 2026');
    expect(await desk.getByTestId('round-due-hint').innerText()).toBe('Written as DD/MM/YYYY');
    await desk.getByTestId('round-edit').click();
    expect(await desk.getByTestId('round-edit-due').inputValue()).toBe('30/11/2027');
    await desk.getByTestId('round-edit-due').fill('31/11/2027');
    await desk.getByTestId('round-edit-due').press('Tab');
    expect(await problemOf(desk, 'round-edit-due')).toContain('There is no such day as 31/11/2027');
    await desk.getByTestId('rounds-panel').screenshot({ path: screenshotPath('monitoring-typed-dates-round-edit-en') });

    // --- Marat reports on his ministry's action. The day his value was observed is shown and typed
    // as Russian writes it (today's, to begin with); 31 April is refused at the field, as is an
    // emptied date and text that is no day, and nothing is sent until he gives a real one.
    expect((await ministry.client.request('PUT', '/api/auth/me/language', { language: 'ru' })).status).toBe(200);
    const marat = await openSignedIn(() => newPage({ viewport: { width: 390, height: 844 } }), base, MINISTRY.email, MEMBER_PASSWORD, `${base}/plans/${planId}/progress`);
    const reports = writesOf(marat);
    const card = marat.locator(`[data-testid=progress-action][data-target-id="${actionId}"]`);
    await card.getByTestId('report-new').click();
    const form = card.getByTestId('report-form');
    const observed = form.getByTestId('report-value-date');
    expect(await form.getByTestId('report-value-date-hint').innerText()).toBe('В виде ДД.ММ.ГГГГ');
    const now = new Date();
    const today = `${String(now.getDate()).padStart(2, '0')}.${String(now.getMonth() + 1).padStart(2, '0')}.${now.getFullYear()}`;
    expect(await observed.inputValue()).toBe(today);
    await form.getByTestId('report-value-input').fill('25');
    await observed.fill('31.04.2026');
    await form.getByTestId('report-save').click();
    expect(await problemOf(marat, 'report-value-date')).toContain('Такого дня нет: 31.04.2026.');
    expect(await form.getByRole('alert').innerText()).toBe('Исправьте поля, отмеченные ниже.');
    await form.getByTestId('report-submit').click();
    expect(await marat.getByTestId('report-submit-dialog').isVisible()).toBe(false);
    await form.screenshot({ path: screenshotPath('monitoring-typed-dates-report-ru-phone') });
    expect(await marat.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await observed.fill('');
    await form.getByTestId('report-save').click();
    expect(await problemOf(marat, 'report-value-date')).toContain('Укажите дату.');
    await observed.fill('апрель');
    await observed.press('Tab');
    expect(await problemOf(marat, 'report-value-date')).toContain('«апрель» — не дата. Напишите её в виде ДД.ММ.ГГГГ, например 05.12.2026.');
    await form.getByTestId('report-save').click();
    expect(await form.getByTestId('report-saved').count()).toBe(0);
    expect(reports).toHaveLength(0);
    await observed.fill('30.04.2026');
    expect(await form.getByTestId('report-value-date-error').count()).toBe(0);
    await form.getByTestId('report-save').click();
    await expect.poll(() => form.getByTestId('report-saved').count()).toBe(1);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^POST \/rounds\/[^ ]+\/reports .*"date":"2026-04-30"/);
    expect(await observed.inputValue()).toBe('30.04.2026');
  }, 120_000);
});
