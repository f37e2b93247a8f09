import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';
import { importFile } from '../helpers/imports.ts';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { chooseLanguage } from '../helpers/language.ts';

/**
 * A coordinator who reads Russian browses the plan's recommendations, imported with UPR Info's
 * English theme names: the table and the theme filter name them in Russian, and choosing one still
 * filters on the stored name. The groups of persons the Human Rights Index tags are named in
 * Belarusian the same way. Screenshots: test-output/themes-ru.png, test-output/affected-persons-be.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 900 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

describe('UPR themes in the interface', () => {
  it('are named in Russian in the recommendations table and filter', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { coordinator, planId } = await setUpWorkspace(server);
    await importFile(coordinator, planId, BELARUS_FILES.verbatimCsv, readFileSync(belarusPath(BELARUS_FILES.verbatimCsv)));
    const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/plans/${planId}/recommendations`);
    await chooseLanguage(page, 'ru');
    const filter = page.getByTestId('rec-filter-theme');
    await expect.poll(() => filter.locator('option').allInnerTexts()).toContain('Смертная казнь');
    expect(await filter.locator('option').allInnerTexts()).not.toContain('Death penalty');
    await filter.selectOption({ label: 'Смертная казнь' });
    await page.waitForURL(/theme=Death(\+|%20)penalty/);
    const rows = page.getByTestId('rec-row');
    // The filtered list replaces the whole one: every row then carries the theme, in Russian.
    await expect.poll(async () => { const all = await rows.allInnerTexts(); return all.length > 0 && all.every((r) => r.includes('Смертная казнь')); }, { timeout: 10_000 }).toBe(true);
    await page.screenshot({ path: screenshotPath('themes-ru'), fullPage: false });
  });

  it('names the groups of persons in Belarusian in the filter and the recommendation’s details', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { coordinator, planId } = await setUpWorkspace(server);
    await importFile(coordinator, planId, 'uhri-sample.csv', readFileSync(join(import.meta.dirname, '../fixtures/import/uhri-sample.csv')));
    const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/plans/${planId}/recommendations`);
    await chooseLanguage(page, 'be');
    const filter = page.getByTestId('rec-filter-affected');
    await expect.poll(() => filter.locator('option').allInnerTexts()).toContain('Асобы, пазбаўленыя волі');
    expect(await filter.locator('option').allInnerTexts()).not.toContain('Persons deprived of their liberty');
    await filter.selectOption({ label: 'Асобы, пазбаўленыя волі' });
    await page.waitForURL(/affected=Persons(\+|%20)deprived/);
    const rows = page.getByTestId('rec-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    await rows.first().click();
    const detail = page.getByTestId('rec-detail');
    await expect.poll(() => detail.innerText()).toContain('Асобы, пазбаўленыя волі');
    expect(await detail.innerText()).not.toContain('Persons deprived');
    await detail.getByText('Асобы, пазбаўленыя волі').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('affected-persons-be'), fullPage: false });
  });
});
