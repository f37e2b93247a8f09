import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiClient } from '../helpers/api.ts';
import { BELARUS_FILES, belarusPath } from '../helpers/belarusData.ts';
import { seriousViolations, type AxeViolation } from '../helpers/axe.ts';
import { CLIENT_DIR, editorOf, selectInEditor, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { ok } from '../helpers/exportPlan.ts';
import { publishedPlan } from '../helpers/publicRecord.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, COORDINATOR_PASSWORD, MEMBER_PASSWORD, setUpSampleWorkspace } from '../helpers/workspace.ts';

/**
 * Every page of the app and every dialog or panel on them, checked with axe-core as a person
 * reaches them: no serious or critical violation anywhere (issue #17). A coordinator of the sample
 * plan goes through the pages; a civil society drafter makes a suggestion for her to see; a
 * visitor with no account opens the invite and password-reset links. Each check names the page
 * or dialog, and the failure lists every violation with the elements it was found on.
 */
let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;
/** A section the other checks leave alone (no suggestion pending), so it can be signed. */
let untouchedSectionId: string;
let inviteToken: string;
let resetUrl: string;
const OLGA = 'olga@mfa.example';
const NGO = { name: 'Maryna Ivanova', email: 'maryna@helsinki.example', organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' as const } };
const { newPage } = useBrowser();

/** Problems found so far, per page or dialog: the test fails with all of them, not the first. */
type Found = Array<{ where: string; violations: AxeViolation[] }>;

async function check(page: Page, where: string, found: Found) {
  // Let the page settle (fonts, lazy chunks, live data) before judging it.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const violations = await seriousViolations(page);
  if (violations.length > 0) found.push({ where: `${where} (${new URL(page.url()).pathname})`, violations });
}

function report(found: Found): string {
  return found
    .map(({ where, violations }) => `${where}:\n` + violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n'))
    .join('\n');
}

const expectClean = (found: Found) => expect(found, report(found)).toEqual([]);

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const sample = await setUpSampleWorkspace(server);
  const { outline } = sample;
  coordinator = sample.coordinator;
  planId = sample.planId;
  sectionId = outline.chapters[0]!.sections[0]!.id;
  untouchedSectionId = outline.chapters.flatMap((c) => c.sections).at(-1)!.id;
  await addMember(server, coordinator, planId, 'drafter', NGO);
  const ministry = await addMember(server, coordinator, planId, 'drafter', {
    name: 'Ihar Sokal',
    email: 'ihar@justice.example',
    organisation: { name: 'Ministry of Justice', side: 'government' },
  });
  inviteToken = (await ok(coordinator.post(`/api/plans/${planId}/invites`, { role: 'commenter' }), 201)).token;
  resetUrl = (await ok(coordinator.post(`/api/plans/${planId}/members/${ministry.userId}/password-reset`, {}), 201)).url;
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

describe('axe on every page and dialog', () => {
  it('the set-up page of a fresh server, with its errors shown', async () => {
    const found: Found = [];
    const fresh = await startTestServer({ clientDir: CLIENT_DIR });
    onTestFinished(() => fresh.destroy());
    const page = await newPage();
    await page.goto(fresh.url + '/');
    await page.waitForURL('**/setup');
    await check(page, 'set-up', found);
    // Submitting empty shows every field's error, linked to its input.
    await page.getByTestId('setup-submit').click();
    await page.locator('[aria-invalid=true]').first().waitFor();
    await check(page, 'set-up with errors', found);
    const name = page.getByTestId('setup-name');
    const describedBy = (await name.getAttribute('aria-describedby')) ?? '';
    const described = await page.evaluate((ids) => ids.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '), describedBy);
    expect(described).toMatch(/error/i);
    // Focus goes to the first field that needs fixing, not back to the top of the page.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('setup-name');
    expectClean(found);
  }, 60_000);

  it('the pages someone reaches without being signed in', async () => {
    const found: Found = [];
    const page = await newPage();
    await page.goto(server.url + '/sign-in');
    await page.getByTestId('sign-in-form').waitFor();
    await check(page, 'sign-in', found);
    await page.getByTestId('sign-in-submit').click();
    await page.locator('[aria-invalid=true]').first().waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sign-in-email');
    await check(page, 'sign-in with an error', found);
    await page.goto(`${server.url}/invite/${inviteToken}`);
    await page.getByTestId('invite-form').waitFor();
    await check(page, 'invite landing', found);
    await page.goto(`${server.url}/invite/not-a-real-token-at-all`);
    await page.getByTestId('invite-invalid').waitFor();
    await check(page, 'invite landing, invalid link', found);
    await page.goto(resetUrl);
    await page.getByTestId('reset-form').waitFor();
    await check(page, 'reset password', found);
    await page.goto(`${server.url}/no/such/page`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await check(page, 'not found', found);
    expectClean(found);
  }, 60_000);

  it('the signed-in pages and their dialogs', async () => {
    const found: Found = [];
    const page = await newPage();
    page.setDefaultTimeout(15_000);
    await signInThroughForm(page, server.url, OLGA, COORDINATOR_PASSWORD);
    await page.getByTestId('plan-list').waitFor();
    await check(page, 'plans list', found);

    // The Account page: password, sessions, trusted browsers, and the question before forgetting one.
    await page.goto(`${server.url}/account`);
    await page.getByTestId('session-list').waitFor();
    await page.getByTestId('trusted-browser').first().waitFor();
    await check(page, 'account', found);
    await page.getByTestId('forget-browser').first().click();
    await page.getByTestId('forget-browser-dialog').getByTestId('confirm-dialog-confirm').waitFor();
    await check(page, 'account: forget a browser', found);
    await page.keyboard.press('Escape');

    const p = `${server.url}/plans/${planId}`;
    await page.goto(p);
    await page.getByTestId('outline').waitFor();
    await check(page, 'plan', found);

    // The open section: editor, suggestions, comments, agreement, actions.
    await page.goto(`${p}/sections/${sectionId}`);
    await editorOf(page).waitFor();
    await page.getByTestId('connection-status').and(page.locator('[data-state=saved]')).waitFor();
    await check(page, 'section editor', found);

    const firstWords = (await editorOf(page).locator('p').first().innerText()).split(/\s+/).slice(0, 3).join(' ');
    await selectInEditor(page, firstWords);
    await page.getByTestId('comment-button').click();
    await page.getByTestId('comment-form').waitFor();
    await check(page, 'new comment form', found);
    await page.getByTestId('comment-body').fill('Which law is meant here?');
    await page.getByTestId('comment-submit').click();
    await page.getByTestId('thread').first().waitFor();
    await check(page, 'comment thread', found);

    await page.getByTestId('add-action').click();
    await page.getByTestId('action-form').waitFor();
    await check(page, 'action form', found);
    await page.getByTestId('action-title').fill('Establish a moratorium on executions');
    await page.getByTestId('action-save').click();
    await page.getByTestId('action-card').first().waitFor();
    await check(page, 'action card', found);

    await page.getByTestId('link-recs-open').first().click();
    await page.getByTestId('link-recs').waitFor();
    await check(page, 'link recommendations picker', found);
    await page.getByTestId('link-recs-close').click();

    await page.getByTestId('add-indicator').first().click();
    await page.getByTestId('indicator-form').waitFor();
    await check(page, 'indicator form', found);
    await page.keyboard.press('Escape');

    await page.getByTestId('action-delete').first().click();
    await page.getByTestId('confirm-dialog').filter({ visible: true }).waitFor();
    await check(page, 'remove action dialog', found);
    // A destructive confirmation opens on Cancel, not on the destructive button.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('confirm-dialog-cancel');
    await page.keyboard.press('Escape');

    await page.getByTestId('sign-off').click();
    await page.getByTestId('sign-off-dialog').waitFor();
    await check(page, 'sign-off dialog', found);
    await page.getByTestId('sign-with-reservation').check();
    await page.getByTestId('sign-reservation').waitFor();
    await check(page, 'sign-off with a reservation', found);
    await page.keyboard.press('Escape');

    await page.getByTestId('position-new').click();
    await page.getByTestId('position-text-input').waitFor();
    await check(page, 'dissenting position form', found);

    await page.getByTestId('action-history').first().click();
    await page.getByTestId('history-dialog').waitFor();
    await check(page, 'item history dialog', found);
    await page.getByTestId('history-close').click();

    // A suggestion by the civil society drafter, seen by the coordinator in her panel.
    const ngoPage = await newPage();
    ngoPage.setDefaultTimeout(15_000);
    await signInThroughForm(ngoPage, server.url, NGO.email, MEMBER_PASSWORD);
    await ngoPage.goto(`${p}/sections/${sectionId}`);
    await editorOf(ngoPage).waitFor();
    await ngoPage.getByTestId('mode-suggesting').check();
    await check(ngoPage, 'section editor in suggesting mode', found);
    await editorOf(ngoPage).click();
    await ngoPage.keyboard.press('Control+Home');
    await ngoPage.keyboard.type('Indeed, ');
    await check(ngoPage, 'suggestion being typed', found);
    await page.getByTestId('suggestion-card').first().waitFor();
    await check(page, 'suggestions panel with a suggestion', found);
    await page.getByTestId('suggestion-reject').first().click();
    await page.getByTestId('suggestions-confirm').waitFor();
    await check(page, 'reject suggestion dialog', found);
    // Rejecting is destructive: the dialog opens on Cancel (client/ui/ConfirmDialog.tsx); the reason
    // field is above the buttons, back past Reject.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('confirm-dialog-cancel');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('suggestions-reason');
    await page.keyboard.press('Escape');

    // Section history: versions and comparing them.
    await page.getByTestId('section-history-tab').click();
    await page.getByTestId('section-history').waitFor();
    await page.getByTestId('version-name').fill('First reading');
    await page.getByTestId('version-save').click();
    await page.getByTestId('version-item').first().waitFor();
    await check(page, 'section history', found);
    await page.getByTestId('version-compare-current').first().click();
    await page.getByTestId('diff-summary').waitFor();
    await check(page, 'section compare', found);
    await page.getByTestId('version-restore').first().click();
    await page.getByTestId('version-restore-dialog').waitFor();
    await check(page, 'restore version dialog', found);
    await page.keyboard.press('Escape');

    // Each page, once what it shows has arrived (its heading, then the element named here).
    const pages: Array<[string, string, string]> = [
      ['recommendations', `${p}/recommendations`, '[data-testid=rec-table]'],
      ['coverage', `${p}/coverage`, '[data-testid=coverage-totals]'],
      ['members', `${p}/members`, '[data-testid=members-table]'],
      ['audit', `${p}/audit`, '[data-testid=audit-table]'],
      ['plan history', `${p}/history`, '[data-testid=version-name]'],
      ['export', `${p}/export`, '[data-testid=export-start]'],
      ['bin', `${p}/bin`, 'main h1'],
      ['progress', `${p}/progress`, 'main h1'],
      ['adoption', `${p}/adopt`, 'main h1'],
      ['public record', `${p}/public-record`, 'main h1'],
    ];
    for (const [name, url, selector] of pages) {
      await page.goto(url);
      await page.locator('main h1').first().waitFor();
      await page.locator(selector).first().waitFor();
      await page.getByRole('status').filter({ hasText: /^Loading/ }).waitFor({ state: 'detached' }).catch(() => undefined);
      await check(page, name, found);
    }

    await page.goto(`${p}/recommendations`);
    await page.getByTestId('rec-row').first().click();
    await page.getByTestId('rec-detail').waitFor();
    await check(page, 'recommendation detail', found);
    await page.getByTestId('rec-edit').click();
    await page.getByTestId('rec-edit-form').waitFor();
    await check(page, 'edit recommendation', found);
    await page.getByTestId('rec-add-open').click();
    await page.getByTestId('rec-add-form').waitFor();
    await check(page, 'add recommendation', found);
    await page.getByTestId('rec-add-save').click();
    await page.getByTestId('rec-add-form').locator('.field__error').first().waitFor();
    await check(page, 'add recommendation with its errors', found);
    await page.getByTestId('rec-add-text').fill('Ensure that the Bar is independent of the executive.');
    await page.getByTestId('rec-add-save').click();
    await page.getByTestId('rec-add').waitFor({ state: 'detached' });
    await page.getByTestId('rec-edit').click();
    await page.getByTestId('rec-edit-text').waitFor();
    await check(page, 'edit a recommendation entered by hand', found);
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-wizard').waitFor();
    await check(page, 'import wizard', found);
    await page.getByTestId('import-file').setInputFiles(belarusPath(BELARUS_FILES.verbatimCsv));
    await page.getByTestId('import-upload').click();
    await page.getByTestId('import-preview').waitFor();
    await check(page, 'import preview', found);

    await page.goto(`${p}/members`);
    await page.getByTestId('members-table').waitFor();
    await page.getByTestId('create-invite').click();
    await page.getByTestId('invite-created').waitFor();
    await check(page, 'invite created', found);
    // Her own row's button is disabled (she is the plan's only coordinator): the first one that works.
    await page.locator('[data-testid=member-remove]:enabled').first().click();
    await page.getByTestId('confirm-dialog').filter({ visible: true }).waitFor();
    await check(page, 'remove member dialog', found);
    await page.keyboard.press('Escape');
    await page.getByTestId('invite-revoke').first().click();
    await page.getByTestId('invite-revoke-dialog').waitFor();
    await check(page, 'revoke invite dialog', found);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('confirm-dialog-cancel');
    await page.keyboard.press('Escape');

    await page.goto(`${p}/history`);
    await page.getByTestId('version-name').fill('Before the consultation');
    await page.getByTestId('version-save').click();
    await page.getByTestId('version-item').first().waitFor();
    await page.getByTestId('version-compare').click();
    await page.getByTestId('plan-compare').waitFor();
    await check(page, 'plan compare', found);

    await page.goto(`${p}/export`);
    await page.getByTestId('export-start').click();
    await page.getByTestId('export-download').waitFor({ timeout: 60_000 });
    await check(page, 'export done', found);

    // The outline: binning a section asks first.
    await page.goto(`${p}/sections/${sectionId}`);
    await page.getByTestId('outline').waitFor();
    await page.getByTestId('section-delete').first().click();
    await page.getByTestId('confirm-dialog').filter({ visible: true }).waitFor();
    await check(page, 'bin section dialog', found);
    await page.keyboard.press('Escape');

    expectClean(found);
  }, 240_000);

  it("a chapter's own sign-off rule dialog", async () => {
    const found: Found = [];
    const page = await newPage();
    page.setDefaultTimeout(15_000);
    await signInThroughForm(page, server.url, OLGA, COORDINATOR_PASSWORD);
    await page.goto(`${server.url}/plans/${planId}/sections/${sectionId}`);
    await page.getByTestId('chapter-rule-open').first().click();
    const dialog = page.getByTestId('chapter-rule-dialog');
    await dialog.waitFor();
    await check(page, 'chapter sign-off rule dialog', found);
    await dialog.getByTestId('chapter-rule-use-own').check();
    await dialog.getByTestId('chapter-rule-fields').waitFor();
    await check(page, "chapter sign-off rule dialog, the chapter's own rule", found);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expectClean(found);
  }, 60_000);

  it('the public record of a published plan, asking before it is unpublished', async () => {
    const found: Found = [];
    const published = await startTestServer({ clientDir: CLIENT_DIR });
    onTestFinished(() => published.destroy());
    const plan = await publishedPlan(published);
    const page = await newPage();
    page.setDefaultTimeout(15_000);
    await signInThroughForm(page, published.url, OLGA, COORDINATOR_PASSWORD);
    await page.goto(`${published.url}/plans/${plan.planId}/public-record`);
    await page.getByTestId('unpublish-open').click();
    await page.getByTestId('unpublish-dialog').waitFor();
    await check(page, 'unpublish dialog', found);
    // Taking a plan off the public record opens on Cancel, not on the button that does it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('confirm-dialog-cancel');
    await page.keyboard.press('Escape');
    await page.getByTestId('unpublish-dialog').waitFor({ state: 'hidden' });
    expectClean(found);
  }, 120_000);

  it('the section editor and the sign-off dialog in Russian, whose longer words must still fit and contrast', async () => {
    const found: Found = [];
    const page = await newPage();
    page.setDefaultTimeout(15_000);
    await signInThroughForm(page, server.url, OLGA, COORDINATOR_PASSWORD);
    // The language is remembered for her account: English again for whatever runs next.
    onTestFinished(async () => {
      await page.getByTestId('language-switch').selectOption('en').catch(() => undefined);
      await page.locator('html[lang=en]').waitFor().catch(() => undefined);
    });
    await page.goto(`${server.url}/plans/${planId}/sections/${untouchedSectionId}`);
    await editorOf(page).waitFor();
    await page.getByTestId('language-switch').selectOption('ru');
    await page.locator('html[lang=ru]').waitFor({ state: 'attached' });
    await page.getByTestId('connection-status').and(page.locator('[data-state=saved]')).waitFor();
    expect(await page.getByTestId('sign-off').innerText()).not.toMatch(/^Sign/);
    await check(page, 'section editor in Russian', found);
    // Longer words must wrap, not push the page sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await page.getByTestId('sign-off').click();
    await page.getByTestId('sign-off-dialog').waitFor();
    await check(page, 'sign-off dialog in Russian', found);
    await page.getByTestId('sign-with-reservation').check();
    await page.getByTestId('sign-reservation').waitFor();
    await check(page, 'sign-off with a reservation in Russian', found);
    await page.keyboard.press('Escape');
    await page.getByTestId('add-action').click();
    await page.getByTestId('action-form').waitFor();
    await check(page, 'action form in Russian', found);
    expectClean(found);
  }, 90_000);
});
