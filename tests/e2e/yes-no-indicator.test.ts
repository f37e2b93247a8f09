import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { monitoredPlan } from '../helpers/monitoringPlan.ts';
import { MEMBER_PASSWORD } from '../helpers/workspace.ts';

/**
 * A structural indicator written "No" → "Yes" in a real browser: the ministry's drafter answers it
 * with a choice of Yes or No (not a number she must guess the meaning of), and the submitted report
 * and the indicator's chart say "Yes". The page's recommendation count says what it is out of. Screenshots go to test-output/yes-no-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 1000 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

describe('a yes/no indicator in the report form', () => {
  it('is answered Yes or No and read back as words', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const m = await monitoredPlan(server, {
      indicator: { type: 'structural', description: 'Optional Protocol to the Convention against Torture ratified', unit: null, baselineValue: 'No', targetValue: 'Yes' },
    });
    const pavel = await openSignedIn(newPage, server.url, 'pavel@justice.example', MEMBER_PASSWORD, `${server.url}/plans/${m.planId}/progress`);
    // The plan holds two recommendations; one is answered by the action. The tile says what its count is out of.
    await expect.poll(() => pavel.getByTestId('recs-followed').innerText()).toMatch(/^1\s+of 2 in the plan$/);
    await pavel.getByTestId('progress-recommendation-counts').screenshot({ path: screenshotPath('yes-no-0-counts') });
    const card = pavel.locator(`[data-testid=progress-action][data-target-id="${m.actionId}"]`);
    await card.getByTestId('report-new').click();
    const form = card.getByTestId('report-form');
    await form.getByTestId('report-status-input').selectOption('completed');
    await form.getByTestId('report-narrative-input').fill('The Optional Protocol was ratified by law.');
    // The action has no currency: the field says "Money spent" and why no currency, not "Money spent ()".
    expect(await form.innerText()).toMatch(/Money spent\s+The action has no currency in its budget./);
    const answer = form.getByTestId('report-value-input');
    expect(await answer.evaluate((el) => el.tagName)).toBe('SELECT');
    expect(await answer.locator('option').allInnerTexts()).toEqual(['Not answered this round', 'Yes', 'No']);
    await answer.selectOption({ label: 'Yes' });
    await form.getByTestId('report-value-date').fill('2026-11-30');
    await form.getByTestId('report-save').click();
    await expect.poll(() => form.getByTestId('report-saved').count()).toBe(1);
    await pavel.screenshot({ path: screenshotPath('yes-no-1-report-form'), fullPage: true });
    await form.getByTestId('report-submit').click();
    await pavel.getByTestId('report-submit-confirm').click();
    const submitted = card.locator('[data-testid=report-view][data-state=submitted]');
    await expect.poll(() => submitted.count()).toBe(1);
    expect(await submitted.getByTestId('report-values').innerText()).toMatch(/Optional Protocol.*\tYes\t/);

    const chart = card.locator(`[data-testid=indicator-chart][data-indicator-id="${m.indicatorId}"]`);
    // The baseline (No) and the target (Yes) are there before the report: wait for the observed row.
    const answers = async () =>
      (await chart.getByTestId('indicator-chart-table').locator('tbody tr').allInnerTexts()).map((r) => r.split('\t').at(-1)!.trim());
    await expect.poll(answers).toEqual(['No', 'Yes', 'Yes']);
    expect(await chart.locator('svg[role=img]').innerHTML()).toContain('<title>Observed: Yes</title>');
    await chart.screenshot({ path: screenshotPath('yes-no-2-chart') });
  });
});
