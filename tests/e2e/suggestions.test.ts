import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser, selectInEditor, editorOf } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { Side } from '../../shared/api/index.ts';

/**
 * Suggesting mode in real browsers. The coordinator rules that civil-society drafters must
 * suggest; an NGO drafter replaces one sentence with a suggestion and comments on another; a
 * ministry drafter sees both live, accepts the suggestion, answers and resolves the comment.
 * Then: the ministry's own edits reach the suggesting NGO editor as plain text and come back
 * unmarked (remote Yjs changes are not turned into suggestions under the y-tiptap binding), and
 * an editor may choose Suggesting and go back to Editing. Screenshots go to test-output/suggestions-*.png.
 *
 * Each test stands alone: it has a server, a plan and browsers of its own (see openSection), and
 * writes afresh whatever of the story so far it needs.
 */
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });

/** The section's text as the person reads it, without other people's caret labels. */
const textOf = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('[data-testid=section-editor] .ProseMirror')!.cloneNode(true) as HTMLElement;
    el.querySelectorAll('.collab-caret').forEach((c) => c.remove());
    return el.innerText.replace(/\u00a0/g, ' ');
  });
/** The words in the text proposed for insertion (`ins`) or deletion (`del`), run by run, without caret labels. */
const marked = (page: Page, tag: 'ins' | 'del') =>
  page.evaluate((selector) => {
    const root = document.querySelector('[data-testid=section-editor] .ProseMirror')!;
    return [...root.querySelectorAll(selector)].map((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.collab-caret').forEach((c) => c.remove());
      return copy.textContent!.replace(/\u00a0/g, ' ');
    });
  }, `${tag}.suggestion`);
const insertedIn = (page: Page) => marked(page, 'ins');
const deletedIn = (page: Page) => marked(page, 'del');
const cardsOf = (page: Page) => page.getByTestId('suggestion-card');
const modeOf = (page: Page) => page.getByTestId('mode-switch').getAttribute('data-mode');

const selectText = (page: Page, sentence: string) => selectInEditor(page, sentence);
/** Puts the caret just before `text` in the editor, the way a click would. */
async function caretBefore(page: Page, text: string) {
  await editorOf(page).click();
  await selectInEditor(page, text, { caret: 'before' });
}
const stateOf = (page: Page) => page.getByTestId('connection-status').getAttribute('data-state');

/** Puts the caret at the end of the text (the editor must have focus for typing). */
async function caretAtEnd(page: Page) {
  await editorOf(page).click();
  await page.keyboard.press('Control+End');
}

/**
 * From the next page load on, records each state of the mode switch together with whether the
 * editor takes typing, as "mode/editable", "mode/read-only" or "mode/no-editor".
 */
