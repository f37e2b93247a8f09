import { afterEach, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { ok } from '../helpers/exportPlan.ts';
import { adoptedPlan, agreedPlan, MINISTRY, NGO } from '../helpers/monitoring.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, COORDINATOR_PASSWORD, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * The server's refusal of a field is said once, at that field, also where the server names the
 * field by a path (`sdgTargets.1`, `themes.0`, `values.0.source`, `values.0.disaggregated.0.group`,
 * `evidenceLinks.0`) or by another name than the form's (`spentAmount`, `organisationId`): the
 * recommendation forms, the adoption, an organisation's assessment and a progress report. The field
 * is marked invalid, points to its message, and the first one to fix takes the focus. The form's
 * own "correct the fields" summary still shows over it, and an alert from a failed save does not
 * outlive a later successful one. Screenshots (desk 1440 wide, phone 390 wide):
 * test-output/field-errors-once-nested-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ locale: 'en-GB' });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const occurrences = (text: string, words: string) => plain(text).split(words).length - 1;
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

/**
 * The message a field points to as its error (without the "Error:" said only to screen readers),
 * after checking that the field is marked invalid and that the message is the form's only copy.
 */
async function saidOnceAt(form: Locator, testId: string): Promise<string> {
  const input = form.getByTestId(testId);
  await expect.poll(() => input.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
  const ids = (await input.getAttribute('aria-describedby'))?.split(' ') ?? [];
  const errors = form.locator(ids.map((id) => `[id="${id}"].field__error`).join(', ') || '.no-such-error');
  expect(await errors.count(), `${testId} points to one error`).toBe(1);
  const message = plain(await errors.evaluate((p) => [...p.childNodes].filter((n) => !(n instanceof HTMLElement && n.classList.contains('visually-hidden'))).map((n) => n.textContent).join('')));
  expect(message.trim().length).toBeGreaterThan(0);
  expect(occurrences(await form.innerText(), message.trim()), `"${message}" is said once`).toBe(1);
  return message.trim();
}

/**
 * The form in its error state at a desk and on a phone: the form alone, or (`at`, for a form in a
 * panel that scrolls by itself) the screen with that field in view.
 */
async function shoot(page: Page, form: Locator, name: string, at?: Locator) {
  const take = async (size: string) => {
    const path = screenshotPath(`field-errors-once-nested-${name}-${size}`);
    if (!at) return void (await form.screenshot({ path }));
    await at.evaluate((el) => (el.closest('.field') ?? el).scrollIntoView({ block: 'center' }));
    await page.screenshot({ path });
  };
  await take('desk');
  await page.setViewportSize(PHONE);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width + 1);
  await take('phone');
  await page.setViewportSize(DESK);
}

