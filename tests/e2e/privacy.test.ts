import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Privacy and clarity, as people meet them: a coordinator names two invitations, finds both in the
 * list, copies one's link, revokes the other after confirming; she makes a password reset link
 * for a ministry drafter who forgot hers (never for someone of the other side), who sets a new password (her other session ends) and signs
 * in with it. A commenter sees nobody's e-mail address but their own, no audit log link, and why
 * a section was reopened.
 */
let server: TestServer;
const { newPage } = useBrowser();
afterAll(async () => {
  await server?.destroy();
});

const NINA = { name: 'Nina Lawyer', email: 'nina@justice.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };
const KIRYL = { name: 'Kiryl Commenter', email: 'kiryl@ombudsman.example', organisation: { name: 'Ombudsperson Office', side: 'independent' as const } };
const NEW_PASSWORD = 'a new passphrase Nina remembers';

describe('privacy and clarity', () => {
  it('invitations with notes, revoking with confirmation, a password reset by link, and what members see', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const nina = await addMember(server, coordinator, planId, 'drafter', NINA);
    const kiryl = await addMember(server, coordinator, planId, 'commenter', KIRYL);

    // --- Olga invites two people, each with a note saying who it is for.
    const olga = await newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    await signInThroughForm(olga, base, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await olga.goto(`${base}/plans/${planId}/members`);
    await olga.getByTestId('invite-note').fill('Maryna Ivanova, Belarusian Helsinki Committee');
    await olga.getByTestId('invite-role').selectOption('drafter');
    await olga.getByTestId('create-invite').click();
    await expect.poll(() => olga.getByTestId('invite-row').count()).toBe(1);
    await olga.getByTestId('invite-note').fill('Ombudsperson office, for the consultation');
    await olga.getByTestId('invite-role').selectOption('observer');
    await olga.getByTestId('create-invite').click();
    await expect.poll(() => olga.getByTestId('invite-row').count()).toBe(2);
    // Both stay listed, each with its note and its own link, after the second was made.
    const rows = olga.getByTestId('invite-row');
    expect(await olga.getByTestId('invite-row-note').allInnerTexts()).toEqual([
      'Ombudsperson office, for the consultation',
      'Maryna Ivanova, Belarusian Helsinki Committee',
    ]);
    const maryna = rows.filter({ hasText: 'Maryna Ivanova' });
    const marynaUrl = await maryna.getByTestId('invite-row-url').inputValue();
    const ombudsUrl = await rows.filter({ hasText: 'Ombudsperson office' }).getByTestId('invite-row-url').inputValue();
    expect(marynaUrl).toMatch(new RegExp(`^${base}/invite/[A-Za-z0-9_-]{20,}$`));
    expect(ombudsUrl).not.toBe(marynaUrl);
    // Members' addresses are shown to the coordinator.
    expect(await olga.getByTestId('member-email').allInnerTexts()).toEqual(['olga@mfa.example', NINA.email, KIRYL.email]);

    // --- She copies Maryna's link from the list: the clipboard holds the link that works.
    await maryna.getByTestId('invite-row-copy').click();
    await expect.poll(() => maryna.getByTestId('invite-row-copy').innerText()).toContain('Link copied');
    expect(await olga.evaluate(() => navigator.clipboard.readText())).toBe(marynaUrl);
    const anyone = new ApiClient(base);
    expect((await anyone.get(`/api/invites/${marynaUrl.split('/').at(-1)}`)).body.role).toBe('drafter');
    await olga.getByTestId('invites-table').screenshot({ path: screenshotPath('privacy-invites-listed') });

    // --- Revoking asks first; cancelling keeps the invitation.
    const ombuds = rows.filter({ hasText: 'Ombudsperson office' });
    await ombuds.getByTestId('invite-revoke').click();
    const dialog = olga.getByTestId('invite-revoke-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.innerText()).toContain('Ombudsperson office, for the consultation');
    await olga.screenshot({ path: screenshotPath('privacy-invite-revoke-confirm') });
    await dialog.getByTestId('confirm-dialog-cancel').click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await olga.getByTestId('invite-row').count()).toBe(2);
    expect((await anyone.get(`/api/invites/${ombudsUrl.split('/').at(-1)}`)).status).toBe(200);
    await ombuds.getByTestId('invite-revoke').click();
    await dialog.getByTestId('invite-revoke-confirm').click();
    await expect.poll(() => olga.getByTestId('invite-row').count()).toBe(1);
    expect(await olga.getByTestId('invite-row-note').allInnerTexts()).toEqual(['Maryna Ivanova, Belarusian Helsinki Committee']);
    expect((await anyone.get(`/api/invites/${ombudsUrl.split('/').at(-1)}`)).status).toBe(404);

    // --- Nina forgot her password; she is still signed in on another computer.
    const ninaElsewhere = await newPage();
    await signInThroughForm(ninaElsewhere, base, NINA.email, MEMBER_PASSWORD);
    // Olga (government) is not offered a reset for Kiryl (independent): the link would let her sign in as him.
    const kirylRow = olga.getByTestId('member-row').filter({ hasText: 'Kiryl Commenter' });
    expect(await kirylRow.getByTestId('member-reset-password').count()).toBe(0);
    const ninaRow = olga.getByTestId('member-row').filter({ hasText: 'Nina Lawyer' });
    await ninaRow.getByTestId('member-reset-password').click();
    const resetDialog = olga.getByTestId('reset-dialog');
    await expect.poll(() => resetDialog.isVisible()).toBe(true);
    expect(await resetDialog.innerText()).toContain('Nina Lawyer (Ministry of Justice)');
    await olga.screenshot({ path: screenshotPath('privacy-reset-confirm') });
    await resetDialog.getByTestId('reset-confirm').click();
    const resetUrl = await olga.getByTestId('reset-url').inputValue();
    expect(resetUrl).toMatch(new RegExp(`^${base}/reset-password/[A-Za-z0-9_-]{40,}$`));
    await olga.getByTestId('reset-copy').click();
    expect(await olga.evaluate(() => navigator.clipboard.readText())).toBe(resetUrl);
    await olga.screenshot({ path: screenshotPath('privacy-reset-link'), fullPage: true });

    // --- Nina opens the link, sets a new password, and signs in with it.
    const ninaPage = await newPage();
    await ninaPage.goto(resetUrl);
    expect(await ninaPage.getByTestId('reset-for').innerText()).toContain(`Nina Lawyer (${NINA.email})`);
    await ninaPage.getByTestId('reset-password').fill(NEW_PASSWORD);
    await ninaPage.getByTestId('reset-password-again').fill(NEW_PASSWORD + ' typo');
    await ninaPage.getByTestId('reset-submit').click();
    await expect.poll(() => ninaPage.locator('.field__error').innerText()).toContain('not the same');
    await ninaPage.getByTestId('reset-password-again').fill(NEW_PASSWORD);
    await ninaPage.screenshot({ path: screenshotPath('privacy-reset-form') });
    await ninaPage.getByTestId('reset-submit').click();
    await ninaPage.getByTestId('reset-done').waitFor();
    await ninaPage.screenshot({ path: screenshotPath('privacy-reset-done') });
    // Her other session has ended; the link does not work twice.
    expect(await ninaElsewhere.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
    expect((await nina.client.get('/api/auth/me')).status).toBe(401);
    expect((await anyone.get(`/api/password-resets/${resetUrl.split('/').at(-1)}`)).status).toBe(404);
    await ninaPage.getByTestId('reset-sign-in').click();
    await ninaPage.waitForURL(`${base}/sign-in`);
    await ninaPage.getByTestId('sign-in-email').fill(NINA.email);
    await ninaPage.getByTestId('sign-in-password').fill(NEW_PASSWORD);
    await ninaPage.getByTestId('sign-in-submit').click();
    await ninaPage.waitForURL(`${base}/`);
    expect(await ninaPage.getByTestId('header-name').innerText()).toBe('Nina Lawyer');
    // A drafter is not offered the audit log, which only coordinators may open, but is offered importing.
    await ninaPage.goto(`${base}/plans/${planId}`);
    await ninaPage.getByTestId('members-link').waitFor();
    expect(await ninaPage.getByTestId('audit-link').count()).toBe(0);
    await ninaPage.goto(`${base}/plans/${planId}/coverage`);
    await ninaPage.getByTestId('coverage-go-import').waitFor();
    expect(await ninaPage.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    // A used link says so in words.
    await ninaPage.goto(resetUrl);
    await ninaPage.getByTestId('reset-invalid').waitFor();

    // --- Kiryl, a commenter: only his own address, no audit log link, and why the section was reopened.
    const lesia = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Lesia Lawyer',
      email: 'lesia@lawtrend.example',
      organisation: { name: 'Lawtrend', side: 'civil_society' },
    });
    const section = `/api/plans/${planId}/sections/${sectionId}`;
    const { currentHash } = (await coordinator.get(`${section}/agreement`)).body;
    expect((await coordinator.post(`${section}/signoffs`, { contentHash: currentHash })).status).toBe(201);
    expect((await lesia.client.post(`${section}/signoffs`, { contentHash: currentHash })).body.status).toBe('agreed');
    expect((await coordinator.post(`${section}/reopen`, { reason: 'The Ministry of Justice asked for a new deadline' })).status).toBe(200);

    const kirylPage = await newPage();
    await signInThroughForm(kirylPage, base, KIRYL.email, MEMBER_PASSWORD);
    await kirylPage.goto(`${base}/plans/${planId}/members`);
    await kirylPage.getByTestId('members-table').waitFor();
    expect(await kirylPage.getByTestId('member-email').allInnerTexts()).toEqual([KIRYL.email]);
    expect(await kirylPage.locator('main').innerText()).not.toContain(NINA.email);
    expect(await kirylPage.getByTestId('member-reset-password').count()).toBe(0);
    await kirylPage.screenshot({ path: screenshotPath('privacy-members-as-commenter'), fullPage: true });
    await kirylPage.goto(`${base}/plans/${planId}/sections/${sectionId}`);
    const reopening = kirylPage.getByTestId('reopening');
    await reopening.waitFor();
    expect(await reopening.innerText()).toMatch(/^Reopened by Olga Coordinator \(Ministry of Foreign Affairs\) on .+: .?The Ministry of Justice asked for a new deadline.?$/);
    expect(await kirylPage.getByTestId('audit-link').count()).toBe(0);
    // "Members", not "Members and invitations": invitations are for coordinators.
    expect(await kirylPage.getByTestId('members-link').innerText()).toBe('Members');
    await kirylPage.getByTestId('agreement-panel').screenshot({ path: screenshotPath('privacy-reopen-reason') });
    // Nor is he offered importing, which commenters may not do.
    await kirylPage.goto(`${base}/plans/${planId}/coverage`);
    await kirylPage.getByRole('link', { name: 'Members' }).waitFor();
    expect(await kirylPage.getByTestId('coverage-go-import').count()).toBe(0);
    expect(await kirylPage.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(kiryl.userId).toBeTruthy();
  }, 120_000);
});