async function recordModes(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { recordedModes: string[] }).recordedModes = seen;
    new MutationObserver(() => {
      const mode = document.querySelector('[data-testid=mode-switch]')?.getAttribute('data-mode') ?? 'none';
      const editable = document.querySelector('[data-testid=section-editor] .ProseMirror')?.getAttribute('contenteditable');
      const state = `${mode}/${editable === undefined || editable === null ? 'no-editor' : editable === 'true' ? 'editable' : 'read-only'}`;
      if (seen.at(-1) !== state) seen.push(state);
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
}
const recordedModes = (page: Page) => page.evaluate(() => (window as unknown as { recordedModes: string[] }).recordedModes);

const OLD = 'Torture is prohibited in law.';
const COMMENTED = 'Detainees may see a lawyer within 72 hours.';
const NEW = 'Torture and ill-treatment are criminal offences under the Criminal Code.';
const MINISTRY_LATER = ' Complaints are investigated within 30 days.';
const NGO_LATER = ' Including police custody.';
const VOLUNTARY = ' The Ombudsperson may visit any place of detention.';
const PLAIN = ' Reports are published.';

const MINISTRY_DRAFTER = { name: 'Ihar Sokal', email: 'ihar@justice.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };
const NGO_DRAFTER = { name: 'Maryna Ivanova', email: 'maryna@helsinki.example', organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' as const } };

// ----- setting up: every test has a server, a plan and browsers of its own -----

type Person = 'coordinator' | 'ministry' | 'ngo';
const SIGN_IN: Record<Person, { email: string; password: string }> = {
  coordinator: { email: 'olga@mfa.example', password: COORDINATOR_PASSWORD },
  ministry: { email: MINISTRY_DRAFTER.email, password: MEMBER_PASSWORD },
  ngo: { email: NGO_DRAFTER.email, password: MEMBER_PASSWORD },
};
/** A test's plan: the section everyone writes in, and the plan's Members page. */
interface Plan {
  base: string;
  sectionUrl: string;
  membersUrl: string;
}

let server: TestServer | undefined;
const openPages: Page[] = [];
afterEach(async () => {
  // The browsers close before the server stops, so none of them tries to reconnect to it.
  for (const page of openPages.splice(0)) await page.context().close().catch(() => undefined);
  await server?.destroy();
  server = undefined;
});

/**
 * A fresh server for this test (stopped after it) where Olga coordinates a new plan, with the
 * ministry drafter and the NGO drafter as members. With `suggestOnlySides`, the coordinator rules
 * over the API that drafters of those sides must suggest; with `null` the plan keeps the default.
 */
async function newPlan(suggestOnlySides: Side[] | null): Promise<Plan> {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  const base = server.url;
  const { coordinator, planId, sectionId } = await setUpWorkspace(server);
  await addMember(server, coordinator, planId, 'drafter', MINISTRY_DRAFTER);
  await addMember(server, coordinator, planId, 'drafter', NGO_DRAFTER);
  if (suggestOnlySides) {
    const rule = { commentersSuggest: false, suggestOnlySides };
    const put = await coordinator.request('PUT', `/api/plans/${planId}/suggestion-rule`, rule);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual(rule);
  }
  return { base, sectionUrl: `${base}/plans/${planId}/sections/${sectionId}`, membersUrl: `${base}/plans/${planId}/members` };
}

/**
 * `person`'s own browser, signed in and opened on `url` (on the section: once its editor is there).
 * With `recordModes`, the page records its mode switch from the first load on (see recordModes).
 */
async function openAs(person: Person, plan: Plan, url: string, options: { recordModes?: boolean } = {}): Promise<Page> {
  const page = await newPage();
  openPages.push(page);
  page.setDefaultTimeout(15_000);
  await signInThroughForm(page, plan.base, SIGN_IN[person].email, SIGN_IN[person].password);
  if (options.recordModes) await recordModes(page);
  await page.goto(url);
  if (url === plan.sectionUrl) await editorOf(page).waitFor();
  return page;
}

/**
 * Where every test after the first starts: a fresh plan in which civil-society drafters must
 * suggest, its section holding `text` (typed by the ministry drafter if she is among `people`, else
 * by the coordinator, both editing), and the section open for each of `people`, each page showing
 * the text, saved, in its person's default mode (the NGO drafter suggesting, the others editing).
 */
async function openSection<P extends Person>(people: P[], text: string): Promise<{ plan: Plan } & Record<P, Page>> {
  const plan = await newPlan(['civil_society']);
  const writer: Person = (people as Person[]).includes('ministry') ? 'ministry' : 'coordinator';
  const opened: Partial<Record<Person, Page>> = {};
  opened[writer] = await openAs(writer, plan, plan.sectionUrl);
  await expect.poll(() => modeOf(opened[writer]!)).toBe('editing');
  await typeAtEnd(opened[writer], text);
  for (const person of people) {
    if (!opened[person]) opened[person] = await openAs(person, plan, plan.sectionUrl);
  }
  for (const person of people) {
    const page = opened[person]!;
    await expect.poll(() => textOf(page), { timeout: 10_000 }).toBe(text);
    await expect.poll(() => stateOf(page), { timeout: 10_000 }).toBe('saved');
    await expect.poll(() => modeOf(page)).toBe(person === 'ngo' ? 'suggesting' : 'editing');
  }
  return { plan, ...(opened as Record<P, Page>) };
}

/** Types `words` at the end of the text, in the page's current mode, and waits until they are saved. */
async function typeAtEnd(page: Page, words: string) {
  await caretAtEnd(page);
  await page.keyboard.type(words);
  await expect.poll(() => textOf(page)).toContain(words);
  await expect.poll(() => stateOf(page), { timeout: 10_000 }).toBe('saved');
}

/** An editor's own suggestion: she chooses Suggesting, adds `words` at the end and goes back to Editing. */
async function suggestAtEnd(page: Page, words: string) {
  await page.getByTestId('mode-suggesting').check();
  await expect.poll(() => modeOf(page)).toBe('suggesting');
  await typeAtEnd(page, words);
  await expect.poll(() => insertedIn(page)).toContain(words);
  await page.getByTestId('mode-editing').check();
  await expect.poll(() => modeOf(page)).toBe('editing');
}

/** Adds a last paragraph of `words` as they are (typing "- " at the start of a line would make a list). */
async function addParagraph(page: Page, words: string) {
  await page.evaluate((text) => {
    // TipTap keeps the editor on its element.
    type Editor = { state: { doc: { content: { size: number } } }; commands: { insertContentAt: (at: number, content: unknown) => boolean } };
    const { editor } = document.querySelector('[data-testid=section-editor] .ProseMirror') as HTMLElement & { editor: Editor };
    editor.commands.insertContentAt(editor.state.doc.content.size, { type: 'paragraph', content: [{ type: 'text', text }] });
  }, words);
  await expect.poll(() => textOf(page)).toContain(words);
  await expect.poll(() => stateOf(page), { timeout: 10_000 }).toBe('saved');
}

/**
 * Opens the suggesting person's list of decided suggestions, as the first test leaves the NGO
 * drafter's. The list is there once something has been decided, so she first suggests words at
 * the end and withdraws them.
 */
async function openDecidedList(page: Page) {
  const text = await textOf(page);
  await typeAtEnd(page, ' Words she takes back.');
  await expect.poll(() => cardsOf(page).count(), { timeout: 10_000 }).toBe(1);
  await cardsOf(page).first().getByTestId('suggestion-reject').click();
  await expect.poll(() => textOf(page), { timeout: 10_000 }).toBe(text);
  await expect.poll(() => cardsOf(page).count(), { timeout: 10_000 }).toBe(0);
  await page.getByTestId('suggestions-decided').locator('summary').click();
  await expect.poll(() => page.getByTestId('suggestions-decided').getAttribute('open')).not.toBeNull();
}

/** Waits until `page` shows the same text and the same proposed words as `from`. */
async function caughtUp(page: Page, from: Page) {
  const text = await textOf(from);
  const inserted = await insertedIn(from);
  await expect.poll(() => textOf(page), { timeout: 10_000 }).toBe(text);
  await expect.poll(() => insertedIn(page), { timeout: 10_000 }).toEqual(inserted);
}

describe('suggesting mode in real browsers', () => {
  it('an NGO drafter suggests a replacement and comments; the ministry sees both live, accepts, answers and resolves', async () => {
    const plan = await newPlan(null);

    // --- The coordinator rules, on the Members page, that civil-society drafters must suggest.
    const coordinatorPage = await openAs('coordinator', plan, plan.membersUrl);
    const civilSociety = coordinatorPage.locator('[data-testid=suggestion-rule-side][data-side=civil_society]');
    await civilSociety.check();
    await coordinatorPage.getByTestId('suggestion-rule-save').click();
    await coordinatorPage.getByTestId('suggestion-rule-confirm').click();
    await coordinatorPage.getByTestId('suggestion-rule-saved').waitFor();
    expect(await coordinatorPage.getByTestId('suggestion-rule-text').innerText()).toContain('Civil society');
    expect(await coordinatorPage.locator('[data-testid=suggestion-rule-side][data-side=government]').isChecked()).toBe(false);

    // --- The ministry drafter (government: still edits) writes two sentences.
    const ministry = await openAs('ministry', plan, plan.sectionUrl);
    await expect.poll(() => modeOf(ministry)).toBe('editing');
    await editorOf(ministry).click();
    await ministry.keyboard.type(`${OLD} ${COMMENTED}`);
    await expect.poll(() => textOf(ministry)).toBe(`${OLD} ${COMMENTED}`);

    // --- The NGO drafter opens the section: she may only suggest.
    const ngo = await openAs('ngo', plan, plan.sectionUrl, { recordModes: true });
    await expect.poll(() => modeOf(ngo)).toBe('suggesting');
    // Not even while the page was loading the plan's rule was she offered Editing.
    const modes = await recordedModes(ngo);
    expect(modes.filter((m) => m.startsWith('editing/'))).toEqual([]);
    expect(modes.at(-1)).toBe('suggesting/editable');
    expect(await ngo.getByTestId('mode-suggesting').isChecked()).toBe(true);
    expect(await ngo.getByTestId('mode-editing').count()).toBe(0);
    expect(await ngo.getByTestId('mode-viewing').count()).toBe(1);
    await expect.poll(() => textOf(ngo), { timeout: 10_000 }).toBe(`${OLD} ${COMMENTED}`);

    // She selects the first sentence and types a new one over it: the old is struck, the new underlined.
    await editorOf(ngo).click();
    await selectText(ngo, OLD);
    // The editor has taken the selection once it offers to comment on it.
    await ngo.getByTestId('comment-button').waitFor();
    await ngo.keyboard.type(NEW);
    await expect.poll(() => deletedIn(ngo)).toEqual([OLD]);
    await expect.poll(() => insertedIn(ngo)).toEqual([NEW]);
    expect(await textOf(ngo)).toBe(`${OLD}${NEW} ${COMMENTED}`);
    // Every run carries her name, organisation and time in its title (the server's time, once it has stored them).
    const titlesOf = () =>
      editorOf(ngo).locator('ins.suggestion [title], del.suggestion [title], ins.suggestion[title], del.suggestion[title]').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
    await expect.poll(async () => (await titlesOf()).length).toBeGreaterThan(0);
    await expect
      .poll(async () => (await titlesOf()).every((title) => /^Maryna Ivanova · Belarusian Helsinki Committee · \S/.test(title ?? '')), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => cardsOf(ngo).count()).toBe(1);
    // Her own card: she may withdraw it, not accept it.
    const ngoCard = cardsOf(ngo).first();
    expect(await ngoCard.getAttribute('data-kind')).toBe('replace');
    expect(await ngoCard.getByTestId('suggestion-accept').count()).toBe(0);
    expect(await ngoCard.getByTestId('suggestion-reject').innerText()).toBe('Withdraw');
    expect(await ngo.getByTestId('suggestions-accept-all').count()).toBe(0);

    // She comments on the second sentence.
    await selectText(ngo, COMMENTED);
    await ngo.getByTestId('comment-button').click();
    await ngo.getByTestId('comment-form').waitFor();
    await ngo.getByTestId('comment-body').fill('Seventy-two hours is too long: the Committee against Torture asks for access from the outset.');
    await ngo.getByTestId('comment-submit').click();
    await expect.poll(() => ngo.getByTestId('thread').count()).toBe(1);
    expect(await ngo.getByTestId('thread-quote').innerText()).toBe(COMMENTED);
    await expect.poll(() => ngo.getByTestId('comment-highlight').allInnerTexts()).toEqual([COMMENTED]);
    // Commenting changed nothing in the text.
    expect(await textOf(ngo)).toBe(`${OLD}${NEW} ${COMMENTED}`);
    await ngo.evaluate(() => window.scrollTo(0, 0));
    await ngo.screenshot({ path: screenshotPath('suggestions-ngo-suggesting'), fullPage: true });

    // --- The ministry drafter sees the suggestion and the comment live.
    await expect.poll(() => cardsOf(ministry).count(), { timeout: 10_000 }).toBe(1);
    const card = cardsOf(ministry).first();
    expect(await card.getAttribute('data-kind')).toBe('replace');
    const cardText = await card.innerText();
    expect(cardText).toContain('Maryna Ivanova');
    expect(cardText).toContain('Belarusian Helsinki Committee');
    expect(await card.getByTestId('suggestion-what').innerText()).toBe(`Replace ${OLD} with ${NEW}`);
    await expect.poll(() => deletedIn(ministry), { timeout: 10_000 }).toEqual([OLD]);
    await expect.poll(() => insertedIn(ministry), { timeout: 10_000 }).toEqual([NEW]);
    await expect.poll(() => ministry.getByTestId('thread').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => ministry.getByTestId('comment-highlight').allInnerTexts(), { timeout: 10_000 }).toEqual([COMMENTED]);
    expect(await ministry.getByTestId('comment-author').first().innerText()).toBe('Maryna Ivanova');
    expect(await card.getByTestId('suggestion-reject').innerText()).toBe('Reject');
    // Nobody signs a text with open proposals in it.
    await expect.poll(() => ministry.getByTestId('sign-off').isDisabled(), { timeout: 10_000 }).toBe(true);
    expect(await ministry.getByTestId('open-suggestions-notice').innerText()).toContain('1 open suggestion');
    await ministry.evaluate(() => window.scrollTo(0, 0));
    await ministry.screenshot({ path: screenshotPath('suggestions-ministry-before-accept'), fullPage: true });

    // --- She accepts: the new sentence stands, the old one is gone, for both.
    await card.getByTestId('suggestion-accept').click();
    await ministry.getByTestId('suggestions-confirm-button').click();
    for (const page of [ministry, ngo]) {
      await expect.poll(() => textOf(page), { timeout: 10_000 }).toBe(`${NEW} ${COMMENTED}`);
      await expect.poll(() => cardsOf(page).count(), { timeout: 10_000 }).toBe(0);
      expect(await page.getByTestId('suggestions-empty').count()).toBe(1);
      expect(await insertedIn(page)).toEqual([]);
      expect(await deletedIn(page)).toEqual([]);
      await expect.poll(() => page.getByTestId('suggestion-decision').allTextContents(), { timeout: 10_000 }).toHaveLength(1);
      const decision = (await page.getByTestId('suggestion-decision').first().textContent())!;
      expect(decision).toContain('Ihar Sokal (Ministry of Justice) accepted Maryna Ivanova’s suggestion');
      expect(decision).toContain(NEW);
      // The comment still marks the sentence it was made on.
      await expect.poll(() => page.getByTestId('comment-highlight').allInnerTexts()).toEqual([COMMENTED]);
    }
    // Her typing has been decided on: undo does not take it back (the server would refuse that
    // as a change outside her suggestions, and drop her connection), and the Undo button says so.
    await expect.poll(() => ngo.getByTestId('tb-undo').isDisabled(), { timeout: 10_000 }).toBe(true);
    await editorOf(ngo).focus();
    await ngo.keyboard.press('Control+z');
    await ngo.waitForTimeout(1000);
    expect(await textOf(ngo)).toBe(`${NEW} ${COMMENTED}`);
    expect(await stateOf(ngo)).toBe('saved');
    expect(await ngo.getByTestId('edit-refused-notice').count()).toBe(0);
    await expect.poll(() => ministry.getByTestId('sign-off').isDisabled(), { timeout: 10_000 }).toBe(false);
    expect(await ministry.getByTestId('open-suggestions-notice').count()).toBe(0);

    // --- She answers the comment and resolves it; the NGO drafter sees both live.
    await ngo.getByTestId('threads-filter').selectOption('all');
    const reply = ministry.getByTestId('reply-body');
    await reply.click();
    await reply.pressSequentially('Agreed: access to a lawyer from the moment of detention. We will redraft.');
    await ministry.getByTestId('reply-submit').click();
    await expect.poll(() => ministry.getByTestId('comment').count()).toBe(2);
    await expect.poll(() => ngo.getByTestId('comment').count(), { timeout: 10_000 }).toBe(2);
    expect(await ngo.getByTestId('comment').nth(1).innerText()).toContain('from the moment of detention');
    await ministry.getByTestId('resolve-thread').click();
    await expect.poll(() => ministry.getByTestId('comment-highlight').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => ngo.getByTestId('thread').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('resolved');
    await expect.poll(() => ngo.getByTestId('comment-highlight').count()).toBe(0);
    expect(await ngo.getByTestId('thread-resolved').innerText()).toContain('Ihar Sokal');

    await ministry.getByTestId('suggestions-decided').locator('summary').click();
    await ministry.evaluate(() => window.scrollTo(0, 0));
    await ministry.screenshot({ path: screenshotPath('suggestions-ministry-after-accept'), fullPage: true });
    await ngo.getByTestId('suggestions-decided').locator('summary').click();
    await ngo.evaluate(() => window.scrollTo(0, 0));
    await ngo.screenshot({ path: screenshotPath('suggestions-ngo-after-accept'), fullPage: true });
  }, 120_000);

  it('remote edits reach a suggesting editor as they are, and are not written back as suggestions', async () => {
    // The text as the first test leaves it, with no open suggestions.
    const { ministry, ngo } = await openSection(['ministry', 'ngo'], `${NEW} ${COMMENTED}`);
    expect(await modeOf(ngo)).toBe('suggesting');

    // The ministry drafter, editing, adds a sentence while the NGO drafter's editor is suggesting.
    await caretAtEnd(ministry);
    await ministry.keyboard.type(MINISTRY_LATER);
    const withLater = `${NEW} ${COMMENTED}${MINISTRY_LATER}`;
    await expect.poll(() => textOf(ngo), { timeout: 10_000 }).toBe(withLater);
    // In the NGO's editor it is plain text.
    expect(await insertedIn(ngo)).toEqual([]);
    expect(await deletedIn(ngo)).toEqual([]);
    expect(await cardsOf(ngo).count()).toBe(0);

    // The NGO drafter now suggests an addition. Her updates reach the ministry in order, so once the
    // ministry sees it, anything her editor would have written back on receiving the ministry's
    // sentence has arrived too: the only suggestion is hers, and the ministry's sentence is unmarked.
    await caretAtEnd(ngo);
    await ngo.keyboard.type(NGO_LATER);
    await expect.poll(() => insertedIn(ngo)).toEqual([NGO_LATER]);
    await expect.poll(() => insertedIn(ministry), { timeout: 10_000 }).toEqual([NGO_LATER]);
    expect(await textOf(ministry)).toBe(`${withLater}${NGO_LATER}`);
    expect(await deletedIn(ministry)).toEqual([]);
    await expect.poll(() => cardsOf(ministry).count()).toBe(1);
    expect(await cardsOf(ministry).first().getAttribute('data-kind')).toBe('insert');

    // She withdraws it: the words go for both, and the record says it was withdrawn, not accepted.
    await expect.poll(() => cardsOf(ngo).count()).toBe(1);
    const withdraw = cardsOf(ngo).first().getByTestId('suggestion-reject');
    expect(await withdraw.innerText()).toBe('Withdraw');
    await withdraw.click();
    for (const page of [ngo, ministry]) {
      await expect.poll(() => textOf(page), { timeout: 10_000 }).toBe(withLater);
      await expect.poll(() => cardsOf(page).count(), { timeout: 10_000 }).toBe(0);
      expect(await insertedIn(page)).toEqual([]);
    }
  }, 60_000);

  it('an editor may choose Suggesting (the coordinator sees her suggestion) and go back to Editing', async () => {
    const before = `${NEW} ${COMMENTED}${MINISTRY_LATER}`;
    const { coordinator: coordinatorPage, ministry } = await openSection(['coordinator', 'ministry'], before);
    await expect.poll(() => textOf(coordinatorPage), { timeout: 10_000 }).toBe(before);

    // The ministry drafter has all three modes; she chooses Suggesting.
    expect(await ministry.getByTestId('mode-editing').isChecked()).toBe(true);
    await ministry.getByTestId('mode-suggesting').check();
    await expect.poll(() => modeOf(ministry)).toBe('suggesting');
    await caretAtEnd(ministry);
    await ministry.keyboard.type(VOLUNTARY);
    await expect.poll(() => insertedIn(ministry)).toEqual([VOLUNTARY]);

    await expect.poll(() => cardsOf(coordinatorPage).count(), { timeout: 10_000 }).toBe(1);
    const card = cardsOf(coordinatorPage).first();
    expect(await card.getAttribute('data-kind')).toBe('insert');
    expect(await card.innerText()).toContain('Ihar Sokal');
    expect(await card.innerText()).toContain('Ministry of Justice');
    expect(await card.getByTestId('suggestion-accept').count()).toBe(1);
    await expect.poll(() => insertedIn(coordinatorPage), { timeout: 10_000 }).toEqual([VOLUNTARY]);
    await coordinatorPage.evaluate(() => window.scrollTo(0, 0));
    await coordinatorPage.screenshot({ path: screenshotPath('suggestions-coordinator-sees-ministry-suggestion'), fullPage: true });

    // Back to Editing: what she types now is plain text, right after her suggestion.
    await ministry.getByTestId('mode-editing').check();
    await expect.poll(() => modeOf(ministry)).toBe('editing');
    await caretAtEnd(ministry);
    await ministry.keyboard.type(PLAIN);
    await expect.poll(() => textOf(coordinatorPage), { timeout: 10_000 }).toBe(`${before}${VOLUNTARY}${PLAIN}`);
    expect(await insertedIn(coordinatorPage)).toEqual([VOLUNTARY]);
    expect(await insertedIn(ministry)).toEqual([VOLUNTARY]);
    expect(await cardsOf(coordinatorPage).count()).toBe(1);
  }, 60_000);

  it('Enter proposes a new paragraph; typed list or heading shortcuts stay words; accepting keeps the paragraph', async () => {
    const { ministry, ngo } = await openSection(['ministry', 'ngo'], `${NEW} ${COMMENTED}${MINISTRY_LATER}`);
    // As the test before leaves it: the ministry drafter's own suggestion open, plain words after it.
    await suggestAtEnd(ministry, VOLUNTARY);
    await typeAtEnd(ministry, PLAIN);
    await caughtUp(ngo, ministry);
    const paragraphsOf = (page: Page) => page.locator('[data-testid=section-editor] .ProseMirror > p');
    const proposedOf = (page: Page) => page.locator('[data-testid=section-editor] .ProseMirror p.suggestion-block');
    const before = await paragraphsOf(ministry).count();
    /** A paragraph's words, without other people's caret labels. */
    const wordsOf = (block: ReturnType<Page['locator']>) =>
      block.evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.collab-caret').forEach((c) => c.remove());
        return copy.textContent ?? '';
      });

    await caretAtEnd(ngo);
    await ngo.keyboard.press('Enter');
    await ngo.keyboard.type('- Monitoring by the Ombudsperson.');
    await expect.poll(() => proposedOf(ngo).count()).toBe(1);
    expect(await wordsOf(proposedOf(ngo).first())).toBe('- Monitoring by the Ombudsperson.');
    // "- " at the start of a line did not become a list.
    expect(await ngo.locator('[data-testid=section-editor] .ProseMirror ul').count()).toBe(0);

    await expect.poll(() => proposedOf(ministry).count(), { timeout: 10_000 }).toBe(1);
    expect(await paragraphsOf(ministry).count()).toBe(before + 1);
    const card = cardsOf(ministry).filter({ hasText: 'Add a paragraph' });
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    expect(await card.innerText()).toContain('Maryna Ivanova');
    expect(await card.innerText()).toContain('- Monitoring by the Ombudsperson.');

    await card.getByTestId('suggestion-accept').click();
    await ministry.getByTestId('suggestions-confirm-button').click();
    for (const page of [ministry, ngo]) {
      await expect.poll(() => proposedOf(page).count(), { timeout: 10_000 }).toBe(0);
      await expect.poll(() => paragraphsOf(page).count(), { timeout: 10_000 }).toBe(before + 1);
      expect(await wordsOf(paragraphsOf(page).last())).toBe('- Monitoring by the Ombudsperson.');
      // Its words are accepted with it (the ministry drafter's earlier suggestion is still open).
      expect(await paragraphsOf(page).last().locator('ins').count()).toBe(0);
    }
  }, 60_000);

  it('editing inside someone’s suggestion gives plain words; a bulk decision takes only what its dialog counted', async () => {
    const { ministry, ngo } = await openSection(['ministry', 'ngo'], `${NEW} ${COMMENTED}${MINISTRY_LATER}`);
    // As the tests before leave it: the ministry drafter's own suggestion open, plain words after
    // it, and the NGO drafter's accepted paragraph at the end.
    await suggestAtEnd(ministry, VOLUNTARY);
    await typeAtEnd(ministry, PLAIN);
    await addParagraph(ministry, '- Monitoring by the Ombudsperson.');
    await caughtUp(ngo, ministry);
    const WITHIN = ' Within 24 hours.';
    const LATE = 'Free of charge. ';
    expect(await modeOf(ministry)).toBe('editing');

    await caretAtEnd(ngo);
    await ngo.keyboard.type(WITHIN);
    await expect.poll(() => insertedIn(ministry), { timeout: 10_000 }).toContain(WITHIN);

    // The ministry drafter, editing, types inside the NGO drafter's proposed words: hers stay plain,
    // and the suggestion stays Maryna's on both sides of them.
    await caretBefore(ministry, '24 hours.');
    await ministry.keyboard.type('at most ');
    await expect.poll(() => textOf(ngo), { timeout: 10_000 }).toContain(' Within at most 24 hours.');
    await expect.poll(() => insertedIn(ngo), { timeout: 10_000 }).toEqual([VOLUNTARY, ' Within ', '24 hours.']);
    expect(await insertedIn(ministry)).toEqual([VOLUNTARY, ' Within ', '24 hours.']);
    expect(await stateOf(ministry)).not.toBe('closed');
    await expect.poll(() => cardsOf(ministry).count(), { timeout: 10_000 }).toBe(2);

    // She opens "Reject all" for the two open suggestions; a third arrives while the dialog is open.
    await ministry.getByTestId('suggestions-reject-all').click();
    await ministry.getByTestId('suggestions-confirm').waitFor();
    expect(await ministry.getByTestId('suggestions-confirm').innerText()).toContain('All 2 open suggestions');
    // At the start of the text: far from her other suggestion, so it is a suggestion of its own.
    await editorOf(ngo).click();
    await ngo.keyboard.press('Control+Home');
    await ngo.keyboard.type(LATE);
    await expect.poll(() => cardsOf(ministry).count(), { timeout: 10_000 }).toBe(3);
    await ministry.getByTestId('suggestions-confirm-button').click();
    // The two she saw are rejected; the one she did not see is still open.
    for (const page of [ministry, ngo]) {
      await expect.poll(() => insertedIn(page), { timeout: 10_000 }).toEqual([LATE]);
      await expect.poll(() => cardsOf(page).count(), { timeout: 10_000 }).toBe(1);
      expect(await textOf(page)).toMatch(new RegExp(`^${LATE}${NEW}`));
      expect(await textOf(page)).toMatch(/Ombudsperson\.at most\s*$/);
      expect(await textOf(page)).not.toContain(VOLUNTARY);
    }
  }, 60_000);

  it('an edit the server refuses starts the section over from the shared text, with a notice', async () => {
    const { ministry, ngo } = await openSection(['ministry', 'ngo'], `${NEW} ${COMMENTED}`);
    const shared = await textOf(ministry);
    // A direct edit from someone who may only suggest (as a bug or a race would send it): the
    // suggesting guard is told it is a suggestion, so only the server stands in the way.
    await ngo.evaluate(() => {
      // TipTap keeps the editor on its element.
      type Tr = { insertText: (text: string, at: number) => Tr; setMeta: (key: string, value: unknown) => Tr };
      type Editor = { state: { tr: Tr; doc: { content: { size: number } } }; view: { dispatch: (tr: Tr) => void } };
      const { editor } = document.querySelector('[data-testid=section-editor] .ProseMirror') as HTMLElement & { editor: Editor };
      const end = editor.state.doc.content.size - 1;
      editor.view.dispatch(editor.state.tr.insertText(' Refused words.', end).setMeta('accordSuggestion', true));
    });
    const notice = ngo.getByTestId('edit-refused-notice');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.innerText()).toContain('Your last change could not be kept: you may only suggest here');
    // It quotes her words that were not kept, so she can type them again.
    expect(await ngo.getByTestId('edit-refused-text').innerText()).toContain('“Refused words.”');
    await expect.poll(() => stateOf(ngo), { timeout: 10_000 }).toBe('saved');
    await expect.poll(() => textOf(ngo), { timeout: 10_000 }).toBe(shared);
    expect(await modeOf(ngo)).toBe('suggesting');

    // She carries on suggesting in the fresh document; nothing of the refused edit comes back.
    const AGAIN = ' Again.';
    await caretAtEnd(ngo);
    await ngo.keyboard.type(AGAIN);
    await expect.poll(() => insertedIn(ministry), { timeout: 10_000 }).toContain(AGAIN);
    expect(await textOf(ministry)).not.toContain('Refused words');
    await expect.poll(() => stateOf(ngo), { timeout: 10_000 }).toBe('saved');
    expect(await notice.count()).toBe(1);
  }, 60_000);

  it('when the rule changes, the editor takes nothing until the new rule is known', async () => {
    const { plan, coordinator: coordinatorPage, ministry } = await openSection(['coordinator', 'ministry'], `${NEW} ${COMMENTED}`);
    await recordModes(ministry);
    await ministry.goto(plan.sectionUrl);
    await editorOf(ministry).waitFor();
    await expect.poll(() => recordedModes(ministry), { timeout: 10_000 }).toContain('editing/editable');

    // The coordinator rules that government drafters must suggest too.
    await coordinatorPage.goto(plan.membersUrl);
    await coordinatorPage.locator('[data-testid=suggestion-rule-side][data-side=government]').check();
    await coordinatorPage.getByTestId('suggestion-rule-save').click();
    await coordinatorPage.getByTestId('suggestion-rule-confirm').click();
    await coordinatorPage.getByTestId('suggestion-rule-saved').waitFor();

    // The ministry drafter is reconnected: read-only until the rule is refetched, then suggesting.
    const settled = async () => {
      const modes = await recordedModes(ministry);
      const since = modes.slice(modes.lastIndexOf('editing/editable'));
      return since.some((m) => m.endsWith('/read-only')) && since.at(-1) === 'suggesting/editable';
    };
    await expect.poll(settled, { timeout: 15_000 }).toBe(true);
    expect(await modeOf(ministry)).toBe('suggesting');
    expect(await ministry.getByTestId('mode-editing').count()).toBe(0);
    // And she is told, rather than finding her next words going in differently.
    expect(await ministry.getByTestId('access-changed-notice').innerText()).toContain('now go through suggestions');
  }, 60_000);

  it('Enter in a list item proposes the next item, which the coordinator accepts', async () => {
    const { coordinator: coordinatorPage, ngo } = await openSection(['coordinator', 'ngo'], `${NEW} ${COMMENTED}`);
    await caretAtEnd(coordinatorPage);
    await coordinatorPage.keyboard.press('Enter');
    await coordinatorPage.keyboard.type('- Independent monitoring of places of detention.');
    const itemsOf = (page: Page) => page.locator('[data-testid=section-editor] .ProseMirror ul > li');
    await expect.poll(() => itemsOf(ngo).count(), { timeout: 10_000 }).toBe(1);

    // The caret at the end of the list item's words (clicking could land on a caret label).
    await editorOf(ngo).focus();
    await ngo.evaluate(() => {
      const p = document.querySelector('[data-testid=section-editor] .ProseMirror ul > li:last-child p')!;
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      let last: Node | null = null;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!n.parentElement?.closest('.collab-caret')) last = n;
      const range = document.createRange();
      range.setStart(last!, last!.textContent!.length);
      range.collapse(true);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
    });
    await ngo.waitForTimeout(100);
    await ngo.keyboard.press('Enter');
    await ngo.keyboard.type('Public reports every year.');
    await expect.poll(() => itemsOf(ngo).count()).toBe(2);
    expect(await ngo.locator('[data-testid=section-editor] .ProseMirror li.suggestion-block').count()).toBe(1);

    await expect.poll(() => coordinatorPage.locator('[data-testid=section-editor] .ProseMirror li.suggestion-block').count(), { timeout: 10_000 }).toBe(1);
    const card = cardsOf(coordinatorPage).filter({ hasText: 'Public reports every year.' });
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    await card.getByTestId('suggestion-accept').click();
    await coordinatorPage.getByTestId('suggestions-confirm-button').click();
    for (const page of [coordinatorPage, ngo]) {
      await expect.poll(() => page.locator('[data-testid=section-editor] .ProseMirror li.suggestion-block').count(), { timeout: 10_000 }).toBe(0);
      expect(await itemsOf(page).count()).toBe(2);
      expect(await itemsOf(page).last().locator('ins').count()).toBe(0);
    }
  }, 60_000);

  it('a rejection can say why, and the author reads the reason', async () => {
    const { coordinator: coordinatorPage, ngo } = await openSection(['coordinator', 'ngo'], `${NEW} ${COMMENTED}`);
    // As the first test leaves it, the NGO drafter has her list of decided suggestions open.
    await openDecidedList(ngo);
    const PROPOSAL = 'Within 24 hours of arrest.';
    await editorOf(ngo).focus();
    await ngo.evaluate(() => {
      const root = document.querySelector('[data-testid=section-editor] .ProseMirror')!;
      const p = root.querySelector(':scope > p')!;
      const range = document.createRange();
      range.selectNodeContents(p);
      range.collapse(false);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
    });
    await ngo.waitForTimeout(100);
    await ngo.keyboard.type(` ${PROPOSAL}`);
    const card = cardsOf(coordinatorPage).filter({ hasText: PROPOSAL });
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);

    await card.getByTestId('suggestion-reject').click();
    await coordinatorPage.getByTestId('suggestions-reason').fill('The Code of Criminal Procedure already sets 72 hours; we will revisit it in 2027.');
    await coordinatorPage.getByTestId('suggestions-confirm-button').click();
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);

    const reasons = ngo.getByTestId('suggestion-decision-reason');
    await expect.poll(() => reasons.allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringContaining('we will revisit it in 2027'));
    expect(await ngo.getByTestId('suggestion-decision').filter({ hasText: PROPOSAL }).innerText()).toContain('Olga Coordinator');
  }, 60_000);
});
