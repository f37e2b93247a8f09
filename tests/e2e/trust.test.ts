import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_DIR, screenshotPath, useBrowser, openSignedIn, editorOf } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Trust in what was agreed, in real browsers. A self-named "ministry" is shown unverified until the
 * coordinator verifies it on the Members page. The ministry signs with a reservation; an NGO
 * drafter then edits the text: both see the signature withdrawn, naming her, the ministry gets a
 * notice, and the coordinator's audit log has the withdrawal. The NGO records a dissenting position.
 * Screenshots go to test-output/trust-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

const MINISTRY = { name: 'Ihar Sokal', email: 'ihar@justice.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };
const NGO = { name: 'Maryna Ivanova', email: 'maryna@helsinki.example', organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' as const } };
const TEXT = 'Torture is prohibited in law.';
const RESERVATION = 'Subject to the budget law for 2027.';


const openAs = (base: string, email: string, password: string, url: string) => openSignedIn(newPage, base, email, password, url);

describe('trust in what was agreed', () => {
  it('a coordinator verifies a self-named ministry; a signature withdrawn by an edit is visible to both sides, noticed and in the audit log', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    await addMember(server, coordinator, planId, 'drafter', MINISTRY, { verify: false });
    await addMember(server, coordinator, planId, 'drafter', NGO);
    const sectionUrl = `${base}/plans/${planId}/sections/${sectionId}`;

    // --- The coordinator sees the self-named ministry unverified and verifies it.
    const olga = await openAs(base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/members`);
    const ministryRow = olga.locator('[data-testid=organisation-row][data-name="Ministry of Justice"]');
    await expect.poll(() => ministryRow.getByTestId('organisation-verification').getAttribute('data-verified')).toBe('false');
    expect(await olga.locator('[data-testid=member-unverified]').count()).toBe(1);
    await olga.screenshot({ path: screenshotPath('trust-members-unverified'), fullPage: true });
    await ministryRow.getByTestId('organisation-verify').click();
    await expect.poll(() => olga.getByTestId('organisation-verify-dialog').innerText()).toContain('speaks for the side “Government”');
    await olga.getByTestId('organisation-verify-confirm').click();
    await expect.poll(() => ministryRow.getByTestId('organisation-verification').getAttribute('data-verified')).toBe('true');
    await expect.poll(() => ministryRow.innerText()).toContain('by Olga Coordinator');
    expect(await olga.locator('[data-testid=member-unverified]').count()).toBe(0);

    // --- The ministry drafter writes and signs with a reservation.
    const ministry = await openAs(base, MINISTRY.email, MEMBER_PASSWORD, sectionUrl);
    await editorOf(ministry).click();
    await ministry.keyboard.type(TEXT);
    await expect.poll(() => ministry.getByTestId('connection-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');
    // Read the section again before signing, as the panel asks after an edit.
    await ministry.reload();
    await expect.poll(() => ministry.getByTestId('agreement-panel').innerText()).toContain('Nobody has signed');
    await ministry.getByTestId('sign-off').click();
    await ministry.getByTestId('sign-with-reservation').check();
    await ministry.getByTestId('sign-reservation').fill(RESERVATION);
    await ministry.getByTestId('sign-off-confirm').click();
    await expect.poll(() => ministry.getByTestId('signoff-reservation').innerText()).toContain(RESERVATION);

    // --- The NGO sees the signature and its reservation, then edits the text.
    const ngo = await openAs(base, NGO.email, MEMBER_PASSWORD, sectionUrl);
    await expect.poll(() => ngo.getByTestId('signoff-item').innerText()).toContain('Ihar Sokal');
    expect(await ngo.getByTestId('signoff-reservation').innerText()).toContain(RESERVATION);
    await editorOf(ngo).click();
    await ngo.keyboard.press('Control+End');
    await ngo.keyboard.type(' Including in police custody.');

    // Both sides see it withdrawn, naming who edited.
    const withdrawnLine = `Signed by Ihar Sokal (Ministry of Justice)`;
    for (const page of [ngo, ministry]) {
      await expect.poll(() => page.getByTestId('withdrawn-signoff').first().innerText().catch(() => ''), { timeout: 15_000 }).toContain(withdrawnLine);
      expect(await page.getByTestId('withdrawn-signoff').first().innerText()).toContain('withdrawn when Maryna Ivanova edited the section');
      expect(await page.getByTestId('signoff-item').count()).toBe(0);
    }
    await ngo.screenshot({ path: screenshotPath('trust-signature-withdrawn-ngo'), fullPage: true });

    // The signer is told in the app, wherever they are (the first notice told him his ministry was verified).
    await expect.poll(() => ministry.getByTestId('notifications-button').getAttribute('data-unread'), { timeout: 35_000 }).toBe('2');
    await ministry.getByTestId('notifications-button').click();
    expect(await ministry.getByTestId('notification').first().innerText()).toContain('Your signature on “Purpose and scope” was withdrawn: Maryna Ivanova changed the section');
    await ministry.screenshot({ path: screenshotPath('trust-notice-ministry') });

    // And the coordinator's audit log has it.
    await olga.goto(`${base}/plans/${planId}/audit`);
    const row = olga.locator('[data-testid=audit-row][data-action="section.signoff_withdrawn"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('Maryna Ivanova changed the section after it was signed');

    // --- The NGO records a dissenting position; the ministry reads it live.
    await ngo.getByTestId('position-new').click();
    await ngo.getByTestId('position-text-input').fill('An independent complaints body is needed; training alone does not prevent torture.');
    await ngo.getByTestId('position-submit').click();
    await expect.poll(() => ministry.getByTestId('position-text').first().innerText().catch(() => '')).toContain('independent complaints body');
    expect(await ministry.getByTestId('position-withdraw').count()).toBe(0);
    await ngo.screenshot({ path: screenshotPath('trust-dissent'), fullPage: true });
  }, 180_000);
});
