import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * A coordinator in Minsk reads Accord in Russian in a browser set up in English. The audit log's
 * date filters take days as her interface writes them (05.12.2026, with the pattern shown), not the
 * browser's mm/dd/yyyy; a day that does not exist, or text that is no day, is said plainly and
 * changes nothing; the address keeps ISO days. Belarusian writes days as Russian does, English day
 * first as the app's dates and e-mails do (05/12/2026, whatever the browser's en-US says), each
 * with its own hint.
 */
let server: TestServer;
let coordinator: ApiClient;
let planId = '';
/** The day the log's entries were written (UTC), and the day before, as ISO. */
let today = '';
let yesterday = '';

const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });

/** "2026-12-05" as Russian and Belarusian write it in figures: "05.12.2026". */
const dotted = (iso: string) => iso.split('-').reverse().join('.');
/** …and as Accord's English does: "05/12/2026". */
const slashed = (iso: string) => iso.split('-').reverse().join('/');

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  let sectionId = '';
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  // Two entries in the log.
  for (const title of ['Train judges on fair-trial standards', 'Open court hearings to the public']) {
    expect((await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/actions`, { title })).status).toBe(201);
  }
  const log = await coordinator.get(`/api/plans/${planId}/audit?limit=1`);
  expect(log.status, JSON.stringify(log.body)).toBe(200);
  const at: string = log.body.items[0].at;
  today = at.slice(0, 10);
  const before = new Date(`${today}T00:00:00Z`);
  before.setUTCDate(before.getUTCDate() - 1);
  yesterday = before.toISOString().slice(0, 10);
});
afterAll(async () => {
  await server?.destroy();
});

const rows = (page: Page) => page.getByTestId('audit-row').count();
const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

async function openAuditIn(language: 'ru' | 'be' | 'en'): Promise<Page> {
  expect((await coordinator.request('PUT', '/api/auth/me/language', { language })).status).toBe(200);
  const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/plans/${planId}/audit`);
  await page.getByTestId('audit-table').waitFor();
  return page;
}

describe('the audit log’s date filters', () => {
  it('in Russian, take 05.12.2026-style days, say what is wrong with others, and keep ISO days in the address', async () => {
    const page = await openAuditIn('ru');
    const all = await rows(page);
    expect(all).toBeGreaterThan(0);
    expect(await page.getByTestId('audit-filter-from-hint').innerText()).toBe('В виде ДД.ММ.ГГГГ');
    expect(await page.getByTestId('audit-filter-to').getAttribute('type')).toBe('text');

    // Written as she writes it, 5 December 2026 is the ISO day 2026-12-05 in the address, and the
    // log shows what was written up to the end of that day.
    await page.getByTestId('audit-filter-to').fill('05.12.2026');
    await expect.poll(() => param(page, 'to')).toBe('2026-12-05');
    await expect.poll(() => rows(page)).toBe(today <= '2026-12-05' ? all : 0);
    await page.getByTestId('audit-filter-to').fill('');
    await expect.poll(() => rows(page)).toBe(all);

    // "To" the day before the entries: none match. The address says it as ISO.
    await page.getByTestId('audit-filter-to').fill(dotted(yesterday));
    await expect.poll(() => param(page, 'to')).toBe(yesterday);
    await expect.poll(() => rows(page)).toBe(0);
    await page.getByTestId('audit-filter-to').fill('');
    await expect.poll(() => param(page, 'to')).toBeNull();
    await expect.poll(() => rows(page)).toBe(all);

    // "From" the day before: every entry. "From" the day after: none.
    await page.getByTestId('audit-filter-from').fill(dotted(yesterday));
    await expect.poll(() => param(page, 'from')).toBe(yesterday);
    await expect.poll(() => rows(page)).toBe(all);
    const after = new Date(`${today}T00:00:00Z`);
    after.setUTCDate(after.getUTCDate() + 1);
    const tomorrow = after.toISOString().slice(0, 10);
    await page.getByTestId('audit-filter-from').fill(dotted(tomorrow));
    await expect.poll(() => param(page, 'from')).toBe(tomorrow);
    await expect.poll(() => rows(page)).toBe(0);
    // The filter reads back as she wrote it.
    expect(await page.getByTestId('audit-filter-from').inputValue()).toBe(dotted(tomorrow));

    // A day the calendar does not have: said at the field when she leaves it; the filter stays as it was.
    await page.getByTestId('audit-filter-from').fill('31.02.2026');
    await page.getByTestId('audit-filter-from').press('Tab');
    await expect.poll(() => page.getByTestId('audit-filter-from-error').count()).toBe(1);
    expect(await page.getByTestId('audit-filter-from-error').innerText()).toContain('Такого дня нет: 31.02.2026.');
    expect(await page.getByTestId('audit-filter-from').getAttribute('aria-invalid')).toBe('true');
    expect(param(page, 'from')).toBe(tomorrow);
    expect(await page.getByTestId('audit-filter-from').inputValue()).toBe('31.02.2026');
    // Text that is no day at all (a month in words, the browser's order): said too.
    await page.getByTestId('audit-filter-to').fill('5 декабря');
    await page.getByTestId('audit-filter-to').press('Enter');
    await expect.poll(() => page.getByTestId('audit-filter-to-error').count()).toBe(1);
    expect(await page.getByTestId('audit-filter-to-error').innerText()).toContain('«5 декабря» — не дата. Напишите её в виде ДД.ММ.ГГГГ, например 05.12.2026.');
    expect(param(page, 'to')).toBeNull();
    await page.screenshot({ path: screenshotPath('audit-date-filter-ru-errors'), fullPage: true });

    // Corrected, the error goes and the filter applies; one figure for the day and month is fine.
    const [y, m, d] = yesterday.split('-');
    await page.getByTestId('audit-filter-from').fill(`${Number(d)}.${Number(m)}.${y}`);
    await expect.poll(() => param(page, 'from')).toBe(yesterday);
    expect(await page.getByTestId('audit-filter-from-error').count()).toBe(0);
    await expect.poll(() => rows(page)).toBe(all);

    // "Clear filters" empties the fields too.
    await page.getByTestId('audit-filter-to').fill('');
    await page.getByRole('button', { name: 'Сбросить фильтры' }).click();
    await expect.poll(() => page.getByTestId('audit-filter-from').inputValue()).toBe('');

    // An address with ISO days opens with them written the Russian way.
    await page.goto(`${server.url}/plans/${planId}/audit?from=${yesterday}&to=${today}`);
    await page.getByTestId('audit-table').waitFor();
    expect(await page.getByTestId('audit-filter-from').inputValue()).toBe(dotted(yesterday));
    expect(await page.getByTestId('audit-filter-to').inputValue()).toBe(dotted(today));
    expect(await rows(page)).toBe(all);
    await page.screenshot({ path: screenshotPath('audit-date-filter-ru'), fullPage: true });
    await page.close();
  }, 90_000);

  it('in Belarusian and English, as each writes days, with its own hint', async () => {
    const be = await openAuditIn('be');
    expect(await be.getByTestId('audit-filter-from-hint').innerText()).toBe('У выглядзе ДД.ММ.ГГГГ');
    await be.getByTestId('audit-filter-to').fill(dotted(yesterday));
    await expect.poll(() => param(be, 'to')).toBe(yesterday);
    await expect.poll(() => rows(be)).toBe(0);
    await be.getByTestId('audit-filter-to').fill('29.02.2027');
    await be.getByTestId('audit-filter-to').press('Tab');
    expect(await be.getByTestId('audit-filter-to-error').innerText()).toContain('Такога дня няма: 29.02.2027.');
    await be.screenshot({ path: screenshotPath('audit-date-filter-be'), fullPage: true });
    // On a phone the fields stack and the problem wraps under its field; nothing pushes the page sideways.
    await be.setViewportSize({ width: 390, height: 844 });
    expect(await be.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await be.screenshot({ path: screenshotPath('audit-date-filter-be-phone'), fullPage: true });
    await be.close();

    const en = await openAuditIn('en');
    const all = await rows(en);
    expect(await en.getByTestId('audit-filter-from-hint').innerText()).toBe('Written as DD/MM/YYYY');
    await en.getByTestId('audit-filter-from').fill(slashed(yesterday));
    await expect.poll(() => param(en, 'from')).toBe(yesterday);
    await expect.poll(() => rows(en)).toBe(all);
    await en.getByTestId('audit-filter-to').fill(slashed(yesterday));
    await expect.poll(() => rows(en)).toBe(0);
    await en.screenshot({ path: screenshotPath('audit-date-filter-en'), fullPage: true });
    await en.close();
  }, 90_000);
});
