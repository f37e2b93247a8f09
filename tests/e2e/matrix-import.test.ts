import ExcelJS from 'exceljs';
import { afterEach, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, screenshotPath, setUpThroughForm, useBrowser } from '../helpers/browser.ts';
import { exportPlan, ok } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A coordinator exports the implementation matrix, renames an action in the spreadsheet, and on the
 * export page uploads it: the preview shows the one changed row, and committing changes the action.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser();
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

it('uploads an edited matrix, previews the change and commits it', async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const base = server.url;
  const page = await newPage({ locale: 'en-GB' });
  page.setDefaultTimeout(15_000);
  await setUpThroughForm(page, base);
  const api = new ApiClient(base);
  api.cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const plan = await ok(api.post('/api/plans', { title: 'National Plan 2026–2030', country: 'Belarus', periodStart: 2026, periodEnd: 2030 }));
  const outline = await ok(api.get(`/api/plans/${plan.id}`));
  const action = await ok(api.post(`/api/plans/${plan.id}/sections/${outline.chapters[0].sections[0].id}/actions`, { title: 'Prepare a bill' }));

  const { bytes } = await exportPlan(server, api, plan.id, 'matrix-tables-xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet('Actions')!;
  const titleColumn = (sheet.getRow(1).values as unknown[]).indexOf('Action');
  sheet.getRow(2).getCell(titleColumn).value = 'Prepare and table a bill';
  const edited = Buffer.from(await wb.xlsx.writeBuffer());

  await page.goto(`${base}/plans/${plan.id}/export`);
  await page.getByTestId('matrix-file').setInputFiles({ name: 'matrix.xlsx', mimeType: 'application/octet-stream', buffer: edited });
  await page.getByTestId('matrix-preview').click();
  await page.getByTestId('matrix-preview-result').waitFor();
  const rows = page.getByTestId('matrix-row');
  await expect.poll(() => rows.count()).toBe(1);
  expect(await rows.first().innerText()).toContain('Changed');
  expect(await rows.first().innerText()).toContain('Action');
  await page.screenshot({ path: screenshotPath('matrix-import-preview'), fullPage: true });
  await page.getByTestId('matrix-commit').click();
  await expect.poll(() => page.getByTestId('matrix-done').innerText()).toBe('Imported: 0 created, 1 updated.');
  expect((await ok(api.get(`/api/plans/${plan.id}/actions`)))[0]).toMatchObject({ id: action.id, title: 'Prepare and table a bill' });
  await page.getByTestId('matrix-history').waitFor();
}, 120_000);
