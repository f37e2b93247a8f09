import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { CLIENT_DIR, screenshotPath, setUpThroughForm, useBrowser } from '../helpers/browser.ts';
import { importFile } from '../helpers/imports.ts';
import { chooseLanguage } from '../helpers/language.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A coordinator undoes an import whose recommendations a later import found already in the plan.
 * The undo dialog says that what is still in use stays; after the undo the page says which were
 * kept and why, and that the later file holds them; undoing that file removes them, and says so.
 * In Belarusian, then Russian, then English.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser();
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

it('says which recommendations an undo kept and why, in Belarusian, Russian and English', async () => {
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
  const csv = readFileSync(belarusPath(BELARUS_FILES.verbatimCsv));
  await importFile(api, planId, 'belarus.csv', csv);
  await importFile(api, planId, 'belarus-again.csv', csv);

  await page.goto(`${base}/plans/${planId}/recommendations`);
  await chooseLanguage(page, 'be');
  const rows = page.getByTestId('import-record');
  await expect.poll(() => rows.count()).toBe(2);
  // The older import is the second row (newest first).
  await rows.nth(1).getByTestId('import-undo').click();
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.innerText()).toContain('акрамя тых, што яшчэ выкарыстоўваюцца');
  expect(await dialog.innerText()).toContain('пазнейшы імпарт знайшоў яе ў плане');
  expect(await dialog.innerText()).not.toContain('Сувязі паміж выдаленымі');
  await page.screenshot({ path: screenshotPath('import-undo-kept-dialog-be') });
  await dialog.getByRole('button', { name: 'Адмяніць імпарт' }).click();

  const result = page.getByTestId('import-undo-result');
  await expect.poll(() => result.innerText()).toContain('167 створаных ім рэкамендацый захавана, бо яны яшчэ выкарыстоўваюцца');
  expect(await result.innerText()).toContain('BLR-C1-97.1a: пазнейшы імпарт знайшоў яе ў плане');
  expect(await result.innerText()).toContain('і яшчэ 157.');
  expect(await result.innerText()).toContain('Іх утрымлівае імпарт файла «belarus-again.csv»');
  await expect.poll(() => rows.nth(1).innerText()).toContain('захавана пры адмене: 167');
  await page.getByTestId('import-history').screenshot({ path: screenshotPath('import-undo-kept-result-be') });

  await chooseLanguage(page, 'ru');
  await rows.nth(0).getByTestId('import-undo').click();
  await expect.poll(() => dialog.innerText()).toContain('167 рекомендаций, которые он нашёл уже в плане, останутся, кроме тех, что сохранили при отмене прежнего импорта лишь ради этого');
  await page.screenshot({ path: screenshotPath('import-undo-kept-dialog-ru') });
  await dialog.getByRole('button', { name: 'Отменить импорт' }).click();
  await expect.poll(() => result.innerText()).toContain(
    'Удалено 167 рекомендаций, которые при отмене прежнего импорта сохранили только ради этого: больше они нигде не используются.',
  );
  await expect.poll(() => rows.nth(1).innerText()).not.toContain('сохранено при отмене');
  await page.getByTestId('import-history').screenshot({ path: screenshotPath('import-undo-kept-result-ru') });

  // In English: a fresh pair, the dialog's wording.
  await chooseLanguage(page, 'en');
  await importFile(api, planId, 'belarus.csv', csv);
  await page.reload();
  await expect.poll(() => rows.count()).toBe(3);
  await rows.nth(0).getByTestId('import-undo').click();
  await expect.poll(() => dialog.innerText()).toContain(
    'the 167 recommendations it created will be removed from the plan, except those still in use;',
  );
  await page.screenshot({ path: screenshotPath('import-undo-kept-dialog-en') });
});
