import { afterAll, describe, expect, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import { CLIENT_DIR, editorOf, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * The sign-off dialog follows the section while it is open, in two real browsers. The ministry
 * coordinator opens it; the NGO drafter edits the section meanwhile: the dialog shows the new hash,
 * says the section changed since it opened, and the signature is on the hash shown. When the page
 * has not heard of a change yet and the server refuses the signature, the dialog says in words that
 * nothing was signed and why, and shows the new hash. Screenshots: test-output/sign-dialog-*.png.
 */
// The test holds back the page's refetch of the agreement with page.route, which does not see a
// request the service worker makes: without the worker, every request is the page's own.
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 }, serviceWorkers: 'block' });

let server: TestServer | undefined;
afterAll(async () => {
  await server?.destroy();
});

const NGO = { name: 'Maryna Ivanova', email: 'maryna@helsinki.example', organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' as const } };

const stateOf = (page: Page) => page.getByTestId('connection-status').getAttribute('data-state');
/** The hash the dialog says will be signed (its full value is the title of the short one shown). */
const dialogHash = (page: Page) => page.getByTestId('sign-off-dialog').locator('.sign-dialog__hash code').first().getAttribute('title');

async function type(page: Page, words: string) {
  await editorOf(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(words);
  await expect.poll(() => stateOf(page), { timeout: 15_000 }).toBe('saved');
}

describe('the sign-off dialog follows the text', () => {
  it('shows the new hash when a colleague edits meanwhile, says so, signs what it shows, and explains a refusal in words', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const { client: ngoApi } = await addMember(server, coordinator, planId, 'drafter', NGO);
    const sectionUrl = `${server.url}/plans/${planId}/sections/${sectionId}`;
    const agreementPath = `/api/plans/${planId}/sections/${sectionId}/agreement`;
    const currentHash = async () => ((await coordinator.get(agreementPath)).body as { currentHash: string }).currentHash;

    const ministry = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, sectionUrl);
    const ngo = await openSignedIn(newPage, server.url, NGO.email, MEMBER_PASSWORD, sectionUrl);
    await editorOf(ministry).waitFor();
    await editorOf(ngo).waitFor();
    await type(ministry, 'The Government will introduce a moratorium on executions.');
    await ministry.getByTestId('send-for-review').click();
    await expect.poll(() => ngo.getByTestId('agreement-panel').getAttribute('data-status'), { timeout: 10_000 }).toBe('in_review');
    const before = await currentHash();
    await expect.poll(() => ministry.getByTestId('agreement-hash').getAttribute('data-hash'), { timeout: 10_000 }).toBe(before);

    // --- The coordinator opens the dialog: the current hash, nothing said about changes.
    await ministry.getByTestId('sign-off').click();
    const dialog = ministry.getByTestId('sign-off-dialog');
    await dialog.waitFor();
    expect(await dialogHash(ministry)).toBe(before);
    expect(await dialog.getByTestId('sign-off-changed').count()).toBe(0);
    expect(await ministry.getByTestId('sign-off-confirm').innerText()).toBe('Sign off');

    // --- The NGO drafter edits the section while it is open: the dialog follows, and says so.
    await type(ngo, ' Civil society will monitor its application.');
    await expect.poll(currentHash, { timeout: 15_000 }).not.toBe(before);
    const after = await currentHash();
    await expect.poll(() => dialogHash(ministry), { timeout: 15_000 }).toBe(after);
    expect(await dialog.getByTestId('sign-off-changed').innerText()).toBe(
      'The section changed while this dialog was open: someone edited its text or actions. The hash below is of the section as it is now, no longer the one you opened this dialog with. Read the section again before you sign (Cancel takes you back to it).',
    );
    expect(await dialog.getByTestId('sign-off-changed').getAttribute('data-refused')).toBe('false');
    expect(await dialog.getByTestId('sign-off-opened-hash').innerText()).toContain(before.slice(0, 12));
    expect(await ministry.getByTestId('sign-off-confirm').innerText()).toBe('Sign off the section as it is now');
    await dialog.screenshot({ path: screenshotPath('sign-dialog-changed') });

    // Signing signs the hash shown: the text with the NGO's words.
    await ministry.getByTestId('sign-off-confirm').click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => ministry.getByTestId('signoff-item').count(), { timeout: 10_000 }).toBe(1);
    const signed = (await coordinator.get(agreementPath)).body as { signoffs: Array<{ contentHash: string; withdrawnAt: string | null; name: string }> };
    expect(signed.signoffs.filter((s) => s.withdrawnAt === null).map((s) => s.contentHash)).toEqual([after]);

    // --- The page has not heard of a change yet (its refetch of the hash is held back) and the
    // NGO drafter signs: the server refuses, and the dialog says so in words, then shows the new hash.
    const held: Route[] = [];
    let holding = false;
    await ngo.route(`**${agreementPath}`, (route) => (holding ? held.push(route) : route.continue()));
    await expect.poll(() => ngo.getByTestId('agreement-hash').getAttribute('data-hash'), { timeout: 10_000 }).toBe(after);
    await ngo.getByTestId('sign-off').click();
    const ngoDialog = ngo.getByTestId('sign-off-dialog');
    await ngoDialog.waitFor();
    expect(await dialogHash(ngo)).toBe(after);
    holding = true;
    await type(ministry, ' Reports are public.');
    // On a loaded machine "Saved" can still be the state from before the keystrokes: the words are
    // stored once the server's hash moves.
    await expect.poll(currentHash, { timeout: 15_000 }).not.toBe(after);
    const latest = await currentHash();
    await ngo.getByTestId('sign-off-confirm').click();
    await expect
      // The refusal goes to the server and back: on a loaded machine that alone has taken over 10 s.
      .poll(() => ngoDialog.getByTestId('sign-off-changed').innerText().catch(() => ''), { timeout: 30_000 })
      .toBe('Nothing was signed: the section changed just before you pressed Sign off. The hash below is of the section as it is now. Read the section again, then sign if you still agree with it.');
    expect(await ngoDialog.innerText()).not.toContain('content_changed');
    expect(await ngoDialog.locator('.alert--error').count()).toBe(0);
    for (const route of held.splice(0)) await route.continue();
    holding = false;
    await expect.poll(() => dialogHash(ngo), { timeout: 15_000 }).toBe(latest);
    expect(await ngoDialog.getByTestId('sign-off-opened-hash').innerText()).toContain(after.slice(0, 12));
    await ngoDialog.screenshot({ path: screenshotPath('sign-dialog-refused') });
    expect((await ngoApi.get(agreementPath)).body.signoffs.filter((s: { name: string; withdrawnAt: string | null }) => s.name === NGO.name)).toEqual([]);

    // Signing again signs the section as it is now.
    await ngo.getByTestId('sign-off-confirm').click();
    await expect.poll(() => ngoDialog.isVisible(), { timeout: 10_000 }).toBe(false);
    const final = (await coordinator.get(agreementPath)).body as { signoffs: Array<{ contentHash: string; withdrawnAt: string | null; name: string }> };
    expect(final.signoffs.filter((s) => s.withdrawnAt === null && s.name === NGO.name).map((s) => s.contentHash)).toEqual([latest]);
  }, 120_000);
});
