import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PlanOutline } from '../../shared/api/index.ts';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, OUTPUT_DIR, screenshotPath, useBrowser, signInThroughForm, editorOf } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { findTool } from '../helpers/tools.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * A ministry coordinator and an NGO drafter review one section, keep a version and compare it with
 * the text, and both sign it: it locks for everyone. The coordinator then exports the agreed draft
 * as DOCX and PDF, and the files hold the signed section.
 */
let server: TestServer;

const { newPage } = useBrowser({ acceptDownloads: true });
afterAll(async () => {
  await server?.destroy();
});

const signIn = signInThroughForm;

const textOf = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('[data-testid=section-editor] .ProseMirror')!.cloneNode(true) as HTMLElement;
    el.querySelectorAll('.collab-caret').forEach((c) => c.remove());
    return el.innerText;
  });
async function waitForSaved(page: Page) {
  await page.waitForFunction(() => document.querySelector('[data-testid=connection-status]')?.getAttribute('data-state') === 'saved', undefined, {
    timeout: 15_000,
  });
}
/** The hash the page shows is the server's hash of the current content (what signing needs). */
async function waitForCurrentHash(page: Page, api: ApiClient, planId: string, sectionId: string) {
  await expect
    .poll(
      async () => {
        const res = await api.get(`/api/plans/${planId}/sections/${sectionId}/agreement`);
        return (await page.getByTestId('agreement-hash').getAttribute('data-hash')) === res.body.currentHash;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
}

/** One entry of a ZIP archive (DOCX is one), read with node:zlib only. */
function readZipEntry(zip: Buffer, name: string): Buffer | null {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (entryName === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 0 ? Buffer.from(data) : inflateRawSync(data);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  return null;
}

/** Starts an export on the export page and downloads the file; returns its path. */
async function exportThroughPage(page: Page, format: 'docx' | 'pdf', target: string): Promise<string> {
  await page.getByTestId('export-format').selectOption(format);
  await page.getByTestId('export-scope').selectOption('agreed');
  await page.getByTestId('export-start').click();
  await page.getByTestId('export-progress').waitFor();
  const link = page.getByTestId('export-download');
  await link.waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = join(OUTPUT_DIR, target);
  await download.saveAs(path);
  return path;
}

describe('agreement, history and export in real browsers', () => {
  it('both sides sign a section, it locks in both browsers, and the agreed draft exports as DOCX and PDF', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const title = 'Abolition of the death penalty';

    // --- Set-up through the API: the ministry coordinator, a plan, a section, an NGO drafter.
    const { coordinator, planId, chapterId } = await setUpWorkspace(server);
    const added = await coordinator.post(`/api/plans/${planId}/sections`, { chapterId, title });
    expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
    const sectionId = (added.body as PlanOutline).chapters.flatMap((c) => c.sections).find((s) => s.title === title)!.id;
    await addMember(server, coordinator, planId, 'drafter', {
      name: 'Maryna Ivanova',
      email: 'maryna@helsinki.example',
      organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
    });

    // --- Both sign in through the form and open the section.
    const ministry = await newPage();
    const ngo = await newPage();
    await signIn(ministry, base, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await signIn(ngo, base, 'maryna@helsinki.example', MEMBER_PASSWORD);
    const sectionUrl = `${base}/plans/${planId}/sections/${sectionId}`;
    await ministry.goto(sectionUrl);
    await ngo.goto(sectionUrl);
    await editorOf(ministry).waitFor();
    await editorOf(ngo).waitFor();
    await expect.poll(() => ministry.getByTestId('agreement-panel').getAttribute('data-status')).toBe('drafting');
    const outlineStatus = (page: Page) =>
      page.getByTestId('outline-section').filter({ hasText: title }).locator('xpath=..').getByTestId('section-status').getAttribute('data-status');
    expect(await outlineStatus(ministry)).toBe('drafting');

    // --- The coordinator writes, keeps a version, writes more, and compares.
    await editorOf(ministry).click();
    await ministry.keyboard.type('The Government will introduce a moratorium on executions.');
    await waitForSaved(ministry);
    await ministry.getByTestId('history-link').click();
    await ministry.waitForURL('**/history');
    await ministry.getByTestId('version-name').fill('Before consultation');
    await ministry.getByTestId('version-save').click();
    await expect.poll(() => ministry.getByTestId('version-item').filter({ hasText: 'Before consultation' }).count()).toBe(1);
    await ministry.getByTestId('section-text-tab').click();
    await editorOf(ministry).waitFor();
    await editorOf(ministry).click();
    await ministry.keyboard.press('Control+End');
    await ministry.keyboard.press('Enter');
    await ministry.keyboard.type('Civil society will monitor its application.');
    await waitForSaved(ministry);
    await expect.poll(() => textOf(ngo), { timeout: 10_000 }).toContain('monitor its application');
    await ministry.getByTestId('section-history-tab').click();
    await ministry.getByTestId('version-item').first().waitFor();
    await ministry.getByTestId('version-compare').click();
    await expect.poll(() => ministry.getByTestId('diff-insert').allInnerTexts()).toContainEqual(expect.stringContaining('monitor its application'));
    await ministry.screenshot({ path: screenshotPath('history-compare'), fullPage: true });

    // --- Review, then both sides sign: the coordinator first.
    const api = new ApiClient(base);
    api.cookie = (await ministry.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await ministry.getByTestId('section-text-tab').click();
    await editorOf(ministry).waitFor();
    await ministry.getByTestId('send-for-review').click();
    await expect.poll(() => ngo.getByTestId('agreement-panel').getAttribute('data-status'), { timeout: 10_000 }).toBe('in_review');
    await waitForCurrentHash(ministry, api, planId, sectionId);
    await ministry.getByTestId('sign-off').click();
    const dialog = ministry.getByTestId('sign-off-dialog');
    await expect.poll(() => dialog.innerText()).toContain(title);
    expect(await dialog.innerText()).toContain((await ministry.getByTestId('agreement-hash').innerText()).trim());
    await ministry.getByTestId('sign-off-confirm').click();
    await expect.poll(() => ministry.getByTestId('signoff-item').count()).toBe(1);
    await expect.poll(() => ministry.getByTestId('agreement-missing').innerText()).toContain('civil-society signature is needed');
    // The NGO sees the sign-off arrive live, and is told before typing that an edit would end it.
    await expect.poll(() => ngo.getByTestId('signoff-item').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => ngo.getByTestId('signed-edit-warning').innerText(), { timeout: 10_000 }).toContain('Changing the text now withdraws this signature');
    expect(await ngo.getByTestId('signed-edit-warning').innerText()).toContain('Ministry of Foreign Affairs');
    await ngo.getByTestId('signed-edit-warning').screenshot({ path: screenshotPath('signed-edit-warning') });

    await waitForCurrentHash(ngo, api, planId, sectionId);
    await ngo.getByTestId('sign-off').click();
    await ngo.getByTestId('sign-off-confirm').click();

    // --- Agreed: locked in both browsers, with the notice, the status and the count.
    for (const page of [ministry, ngo]) {
      await page.getByTestId('agreed-notice').waitFor({ timeout: 10_000 });
      await expect.poll(() => editorOf(page).getAttribute('contenteditable'), { timeout: 10_000 }).toBe('false');
      await expect.poll(() => page.getByTestId('signoff-item').count()).toBe(2);
      await expect.poll(() => outlineStatus(page), { timeout: 10_000 }).toBe('agreed');
      expect(await page.getByTestId('agreed-notice').innerText()).toMatch(/Olga Coordinator.*Maryna Ivanova|Maryna Ivanova.*Olga Coordinator/);
      expect(await page.getByTestId('plan-agreed-count').innerText()).toMatch(/^1 of \d+ sections agreed$/);
      expect(await page.getByTestId('add-action').count()).toBe(0);
      await expect.poll(() => page.getByTestId('sign-off').count()).toBe(0);
    }
    expect(await ministry.getByTestId('reopen').count()).toBe(1);
    expect(await ngo.getByTestId('reopen').count()).toBe(0);

    // Typing changes nothing, in either browser.
    for (const page of [ministry, ngo]) {
      const before = await textOf(page);
      await editorOf(page).click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(' Sneaked in after agreement.');
      expect(await textOf(page)).toBe(before);
    }
    await ministry.screenshot({ path: screenshotPath('agreement-locked') });
    const agreed = await api.get(`/api/plans/${planId}/sections/${sectionId}/agreement`);
    expect(agreed.body.status).toBe('agreed');
    expect(agreed.body.currentHash).toBe(agreed.body.agreedHash);

    // --- The audit log is for coordinators only, and shows the agreement.
    expect(await ngo.getByTestId('audit-link').count()).toBe(0);
    await ministry.getByTestId('audit-link').click();
    await ministry.waitForURL('**/audit');
    await expect.poll(() => ministry.locator('[data-testid=audit-row][data-action="section.agreed"]').count()).toBe(1);
    expect(await ministry.getByTestId('audit-csv').getAttribute('href')).toContain('/audit.csv');

    // --- The coordinator exports the agreed draft as DOCX and as PDF.
    await ministry.getByRole('link', { name: 'Export' }).first().click();
    await ministry.waitForURL('**/export');
    const docxPath = await exportThroughPage(ministry, 'docx', 'export-agreed.docx');
    const docx = readFileSync(docxPath);
    expect(docx.length).toBeGreaterThan(0);
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    const documentXml = readZipEntry(docx, 'word/document.xml');
    expect(documentXml, 'word/document.xml in the DOCX').not.toBeNull();
    expect(documentXml!.toString('utf8')).toContain(title);

    const pdfPath = await exportThroughPage(ministry, 'pdf', 'export-agreed.pdf');
    const pdf = readFileSync(pdfPath);
    expect(statSync(pdfPath).size).toBeGreaterThan(0);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Render the PDF's first page, which proves a real PDF reader can open it and gives people a
    // page to look at. pdftoppm is required (.ci/run installs poppler-utils): no silent skip.
    const pdftoppm = findTool('pdftoppm');
    expect(pdftoppm, 'pdftoppm, from the Debian package poppler-utils ("apt-get install -y poppler-utils", or .ci/run)').not.toBeNull();
    const prefix = join(OUTPUT_DIR, 'export-page-1-render');
    execFileSync(pdftoppm!, ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdfPath, prefix]);
    renameSync(`${prefix}.png`, join(OUTPUT_DIR, 'export-page-1.png'));
    expect(statSync(join(OUTPUT_DIR, 'export-page-1.png')).size).toBeGreaterThan(2_000);

    // --- The sign-off rule on the Members page: the NGO reads it; the coordinator sets two organisations.
    const defaultRule = 'At least one member of a government organisation and one of a civil-society organisation.';
    await ngo.goto(`${base}/plans/${planId}/members`);
    await expect.poll(() => ngo.getByTestId('signoff-rule-text').innerText()).toBe(defaultRule);
    expect(await ngo.getByTestId('signoff-rule-edit').count()).toBe(0);
    await ministry.goto(`${base}/plans/${planId}/members`);
    await expect.poll(() => ministry.getByTestId('signoff-rule-text').innerText()).toBe(defaultRule);
    await ministry.getByTestId('signoff-rule-edit').click();
    await ministry.getByTestId('signoff-rule-kind-organisations').check();
    const orgs = (await api.get(`/api/plans/${planId}/organisations`)).body as Array<{ id: string; name: string }>;
    const chosen = orgs.filter((o) => o.name === 'Ministry of Foreign Affairs' || o.name === 'Belarusian Helsinki Committee');
    expect(chosen).toHaveLength(2);
    for (const o of chosen) await ministry.locator(`[data-testid=signoff-rule-organisation][data-organisation-id="${o.id}"]`).check();
    await ministry.getByTestId('signoff-rule-save').click();
    await expect.poll(() => ministry.getByTestId('signoff-rule-dialog').innerText()).toContain('Belarusian Helsinki Committee');
    await ministry.getByTestId('signoff-rule-confirm').click();
    await ministry.getByTestId('signoff-rule-saved').waitFor();
    const rule = await api.get(`/api/plans/${planId}/signoff-rule`);
    expect(rule.body.kind).toBe('organisations');
    expect([...rule.body.organisationIds].sort()).toEqual(chosen.map((o) => o.id).sort());
    await expect
      .poll(() => ministry.getByTestId('signoff-rule-text').innerText())
      .toBe('A member of each of these organisations: Belarusian Helsinki Committee and Ministry of Foreign Affairs.');
    // The NGO's page follows the change live.
    await expect.poll(() => ngo.getByTestId('signoff-rule-panel').getAttribute('data-kind'), { timeout: 10_000 }).toBe('organisations');
    await ministry.screenshot({ path: screenshotPath('signoff-rule'), fullPage: true });
  }, 120_000);
});
