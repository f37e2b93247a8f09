import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, screenshotPath, selectInEditor, openSignedIn, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { MINISTRY_DRAFTER, NGO_DRAFTER, cardsOf, modeOf, planWithSuggestingNgo, stateOf } from '../helpers/suggestingDrafters.ts';
import { MEMBER_PASSWORD } from '../helpers/workspace.ts';

/**
 * Proposed changes of structure in real browsers: an NGO drafter who may only suggest presses the
 * H3 button in a heading, the numbered-list button in a bulleted list, Enter inside a paragraph
 * and Backspace at the start of another. Each shows as a proposal (a dashed bar saying what it
 * would do, a pilcrow where a split would be, a card), and the structure stays as it was. The
 * ministry drafter sees them live, accepts the heading, the split and the join and rejects the list
 * type; both pages end with the text as decided. Screenshots: test-output/suggestions-blocks-*.png.
 */
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });


let server: TestServer | undefined;
const openPages: Page[] = [];
afterEach(async () => {
  for (const page of openPages.splice(0)) await page.context().close().catch(() => undefined);
  await server?.destroy();
  server = undefined;
});

/** The editor's blocks as "TAG: words" (a list's items run together), without caret labels. */
const blocksOf = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-testid=section-editor] .ProseMirror')!;
    return [...root.children].map((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.collab-caret').forEach((c) => c.remove());
      return `${el.tagName}: ${copy.textContent!.replace(/\u00a0/g, ' ').trim()}`;
    });
  });
/** What each block proposal on the page says it would do (the visible label and title's start). */
const proposalsOn = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=section-editor] .ProseMirror [data-structure-change]')].map(
      (el) => `${el.tagName}: ${el.getAttribute('data-structure-change')}`,
    ),
  );
const splitsOn = (page: Page) => editorOf(page).locator('.suggestion--split').count();

async function openAs(base: string, email: string, url: string): Promise<Page> {
  const page = await openSignedIn(newPage, base, email, MEMBER_PASSWORD, url);
  openPages.push(page);
  await editorOf(page).waitFor();
  return page;
}

const BEFORE = [
  'H2: Housing',
  'P: The State shall act. It shall report.',
  'P: Evictions need a court order',
  'P: issued by a judge.',
  'UL: First measureSecond measure',
];

