import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, useBrowser } from '../helpers/browser.ts';
import { ok } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, COORDINATOR_PASSWORD, MEMBER_PASSWORD, setUpSampleWorkspace } from '../helpers/workspace.ts';

/**
 * A coordinator who uses no mouse drafts a section from start to signature (issue #17): she signs
 * in, opens the plan and a section, types, comments, switches to Suggesting and proposes words; a
 * colleague at the Ministry of Justice, also on the keyboard, accepts them; she links a
 * recommendation to an action and gives it an indicator, signs the section, opens its history and
 * exports the plan as DOCX. Only keyboard.press and keyboard.type are used on the pages; where the
 * test checks where it is, it reads document.activeElement.
 */
let server: TestServer;
let planTitle: string;
let sectionTitle: string;
let sectionUrl: string;
const OLGA = 'olga@mfa.example';
const IHAR = { name: 'Ihar Sokal', email: 'ihar@justice.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };
const ACTION = 'Establish a moratorium on executions';
const { newPage } = useBrowser({ acceptDownloads: true });

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const { coordinator, planId, outline } = await setUpSampleWorkspace(server);
  planTitle = outline.plan.title;
  const section = outline.chapters[0]!.sections[0]!;
  sectionTitle = section.title;
  sectionUrl = `${server.url}/plans/${planId}/sections/${section.id}`;
  await addMember(server, coordinator, planId, 'drafter', IHAR);
  // The action the indicator and the recommendation go to (seeded: adding one is not the journey).
  await ok(coordinator.post(`/api/plans/${planId}/sections/${section.id}/actions`, { title: ACTION }), 201);
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

/** What has focus, for failure messages: tag, test id, name. */
const focusOf = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'the page itself';
    const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '';
    return `${el.tagName.toLowerCase()}[data-testid=${el.dataset.testid ?? ''}] "${name}"`;
  });

const focusMatches = (page: Page, selector: string) => page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector);

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`. */
async function tabTo(page: Page, selector: string, options: { back?: boolean; max?: number } = {}) {
  const max = options.max ?? 120;
  for (let i = 0; i <= max; i++) {
    if (await focusMatches(page, selector)) return;
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${options.back ? 'Shift+Tab' : 'Tab'} never reached ${selector}; focus is on ${await focusOf(page)}`);
}

async function expectFocus(page: Page, selector: string) {
  // Up to 10 s, as the page's other waits: on a loaded machine the editor takes focus after its
  // document has loaded, well past the 1 s expect.poll waits by default.
  await expect.poll(() => focusMatches(page, selector), { message: `focus should be on ${selector}`, timeout: 10_000 }).toBe(true);
}

/** Signs in on the sign-in form with the keyboard alone (the e-mail field has focus on arrival). */
async function signIn(page: Page, email: string, password: string) {
  await page.goto(server.url + '/sign-in');
  await expectFocus(page, '[data-testid=sign-in-email]');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(server.url + '/');
}

const EDITOR = '[data-testid=section-editor] .ProseMirror';

/** Whether the editor's own caret (TipTap keeps the editor on its element) is after the last word. */
const caretAtEnd = (page: Page) =>
  page.evaluate((sel) => {
    const dom = document.querySelector(sel) as (Element & { editor?: { state: { selection: { to: number }; doc: { content: { size: number }; textBetween(a: number, b: number): string } } } }) | null;
    const state = dom?.editor?.state;
    return !!state && state.doc.textBetween(state.selection.to, state.doc.content.size).trim() === '';
  }, EDITOR);

async function waitSaved(page: Page) {
  await page.getByTestId('connection-status').and(page.locator('[data-state=saved]')).waitFor({ timeout: 15_000 });
}

