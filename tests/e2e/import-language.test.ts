import { afterEach, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, setUpThroughForm, useBrowser } from '../helpers/browser.ts';
import { chooseLanguage } from '../helpers/language.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A Russian-reading coordinator imports a UPR Info export with a bad row, and then a file Accord
 * cannot read: the preview's rejected row and the refusal are in Russian, not the server's English.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser();
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

const csv = (text: string) => Buffer.from(text, 'utf8');

it('shows a Russian reader why rows and files cannot be imported, in Russian', async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const base = server.url;
  const page = await newPage({ locale: 'en-GB' });
  page.setDefaultTimeout(15_000);
  await setUpThroughForm(page, base);
  await chooseLanguage(page, 'ru');

  const api = new ApiClient(base);
  api.cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const created = await api.post('/api/plans', { title: 'Национальный план 2026–2030', country: 'Беларусь', periodStart: 2026, periodEnd: 2030 });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await page.goto(`${base}/plans/${created.body.id as string}/recommendations`);
  await page.waitForFunction(() => document.documentElement.lang === 'ru');

  await page.getByTestId('import-open').click();
  const file = ['To,Text,From,Response,Session', 'Belarus,Ratify the Convention,France,Supported,8', 'Belarus,Abolish the death penalty,Spain,Maybe later,8'].join('\n');
  await page.getByTestId('import-file').setInputFiles({ name: 'upr.csv', mimeType: 'text/csv', buffer: csv(file) });
  await page.getByTestId('import-upload').click();
  await page.getByTestId('import-preview').waitFor();
  const rejected = page.getByTestId('import-rejected');
  await expect.poll(() => rejected.innerText()).toContain('Неизвестная позиция «Maybe later».');
  expect(await rejected.innerText()).not.toContain('Unknown position');

  await page.getByTestId('import-back').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: csv('name,age\nAnna,3\n') });
  await page.getByTestId('import-upload').click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Accord' });
  await expect.poll(() => refusal.innerText()).toContain('Accord не удалось определить тип этого файла');
  expect(await refusal.innerText()).toContain('Первая строка этого файла: name, age.');
});
