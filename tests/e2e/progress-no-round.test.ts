import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { agreedPlan, NGO } from '../helpers/monitoring.ts';
import { ok } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD } from '../helpers/workspace.ts';

/**
 * Progress after adoption, before the first reporting round: the page says once that there is no
 * round yet (in the reporting rounds panel, beside the form a coordinator opens one with), not
 * twice, to the coordinator and to a drafter alike. Screenshot: test-output/progress-no-round-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 900 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

/** How many times the page's main content says "No round yet". */
const saidTimes = (page: Page) => page.evaluate(() => document.querySelector('main')!.innerText.split('No round yet').length - 1);

describe('progress before the first round', () => {
  it('says "No round yet" once, to the coordinator and to a drafter', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const plan = await agreedPlan(server);
    await ok(
      plan.coordinator.post(`/api/plans/${plan.planId}/adoption`, {
        act: { title: 'Decree No. 12 on the National Human Rights Plan', number: '12', date: '2026-03-01' },
        monitoringBodyId: plan.ngo.organisationId,
      }),
      200,
    );
    const url = `${server.url}/plans/${plan.planId}/progress`;

    const olga = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, url);
    await expect.poll(() => olga.getByTestId('rounds-empty').innerText()).toContain('No round yet. Open one below');
    expect(await saidTimes(olga)).toBe(1);
    await olga.screenshot({ path: screenshotPath('progress-no-round-coordinator'), fullPage: true });

    const nina = await openSignedIn(newPage, server.url, NGO.email, MEMBER_PASSWORD, url);
    await expect.poll(() => nina.getByTestId('rounds-empty').innerText()).toContain('a coordinator opens one after adoption');
    expect(await saidTimes(nina)).toBe(1);
    await nina.screenshot({ path: screenshotPath('progress-no-round-drafter'), fullPage: true });
  });
});
