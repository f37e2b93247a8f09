import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, screenshotPath, setUpThroughForm, useBrowser, createPlanThroughForm } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * At the review, Belarus pledged on its own to submit its overdue treaty reports. No file lists the
 * pledge, so the coordinator enters it through the form and ticks "A voluntary pledge": the
 * position turns to Supported (a State supports its own pledge), the list and the detail mark it as
 * a pledge, and the API says so. Corrected later, it can be made a recommendation again.
 */
let server: TestServer;
const { newPage } = useBrowser();
afterAll(async () => {
  await server?.destroy();
});

const PLEDGE = 'Submit the overdue periodic reports to the treaty bodies by the end of 2027.';

describe('a voluntary pledge entered by hand', () => {
  it('is entered as a pledge, shown as one, and can be made a recommendation again', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const olga = await newPage({ viewport: { width: 1366, height: 900 } });
    await setUpThroughForm(olga, server.url);
    await createPlanThroughForm(olga);
    const planId = new URL(olga.url()).pathname.split('/')[2]!;
    await olga.goto(`${server.url}/plans/${planId}/recommendations`);

    await olga.getByTestId('rec-add-open').click();
    await olga.getByTestId('rec-add-form').waitFor();
    expect(await olga.getByTestId('rec-add-pledge').isChecked()).toBe(false);
    expect(await olga.getByTestId('rec-add-position').inputValue()).toBe('pending');
    await olga.getByTestId('rec-add-text').fill(PLEDGE);
    await olga.getByTestId('rec-add-pledge').check();
    // A State supports what it pledged itself.
    expect(await olga.getByTestId('rec-add-position').inputValue()).toBe('supported');
    await olga.getByTestId('rec-add-form').screenshot({ path: screenshotPath('pledge-by-hand-form') });
    await olga.getByTestId('rec-add-save').click();

    await olga.getByTestId('rec-detail').waitFor();
    // The detail loads after it opens.
    await expect.poll(() => olga.getByTestId('rec-detail').innerText()).toContain('Voluntary pledge');
    await expect.poll(() => olga.getByTestId('rec-row').count()).toBe(1);
    expect(await olga.getByTestId('rec-row').first().locator('[data-kind="pledge"]').count()).toBe(1);
    await olga.screenshot({ path: screenshotPath('pledge-by-hand-added'), fullPage: true });
    // Found by its words at once: an entry made by hand is indexed as it is saved.
    await olga.getByTestId('rec-search').fill('overdue treaty');
    await expect.poll(() => olga.getByTestId('rec-row').count()).toBe(1);
    await olga.getByTestId('rec-search').fill('moratorium');
    await expect.poll(() => olga.getByTestId('rec-row').count()).toBe(0);
    await olga.getByTestId('rec-search').fill('');
    await expect.poll(() => olga.getByTestId('rec-row').count()).toBe(1);

    const api = new ApiClient(server.url);
    api.cookie = (await olga.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const stored = (await api.get(`/api/plans/${planId}/recommendations`)).body.items[0];
    expect(stored).toMatchObject({ text: PLEDGE, kind: 'pledge', position: 'supported', recommendingStates: [] });

    // Entered by mistake as a pledge: the edit form holds the box, ticked; unticked, it is a recommendation.
    await olga.getByTestId('rec-edit').click();
    await olga.getByTestId('rec-edit-form').waitFor();
    expect(await olga.getByTestId('rec-edit-pledge').isChecked()).toBe(true);
    await olga.getByTestId('rec-edit-pledge').uncheck();
    await olga.getByTestId('rec-edit-save').click();
    await olga.getByTestId('rec-edit-form').waitFor({ state: 'detached' });
    await expect.poll(async () => (await api.get(`/api/plans/${planId}/recommendations`)).body.items[0].kind).toBe('recommendation');
    await expect.poll(() => olga.getByTestId('rec-row').first().locator('[data-kind="pledge"]').count()).toBe(0);
    // Loaded again (its text is there), and no longer marked.
    await expect
      .poll(async () => {
        const detail = await olga.getByTestId('rec-detail').innerText();
        return detail.includes(PLEDGE) && !detail.includes('Voluntary pledge');
      })
      .toBe(true);
  }, 90_000);
});
