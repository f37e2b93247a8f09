import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { CLIENT_DIR, screenshotPath, setUpThroughForm, useBrowser } from '../helpers/browser.ts';
import { encodeAs } from '../helpers/encodings.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A coordinator imports a Windows-1251 export: the preview names the encoding and shows the
 * Belarusian text as written; reading it as KOI8-R instead re-runs the preview. Then a report
 * pasted without its document symbol is refused, pointing to the field, and imports once the
 * symbol is entered there.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser();
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

const TEXT = 'Ратыфікаваць Факультатыўны пратакол да Міжнароднага пакта аб грамадзянскіх і палітычных правах';

it('names the encoding a file was read in, reads it in another on request, and takes a missing document symbol', async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const base = server.url;
  const page = await newPage({ locale: 'en-GB' });
  page.setDefaultTimeout(15_000);
  await setUpThroughForm(page, base);
  const api = new ApiClient(base);
  api.cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const created = await api.post('/api/plans', { title: 'National Plan 2026–2030', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await page.goto(`${base}/plans/${created.body.id as string}/recommendations`);

  await page.getByTestId('import-open').click();
  const csv = `To,Text,From,Response,Session\r\nBelarus,"${TEXT}",France,Supported,8\r\n`;
  await page.getByTestId('import-file').setInputFiles({ name: 'upr.csv', mimeType: 'text/csv', buffer: Buffer.from(encodeAs(csv, 'windows-1251')) });
  // A CSV is no report: nothing asks for a document symbol.
  expect(await page.getByTestId('import-document-symbol').count()).toBe(0);
  await page.getByTestId('import-upload').click();
  await page.getByTestId('import-preview').waitFor();
  await expect.poll(() => page.getByTestId('import-encoding-read').innerText()).toBe('Text read as Windows-1251 (Cyrillic).');
  expect(await page.getByTestId('import-rows').innerText()).toContain(TEXT);
  expect(await page.getByTestId('import-warnings').innerText()).toContain('Accord read it as Windows-1251 (Cyrillic)');
  await page.screenshot({ path: screenshotPath('import-encoding-preview'), fullPage: true });

  await page.getByTestId('import-reencode').selectOption('koi8-r');
  await expect.poll(() => page.getByTestId('import-encoding-read').innerText()).toBe('Text read as KOI8-R (Cyrillic).');
  expect(await page.getByTestId('import-rows').innerText()).not.toContain(TEXT);
  await page.getByTestId('import-reencode').selectOption('windows-1251');
  await expect.poll(() => page.getByTestId('import-rows').innerText()).toContain(TEXT);

  // The real A/HRC/15/16 text, pasted: it never states its own symbol.
  await page.getByTestId('import-back').click();
  await page.getByTestId('import-source-paste').check();
  await page.getByTestId('import-paste').fill(readFileSync(belarusPath(BELARUS_FILES.reportText), 'utf8'));
  const symbol = page.getByTestId('import-document-symbol');
  await page.getByTestId('import-upload').click();
  const refusal = page.getByRole('alert').filter({ hasText: 'document symbol' });
  await expect.poll(() => refusal.innerText()).toContain('Enter it in the “Document symbol” field');
  await symbol.fill('A-HRC-15-16');
  await page.getByTestId('import-upload').click();
  await expect.poll(() => page.getByText('Use a UN document symbol like A/HRC/15/16').count()).toBe(1);
  await page.screenshot({ path: screenshotPath('import-document-symbol'), fullPage: true });
  await symbol.fill('A/HRC/15/16');
  await page.getByTestId('import-upload').click();
  await page.getByTestId('import-preview').waitFor();
  // Read as the UTF-8 it was sent in, whatever encoding the CSV before it needed.
  await expect.poll(() => page.getByTestId('import-count-create').innerText()).toBe('167');
  expect(await page.getByTestId('import-count-rejected').innerText()).toBe('0');
  expect(await page.getByTestId('import-encoding-read').count()).toBe(0);
  expect(await page.getByTestId('import-warnings').innerText()).toContain('A/HRC/15/16');
});
