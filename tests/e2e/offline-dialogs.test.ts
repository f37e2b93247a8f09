import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PlanOutline } from '../../shared/api/index.ts';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, editorOf, openSignedIn, screenshotPath, selectInEditor, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * A ministry coordinator on a train. While the page cannot reach the server, nothing that needs it
 * can be started: deleting a section, an action or a comment, withdrawing a position or her
 * signature, restoring a version or a section from the bin, removing a member. Each button is off
 * with the reason beside it, and on again by itself once she is back. A dialog already open when
 * the connection drops says it needs the connection and waits, keeping what she typed in it. Pages
 * she never opened on this device say they will load once she is back, not "Loading…" for ever.
 */
let server: TestServer;
let coordinator: ApiClient;
let planId = '';
let sectionId = '';
let sectionUrl = '';

const NEEDS = 'You are offline: this needs a connection';
const NEEDS_RU = 'Вы не в сети: для этого нужно соединение';
const LOADS_RU = 'Вы не в сети: это загрузится, когда соединение вернётся';

const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });

async function ok(res: Promise<{ status: number; body: any }>, status = [200, 201, 204]) {
  const r = await res;
  expect(status, JSON.stringify(r.body)).toContain(r.status);
  return r.body;
}

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  let chapterId = '';
  ({ coordinator, planId, chapterId, sectionId } = await setUpWorkspace(server));
  sectionUrl = `${server.url}/plans/${planId}/sections/${sectionId}`;
  await addMember(server, coordinator, planId, 'drafter', {
    name: 'Andrei Petrov',
    email: 'andrei@viasna.example',
    organisation: { name: 'Human Rights Centre Viasna', side: 'civil_society' },
  });
  await ok(coordinator.post(`/api/plans/${planId}/sections/${sectionId}/actions`, { title: 'Train judges on fair-trial standards' }));
  await ok(coordinator.post(`/api/plans/${planId}/sections/${sectionId}/positions`, { text: 'The plan should name the courts it covers.' }));
  await ok(coordinator.post(`/api/plans/${planId}/sections/${sectionId}/versions`, { name: 'Sent to the ministries' }));
  // A section deleted earlier, waiting in the bin.
  const outline = (await ok(coordinator.post(`/api/plans/${planId}/sections`, { chapterId, title: 'Old draft' }))) as PlanOutline;
  const old = outline.chapters[0]!.sections.find((s) => s.title === 'Old draft')!.id;
  await ok(coordinator.delete(`/api/plans/${planId}/sections/${old}`));
  // An invitation not used yet.
  await ok(coordinator.post(`/api/plans/${planId}/invites`, { role: 'commenter', note: 'UN observer' }));
});
afterAll(async () => {
  await server?.destroy();
});

async function waitForState(page: Page, state: string, timeout = 20_000) {
  await page.waitForFunction((s) => document.querySelector('[data-testid=connection-status]')?.getAttribute('data-state') === s, state, { timeout });
}

/** Whether each named button is disabled, by data-testid (the first of each). */
const disabledStates = (page: Page, ids: readonly string[]) => Promise.all(ids.map((id) => page.getByTestId(id).first().isDisabled()));

