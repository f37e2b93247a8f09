import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, screenshotPath, selectInEditor, openSignedIn, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { MINISTRY_DRAFTER, NGO_DRAFTER, cardsOf, modeOf, planWithSuggestingNgo, stateOf } from '../helpers/suggestingDrafters.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD } from '../helpers/workspace.ts';

/**
 * Proposed formatting in real browsers: an NGO drafter who may only suggest selects words and
 * presses Ctrl+B, and the Italic button on others; both show as proposals (dotted underline, a
 * card saying "Make bold"), not as formatting. The ministry drafter accepts the bold and rejects
 * the italic, and both pages follow; a link proposed through the link form is withdrawn by its author. Screenshots: test-output/suggestions-format-*.png.
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

/** The words in the editor inside `selector` (strong, em, a proposal's span), without caret labels. */
const wordsIn = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const root = document.querySelector('[data-testid=section-editor] .ProseMirror')!;
    return [...root.querySelectorAll(sel)].map((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.collab-caret').forEach((c) => c.remove());
      return copy.textContent!.replace(/\u00a0/g, ' ');
    });
  }, selector);
const textOf = async (page: Page) => (await wordsIn(page, 'p')).join('\n');

async function openAs(base: string, email: string, password: string, url: string): Promise<Page> {
  const page = await openSignedIn(newPage, base, email, password, url);
  openPages.push(page);
  await editorOf(page).waitFor();
  return page;
}

