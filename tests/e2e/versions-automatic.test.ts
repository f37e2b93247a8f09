import { afterEach, describe, expect, it } from 'vitest';
import type { ListedVersion } from '../../shared/api/index.ts';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Automatic versions in a section's history, in a real browser: labelled "Automatic" (not a
 * person's name), named by whose edits they hold, beside a version kept by hand; a new one
 * appears while the page is open; restoring one says it was saved automatically.
 * Screenshots go to test-output/versions-automatic-*.png.
 */
let server: TestServer | undefined;
const peers: Peer[] = [];
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await server?.destroy();
  server = undefined;
});

describe('automatic versions in the section history', () => {
  it('are labelled Automatic, name whose edits they hold, appear live and can be restored', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR, env: { AUTO_VERSION_PAUSE_MS: '300' } });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const nina = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@ngo.example',
      organisation: { name: 'Human Rights Centre', side: 'civil_society' },
    });
    const versions = async () => (await coordinator.get<ListedVersion[]>(`/api/plans/${planId}/sections/${sectionId}/versions`)).body;

    const olga = connectPeer(server.url, coordinator, sectionId);
    const ninaPeer = connectPeer(server.url, nina.client, sectionId);
    peers.push(olga, ninaPeer);
    await Promise.all([olga.synced(), ninaPeer.synced()]);
    olga.typeParagraph('Everyone deprived of liberty is treated with humanity.');
    await eventually(() => expect(olga.isSaved()).toBe(true));
    ninaPeer.typeParagraph('Places of detention are visited without notice.');
    await eventually(() => expect(olga.isSaved() && ninaPeer.isSaved()).toBe(true));
    await eventually(async () => expect((await versions()).map((v) => v.kind)).toEqual(['automatic']));
    // A version kept by hand beside it.
    expect((await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/versions`, { name: 'Sent to the ombudsperson' })).status).toBe(201);

    const page = await newPage();
    page.setDefaultTimeout(15_000);
    await signInThroughForm(page, base, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await page.goto(`${base}/plans/${planId}/sections/${sectionId}/history`);
    const automaticRows = page.locator('[data-testid=version-item][data-kind=automatic]');
    await expect.poll(() => automaticRows.count()).toBe(1);
    const row = automaticRows.first();
    expect(await row.locator('th').innerText()).toBe('After edits by Olga Coordinator and Nina Lawyer');
    expect(await row.locator('.badge--kind-automatic').innerText()).toBe('Automatic');
    const cells = await row.locator('td').allInnerTexts();
    expect(cells[1]).toBe('Automatic');
    const manualRow = page.locator('[data-testid=version-item][data-kind=manual]');
    expect(await manualRow.locator('td').nth(1).innerText()).toBe('Olga Coordinator');

    // Nina keeps editing while the page is open: after the pause a new automatic version shows up.
    ninaPeer.typeParagraph('Visits may not be refused on security grounds.');
    await expect.poll(() => automaticRows.count(), { timeout: 10_000 }).toBe(2);
    expect(await automaticRows.first().locator('th').innerText()).toBe('After edits by Nina Lawyer');
    await page.screenshot({ path: screenshotPath('versions-automatic-list'), fullPage: true });

    // Restoring the first automatic version: the dialog says it was saved automatically.
    await automaticRows.nth(1).getByTestId('version-restore').click();
    const dialog = page.getByTestId('version-restore-dialog');
    await expect.poll(() => dialog.innerText()).toContain('saved automatically');
    expect(await dialog.innerText()).toContain('After edits by Olga Coordinator and Nina Lawyer');
    await page.screenshot({ path: screenshotPath('versions-automatic-restore-dialog') });
    await page.getByTestId('version-restore-confirm').click();
    await expect.poll(() => page.locator('.alert--info').innerText()).toContain('restored as a new change');
    await eventually(() => {
      expect(olga.text()).toContain('Places of detention are visited without notice.');
      expect(olga.text()).not.toContain('security grounds');
    });
    await page.screenshot({ path: screenshotPath('versions-automatic-restored'), fullPage: true });
  });
});
