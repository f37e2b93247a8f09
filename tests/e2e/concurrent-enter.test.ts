import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, openSignedIn, screenshotPath, selectInEditor, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { MINISTRY_DRAFTER, NGO_DRAFTER, modeOf, stateOf } from '../helpers/suggestingDrafters.ts';
import { addMember, MEMBER_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Two drafters in their own browsers click the end of the same paragraph, press Enter and type a
 * sentence each. Each sentence must end in its own paragraph, whole, and the paragraph they split
 * must stay as it was (once this gave "Tgov second paragraph. NGO second paragraph. H"). Two
 * rounds: both press Enter at the same moment; then one presses Enter and the other presses it
 * once the first one's new, empty paragraph has arrived. Each round broke in its own way before
 * the binding patch (patches/, docs/notes/concurrent-enter.md); tests/unit/concurrent-enter.test.ts
 * covers the interleavings in between. Screenshot: test-output/concurrent-enter.png.
 */
const { newPage } = useBrowser({ viewport: { width: 1360, height: 900 } });

let server: TestServer | undefined;
const openPages: Page[] = [];
afterEach(async () => {
  for (const page of openPages.splice(0)) await page.context().close().catch(() => undefined);
  await server?.destroy();
  server = undefined;
});

const ORIGINAL = 'The Ministry will publish its annual report.';

/** The editor's blocks as "TAG: words", without other people's caret labels. */
const blocksOf = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-testid=section-editor] .ProseMirror')!;
    return [...root.children].map((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.collab-caret').forEach((c) => c.remove());
      return `${el.tagName}: ${copy.textContent!.replace(/\u00a0/g, ' ').trim()}`;
    });
  });

async function openAs(base: string, email: string, url: string): Promise<Page> {
  const page = await openSignedIn(newPage, base, email, MEMBER_PASSWORD, url);
  openPages.push(page);
  await editorOf(page).waitFor();
  return page;
}

/**
 * The caret at the end of the paragraph that ends with `words`, as a click there would put it, and
 * in the editor's own selection before the next key: Enter acts on that selection, and a caret
 * moved by the End key reaches it only on a later browser event (once, under load, Enter replaced
 * the still-selected words).
 */
const caretAtEndOf = (page: Page, words: string) => selectInEditor(page, words, { caret: 'after' });

/** Once both pages have sent and received everything: the blocks both show (the same on both). */
async function settled(gov: Page, ngo: Page): Promise<string[]> {
  await expect.poll(() => stateOf(gov), { timeout: 10_000 }).toBe('saved');
  await expect.poll(() => stateOf(ngo), { timeout: 10_000 }).toBe('saved');
  await expect
    .poll(async () => {
      const [a, b] = await Promise.all([blocksOf(gov), blocksOf(ngo)]);
      return a.join(' | ') === b.join(' | ');
    }, { timeout: 10_000 })
    .toBe(true);
  return blocksOf(gov);
}

async function bothShow(pages: Page[], blocks: number): Promise<void> {
  for (const page of pages) await expect.poll(() => blocksOf(page).then((b) => b.length), { timeout: 10_000 }).toBe(blocks);
}

describe('two drafters press Enter at the same place', () => {
  it('each gets their own paragraph with their own words, whether the Enters cross or follow each other', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    await addMember(server, coordinator, planId, 'drafter', MINISTRY_DRAFTER);
    await addMember(server, coordinator, planId, 'drafter', NGO_DRAFTER);
    const sectionUrl = `${server.url}/plans/${planId}/sections/${sectionId}`;
    const gov = await openAs(server.url, MINISTRY_DRAFTER.email, sectionUrl);
    const ngo = await openAs(server.url, NGO_DRAFTER.email, sectionUrl);
    // Both edit directly (no rule holds either side to proposals).
    await expect.poll(() => modeOf(gov)).toBe('editing');
    await expect.poll(() => modeOf(ngo)).toBe('editing');

    await editorOf(gov).click();
    await gov.keyboard.type(ORIGINAL);
    await expect.poll(() => blocksOf(ngo), { timeout: 10_000 }).toEqual([`P: ${ORIGINAL}`]);

    // --- Round 1: both press Enter at the same moment, then both type.
    await caretAtEndOf(gov, 'annual report.');
    await caretAtEndOf(ngo, 'annual report.');
    await Promise.all([gov.keyboard.press('Enter'), ngo.keyboard.press('Enter')]);
    await bothShow([gov, ngo], 3);
    await Promise.all([
      gov.keyboard.type('Gov second paragraph.', { delay: 25 }),
      ngo.keyboard.type('NGO second paragraph.', { delay: 25 }),
    ]);
    const afterRound1 = await settled(gov, ngo);
    expect(afterRound1[0]).toBe(`P: ${ORIGINAL}`);
    expect(afterRound1.slice(1).sort(), afterRound1.join(' | ')).toEqual(['P: Gov second paragraph.', 'P: NGO second paragraph.']);

    // --- Round 2: the NGO drafter presses Enter first; the ministry's drafter presses it once the
    // NGO's new, still empty paragraph is on their page; then both type.
    await caretAtEndOf(gov, 'annual report.');
    await caretAtEndOf(ngo, 'annual report.');
    await ngo.keyboard.press('Enter');
    await bothShow([gov, ngo], 4);
    await gov.keyboard.press('Enter');
    await bothShow([gov, ngo], 5);
    await Promise.all([
      gov.keyboard.type('Gov third paragraph.', { delay: 25 }),
      ngo.keyboard.type('NGO third paragraph.', { delay: 25 }),
    ]);
    const afterRound2 = await settled(gov, ngo);
    await gov.screenshot({ path: screenshotPath('concurrent-enter') });
    expect(afterRound2[0]).toBe(`P: ${ORIGINAL}`);
    expect(afterRound2.slice(1, 3).sort(), afterRound2.join(' | ')).toEqual(['P: Gov third paragraph.', 'P: NGO third paragraph.']);
    expect(afterRound2.slice(3)).toEqual(afterRound1.slice(1));
  });
});