describe('proposed formatting in real browsers', () => {
  it('an NGO drafter proposes bold (Ctrl+B) and italic (button); the ministry accepts one and rejects the other', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { sectionUrl } = await planWithSuggestingNgo(server);
    expect(COORDINATOR_PASSWORD).toBeTruthy();

    const ministry = await openAs(server.url, MINISTRY_DRAFTER.email, MEMBER_PASSWORD, sectionUrl);
    await expect.poll(() => modeOf(ministry)).toBe('editing');
    await editorOf(ministry).click();
    await ministry.keyboard.type(SENTENCE);
    await expect.poll(() => stateOf(ministry), { timeout: 10_000 }).toBe('saved');

    const ngo = await openAs(server.url, NGO_DRAFTER.email, MEMBER_PASSWORD, sectionUrl);
    await expect.poll(() => modeOf(ngo)).toBe('suggesting');
    await expect.poll(() => textOf(ngo), { timeout: 10_000 }).toBe(SENTENCE);
    // In Suggesting mode Bold, Italic and Link are on (headings and lists too: suggestions-blocks.test.ts); a table is not.
    expect(await ngo.getByTestId('tb-bold').isDisabled()).toBe(false);
    expect(await ngo.getByTestId('tb-italic').isDisabled()).toBe(false);
    expect(await ngo.getByTestId('tb-table').isDisabled()).toBe(true);

    // Ctrl+B on "abolish": a proposal, not bold.
    await editorOf(ngo).click();
    await selectInEditor(ngo, 'abolish');
    await ngo.getByTestId('comment-button').waitFor();
    await ngo.keyboard.press('Control+b');
    await expect.poll(() => wordsIn(ngo, '.suggestion--format')).toEqual(['abolish']);
    expect(await wordsIn(ngo, 'strong')).toEqual([]);
    // The Italic button on "death penalty".
    await selectInEditor(ngo, 'death penalty');
    await ngo.getByTestId('tb-italic').click();
    await expect.poll(() => wordsIn(ngo, '.suggestion--format')).toEqual(['abolish', 'death penalty']);
    expect(await wordsIn(ngo, 'em')).toEqual([]);
    expect(await textOf(ngo)).toBe(SENTENCE);
    await expect.poll(() => stateOf(ngo), { timeout: 10_000 }).toBe('saved');
    // No refusal from the server: the page is still connected, and says what each proposal does.
    await expect.poll(() => cardsOf(ngo).count()).toBe(2);
    expect(await cardsOf(ngo).getByTestId('suggestion-what').allInnerTexts()).toEqual(['Make bold: abolish', 'Make italic: death penalty']);
    const title = await editorOf(ngo).locator('.suggestion--format [title]').first().getAttribute('title');
    expect(title).toMatch(/^Make bold · Maryna Ivanova · Belarusian Helsinki Committee · /);
    expect(await ngo.getByTestId('suggesting-hint').count()).toBe(0);
    await ngo.screenshot({ path: screenshotPath('suggestions-format-ngo-proposed'), fullPage: true });

    // The ministry sees both live, as proposals, and decides.
    await expect.poll(() => cardsOf(ministry).count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => wordsIn(ministry, '.suggestion--format'), { timeout: 10_000 }).toEqual(['abolish', 'death penalty']);
    expect(await cardsOf(ministry).first().getAttribute('data-kind')).toBe('format');
    await ministry.screenshot({ path: screenshotPath('suggestions-format-ministry-before'), fullPage: true });
    await cardsOf(ministry).first().getByTestId('suggestion-accept').click();
    await ministry.getByTestId('suggestions-confirm-button').click();
    for (const page of [ministry, ngo]) {
      await expect.poll(() => wordsIn(page, 'strong'), { timeout: 10_000 }).toEqual(['abolish']);
      await expect.poll(() => cardsOf(page).count(), { timeout: 10_000 }).toBe(1);
    }
    await cardsOf(ministry).first().getByTestId('suggestion-reject').click();
    await ministry.getByTestId('suggestions-confirm-button').click();
    for (const page of [ministry, ngo]) {
      await expect.poll(() => cardsOf(page).count(), { timeout: 10_000 }).toBe(0);
      expect(await wordsIn(page, 'em')).toEqual([]);
      expect(await wordsIn(page, '.suggestion--format')).toEqual([]);
      expect(await wordsIn(page, 'strong')).toEqual(['abolish']);
      expect(await textOf(page)).toBe(SENTENCE);
    }
    // A link through the toolbar's link form: proposed too; she withdraws it herself.
    await editorOf(ngo).click();
    await selectInEditor(ngo, '2028');
    await ngo.getByTestId('tb-link').click();
    const form = ngo.getByTestId('link-form');
    await form.locator('input').fill('https://www.ohchr.org/en/death-penalty');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => wordsIn(ngo, '.suggestion--format')).toEqual(['2028']);
    expect(await wordsIn(ngo, 'a')).toEqual([]);
    await expect.poll(() => cardsOf(ministry).getByTestId('suggestion-what').allInnerTexts(), { timeout: 10_000 }).toEqual([
      'Link to https://www.ohchr.org/en/death-penalty: 2028',
    ]);
    await cardsOf(ngo).first().getByTestId('suggestion-reject').click();
    for (const page of [ministry, ngo]) {
      await expect.poll(() => cardsOf(page).count(), { timeout: 10_000 }).toBe(0);
      expect(await wordsIn(page, 'a')).toEqual([]);
    }

    // The decisions are listed with what they proposed.
    await ngo.getByTestId('suggestions-decided').locator('summary').click();
    await expect.poll(() => ngo.getByTestId('suggestion-decision').allInnerTexts(), { timeout: 10_000 }).toHaveLength(3);
    const decided = await ngo.getByTestId('suggestion-decision').allInnerTexts();
    expect(decided[0]).toContain('Link to https://www.ohchr.org/en/death-penalty: 2028');
    expect(decided[1]).toContain('rejected Maryna Ivanova’s suggestion');
    expect(decided[1]).toContain('Make italic: death penalty');
    expect(decided[2]).toContain('accepted Maryna Ivanova’s suggestion');
    expect(decided[2]).toContain('Make bold: abolish');
    await ngo.screenshot({ path: screenshotPath('suggestions-format-decided'), fullPage: true });
  }, 60_000);
});
