import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpSampleWorkspace } from '../helpers/workspace.ts';
import { RecommendationGroupPageSchema } from '../../shared/api/index.ts';

/**
 * On the Belarus sample plan, the coordinator asks Accord for groups of recommendations that say
 * the same thing, sees the report's own group 97.21 (three States asking Belarus to combat racial
 * discrimination) proposed, and confirms it in the browser; the recommendation's detail then names
 * the other two, and the group is confirmed on the server in her name.
 */
let server: TestServer;
const { newPage } = useBrowser();
afterAll(async () => {
  await server?.destroy();
});

describe('groups of recommendations in the browser', () => {
  it('a coordinator confirms a proposed group', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { coordinator, planId } = await setUpSampleWorkspace(server);
    const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/plans/${planId}/recommendations`);

    await page.getByTestId('rec-groups-empty').waitFor();
    await page.getByTestId('rec-groups-propose').click();
    const group = page.getByTestId('rec-group').filter({ hasText: '97.21a' });
    await group.waitFor();
    await group.getByTestId('rec-group-confirm').click();
    await page.getByTestId('rec-groups-confirmed-count').waitFor();
    // The confirmed group is no longer among those to review.
    await group.waitFor({ state: 'detached' });
    await page.screenshot({ path: screenshotPath('recommendation-groups-confirmed') });

    const confirmed = RecommendationGroupPageSchema.parse((await coordinator.get(`/api/plans/${planId}/recommendation-groups?status=confirmed`)).body);
    expect(confirmed.total).toBe(1);
    expect(confirmed.items[0]!.members.map((m) => m.reference.replace(/^.*-/, ''))).toEqual(['97.21a', '97.21b', '97.21c']);
    expect(confirmed.items[0]!.confirmed?.name).toBe('Olga Coordinator');

    // The detail of one member names the others.
    await page.goto(`${server.url}/plans/${planId}/recommendations?rec=${confirmed.items[0]!.members[0]!.id}`);
    const detail = page.getByTestId('rec-detail-group');
    await detail.waitFor();
    expect(await detail.textContent()).toContain('97.21b');
    expect(await detail.textContent()).toContain('97.21c');

    // Coverage counts the three as one ask.
    const asks = page.getByTestId('coverage-asks');
    await asks.waitFor();
    expect(await asks.textContent()).toContain('165 asks');
  });
});