describe('proposed changes of structure in real browsers', () => {
  it('an NGO drafter proposes a heading level, a list type, a split and a join; the ministry decides each', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { sectionUrl } = await planWithSuggestingNgo(server);

    // The ministry drafts: a heading, three paragraphs, a bulleted list.
    const ministry = await openAs(server.url, MINISTRY_DRAFTER.email, sectionUrl);
    await expect.poll(() => modeOf(ministry)).toBe('editing');
    await editorOf(ministry).click();
    await ministry.getByTestId('tb-h2').click();
    await ministry.keyboard.type('Housing');
    await ministry.keyboard.press('Enter');
    await ministry.keyboard.type('The State shall act. It shall report.');
    await ministry.keyboard.press('Enter');
    await ministry.keyboard.type('Evictions need a court order ');
    await ministry.keyboard.press('Enter');
    await ministry.keyboard.type('issued by a judge.');
    await ministry.keyboard.press('Enter');
    await ministry.getByTestId('tb-bullet').click();
    await ministry.keyboard.type('First measure');
    await ministry.keyboard.press('Enter');
    await ministry.keyboard.type('Second measure');
    await expect.poll(() => blocksOf(ministry)).toEqual(BEFORE);
    await expect.poll(() => stateOf(ministry), { timeout: 10_000 }).toBe('saved');

    const ngo = await openAs(server.url, NGO_DRAFTER.email, sectionUrl);
    await expect.poll(() => modeOf(ngo)).toBe('suggesting');
    await expect.poll(() => blocksOf(ngo), { timeout: 10_000 }).toEqual(BEFORE);
    // In Suggesting mode the heading and list buttons are on; a table is not something to propose.
    for (const id of ['tb-h2', 'tb-h3', 'tb-bullet', 'tb-ordered']) expect(await ngo.getByTestId(id).isDisabled()).toBe(false);
    expect(await ngo.getByTestId('tb-table').isDisabled()).toBe(true);

    await editorOf(ngo).click();
    // H3 in the heading.
    await selectInEditor(ngo, 'Housing', { caret: 'before' });
    await ngo.getByTestId('tb-h3').click();
    // The numbered-list button in the bulleted list.
    await selectInEditor(ngo, 'First measure', { caret: 'before' });
    await ngo.getByTestId('tb-ordered').click();
    // Enter inside the second sentence's paragraph.
    await selectInEditor(ngo, 'It shall report', { caret: 'before' });
    await ngo.keyboard.press('Enter');
    // Backspace at the start of the paragraph that continues the sentence.
    await selectInEditor(ngo, 'issued by', { caret: 'before' });
    await ngo.keyboard.press('Backspace');

    const proposed = [
      'Make heading 3: Housing',
      'Start a new paragraph here: It shall report.',
      'Join with the paragraph before: issued by a judge.',
      'Make a numbered list: First measure / Second measure',
    ];
    await expect.poll(() => cardsOf(ngo).getByTestId('suggestion-what').allInnerTexts(), { timeout: 10_000 }).toEqual(proposed);
    // Proposals, not changes: the structure is as it was, the words too.
    expect(await blocksOf(ngo)).toEqual(BEFORE);
    expect(await proposalsOn(ngo)).toEqual(['H2: Make heading 3', 'P: Join with the paragraph before', 'UL: Make a numbered list']);
    expect(await splitsOn(ngo)).toBe(1);
    const title = await editorOf(ngo).locator('h2').getAttribute('title');
    expect(title).toMatch(/^Make heading 3 · Maryna Ivanova · Belarusian Helsinki Committee/);
    // No refusal from the server: still connected and saved, and nothing said about unsupported edits.
    await expect.poll(() => stateOf(ngo), { timeout: 10_000 }).toBe('saved');
    expect(await ngo.getByTestId('suggesting-hint').count()).toBe(0);
    await ngo.screenshot({ path: screenshotPath('suggestions-blocks-ngo-proposed'), fullPage: true });

    // The ministry sees each live, as a proposal.
    await expect.poll(() => cardsOf(ministry).getByTestId('suggestion-what').allInnerTexts(), { timeout: 10_000 }).toEqual(proposed);
    await expect.poll(() => proposalsOn(ministry)).toEqual(['H2: Make heading 3', 'P: Join with the paragraph before', 'UL: Make a numbered list']);
    expect(await splitsOn(ministry)).toBe(1);
    expect(await blocksOf(ministry)).toEqual(BEFORE);
    expect(await cardsOf(ministry).first().getAttribute('data-kind')).toBe('block');
    await ministry.screenshot({ path: screenshotPath('suggestions-blocks-ministry-before'), fullPage: true });

    const decide = async (what: string, decision: 'accept' | 'reject') => {
      const card = cardsOf(ministry).filter({ hasText: what });
      await card.getByTestId(decision === 'accept' ? 'suggestion-accept' : 'suggestion-reject').click();
      await ministry.getByTestId('suggestions-confirm-button').click();
      for (const page of [ministry, ngo]) await expect.poll(() => cardsOf(page).filter({ hasText: what }).count(), { timeout: 10_000 }).toBe(0);
    };
    await decide('Make heading 3', 'accept');
    await decide('Make a numbered list', 'reject');
    await decide('Start a new paragraph here', 'accept');
    await decide('Join with the paragraph before', 'accept');

    const after = ['H3: Housing', 'P: The State shall act.', 'P: It shall report.', 'P: Evictions need a court order issued by a judge.', 'UL: First measureSecond measure'];
    for (const page of [ministry, ngo]) {
      await expect.poll(() => blocksOf(page), { timeout: 10_000 }).toEqual(after);
      expect(await proposalsOn(page)).toEqual([]);
      expect(await splitsOn(page)).toBe(0);
      expect(await cardsOf(page).count()).toBe(0);
      expect(await stateOf(page)).not.toBe('refused');
    }
    await ministry.screenshot({ path: screenshotPath('suggestions-blocks-decided'), fullPage: true });

    // The decisions are listed with what they proposed.
    await ngo.getByTestId('suggestions-decided').locator('summary').click();
    await expect.poll(() => ngo.getByTestId('suggestion-decision').allInnerTexts(), { timeout: 10_000 }).toHaveLength(4);
    const decided = await ngo.getByTestId('suggestion-decision').allInnerTexts();
    expect(decided[0]).toContain('Join with the paragraph before: issued by a judge.');
    expect(decided[2]).toContain('rejected Maryna Ivanova’s suggestion');
    expect(decided[2]).toContain('Make a numbered list');
    expect(decided[3]).toContain('accepted Maryna Ivanova’s suggestion');
    expect(decided[3]).toContain('Make heading 3: Housing');
  }, 90_000);
});
