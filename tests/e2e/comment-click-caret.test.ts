import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, editorOf, openSignedIn, screenshotPath, selectInEditor, useBrowser } from '../helpers/browser.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember } from '../helpers/workspace.ts';
import type { PlanOutline } from '../../shared/api/index.ts';

/**
 * A civil-society drafter comments on words of the sample plan's section 1.1, then, after the page
 * loads again, clicks into the highlighted words to go on writing there. The caret must stay where
 * she clicked: her words go into that paragraph, never into the section's heading above it.
 */
let server: TestServer | undefined;
let sectionUrl: string;
let page: Page;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 900 } });

const HEADING = 'Moratorium and abolition';
const COMMENTED = 'this section responds to';
const heading = (p: Page) => editorOf(p).locator('h2').first();
const paragraph = (p: Page) => editorOf(p).locator('p').first();

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const coordinator = new ApiClient(server.url);
  const setup = await coordinator.post('/api/setup', {
    name: 'Alena Kavalenka',
    email: 'alena@mfa.example',
    password: COORDINATOR_PASSWORD,
    organisation: { name: 'Ministry of Foreign Affairs', side: 'government' },
    loadSample: true,
  });
  expect(setup.status, JSON.stringify(setup.body)).toBe(201);
  const planId: string = (await coordinator.get<Array<{ id: string }>>('/api/plans')).body[0]!.id;
  await addMember(server, coordinator, planId, 'drafter', {
    name: 'Maryna Ivanova',
    email: 'maryna@helsinki.example',
    organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
  });
  const outline = (await coordinator.get<PlanOutline>(`/api/plans/${planId}`)).body;
  sectionUrl = `${server.url}/plans/${planId}/sections/${outline.chapters[0]!.sections[0]!.id}`;

  // She comments on words of the first paragraph, in her browser.
  page = await openSignedIn(newPage, server.url, 'maryna@helsinki.example', MEMBER_PASSWORD, sectionUrl);
  await eventually(async () => expect(await paragraph(page).innerText()).toBe('Recommendations this section responds to:'), 15_000);
  expect(await heading(page).innerText()).toBe(HEADING);
  await selectInEditor(page, COMMENTED);
  await page.getByTestId('comment-button').click();
  await page.getByTestId('comment-body').fill('Which recommendations were accepted?');
  await page.getByTestId('comment-submit').click();
  await eventually(async () => expect(await page.getByTestId('comment-highlight').allInnerTexts()).toEqual([COMMENTED]));
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

/** Her page on section 1.1 loaded afresh: the comment highlighted, no thread chosen, the text not focused. */
async function loadAfresh(): Promise<{ paragraphBefore: string }> {
  await page.goto(sectionUrl);
  await expect.poll(() => page.getByTestId('comment-highlight').allInnerTexts(), { timeout: 15_000 }).toEqual([COMMENTED]);
  expect(await page.evaluate(() => document.activeElement?.classList.contains('ProseMirror') ?? false)).toBe(false);
  expect(await heading(page).innerText()).toBe(HEADING);
  return { paragraphBefore: await paragraph(page).innerText() };
}

describe('clicking commented words puts the caret there', () => {
  it('the first click into the highlight after loading, then End and typing, writes at the end of that paragraph', async () => {
    const { paragraphBefore } = await loadAfresh();
    await page.getByTestId('comment-highlight').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' TYPED AT THE END');
    await page.screenshot({ path: screenshotPath('comment-click-end') });
    expect(await heading(page).innerText()).toBe(HEADING);
    expect(await paragraph(page).innerText()).toBe(`${paragraphBefore} TYPED AT THE END`);
    // The click still brings her thread forward.
    await expect.poll(() => page.getByTestId('thread').first().getAttribute('class')).toContain('thread--active');
  }, 60_000);

  it('the first click into the highlight after loading, then typing, writes where she clicked', async () => {
    const { paragraphBefore } = await loadAfresh();
    // The middle of the word "section", inside the highlighted words.
    const sectionWord = await page.evaluate((word) => {
      const text = document.querySelector('[data-testid=comment-highlight]')!.firstChild!;
      const at = text.textContent!.indexOf(word);
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + word.length);
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, 'section');
    await page.mouse.click(sectionWord.x, sectionWord.y);
    await page.keyboard.type('#');
    await page.screenshot({ path: screenshotPath('comment-click-type') });
    expect(await heading(page).innerText()).toBe(HEADING);
    const after = await paragraph(page).innerText();
    // The mark went into the word she clicked, and nothing else changed.
    expect(after.replace('#', '')).toBe(paragraphBefore);
    const sectionAt = paragraphBefore.indexOf('section');
    expect(after.indexOf('#')).toBeGreaterThan(sectionAt);
    expect(after.indexOf('#')).toBeLessThan(sectionAt + 'section'.length);
  }, 60_000);
});
