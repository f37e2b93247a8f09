import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Versions hold actions and indicators, in a real browser: after an indicator is changed and
 * another deleted, the section's history compares the version with the current state and lists
 * both indicator changes, field by field, beside the text diff; the restore dialog says actions
 * come back too; after restoring, the deleted indicator is back; the whole-plan comparison counts
 * action changes per section. Screenshots go to test-output/versions-*.png.
 */
let server: TestServer | undefined;
const peers: Peer[] = [];
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
  server = undefined;
});

async function ok<T = any>(res: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

describe('versions with actions in a real browser', () => {
  it('the compare view lists indicator changes beside the text; restoring brings the deleted indicator back', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const p = `/api/plans/${planId}`;

    const peer = connectPeer(server.url, coordinator, sectionId);
    peers.push(peer);
    await peer.synced();
    peer.typeParagraph('Everyone deprived of liberty is treated with humanity.');
    await eventually(() => expect(peer.isSaved()).toBe(true));
    const action = await ok(
      coordinator.post(`${p}/sections/${sectionId}/actions`, { title: 'Independent monitoring of places of detention', start: '2026', end: '2028' }),
      201,
    );
    const visits = await ok(
      coordinator.post(`${p}/actions/${action.id}/indicators`, {
        type: 'process',
        description: 'Unannounced visits to detention facilities per year',
        baselineValue: '0',
        baselineYear: 2025,
        targetValue: '24',
        targetYear: 2028,
      }),
      201,
    );
    const complaints = await ok(
      coordinator.post(`${p}/actions/${action.id}/indicators`, { type: 'outcome', description: 'Complaints of ill-treatment investigated', targetValue: '100%' }),
      201,
    );
    const group = await ok(coordinator.post(`${p}/versions`, { name: 'Sent to the ministries' }), 201);
    await ok(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'Agreed with the ombudsperson' }), 201);
    // As a version kept before versions held actions is stored.
    const old = await ok(coordinator.post(`${p}/sections/${sectionId}/versions`, { name: 'Kept before actions were versioned' }), 201);
    await server.sql.run(sql`UPDATE versions SET actions = NULL WHERE id = ${old.id}`);

    // Later: the text grows, the target is lowered, an indicator is deleted, the action is renamed.
    peer.typeParagraph('Visits may be refused on security grounds.');
    await eventually(() => expect(peer.isSaved()).toBe(true));
    await ok(coordinator.patch(`${p}/indicators/${visits.id}`, { targetValue: '6' }));
    await ok(coordinator.delete(`${p}/indicators/${complaints.id}`), 204);
    await ok(coordinator.patch(`${p}/actions/${action.id}`, { title: 'Monitoring of places of detention' }));

    const page = await newPage();
    page.setDefaultTimeout(15_000);
    await signInThroughForm(page, base, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await page.goto(`${base}/plans/${planId}/sections/${sectionId}/history`);
    const row = page.getByTestId('version-item').filter({ hasText: 'Agreed with the ombudsperson' });
    await row.getByTestId('version-compare-current').click();

    // The text diff, and beside it the action and both indicator changes.
    await expect.poll(() => page.getByTestId('diff').innerText()).toContain('Visits may be refused on security grounds.');
    const actionsDiff = page.getByTestId('actions-diff');
    await expect.poll(() => actionsDiff.getByTestId('actions-diff-summary').innerText()).toBe(
      'Actions: 0 added, 0 removed, 1 changed. Indicators: 0 added, 1 removed, 1 changed.',
    );
    const changedAction = actionsDiff.locator('[data-testid=actions-diff-action][data-change=changed]');
    const title = changedAction.locator('[data-testid=actions-diff-field][data-field=title]');
    expect(await title.locator('del').innerText()).toContain('Independent monitoring of places of detention');
    expect(await title.locator('ins').innerText()).toContain('Monitoring of places of detention');
    const changedIndicator = actionsDiff.locator('[data-testid=actions-diff-indicator][data-change=changed]');
    expect(await changedIndicator.innerText()).toContain('Unannounced visits to detention facilities per year');
    const target = changedIndicator.locator('[data-testid=actions-diff-field][data-field=targetValue]');
    expect(await target.locator('th').innerText()).toBe('Target');
    expect(await target.locator('del').innerText()).toContain('24');
    expect(await target.locator('ins').innerText()).toContain('6');
    const removedIndicator = actionsDiff.locator('[data-testid=actions-diff-indicator][data-change=removed]');
    expect(await removedIndicator.innerText()).toContain('Removed');
    expect(await removedIndicator.innerText()).toContain('Complaints of ill-treatment investigated');
    expect(await removedIndicator.locator('[data-field=type] del').innerText()).toContain('Outcome');
    await actionsDiff.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('versions-compare'), fullPage: true });
    await actionsDiff.screenshot({ path: screenshotPath('versions-compare-actions') });

    // Restore: the dialog says the actions come back too; afterwards the deleted indicator is there again.
    await row.getByTestId('version-restore').click();
    await expect.poll(() => page.getByTestId('version-restore-actions').innerText()).toContain('actions and indicators are brought back');
    // ...and whose writing it takes back: Olga typed the paragraph about refusals since then.
    await expect.poll(() => page.getByTestId('version-restore-writers').innerText()).toBe(
      'It takes back what was written since then by Olga Coordinator (Ministry of Foreign Affairs).',
    );
    await page.screenshot({ path: screenshotPath('versions-restore-dialog') });
    await page.getByTestId('version-restore-confirm').click();
    await expect.poll(() => page.locator('.alert--info').innerText()).toContain('restored as a new change, with its actions and indicators');
    expect(await page.locator('.alert--info').innerText()).toContain('Indicators: 1 added, 0 removed, 1 changed.');
    await page.screenshot({ path: screenshotPath('versions-restored'), fullPage: true });
    const actions = await ok(coordinator.get(`${p}/sections/${sectionId}/actions`));
    expect(actions[0].title).toBe('Independent monitoring of places of detention');
    expect(actions[0].indicators.map((i: { id: string; targetValue: string }) => [i.id, i.targetValue])).toEqual([
      [visits.id, '24'],
      [complaints.id, '100%'],
    ]);

    // The whole-plan comparison counts the action changes per section (the restore undid them, so change the target again).
    await ok(coordinator.patch(`${p}/indicators/${visits.id}`, { targetValue: '12' }));
    await page.goto(`${base}/plans/${planId}/history`);
    await page.getByTestId('compare-from').selectOption(group.groupId);
    await page.getByTestId('version-compare').click();
    await expect.poll(() => page.getByTestId('plan-compare-actions').first().innerText()).toBe('0 added, 0 removed, 1 changed');
    await page.screenshot({ path: screenshotPath('versions-plan-compare'), fullPage: true });

    // A version kept before versions held actions is marked, compares as text only and says it will restore text only.
    await page.goto(`${base}/plans/${planId}/sections/${sectionId}/history`);
    const oldRow = page.getByTestId('version-item').filter({ hasText: 'Kept before actions were versioned' });
    expect(await oldRow.getByTestId('version-text-only').innerText()).toBe('Text only');
    await oldRow.getByTestId('version-compare-current').click();
    await expect.poll(() => page.getByTestId('actions-diff-text-only').innerText()).toContain('only their text can be compared');
    await oldRow.getByTestId('version-restore').click();
    await expect.poll(() => page.getByTestId('version-restore-actions').innerText()).toContain('only its text will be restored');
    await page.screenshot({ path: screenshotPath('versions-text-only') });
  });
});
