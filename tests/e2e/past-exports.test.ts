import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_DIR, OUTPUT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { ApiClient } from '../helpers/api.ts';
import { exportPlan, ok } from '../helpers/exportPlan.ts';
import { agreeSection } from '../helpers/monitoring.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';
import { formatFileSize } from '../../client/i18n/format.ts';

/**
 * An NGO drafter exported the plan as Markdown yesterday (here: before the server restarted). The
 * ministry coordinator opens the export page: the past exports list it with who, when, format,
 * contents and size, and it downloads again, byte for byte. The coordinator's own new export joins
 * the list when it is done, and the coordinator shortens how long exports are kept; the drafter
 * sees the list but not that setting.
 */
let server: TestServer;
const { newPage } = useBrowser({ acceptDownloads: true });
afterAll(async () => {
  await server?.destroy();
});

describe('past exports on the export page', () => {
  it('lists past exports with who, when, format, contents and size, and downloads one again', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const drafter = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Maryna Ivanova',
      email: 'maryna@viasna.example',
      organisation: { name: 'Viasna', side: 'civil_society' },
    });
    const earlier = await exportPlan(server, drafter.client, planId, 'md', 'current');

    // The list and its files outlive a restart.
    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ dataDir, clientDir: CLIENT_DIR });

    const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/plans/${planId}/export`);
    const rows = page.getByTestId('past-export-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.getAttribute('data-export-id')).toBe(earlier.job.id);
    expect(await row.getByTestId('past-export-by').innerText()).toBe('Maryna Ivanova');
    expect(await row.getByTestId('past-export-format').innerText()).toBe('Markdown');
    expect(await row.getByTestId('past-export-scope').innerText()).toContain('Current draft with statuses');
    expect(await row.getByTestId('past-export-size').innerText()).toBe(formatFileSize(earlier.bytes.length, 'en'));
    // Asked for without a language: English, and the list says so.
    expect(await row.getByTestId('past-export-language').getAttribute('data-language')).toBe('en');
    expect(await row.getByTestId('past-export-language').innerText()).toBe('English');
    const made = await row.getByTestId('past-export-when').innerText();
    expect(made).toContain(String(new Date().getFullYear()));
    expect(await page.getByTestId('past-exports-retention').innerText()).toContain('30 days');

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('past-export-download').click()]);
    // Saved under the name the list shows, not another spelling of the plan's title.
    expect(download.suggestedFilename()).toBe(earlier.job.filename);
    expect(await row.getByTestId('past-export-download').innerText()).toContain(earlier.job.filename);
    const saved = join(OUTPUT_DIR, 'past-export-again.md');
    await download.saveAs(saved);
    expect(readFileSync(saved).equals(earlier.bytes)).toBe(true);

    // A new plan: nothing agreed and no saved version. What to export is stated, not a one-option
    // dropdown; what to include defaults to the current draft, which has every section's text.
    await expect.poll(() => page.getByTestId('export-agreed-count').innerText()).toBe('0 of 1 section agreed');
    expect(await page.getByTestId('export-source').count()).toBe(0);
    expect(await page.getByTestId('export-source-fixed').innerText()).toBe('Current state');
    expect(await page.getByRole('group', { name: 'What to export' }).count()).toBe(1);
    expect(await page.getByTestId('export-scope').inputValue()).toBe('current');
    await page.getByTestId('export-scope').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('export-form-nothing-agreed') });
    // Asking for the agreed draft anyway warns, in sentences.
    await page.getByTestId('export-scope').selectOption('agreed');
    expect(await page.getByTestId('export-agreed-count').innerText()).toBe(
      '0 of 1 section agreed. The agreed draft will list it as not yet agreed, without its text.',
    );
    await page.screenshot({ path: screenshotPath('export-form-agreed-warning') });

    // A new export made on the page joins the list, newest first, once done.
    await page.getByTestId('export-format').selectOption('docx');
    // The document's language starts as the interface's (English here); the coordinator picks Russian.
    expect(await page.getByTestId('export-language').inputValue()).toBe('en');
    await page.getByTestId('export-language').selectOption('ru');
    await page.getByTestId('export-start').click();
    await page.getByTestId('export-download').waitFor({ timeout: 60_000 });
    const [fromPage] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => rows.first().getAttribute('data-state'), { timeout: 10_000 }).toBe('done');
    expect(await rows.first().getByTestId('past-export-by').innerText()).toBe('Olga Coordinator');
    expect(await rows.first().getByTestId('past-export-format').innerText()).toBe('Word (DOCX)');
    expect(await rows.first().getByTestId('past-export-scope').innerText()).toContain('Agreed draft only');
    expect(await rows.first().getByTestId('past-export-language').innerText()).toBe('Русский');
    // The same file name from the page and from the list.
    const [fromList] = await Promise.all([page.waitForEvent('download'), rows.first().getByTestId('past-export-download').click()]);
    expect(fromPage.suggestedFilename()).toMatch(/^[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.docx$/);
    expect(fromList.suggestedFilename()).toBe(fromPage.suggestedFilename());
    expect(await rows.first().getByTestId('past-export-download').innerText()).toContain(fromPage.suggestedFilename());

    // The coordinator keeps exports for a week instead of a month.
    await page.getByTestId('export-retention-days').fill('7');
    await page.getByTestId('export-retention-save').click();
    await expect.poll(() => page.getByTestId('past-exports-retention').innerText()).toContain('7 days');
    await page.getByTestId('past-exports').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('past-exports-coordinator'), fullPage: true });

    const drafterPage = await openSignedIn(newPage, server.url, 'maryna@viasna.example', MEMBER_PASSWORD, `${server.url}/plans/${planId}/export`);
    await drafterPage.getByTestId('past-export-row').nth(1).waitFor();
    expect(await drafterPage.getByTestId('past-exports-retention').innerText()).toContain('7 days');
    expect(await drafterPage.getByTestId('export-retention-form').count()).toBe(0);
    await drafterPage.screenshot({ path: screenshotPath('past-exports-drafter'), fullPage: true });

    // Once every section is agreed, the agreed draft is the default: the plan in its signed text.
    // A saved version makes "What to export" a choice again.
    // The same people's sessions, on the restarted server.
    const olga = new ApiClient(server.url);
    olga.cookie = coordinator.cookie;
    const maryna = new ApiClient(server.url);
    maryna.cookie = drafter.client.cookie;
    await agreeSection({ coordinator: olga, ngo: { ...drafter, client: maryna }, planId }, sectionId);
    await ok(olga.post(`/api/plans/${planId}/versions`, { name: 'As agreed' }));
    await page.reload();
    await expect.poll(() => page.getByTestId('export-agreed-count').innerText()).toBe('1 of 1 section agreed');
    expect(await page.getByTestId('export-scope').inputValue()).toBe('agreed');
    await page.getByTestId('export-source').waitFor();
    expect(await page.getByTestId('export-source-fixed').count()).toBe(0);
    expect(await page.getByTestId('export-source').locator('option').allInnerTexts()).toEqual([
      'Current state',
      expect.stringContaining('Saved version: As agreed'),
    ]);
  }, 180_000);
});