describe('a keyboard-only journey', () => {
  it('signs in, drafts, comments, suggests (a colleague accepts), links, adds an indicator, signs, opens history and exports', async () => {
    const olga = await newPage();
    olga.setDefaultTimeout(15_000);
    await signIn(olga, OLGA, COORDINATOR_PASSWORD);

    // Open the plan, then the section from the outline: focus lands in the text.
    await tabTo(olga, `[data-testid=plan-item] a`);
    expect(await olga.evaluate(() => document.activeElement?.textContent)).toBe(planTitle);
    await olga.keyboard.press('Enter');
    await olga.getByTestId('outline').waitFor();
    await tabTo(olga, `[data-testid=outline-section][aria-current], [data-testid=outline-section]`);
    expect(await olga.evaluate(() => document.activeElement?.textContent)).toBe(sectionTitle);
    await olga.keyboard.press('Enter');
    await olga.waitForURL(sectionUrl);
    await editorOf(olga).waitFor();
    await expectFocus(olga, EDITOR);

    // Type at the end of the text.
    await waitSaved(olga);
    await olga.keyboard.press('Control+End');
    await expect.poll(() => caretAtEnd(olga)).toBe(true);
    await olga.keyboard.press('Enter');
    await olga.keyboard.type('Keyboard users draft here too.');
    await waitSaved(olga);
    await expect.poll(() => editorOf(olga).innerText()).toContain('Keyboard users draft here too.');

    // Comment on the words just typed: select them, Tab to the Comment button beside them.
    await olga.keyboard.press('Shift+Home');
    // The button comes once the editor has taken the selection (a moment under load).
    await olga.getByTestId('comment-button').waitFor();
    await tabTo(olga, '[data-testid=comment-button]');
    await olga.keyboard.press('Enter');
    await expectFocus(olga, '[data-testid=comment-body]');
    await olga.keyboard.type('Should this say which ministries?');
    await tabTo(olga, '[data-testid=comment-submit]');
    await olga.keyboard.press('Enter');
    await olga.getByTestId('thread').first().waitFor();
    // Posting keeps her in the thread, in its reply box.
    await expectFocus(olga, '[data-testid=thread] [data-testid=reply-body]');

    // Switch to Suggesting (arrow keys in the radio group) and propose words.
    await tabTo(olga, '[data-testid=mode-switch] input:checked', { back: true });
    await olga.keyboard.press('ArrowRight');
    await expect.poll(() => olga.getByTestId('mode-switch').getAttribute('data-mode')).toBe('suggesting');
    await tabTo(olga, EDITOR);
    await olga.keyboard.press('Control+End');
    await expect.poll(() => caretAtEnd(olga)).toBe(true);
    await olga.keyboard.type(' All of them.');
    await olga.getByTestId('suggestion-card').first().waitFor();
    await waitSaved(olga);

    // Ihar, on his own keyboard, accepts it.
    const ihar = await newPage();
    ihar.setDefaultTimeout(15_000);
    await signIn(ihar, IHAR.email, MEMBER_PASSWORD);
    await ihar.goto(sectionUrl);
    await editorOf(ihar).waitFor();
    await ihar.getByTestId('suggestion-card').first().waitFor();
    // Olga's screen reader is told he came in.
    await expect
      .poll(() => olga.getByTestId('presence-announcement').textContent(), { timeout: 10_000 })
      .toContain('Ihar Sokal (Ministry of Justice) is now in this section.');
    await tabTo(ihar, '[data-testid=suggestion-accept]');
    await ihar.keyboard.press('Enter');
    // Accepting cannot be taken back: the confirmation opens on Cancel, and Accept is one step back.
    await expectFocus(ihar, '[data-testid=suggestions-confirm] [data-testid=confirm-dialog-cancel]');
    await ihar.keyboard.press('Shift+Tab');
    await expectFocus(ihar, '[data-testid=suggestions-confirm-button]');
    await ihar.keyboard.press('Enter');
    await expect.poll(() => ihar.getByTestId('suggestion-card').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => olga.getByTestId('suggestion-card').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => editorOf(olga).innerText()).toContain('Keyboard users draft here too. All of them.');

    // Link a recommendation to the action: open the picker, search, attach the first result.
    await tabTo(olga, '[data-testid=link-recs-open]');
    await olga.keyboard.press('Enter');
    await expectFocus(olga, '[data-testid=link-recs-search]');
    await olga.keyboard.type('death penalty');
    await olga.getByTestId('link-recs-result').first().waitFor();
    await tabTo(olga, '[data-testid=link-recs-attach]');
    await olga.keyboard.press('Enter');
    await expect.poll(() => olga.getByTestId('action-rec-badge').count()).toBeGreaterThan(0);
    await tabTo(olga, '[data-testid=link-recs-close]', { back: true });
    await olga.keyboard.press('Enter');

    // Add an indicator to the action.
    await tabTo(olga, '[data-testid=add-indicator]');
    await olga.keyboard.press('Enter');
    await olga.getByTestId('indicator-form').waitFor();
    await expectFocus(olga, '[data-testid=indicator-type]');
    await tabTo(olga, '[data-testid=indicator-description]');
    await olga.keyboard.type('Death sentences carried out');
    await tabTo(olga, '[data-testid=indicator-unit]');
    await olga.keyboard.type('executions');
    await tabTo(olga, '[data-testid=indicator-save]');
    await olga.keyboard.press('Enter');
    await expect.poll(() => olga.getByTestId('indicator-row').count()).toBe(1);
    // After saving, focus is back on the button that opened the form, not at the top of the page.
    await expectFocus(olga, '[data-testid=add-indicator]');

    // Sign the section: the dialog, then its confirm button.
    await waitSaved(olga);
    await tabTo(olga, '[data-testid=sign-off]', { back: true });
    await olga.keyboard.press('Enter');
    await olga.getByTestId('sign-off-dialog').waitFor();
    await tabTo(olga, '[data-testid=sign-off-dialog] [data-testid=confirm-dialog-confirm], [data-testid=sign-off-dialog] .button--primary');
    await olga.keyboard.press('Enter');
    await olga.getByTestId('signed-by-me').waitFor();

    // Open the section's history.
    await tabTo(olga, '[data-testid=history-link]', { back: true });
    await olga.keyboard.press('Enter');
    await olga.getByTestId('section-history').waitFor();

    // Export the plan as DOCX (the format the export page starts on) and download it.
    await tabTo(olga, '[data-testid=export-link]', { back: true });
    await olga.keyboard.press('Enter');
    await olga.getByTestId('export-start').waitFor();
    expect(await olga.getByTestId('export-format').inputValue()).toBe('docx');
    await tabTo(olga, '[data-testid=export-start]');
    await olga.keyboard.press('Enter');
    await olga.getByTestId('export-download').waitFor({ timeout: 60_000 });
    await tabTo(olga, '[data-testid=export-download]');
    const [download] = await Promise.all([olga.waitForEvent('download'), olga.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
  }, 180_000);
});