describe('a nested field the server refuses', () => {
  it('is said once in the form adding a recommendation', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { planId } = await setUpWorkspace(server);
    const recsUrl = `${base}/plans/${planId}/recommendations`;
    const alena = await openSignedIn(() => newPage({ viewport: DESK }), base, 'olga@mfa.example', COORDINATOR_PASSWORD, recsUrl);

    // --- Adding: no text, and one SDG target of two that does not exist (the server says `sdgTargets.1`).
    await alena.getByTestId('rec-add-open').click();
    const add = alena.getByTestId('rec-add-form');
    await add.waitFor();
    await add.getByTestId('rec-add-mechanism').selectOption('CCPR');
    await add.getByTestId('rec-add-text').fill('  ');
    await add.getByTestId('rec-add-sdgs').fill('16.3, 16.11');
    await add.getByTestId('rec-add-save').click();
    expect(await saidOnceAt(add, 'rec-add-text')).toBe('Enter a value.');
    expect(await saidOnceAt(add, 'rec-add-sdgs')).toContain('Use an SDG target like 16.3 or 5.a');
    expect(await add.getByRole('alert').count()).toBe(0);
    expect(await focusedTestId(alena)).toBe('rec-add-text');
    await shoot(alena, add, 'rec-add');
  });

  it('is said once in the form correcting a recommendation', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId } = await setUpWorkspace(server);
    const recsUrl = `${base}/plans/${planId}/recommendations`;
    const alena = await openSignedIn(() => newPage({ viewport: DESK }), base, 'olga@mfa.example', COORDINATOR_PASSWORD, recsUrl);
    // --- Correcting one entered by hand: a theme longer than a theme may be (`themes.0`).
    const rec = await ok(coordinator.post(`/api/plans/${planId}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'Belarus', text: 'Abolish the death penalty.' }), 201);
    await alena.goto(`${recsUrl}?rec=${rec.id}`);
    await alena.getByTestId('rec-edit').click();
    const edit = alena.getByTestId('rec-edit-form');
    await edit.waitFor();
    await edit.getByTestId('rec-edit-themes').fill(`Death penalty\n${'A very long theme '.repeat(12)}`);
    await edit.getByTestId('rec-edit-save').click();
    expect(await saidOnceAt(edit, 'rec-edit-themes')).toBe('Use at most 200 characters.');
    expect(await edit.getByRole('alert').count()).toBe(0);
    expect(await focusedTestId(alena)).toBe('rec-edit-themes');
    await shoot(alena, edit, 'rec-edit', edit.getByTestId('rec-edit-themes'));
  });

  it('is said once in the adoption form', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId } = await agreedPlan(server);
    const un = await addMember(server, coordinator, planId, 'observer', { name: 'Oleg Observer', email: 'oleg@un.example', organisation: { name: 'UN Office', side: 'international' } });
    const olga = await openSignedIn(() => newPage({ viewport: DESK }), base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/adopt`);
    const adopt = olga.getByTestId('adopt-form');
    await olga.getByTestId('adopt-act-title').waitFor();

    // --- Adopting with no act named: the form's own check marks the fields, the first takes the focus.
    await adopt.getByTestId('adopt-submit').click();
    expect(await saidOnceAt(adopt, 'adopt-act-title')).toBe('Enter a value.');
    expect(await adopt.getByRole('alert').innerText()).toBe('Please correct the fields marked below.');
    expect(await focusedTestId(olga)).toBe('adopt-act-title');

    // The monitoring body chosen leaves the plan while she confirms: the server refuses
    // `organisationId`, which is the monitoring body's field in this form.
    await adopt.getByTestId('adopt-act-title').fill('Decree No. 12 on the National Human Rights Plan');
    await adopt.getByTestId('adopt-act-date').fill('01/03/2026');
    await adopt.getByTestId('adopt-monitoring-body').selectOption({ label: 'UN Office' });
    await adopt.getByTestId('adopt-submit').click();
    await olga.getByTestId('adopt-confirm').waitFor();
    await ok(coordinator.delete(`/api/plans/${planId}/members/${un.userId}`));
    await olga.getByTestId('adopt-confirm').click();
    expect(await saidOnceAt(adopt, 'adopt-monitoring-body')).toBe('This is not part of this plan.');
    expect(await adopt.getByRole('alert').count()).toBe(0);
    await expect.poll(() => focusedTestId(olga)).toBe('adopt-monitoring-body');
    await shoot(olga, adopt, 'adopt');
    await adopt.getByTestId('adopt-monitoring-body').selectOption('');
    await adopt.getByTestId('adopt-submit').click();
    await olga.getByTestId('adopt-confirm').click();
    await olga.waitForURL(`**/plans/${planId}/progress`);
  });

  it('is said once in an organisation\'s assessment', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { planId, recommendationId } = await adoptedPlan(server);
    // --- Nina assesses the recommendation without saying why, with a link that is no web page.
    const nina = await openSignedIn(() => newPage({ viewport: DESK }), base, NGO.email, MEMBER_PASSWORD, `${base}/plans/${planId}/progress`);
    const recCard = nina.locator(`[data-testid=progress-recommendation][data-target-id="${recommendationId}"]`);
    await recCard.getByTestId('assess').click();
    const assessment = recCard.getByTestId('assessment-form');
    await assessment.getByTestId('assessment-rating-not_implemented').check();
    await assessment.getByTestId('assessment-links').fill('javascript:alert(1)');
    await assessment.getByTestId('assessment-save').click();
    expect(await saidOnceAt(assessment, 'assessment-justification')).toBe('Say what the assessment rests on.');
    expect(await saidOnceAt(assessment, 'assessment-links')).toBe('Use an address starting with http:// or https://.');
    expect(await assessment.getByRole('alert').count()).toBe(0);
    expect(await focusedTestId(nina)).toBe('assessment-justification');
    await shoot(nina, assessment, 'assessment');
  });

  it('is said once in a progress report', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { planId, actionId } = await adoptedPlan(server);
    // --- Marat reports more spent than the server takes, a source too long for it and a group name
    // too long (`spentAmount`, `values.0.source`, `values.0.disaggregated.0.group`).
    const marat = await openSignedIn(() => newPage({ viewport: DESK }), base, MINISTRY.email, MEMBER_PASSWORD, `${base}/plans/${planId}/progress`);
    const card = marat.locator(`[data-testid=progress-action][data-target-id="${actionId}"]`);
    await card.getByTestId('report-new').click();
    const report = card.getByTestId('report-form');
    await report.getByTestId('report-spent-input').fill('2000000000000000');
    await report.getByTestId('report-value-input').fill('25');
    await report.getByTestId('report-value-source').fill('Department of Corrections. '.repeat(40));
    await report.getByTestId('report-disaggregated-input').fill(`${'women of every region and age '.repeat(4)}: 11; men: 14`);
    await report.getByTestId('report-save').click();
    expect(await saidOnceAt(report, 'report-spent-input')).toMatch(/^Enter .+ or less\.$/);
    expect(await saidOnceAt(report, 'report-value-source')).toBe('Use at most 1000 characters.');
    expect(await saidOnceAt(report, 'report-disaggregated-input')).toBe('Use at most 100 characters.');
    expect(await report.getByRole('alert').count()).toBe(0);
    expect(await focusedTestId(marat)).toBe('report-spent-input');
    expect(await report.getByTestId('report-saved').count()).toBe(0);
    await shoot(marat, report, 'report');
  });

  it('is said by Accord at the field when the export retention is out of range, not by the browser', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { planId } = await setUpWorkspace(server);
    const olga = await openSignedIn(() => newPage({ viewport: DESK }), base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/export`);
    const form = olga.getByTestId('export-retention-form');
    // The browser's own check would stop the form with a bubble in its language, gone at the next click.
    await form.getByTestId('export-retention-days').fill('0');
    await form.getByTestId('export-retention-save').click();
    expect(await saidOnceAt(form, 'export-retention-days')).toMatch(/^Enter .+\.$/);
    expect(await focusedTestId(olga)).toBe('export-retention-days');
    expect(await olga.getByTestId('past-exports-retention').innerText()).toContain('30 days');
    await shoot(olga, form, 'retention');
  });

  it('leaves no alert of a failed save once a later save succeeds', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { planId } = await setUpWorkspace(server);
    const olga = await openSignedIn(() => newPage({ viewport: DESK }), base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/export`);
    const form = olga.getByTestId('export-retention-form');
    await form.getByTestId('export-retention-days').fill('7');
    // The connection drops as she saves: the form says the server could not be reached.
    await olga.context().setOffline(true);
    await form.getByTestId('export-retention-save').click();
    await expect.poll(() => form.getByRole('alert').count(), { timeout: 10_000 }).toBe(1);
    await olga.context().setOffline(false);
    await form.getByTestId('export-retention-save').click();
    await expect.poll(() => olga.getByTestId('past-exports-retention').innerText(), { timeout: 10_000 }).toContain('7 days');
    await expect.poll(() => form.getByRole('status').innerText()).not.toBe('');
    expect(await form.getByRole('alert').count()).toBe(0);
  });
});
