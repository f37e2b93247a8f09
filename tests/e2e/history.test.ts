import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_DIR, screenshotPath, useBrowser, openSignedIn } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Every change on the record, in real browsers. The disability-rights organisation proposes an
 * indicator on the ministry's action; the ministry coordinator changes its target in the actions
 * panel and reads the indicator's History (who, organisation, when, before → after). When she
 * deletes it, the confirmation asks why (it is another organisation's proposal) and will not go
 * on without a reason; the NGO drafter is told who removed it and why, and the audit log shows it
 * with its before and after. Screenshots go to test-output/history-*.png.
 */
let server: TestServer;
const { newPage } = useBrowser({ viewport: { width: 1360, height: 950 } });
afterAll(async () => {
  await server?.destroy();
});

const DRB = 'Disability Rights Belarus';
const INDICATOR = 'Share of polling stations with step-free access';
const REASON = 'The Central Election Commission does not collect this figure; we will measure it in the 2027 survey instead.';

const openAs = (base: string, email: string, password: string, url: string) => openSignedIn(newPage, base, email, password, url);

describe('item history and proposals in real browsers', () => {
  it('shows an indicator’s history after an edit, and asks for a reason before deleting another organisation’s indicator', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const dina = await addMember(server, coordinator, planId, 'drafter', { name: 'Dina Sokal', email: 'dina@drb.example', organisation: { name: DRB, side: 'civil_society' } });
    const action = await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/actions`, { title: 'Make every polling station accessible', start: '2026', end: '2028' });
    expect(action.status, JSON.stringify(action.body)).toBe(201);
    const indicator = await dina.client.post(`/api/plans/${planId}/actions/${action.body.id}/indicators`, {
      type: 'outcome',
      description: INDICATOR,
      targetValue: '50%',
      targetYear: 2028,
    });
    expect(indicator.status, JSON.stringify(indicator.body)).toBe(201);

    // --- The coordinator changes the indicator's target in the actions panel.
    const olga = await openAs(base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/sections/${sectionId}`);
    const row = olga.getByTestId('indicator-row').filter({ hasText: INDICATOR });
    await row.waitFor();
    expect(await olga.getByTestId('action-card-proposed-by').innerText()).toContain('Ministry of Foreign Affairs');
    expect(await row.innerText()).toContain(DRB);
    await row.getByTestId('indicator-edit').click();
    await olga.getByTestId('indicator-target-value').fill('20%');
    await olga.getByTestId('indicator-save').click();
    await expect.poll(() => row.innerText()).toContain('20%');

    // --- Its History: newest first, who and from which organisation, before → after.
    await row.getByTestId('indicator-history').click();
    const dialog = olga.getByTestId('history-dialog');
    await dialog.getByTestId('history-entry').first().waitFor();
    const entries = dialog.getByTestId('history-entry');
    expect(await entries.count()).toBe(2);
    const edit = entries.nth(0);
    expect(await edit.getAttribute('data-action')).toBe('indicator.updated');
    expect(await edit.getByTestId('history-who').innerText()).toBe('Olga Coordinator');
    expect(await edit.innerText()).toContain('(Ministry of Foreign Affairs)');
    const target = edit.locator('[data-testid=history-change][data-field=targetValue]');
    expect(await target.getByTestId('history-before').innerText()).toBe('50%');
    expect(await target.getByTestId('history-after').innerText()).toBe('20%');
    expect(await entries.nth(1).getAttribute('data-action')).toBe('indicator.created');
    expect(await entries.nth(1).innerText()).toContain(`Dina Sokal (${DRB})`);
    await olga.screenshot({ path: screenshotPath('history-indicator') });
    await dialog.getByTestId('history-close').click();
    // Focus goes back to the button that opened the history, for people using the keyboard.
    await expect.poll(() => olga.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('indicator-history');

    // --- Deleting it: the confirmation asks why, and will not go on without a reason.
    await row.getByTestId('indicator-delete').click();
    const confirm = olga.getByTestId('confirm-dialog').filter({ has: olga.getByTestId('removal-reason') });
    await confirm.waitFor();
    expect(await confirm.getByTestId('removal-reason').innerText()).toContain(`${DRB} proposed this`);
    expect(await confirm.getByTestId('confirm-dialog-confirm').isDisabled()).toBe(true);
    await confirm.getByTestId('removal-reason-input').fill(REASON);
    expect(await confirm.getByTestId('confirm-dialog-confirm').isDisabled()).toBe(false);
    await olga.screenshot({ path: screenshotPath('history-reason-prompt') });
    await confirm.getByTestId('confirm-dialog-confirm').click();
    await expect.poll(() => olga.getByTestId('indicator-row').count()).toBe(0);

    // The action's history now ends with the deletion and its reason.
    await olga.getByTestId('action-history').click();
    const actionHistory = olga.getByTestId('history-dialog');
    await actionHistory.getByTestId('history-entry').first().waitFor();
    expect(await actionHistory.getByTestId('history-entry').first().getAttribute('data-action')).toBe('indicator.deleted');
    expect(await actionHistory.getByTestId('history-reason').first().innerText()).toContain(REASON);
    await olga.screenshot({ path: screenshotPath('history-action') });
    await actionHistory.getByTestId('history-close').click();

    // --- The proposing organisation is told who removed it and why.
    const ngo = await openAs(base, 'dina@drb.example', MEMBER_PASSWORD, `${base}/plans/${planId}/sections/${sectionId}`);
    await expect.poll(() => ngo.getByTestId('notifications-button').getAttribute('data-unread'), { timeout: 35_000 }).not.toBe('0');
    await ngo.getByTestId('notifications-button').click();
    const notice = ngo.getByTestId('notification').filter({ hasText: 'deleted the indicator' });
    expect(await notice.innerText()).toContain(`Olga Coordinator (Ministry of Foreign Affairs) deleted the indicator “${INDICATOR}” proposed by ${DRB}. Reason:`);
    await ngo.screenshot({ path: screenshotPath('history-notice') });

    // --- Moving an action down is on its record too.
    await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/actions`, { title: 'Train polling station staff' });
    const titles = () => olga.getByTestId('action-card-title').allInnerTexts();
    await expect.poll(titles).toHaveLength(2);
    const first = olga.getByTestId('action-card').filter({ hasText: 'Make every polling station accessible' });
    await first.getByTestId('action-move-down').click();
    await expect.poll(async () => (await titles())[1]).toContain('Make every polling station accessible');
    await first.getByTestId('action-history').click();
    const moved = olga.getByTestId('history-dialog').getByTestId('history-entry').first();
    await moved.waitFor();
    expect(await moved.getAttribute('data-action')).toBe('action.moved');
    expect(await moved.locator('[data-testid=history-change][data-field=position]').innerText()).toMatch(/place 1\s+place 2/);
    await olga.getByTestId('history-close').click();

    // --- The audit log: filtered to indicators, with before and after.
    await olga.goto(`${base}/plans/${planId}/audit`);
    await olga.getByTestId('audit-filter-kind').selectOption('indicator');
    const deletedRow = olga.locator('[data-testid=audit-row][data-action="indicator.deleted"]');
    await deletedRow.waitFor();
    await expect.poll(() => olga.getByTestId('audit-row').count()).toBe(3);
    expect(await deletedRow.innerText()).toContain(REASON);
    await deletedRow.getByTestId('audit-changes').locator('summary').click();
    expect(await deletedRow.locator('[data-testid=history-change][data-field=targetValue]').getByTestId('history-before').innerText()).toBe('20%');
    await olga.screenshot({ path: screenshotPath('history-audit'), fullPage: true });
  }, 180_000);
});
