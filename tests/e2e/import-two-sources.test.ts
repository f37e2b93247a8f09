import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { CLIENT_DIR, screenshotPath, setUpThroughForm, useBrowser } from '../helpers/browser.ts';
import { importFile } from '../helpers/imports.ts';
import { chooseLanguage } from '../helpers/language.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A coordinator who imported UPR Info's export of Belarus's 2010 recommendations imports the
 * Working Group report, A/HRC/15/16, which numbers the same recommendations by paragraph. In
 * Russian: the preview shows those rows together, with the plan's copy of each and what the report
 * adds to it, and the choice "the same recommendation" made; choosing "add as new" counts them as
 * new; back to "the same", the import fills the copies in and says how many it recognised.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser();
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

it('shows rows repeating recommendations of the plan as one group with a choice, in Russian, and fills the copies in', async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const base = server.url;
  const page = await newPage({ locale: 'en-GB' });
  page.setDefaultTimeout(15_000);
  await setUpThroughForm(page, base);
  const api = new ApiClient(base);
  api.cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const created = await api.post('/api/plans', { title: 'National Human Rights Plan 2026–2030', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const planId = created.body.id as string;
  await importFile(api, planId, BELARUS_FILES.uprInfoCsv, readFileSync(belarusPath(BELARUS_FILES.uprInfoCsv)));

  await page.goto(`${base}/plans/${planId}/recommendations`);
  await chooseLanguage(page, 'ru');
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-file').setInputFiles({
    name: BELARUS_FILES.reportText,
    mimeType: 'text/plain',
    buffer: readFileSync(belarusPath(BELARUS_FILES.reportText)),
  });
  await page.getByTestId('import-document-symbol').fill('A/HRC/15/16');
  await page.getByTestId('import-upload').click();
  await page.getByTestId('import-preview').waitFor();

  const group = page.getByTestId('import-same-as-plan');
  await expect.poll(() => group.innerText()).toContain('164 строки повторяют рекомендации, которые уже есть в плане');
  expect(await page.getByTestId('import-same-same').isChecked()).toBe(true);
  // UPR Info has no paragraph, document or date: each row says the report brings them.
  const adds = page.getByTestId('import-same-adds');
  expect(await adds.first().innerText()).toBe('добавит: документ, пункт и дату');
  expect(await group.innerText()).toContain('текст почти совпадает');
  // Beside such a row, the plan's own words, to compare: UPR Info wrote "capita punishment".
  expect(await page.getByTestId('import-same-held-text').nth(1).innerText()).toContain('в плане: «Put an end to the practice of capita punishment');
  expect(await page.getByTestId('import-count-create').innerText()).toBe('3');
  expect(await page.getByTestId('import-count-update').innerText()).toBe('164');
  expect(await page.getByTestId('import-warnings').innerText()).toContain('повторяющих рекомендации, которые уже есть в плане под другими номерами: 164');
  // The file's first rows say the same: row 1 fills in UPR Info's copy, it is not new.
  const firstRow = page.getByTestId('import-rows').locator('tbody tr').first();
  expect(await firstRow.innerText()).toMatch(/^1\s+Обновление\s+UPR-S8-003/);
  await group.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('import-two-sources-preview-ru') });
  // On a phone the choice and the rows still read (the table scrolls sideways inside its box).
  await page.setViewportSize({ width: 390, height: 844 });
  await group.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('import-two-sources-preview-ru-390') });
  await page.setViewportSize({ width: 1440, height: 1000 });

  // "Add as new": the rows count as new again, as before this choice existed.
  await page.getByTestId('import-same-new').check();
  await expect.poll(() => page.getByTestId('import-count-create').innerText()).toBe('167');
  expect(await page.getByTestId('import-count-update').innerText()).toBe('0');
  expect(await page.getByTestId('import-same-rows').count()).toBe(0);
  expect(await firstRow.innerText()).toMatch(/^1\s+Новая\s+BLR-C1-97\.1a/);
  await page.screenshot({ path: screenshotPath('import-two-sources-new-ru') });

  await page.getByTestId('import-same-same').check();
  await expect.poll(() => page.getByTestId('import-count-create').innerText()).toBe('3');
  await page.getByTestId('import-confirm').click();
  const result = page.getByTestId('import-result-recognised');
  await expect.poll(() => result.innerText(), { timeout: 30_000 }).toBe('Распознано как уже имеющиеся в плане: 164; дополнено рекомендаций: 164.');
  await expect.poll(() => page.getByTestId('import-history-recognised').first().innerText()).toBe(
    'распознано как рекомендации плана под другими номерами: 164, из них дополнено: 164',
  );
  await page.getByTestId('import-history').screenshot({ path: screenshotPath('import-two-sources-history-ru') });

  const all = await api.get(`/api/plans/${planId}/recommendations?limit=1`);
  expect(all.body.total).toBe(170);

  // The same report again, in English: recognised, nothing to add or create, no choice to make.
  await chooseLanguage(page, 'en');
  await page.getByTestId('import-another').click();
  await page.getByTestId('import-file').setInputFiles({
    name: BELARUS_FILES.reportText,
    mimeType: 'text/plain',
    buffer: readFileSync(belarusPath(BELARUS_FILES.reportText)),
  });
  await page.getByTestId('import-document-symbol').fill('A/HRC/15/16');
  await page.getByTestId('import-upload').click();
  await page.getByTestId('import-preview').waitFor();
  await expect.poll(() => page.getByTestId('import-count-unchanged').innerText()).toBe('167');
  expect(await page.getByTestId('import-count-create').innerText()).toBe('0');
  expect(await page.getByTestId('import-same-as-plan').count()).toBe(0);
  expect(await page.getByTestId('import-warnings').innerText()).toContain('164 rows were recognised by an earlier import of this source');
  await page.getByTestId('import-warnings').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('import-two-sources-again-en') });

  // In Belarusian, undoing the report: the dialog says the copies it filled in get their values back.
  await page.getByTestId('import-back').click();
  await page.getByTestId('import-close').click();
  await chooseLanguage(page, 'be');
  const records = page.getByTestId('import-record');
  await records.nth(0).getByTestId('import-undo').click();
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.innerText()).toContain('164 рэкамендацыям, дапоўненым пры імпарце, будуць вернуты ранейшыя значэнні');
  await page.screenshot({ path: screenshotPath('import-two-sources-undo-be') });
  await dialog.getByRole('button', { name: 'Адмяніць імпарт' }).click();
  // The undo runs in steps: done when the history says so.
  await expect.poll(() => records.nth(0).innerText()).toContain('Адменены');
  const copies = await api.get(`/api/plans/${planId}/recommendations?limit=200`);
  expect(copies.body.total).toBe(167);
  expect(copies.body.items.filter((r: { paragraph: string | null }) => r.paragraph !== null)).toEqual([]);
});
