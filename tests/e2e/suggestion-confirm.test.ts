import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, openSignedIn, screenshotPath, selectInEditor, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { MINISTRY_DRAFTER, NGO_DRAFTER, cardsOf, modeOf, planWithSuggestingNgo, stateOf } from '../helpers/suggestingDrafters.ts';
import { MEMBER_PASSWORD } from '../helpers/workspace.ts';

/**
 * Accepting a suggestion cannot be taken back (docs/decisions/0003-suggestions.md, "Deciding is
 * confirmed, not undone"), so it is confirmed first, in two real browsers: the ministry drafter
 * presses Accept on one of the NGO drafter's two suggestions and is shown whose it is and its
 * words; Cancel changes nothing for anyone; confirming accepts exactly that one. A suggestion its
 * author withdraws while the confirmation is open is said to be gone, and cannot be confirmed.
 * Screenshots: test-output/suggestion-confirm-*.png.
 */
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });

const SENTENCE = 'The Ministry will abolish the death penalty by 2028.';

let server: TestServer | undefined;
const openPages: Page[] = [];
afterEach(async () => {
  for (const page of openPages.splice(0)) await page.context().close().catch(() => undefined);
  await server?.destroy();
  server = undefined;
});

const textOf = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('[data-testid=section-editor] .ProseMirror')!.cloneNode(true) as HTMLElement;
    el.querySelectorAll('.collab-caret').forEach((c) => c.remove());
    return el.innerText.replace(/\u00a0/g, ' ');
  });

async function openAs(base: string, email: string, url: string): Promise<Page> {
  const page = await openSignedIn(newPage, base, email, MEMBER_PASSWORD, url);
  openPages.push(page);
  await editorOf(page).waitFor();
  return page;
}

describe('deciding a suggestion is confirmed first', () => {
  it('Accept names the suggestion; Cancel changes nothing; confirming accepts that one; a withdrawn one cannot be confirmed', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { sectionUrl } = await planWithSuggestingNgo(server);

    const ministry = await openAs(server.url, MINISTRY_DRAFTER.email, sectionUrl);
    await expect.poll(() => modeOf(ministry)).toBe('editing');
    await editorOf(ministry).click();
    await ministry.keyboard.type(SENTENCE);
    await expect.poll(() => stateOf(ministry), { timeout: 10_000 }).toBe('saved');

    // The NGO drafter proposes two changes: new words at the end, and other words for "death penalty".
    const ngo = await openAs(server.url, NGO_DRAFTER.email, sectionUrl);
    await expect.poll(() => modeOf(ngo)).toBe('suggesting');
    await expect.poll(() => textOf(ngo), { timeout: 10_000 }).toBe(SENTENCE);
    await editorOf(ngo).click();
    await ngo.keyboard.press('Control+End');
    await ngo.keyboard.type(' In law and in practice.');
    await selectInEditor(ngo, 'death penalty');
    await ngo.keyboard.type('capital punishment');
    await expect.poll(() => cardsOf(ngo).count()).toBe(2);
    await expect.poll(() => stateOf(ngo), { timeout: 10_000 }).toBe('saved');
    await expect.poll(() => cardsOf(ministry).count(), { timeout: 10_000 }).toBe(2);
    const shownBefore = await textOf(ministry);

    // Accept on the replacement: a confirmation saying whose it is and what it does, on Cancel.
    const replacement = cardsOf(ministry).filter({ hasText: 'capital punishment' });
    await replacement.getByTestId('suggestion-accept').click();
    const dialog = ministry.getByTestId('suggestions-confirm');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').innerText()).toBe('Accept Maryna Ivanova’s suggestion?');
    const what = await dialog.getByTestId('suggestions-confirm-what').innerText();
    expect(what).toContain('Maryna Ivanova');
    expect(what).toContain('Belarusian Helsinki Committee');
    expect(what).toContain('Replace death penalty with capital punishment');
    expect(what).not.toContain('In law and in practice');
    expect(await dialog.innerText()).toContain('It cannot be undone');
    await expect.poll(() => ministry.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('confirm-dialog-cancel');
    await ministry.screenshot({ path: screenshotPath('suggestion-confirm-accept') });

    // Cancel: nothing decided, for either of them.
    await dialog.getByTestId('confirm-dialog-cancel').click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await ministry.waitForTimeout(500);
    for (const page of [ministry, ngo]) {
      expect(await cardsOf(page).count()).toBe(2);
      expect(await page.getByTestId('suggestion-decision').count()).toBe(0);
    }
    expect(await textOf(ministry)).toBe(shownBefore);

    // Confirmed: exactly that one is accepted, for both; the other stays open.
    await replacement.getByTestId('suggestion-accept').click();
    await ministry.getByTestId('suggestions-confirm-button').click();
    for (const page of [ministry, ngo]) {
      await expect.poll(() => cardsOf(page).count(), { timeout: 10_000 }).toBe(1);
      expect(await cardsOf(page).first().innerText()).toContain('In law and in practice.');
      await expect.poll(() => textOf(page), { timeout: 10_000 }).toContain('abolish the capital punishment by 2028.');
    }

    // Accept on the other, and its author withdraws it meanwhile: the dialog says it is gone.
    await cardsOf(ministry).first().getByTestId('suggestion-accept').click();
    await dialog.waitFor();
    expect(await dialog.getByTestId('suggestions-confirm-what').innerText()).toContain('In law and in practice.');
    await cardsOf(ngo).first().getByTestId('suggestion-reject').click();
    await expect.poll(() => cardsOf(ngo).count(), { timeout: 10_000 }).toBe(0);
    await expect
      .poll(() => dialog.getByTestId('suggestions-confirm-gone').innerText().catch(() => ''), { timeout: 10_000 })
      .toBe('This suggestion is no longer in the text: someone accepted, rejected or withdrew it meanwhile.');
    expect(await ministry.getByTestId('suggestions-confirm-button').isDisabled()).toBe(true);
    await ministry.screenshot({ path: screenshotPath('suggestion-confirm-gone') });
    await dialog.getByTestId('confirm-dialog-cancel').click();
    expect(await textOf(ministry)).toBe('The Ministry will abolish the capital punishment by 2028.');
  }, 90_000);
});
