import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { importFile } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';
import { toAccordJson } from '../../server/import/index.ts';

/**
 * The ministry's drafter opens "Link recommendations" on an action of "Abolition of the death
 * penalty": the picker opens on the recommendation the section already cites and those on the
 * death penalty, not on the registry's first items.
 */
let server: TestServer;
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterAll(async () => {
  await server?.destroy();
});
const ref = (n: number) => `UPR-S8-${String(n).padStart(3, '0')}`;

describe('the recommendation picker opens on what the section is about', () => {
  it('shows the cited recommendation, then those matching the section title, before the rest', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    await importFile(coordinator, planId, 'recs.json', toAccordJson(Array.from({ length: 40 }, (_, i) => sampleRecommendation(i + 1))));
    expect((await coordinator.patch(`/api/plans/${planId}/sections/${sectionId}`, { title: 'Abolition of the death penalty' })).status).toBe(200);
    const cited = (await coordinator.get(`/api/plans/${planId}/recommendations?q=${ref(23)}&limit=1`)).body.items[0];
    const first = await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/actions`, { title: 'Protect women in detention' });
    expect((await coordinator.post(`/api/plans/${planId}/actions/${first.body.id}/recommendations/${cited.id}`, {})).status).toBe(200);
    const second = await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/actions`, { title: 'Introduce a moratorium on executions' });
    expect(second.status).toBe(201);

    const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/plans/${planId}/sections/${sectionId}`);
    const card = page.getByTestId('action-card').filter({ hasText: 'Introduce a moratorium on executions' });
    await card.getByTestId('link-recs-open').click();
    const results = card.getByTestId('link-recs-result');
    await expect.poll(() => results.count(), { timeout: 10_000 }).toBeGreaterThan(9);
    const shown = await results.locator('.link-picker__ref strong').allInnerTexts();
    expect(shown[0]).toBe(ref(23));
    expect(new Set(shown.slice(1, 9))).toEqual(new Set([5, 10, 15, 20, 25, 30, 35, 40].map(ref)));
    expect(await card.getByTestId('link-recs-near-section').count()).toBe(1);
    await card.getByTestId('link-recs').screenshot({ path: screenshotPath('link-recs-near-section') });

    // Typing searches the registry as before; the note about the section's order goes.
    await card.getByTestId('link-recs-search').fill('torture');
    await expect.poll(() => card.getByTestId('link-recs-near-section').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(async () => (await results.first().innerText()).toLowerCase()).toContain('torture');
  }, 120_000);
});