/** Moves within the app without loading the page again, as following a link in it does. */
async function goWithinApp(page: Page, path: string) {
  await page.evaluate((to) => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page.waitForURL(`**${path}`);
}

describe('offline, what needs the server cannot be started', () => {
  it('on the section page: deleting, withdrawing and restoring are off and say why, and an open dialog waits keeping what was typed', async () => {
    const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, sectionUrl);
    await page.getByTestId('action-card').first().waitFor();
    await page.getByTestId('position').waitFor();
    await editorOf(page).click();
    await page.keyboard.type('The right to a fair trial is guaranteed. Hearings are public.');
    await waitForState(page, 'saved');
    await selectInEditor(page, 'Hearings are public');
    await page.getByTestId('comment-button').click();
    await page.getByTestId('comment-body').fill('Say which courts.');
    await page.getByTestId('comment-submit').click();
    await page.getByTestId('comment').first().waitFor();
    await page.getByTestId('send-for-review').click();
    await expect.poll(() => page.getByTestId('sign-off').isEnabled(), { timeout: 15_000 }).toBe(true);
    await page.getByTestId('sign-off').click();
    await page.getByTestId('sign-off-confirm').click();
    await expect.poll(() => page.getByTestId('signoff-item').count()).toBe(1);

    const buttons = ['section-delete', 'chapter-delete', 'action-delete', 'position-withdraw', 'comment-delete', 'withdraw-my-signature'] as const;
    expect(await disabledStates(page, buttons)).toEqual(buttons.map(() => false));

    // The connection drops: every one of them is off, and the panels say why.
    await page.context().setOffline(true);
    await waitForState(page, 'offline');
    await expect.poll(() => disabledStates(page, buttons)).toEqual(buttons.map(() => true));
    for (const note of ['outline-offline', 'actions-offline', 'positions-offline', 'comments-offline', 'agreement-offline']) {
      expect(await page.getByTestId(note).innerText(), note).toContain(NEEDS);
    }
    // Offline, a button's tooltip says why it is off, too.
    expect(await page.getByTestId('section-delete').first().getAttribute('title')).toContain(NEEDS);
    await page.screenshot({ path: screenshotPath('offline-dialogs-section'), fullPage: true });

    // Back online, they are on again by themselves.
    await page.context().setOffline(false);
    await waitForState(page, 'saved');
    await expect.poll(() => disabledStates(page, buttons)).toEqual(buttons.map(() => false));
    expect(await page.getByTestId('outline-offline').count()).toBe(0);

    // She starts withdrawing her signature and writes why; the connection drops meanwhile.
    await page.getByTestId('withdraw-my-signature').click();
    const dialog = page.getByTestId('withdraw-my-signature-dialog');
    const reason = 'The Ministry of Finance has not costed it yet.';
    await page.getByTestId('withdraw-my-signature-reason').fill(reason);
    await page.context().setOffline(true);
    await waitForState(page, 'offline');
    await expect.poll(() => page.getByTestId('withdraw-my-signature-confirm').isDisabled()).toBe(true);
    expect(await dialog.getByTestId('confirm-dialog-offline').innerText()).toContain(NEEDS);
    expect(await page.getByTestId('withdraw-my-signature-reason').inputValue()).toBe(reason);
    await dialog.screenshot({ path: screenshotPath('offline-dialogs-withdraw-open') });
    // Back online: the dialog is still open with her words, and confirming now works.
    await page.context().setOffline(false);
    await waitForState(page, 'saved');
    await expect.poll(() => page.getByTestId('withdraw-my-signature-confirm').isEnabled()).toBe(true);
    expect(await dialog.getByTestId('confirm-dialog-offline').count()).toBe(0);
    expect(await page.getByTestId('withdraw-my-signature-reason').inputValue()).toBe(reason);
    await page.getByTestId('withdraw-my-signature-confirm').click();
    await expect.poll(() => page.getByTestId('signoff-item').count()).toBe(0);
    expect(await page.getByTestId('withdrawn-signoff').first().innerText()).toContain(reason);

    // A section's versions: restoring one waits too.
    await goWithinApp(page, `/plans/${planId}/sections/${sectionId}/history`);
    const restore = page.getByTestId('version-item').filter({ hasText: 'Sent to the ministries' }).getByTestId('version-restore');
    await restore.waitFor();
    expect(await restore.isDisabled()).toBe(false);
    await page.context().setOffline(true);
    await expect.poll(() => restore.isDisabled()).toBe(true);
    expect(await page.getByTestId('history-offline').innerText()).toContain(NEEDS);
    await page.context().setOffline(false);
    await expect.poll(() => restore.isDisabled()).toBe(false);
    expect(await page.getByTestId('history-offline').count()).toBe(0);
    await page.close();
  }, 150_000);

  it('in Russian: pages never opened say they will load, show what was loaded once back, and their buttons wait offline', async () => {
    await ok(coordinator.request('PUT', '/api/auth/me/language', { language: 'ru' }));
    const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/`);
    // The pages' code is fetched once the browser is idle after sign-in (client/lazyPages.tsx):
    // only their data has never been asked for on this device.
    const chunks = ['AuditPage', 'MembersPage', 'ProgressPage', 'BinPage'];
    await page.waitForFunction(
      (names) => names.every((n) => performance.getEntriesByType('resource').some((e) => e.name.includes(`/assets/${n}-`))),
      chunks,
      { timeout: 20_000 },
    );
    await page.waitForLoadState('networkidle');

    await page.context().setOffline(true);
    const pages = [
      { path: 'audit', note: 'audit-not-loaded' },
      { path: 'members', note: 'members-not-loaded' },
      { path: 'progress', note: 'progress-not-loaded' },
      { path: 'bin', note: 'bin-not-loaded' },
    ];
    for (const { path, note } of pages) {
      await goWithinApp(page, `/plans/${planId}/${path}`);
      await expect.poll(() => page.getByTestId(note).count(), { timeout: 15_000 }).toBe(1);
      expect(await page.getByTestId(note).innerText()).toContain(LOADS_RU);
      expect(await page.locator('main').innerText()).not.toContain('Загрузка');
      await page.screenshot({ path: screenshotPath(`offline-pages-${path}-ru`), fullPage: true });
    }

    // Back online, the page she is on (the bin) fills in by itself; then she visits the others.
    await page.context().setOffline(false);
    await page.getByTestId('bin-entry').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('bin-not-loaded').count()).toBe(0);
    await goWithinApp(page, `/plans/${planId}/audit`);
    await page.getByTestId('audit-table').waitFor({ timeout: 15_000 });
    await goWithinApp(page, `/plans/${planId}/progress`);
    await expect.poll(() => page.getByTestId('progress-not-loaded').count(), { timeout: 15_000 }).toBe(0);
    await goWithinApp(page, `/plans/${planId}/members`);
    await page.getByTestId('members-table').waitFor({ timeout: 15_000 });
    const andrei = page.getByTestId('member-row').filter({ hasText: 'Andrei Petrov' });
    const viasna = page.getByTestId('organisation-row').filter({ hasText: 'Viasna' });
    const onMembersPage = () =>
      Promise.all([
        andrei.getByTestId('member-remove').isDisabled(),
        viasna.getByTestId('organisation-unverify').isDisabled(),
        page.getByTestId('invite-revoke').first().isDisabled(),
        page.getByTestId('create-invite').isDisabled(),
      ]);
    await page.getByTestId('invite-revoke').first().waitFor();
    expect(await onMembersPage()).toEqual([false, false, false, false]);

    // Offline again on a page she has seen: what was loaded stays, and removing a member waits.
    await page.context().setOffline(true);
    await expect.poll(onMembersPage).toEqual([true, true, true, true]);
    for (const note of ['members-offline', 'organisations-offline', 'invite-offline']) {
      expect(await page.getByTestId(note).innerText(), note).toContain(NEEDS_RU);
    }
    expect(await page.getByTestId('members-table').innerText()).toContain('Andrei Petrov');
    await page.screenshot({ path: screenshotPath('offline-pages-members-cached-ru'), fullPage: true });
    await page.context().setOffline(false);
    await expect.poll(onMembersPage, { timeout: 15_000 }).toEqual([false, false, false, false]);
    await page.context().setOffline(true);
    // The bin, seen before: its entries stay, and restoring waits.
    await goWithinApp(page, `/plans/${planId}/bin`);
    await page.getByTestId('bin-entry').first().waitFor();
    expect(await page.getByTestId('bin-restore').first().isDisabled()).toBe(true);
    expect(await page.getByTestId('bin-offline').innerText()).toContain(NEEDS_RU);
    await page.screenshot({ path: screenshotPath('offline-pages-bin-cached-ru'), fullPage: true });
    await page.context().setOffline(false);
    await expect.poll(() => page.getByTestId('bin-restore').first().isDisabled(), { timeout: 15_000 }).toBe(false);
    expect(await page.getByTestId('bin-offline').count()).toBe(0);
    await page.close();
    await ok(coordinator.request('PUT', '/api/auth/me/language', { language: 'en' }));
  }, 150_000);
});
