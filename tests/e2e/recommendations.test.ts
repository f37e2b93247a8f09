import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, screenshotPath, setUpThroughForm, useBrowser, createPlanThroughForm } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The ministry coordinator imports Belarus's 1st-cycle UPR recommendations through the wizard,
 * drafts an action with a lead agency, a timeline, two linked recommendations and a process
 * indicator, and watches coverage go up; a drafter from an NGO sees the action appear live.
 */
const CSV = belarusPath(BELARUS_FILES.verbatimCsv);

let server: TestServer;

const { newPage } = useBrowser();
afterAll(async () => {
  await server?.destroy();
});


const numberIn = async (page: Page, testId: string) => Number((await page.getByTestId(testId).textContent())?.trim());

describe('recommendations, actions and coverage in a real browser', () => {
  it('imports the UPR recommendations, drafts a measurable action linked to two of them, and coverage rises', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;

    // --- The coordinator sets Accord up and creates a plan.
    const ministry = await newPage();
    await setUpThroughForm(ministry, base);
    await createPlanThroughForm(ministry);
    const planId = new URL(ministry.url()).pathname.split('/')[2]!;
    const planUrl = `${base}/plans/${planId}`;

    // --- Recommendations: empty at first, then the import wizard.
    await ministry.getByTestId('recommendations-link').click();
    await ministry.waitForURL('**/recommendations');
    await ministry.getByTestId('rec-empty').waitFor();
    await ministry.getByTestId('import-open').click();
    await ministry.getByTestId('import-file').setInputFiles(CSV);
    await ministry.getByTestId('import-upload').click();
    await ministry.getByTestId('import-preview').waitFor();
    expect(await numberIn(ministry, 'import-count-create')).toBe(167);
    expect(await numberIn(ministry, 'import-count-update')).toBe(0);
    expect(await numberIn(ministry, 'import-count-rejected')).toBe(0);
    // Nothing is written before the person confirms.
    const api = new ApiClient(base);
    api.cookie = (await ministry.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await api.get(`/api/plans/${planId}/recommendations`)).body.total).toBe(0);
    await ministry.screenshot({ path: screenshotPath('recommendations-import-preview'), fullPage: false });
    await expect.poll(() => ministry.getByTestId('import-confirm').textContent()).toContain('167');
    await ministry.getByTestId('import-confirm').click();
    await ministry.getByTestId('import-result').waitFor({ timeout: 30_000 });
    await expect.poll(() => numberIn(ministry, 'rec-total'), { timeout: 10_000 }).toBe(167);
    expect(await ministry.getByTestId('rec-row').count()).toBe(50);
    await expect.poll(() => ministry.getByTestId('import-record').count()).toBe(1);

    // Search, filter and open one recommendation.
    await ministry.getByTestId('rec-search').fill('death penalty');
    await expect.poll(async () => (await numberIn(ministry, 'rec-total')) < 167, { timeout: 10_000 }).toBe(true);
    await ministry.getByTestId('rec-row').first().click();
    await ministry.getByTestId('rec-detail').waitFor();
    await expect.poll(() => ministry.getByTestId('rec-detail').innerText()).toContain('A/HRC/15/16');
    await ministry.getByTestId('rec-search').fill('');
    await ministry.getByTestId('rec-filter-position').selectOption('noted');
    await expect.poll(async () => (await numberIn(ministry, 'rec-total')) < 167, { timeout: 10_000 }).toBe(true);
    await ministry.getByTestId('rec-filter-position').selectOption('');

    // --- Coverage before any action.
    await ministry.goto(planUrl);
    await ministry.getByTestId('coverage-link').click();
    await ministry.getByTestId('coverage-addressed').waitFor();
    const addressedBefore = await numberIn(ministry, 'coverage-addressed');
    expect(addressedBefore).toBe(0);

    // --- An NGO lawyer joins as drafter (invited through the API with the coordinator's session).
    const invite = await api.post(`/api/plans/${planId}/invites`, { role: 'drafter' });
    expect(invite.status).toBe(201);
    const ngo = await newPage();
    await ngo.goto(new URL(invite.body.url, base).href);
    await ngo.getByTestId('invite-name').fill('Maryna Ivanova');
    await ngo.getByTestId('invite-email').fill('maryna@helsinki.example');
    await ngo.getByTestId('invite-password').fill('another good passphrase');
    if (await ngo.getByTestId('invite-org-new').count()) await ngo.getByTestId('invite-org-new').check();
    await ngo.getByTestId('invite-org-name').fill('Belarusian Helsinki Committee');
    await ngo.getByTestId('invite-org-side').selectOption('civil_society');
    await ngo.getByTestId('invite-submit').click();
    await ngo.waitForURL('**/plans/**');

    // --- Both open the same section.
    await ministry.goto(planUrl);
    await ministry.getByTestId('outline-section').first().click();
    await ministry.getByTestId('actions-panel').waitFor();
    await ministry.getByTestId('actions-empty').waitFor();
    const sectionUrl = ministry.url();
    await ngo.goto(sectionUrl);
    await ngo.getByTestId('actions-empty').waitFor();

    // --- The coordinator adds an action with a new lead agency and a timeline.
    await ministry.getByTestId('add-action').click();
    await ministry.getByTestId('action-title').fill('Introduce a moratorium on executions');
    await ministry.getByTestId('add-org-open').click();
    await ministry.getByTestId('add-org-name').fill('Ministry of Internal Affairs');
    await ministry.getByTestId('add-org-side').selectOption('government');
    await ministry.getByTestId('add-org-submit').click();
    await expect.poll(() => ministry.getByTestId('action-lead').locator('option', { hasText: 'Ministry of Internal Affairs' }).count()).toBe(1);
    await ministry.getByTestId('action-lead').selectOption({ label: 'Ministry of Internal Affairs' });
    await ministry.getByTestId('action-partners').getByLabel(/Belarusian Helsinki Committee/).check();
    await ministry.getByTestId('action-start').fill('2026-Q1');
    await ministry.getByTestId('action-end').fill('2027');
    // A decimal comma, as Belarusian and Russian write amounts: 150 000,50, not 15,000,050.
    await ministry.getByTestId('action-budget').fill('150 000,50');
    // A word is not cut to three letters that name another currency (RUB): the form asks for a code.
    await ministry.getByTestId('action-currency').fill('rubles');
    await ministry.getByTestId('action-save').click();
    await expect.poll(() => ministry.getByText('Use a three-letter currency code').count()).toBe(1);
    await ministry.getByTestId('action-currency').fill('byn');
    await ministry.getByTestId('action-save').click();
    await expect.poll(() => ministry.getByTestId('action-card').count()).toBe(1);
    const card = ministry.getByTestId('action-card').first();
    await expect.poll(() => card.getByTestId('action-card-lead').innerText()).toContain('Ministry of Internal Affairs');
    expect(await card.innerText()).toMatch(/BYN\s150,000\.50/);
    // Still not monitorable: no indicator yet.
    await expect.poll(() => card.getByTestId('action-warning').count()).toBe(1);

    // The drafter sees it appear without reloading.
    await expect.poll(() => ngo.getByTestId('action-card').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => ngo.getByTestId('action-card').first().innerText()).toContain('Introduce a moratorium on executions');

    // --- Link two recommendations through the picker.
    await card.getByTestId('link-recs-open').click();
    await card.getByTestId('link-recs-search').fill('death penalty');
    await expect.poll(() => card.getByTestId('link-recs-result').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await card.getByTestId('link-recs-result').nth(0).getByTestId('link-recs-attach').click();
    await expect.poll(() => card.getByTestId('action-rec-badge').count()).toBe(1);
    await card.getByTestId('link-recs-result').nth(1).getByTestId('link-recs-attach').click();
    await expect.poll(() => card.getByTestId('action-rec-badge').count()).toBe(2);
    await card.getByTestId('link-recs-close').click();
    await card.getByTestId('action-rec-badge').first().click();
    await card.getByTestId('action-rec-text').waitFor();

    // --- Add a process indicator with baseline and target.
    await card.getByTestId('add-indicator').click();
    await card.getByTestId('indicator-type').selectOption('process');
    await card.getByTestId('indicator-description').fill('Draft law on a moratorium submitted to Parliament');
    await card.getByTestId('indicator-baseline-value').fill('No draft');
    await card.getByTestId('indicator-baseline-year').fill('2025');
    await card.getByTestId('indicator-target-value').fill('Draft submitted');
    await card.getByTestId('indicator-target-year').fill('2027');
    // Words are allowed, but the form says the progress chart cannot place them.
    await expect.poll(() => card.getByTestId('indicator-not-charted').innerText()).toContain('“No draft” is neither a number nor yes/no');
    await card.getByTestId('indicator-baseline-value').fill('0');
    await card.getByTestId('indicator-target-value').fill('1');
    await expect.poll(() => card.getByTestId('indicator-not-charted').count()).toBe(0);
    await card.getByTestId('indicator-baseline-value').fill('No draft');
    await card.getByTestId('indicator-target-value').fill('Draft submitted');
    await card.getByTestId('indicator-save').click();
    await expect.poll(() => card.getByTestId('indicator-row').count()).toBe(1);
    await expect.poll(() => card.getByTestId('action-warning').count()).toBe(0);
    await expect.poll(() => ngo.getByTestId('indicator-row').count(), { timeout: 10_000 }).toBe(1);
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: screenshotPath('action-with-indicator') });

    // --- An EU observer reads the same action but is offered no controls to change it.
    const observerInvite = await api.post(`/api/plans/${planId}/invites`, { role: 'observer' });
    const eu = await newPage();
    await eu.goto(new URL(observerInvite.body.url, base).href);
    await eu.getByTestId('invite-name').fill('Jan Novak');
    await eu.getByTestId('invite-email').fill('jan@eeas.example');
    await eu.getByTestId('invite-password').fill('observer passphrase here');
    if (await eu.getByTestId('invite-org-new').count()) await eu.getByTestId('invite-org-new').check();
    await eu.getByTestId('invite-org-name').fill('EU Delegation');
    await eu.getByTestId('invite-org-side').selectOption('international');
    await eu.getByTestId('invite-submit').click();
    await eu.waitForURL('**/plans/**');
    await eu.goto(sectionUrl);
    await expect.poll(() => eu.getByTestId('indicator-row').count(), { timeout: 10_000 }).toBe(1);
    expect(await eu.getByTestId('add-action').count()).toBe(0);
    expect(await eu.getByTestId('add-indicator').count()).toBe(0);
    expect(await eu.getByTestId('link-recs-open').count()).toBe(0);
    await eu.getByTestId('recommendations-link').click();
    await expect.poll(() => numberIn(eu, 'rec-total'), { timeout: 10_000 }).toBe(167);
    expect(await eu.getByTestId('import-open').count()).toBe(0);

    // --- Coverage: two more recommendations are addressed.
    await ministry.goto(planUrl);
    await ministry.getByTestId('coverage-link').click();
    await ministry.getByTestId('coverage-addressed').waitFor();
    await expect.poll(() => numberIn(ministry, 'coverage-addressed'), { timeout: 10_000 }).toBe(addressedBefore + 2);

    // One click from the list of unaddressed supported recommendations links a third.
    const firstUnaddressed = ministry.getByTestId('coverage-unaddressed-row').first();
    await firstUnaddressed.getByTestId('coverage-link-action').click();
    await firstUnaddressed.getByTestId('coverage-pick-action').first().click();
    await expect.poll(() => numberIn(ministry, 'coverage-addressed'), { timeout: 10_000 }).toBe(addressedBefore + 3);
    await ministry.screenshot({ path: screenshotPath('coverage'), fullPage: true });
  });
});
