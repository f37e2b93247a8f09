import { afterAll, describe, expect, it } from 'vitest';
import type { PlanOutline } from '../../shared/api/index.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { ok } from '../helpers/exportPlan.ts';
import { agreeSection, agreedPlan } from '../helpers/monitoring.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD } from '../helpers/workspace.ts';

/**
 * The coverage page's "Link to an action…" lists every action of the plan. The actions of an agreed
 * section are read-only until a coordinator reopens it, so they are listed without a button and
 * with why, rather than offered and then refused. Each button that is offered is named for the
 * action it links to (a screen reader otherwise hears "Link", "Link", "Link").
 * Screenshot: test-output/coverage-link-agreed.png.
 */
let server: TestServer;
const { newPage } = useBrowser();
afterAll(async () => {
  await server?.destroy();
});

const AGREED_ACTION = 'Train judges on fair trial standards';
const OPEN_ACTION = 'Draft a law on a moratorium on executions';

describe('linking a recommendation to an action from the coverage page', () => {
  it('offers only the actions of sections that are not agreed, each button named for its action', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const plan = await agreedPlan(server, { agree: false });
    const p = `/api/plans/${plan.planId}`;
    // A second section, still in drafting, with an action of its own.
    const outline = (await ok(plan.coordinator.post(`${p}/sections`, { chapterId: plan.chapterId, title: 'Death penalty' }))) as PlanOutline;
    const open = outline.chapters.flatMap((c) => c.sections).find((s) => s.title === 'Death penalty')!;
    await ok(plan.coordinator.post(`${p}/sections/${open.id}/actions`, { title: OPEN_ACTION, leadAgencyId: plan.ministry.organisationId }), 201);
    // A recommendation the State supported and no action addresses yet.
    const rec = await ok(
      plan.coordinator.post(`${p}/recommendations`, { mechanism: 'UPR', stateUnderReview: 'Belarus', text: 'Abolish the death penalty.', position: 'supported' }),
      201,
    );
    // The first section (with the judges' training) is agreed by both sides.
    await agreeSection(plan, plan.sectionId);

    const page = await newPage();
    page.setDefaultTimeout(15_000);
    await signInThroughForm(page, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await page.goto(`${server.url}/plans/${plan.planId}/coverage`);
    const row = page.locator(`[data-testid=coverage-unaddressed-row][data-rec-id="${rec.id}"]`);
    await row.getByTestId('coverage-link-action').click();
    const chooser = row.getByTestId('coverage-action-chooser');
    await chooser.getByText(OPEN_ACTION).waitFor();

    // The agreed section's action is listed, with why, and nothing to press.
    const agreedItem = chooser.getByRole('listitem').filter({ hasText: AGREED_ACTION });
    expect(await agreedItem.count()).toBe(1);
    expect(await agreedItem.getByRole('button').count()).toBe(0);
    const agreedGroup = chooser.locator('[data-testid=coverage-action-group][data-agreed]');
    expect(await agreedGroup.getByTestId('coverage-section-agreed').innerText()).toContain('reopen');

    // The one button offered says which action it links.
    const buttons = chooser.getByTestId('coverage-pick-action');
    expect(await buttons.count()).toBe(1);
    expect(await chooser.getByRole('button', { name: `Link to “${OPEN_ACTION}”`, exact: true }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await chooser.screenshot({ path: screenshotPath('coverage-link-agreed') });

    await chooser.getByRole('button', { name: `Link to “${OPEN_ACTION}”`, exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: OPEN_ACTION }).count()).toBe(1);
    await expect.poll(() => row.count()).toBe(0);
  }, 120_000);
});
