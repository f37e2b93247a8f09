import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Each side manages its own, as a government coordinator sees it on the Members page: she may
 * re-role or remove her side's people, not civil society's once it has its own verified
 * coordinator, and the page says who does.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser();
afterAll(async () => {
  await server?.destroy();
});

describe('each side manages its own', () => {
  it('offers a coordinator the controls of her own side only, and says who manages the rest', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId } = await setUpWorkspace(server);
    await addMember(server, coordinator, planId, 'drafter', { name: 'Nina Lawyer', email: 'nina@legal.example', organisation: { name: 'Legal Initiative', side: 'civil_society' } });
    await addMember(server, coordinator, planId, 'coordinator', { name: 'Andrei Coordinator', email: 'andrei@hrh.example', organisation: { name: 'Human Rights House', side: 'civil_society' } });
    await addMember(server, coordinator, planId, 'drafter', { name: 'Pavel Drafter', email: 'pavel@justice.example', organisation: { name: 'Ministry of Justice', side: 'government' } });

    const olga = await openSignedIn(newPage, base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/members`);
    const row = (name: string) => olga.getByTestId('member-row').filter({ hasText: name });
    await expect.poll(() => olga.getByTestId('member-row').count()).toBe(4);
    // Her side: a role to choose, and Remove.
    expect(await row('Pavel Drafter').getByTestId('member-remove').count()).toBe(1);
    expect(await row('Pavel Drafter').locator('select').count()).toBe(1);
    // Civil society has its own coordinator: no controls, and a word on who decides.
    for (const name of ['Nina Lawyer', 'Andrei Coordinator']) {
      expect(await row(name).getByTestId('member-remove').count()).toBe(0);
      expect(await row(name).locator('select').count()).toBe(0);
      expect(await row(name).getByTestId('member-other-side').innerText()).toBe('Managed by their side’s coordinators');
    }
    expect(await olga.getByTestId('members-side-hint').innerText()).toContain('Each side manages its own people');
    // Nor does she verify civil-society organisations any more.
    const legal = olga.getByTestId('organisation-row').filter({ hasText: 'Legal Initiative' });
    await expect.poll(() => legal.getByTestId('organisation-other-side').count()).toBe(1);
    expect(await legal.getByTestId('organisation-verify').count()).toBe(0);
    await olga.screenshot({ path: screenshotPath('sides-members'), fullPage: true });
  });

  it('tells a member of an unverified organisation, before they start, that they cannot sign or record a position yet', async () => {
    await server?.destroy();
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const ales = { name: 'Ales New', email: 'ales@new.example', organisation: { name: 'New Initiative', side: 'civil_society' as const } };
    await addMember(server, coordinator, planId, 'drafter', ales, { verify: false });
    const page = await openSignedIn(newPage, base, ales.email, MEMBER_PASSWORD, `${base}/plans/${planId}/sections/${sectionId}`);
    await page.getByTestId('sign-unverified-note').waitFor();
    expect(await page.getByTestId('sign-off').isDisabled()).toBe(true);
    expect(await page.getByTestId('sign-unverified-note').innerText()).toContain('not verified in this plan yet');
    expect(await page.getByTestId('position-new').isDisabled()).toBe(true);
    expect(await page.getByTestId('position-unverified-note').innerText()).toContain('cannot record a dissenting position');
    await page.screenshot({ path: screenshotPath('sides-unverified-member'), fullPage: true });
  });
});
