import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, screenshotPath, selectInEditor, signInThroughForm, useBrowser, editorOf } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * An NGO lawyer (commenter: she cannot change the text) questions a provision by selecting it and
 * commenting; the ministry sees the highlighted words live, answers and resolves; the lawyer sees
 * the answer and the resolution live, and the outline's open-thread count goes from 1 to 0.
 */
let server: TestServer;

const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterAll(async () => {
  await server?.destroy();
});
const signIn = signInThroughForm;

const threadsOf = (page: Page) => page.getByTestId('thread');
/** The open-thread count the outline shows for the section (no badge: none open). */
const openCountOf = (page: Page) =>
  page.evaluate(() => Number(document.querySelector('[data-testid=outline-open-threads]')?.getAttribute('data-count') ?? 0));

const selectText = (page: Page, sentence: string) => selectInEditor(page, sentence);

const PROVISION = 'The Government will introduce a moratorium on executions.';

describe('comment threads in real browsers', () => {
  it('an NGO commenter questions a provision; the ministry answers and resolves it, live', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    await addMember(server, coordinator, planId, 'commenter', {
      name: 'Maryna Ivanova',
      email: 'maryna@helsinki.example',
      organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
    });
    const sectionUrl = `${base}/plans/${planId}/sections/${sectionId}`;

    // --- The ministry writes the provision.
    const ministry = await newPage();
    ministry.setDefaultTimeout(15_000);
    await signIn(ministry, base, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await ministry.goto(sectionUrl);
    await editorOf(ministry).waitFor();
    await editorOf(ministry).click();
    await ministry.keyboard.type(`${PROVISION} Civil society will monitor its application.`);

    // --- The NGO lawyer opens the section: read-only for her, but she may comment.
    const ngo = await newPage();
    ngo.setDefaultTimeout(15_000);
    await signIn(ngo, base, 'maryna@helsinki.example', MEMBER_PASSWORD);
    await ngo.goto(sectionUrl);
    await ngo.getByTestId('read-only-notice').waitFor();
    await expect.poll(() => editorOf(ngo).innerText(), { timeout: 10_000 }).toContain('monitor its application');
    await expect.poll(() => ngo.getByTestId('threads-empty').count()).toBe(1);
    expect(await openCountOf(ngo)).toBe(0);

    await selectText(ngo, PROVISION);
    await ngo.getByTestId('comment-button').click();
    await ngo.getByTestId('comment-form').waitFor();
    await ngo.getByTestId('comment-body').fill('Does the moratorium cover sentences already handed down?');
    await ngo.getByTestId('comment-submit').click();
    await expect.poll(() => threadsOf(ngo).count()).toBe(1);
    expect(await ngo.getByTestId('thread-quote').innerText()).toBe(PROVISION);
    await expect.poll(() => ngo.getByTestId('comment-highlight').allInnerTexts()).toEqual([PROVISION]);
    await expect.poll(() => openCountOf(ngo)).toBe(1);

    // --- The ministry sees the thread and the highlighted words live, without reloading.
    await expect.poll(() => threadsOf(ministry).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => ministry.getByTestId('comment-highlight').allInnerTexts(), { timeout: 10_000 }).toEqual([PROVISION]);
    await expect.poll(() => openCountOf(ministry), { timeout: 10_000 }).toBe(1);
    const question = ministry.getByTestId('comment').first();
    expect(await question.getByTestId('comment-author').innerText()).toBe('Maryna Ivanova');
    expect(await question.innerText()).toContain('Belarusian Helsinki Committee');

    // The highlight follows an edit before it: the ministry types at the start of the text.
    await editorOf(ministry).click();
    await ministry.keyboard.press('Control+Home');
    await ministry.keyboard.type('Article 1. ');
    await expect.poll(() => ngo.getByTestId('comment-highlight').allInnerTexts(), { timeout: 10_000 }).toEqual([PROVISION]);

    // Clicking the highlighted words focuses the thread; she answers, mentioning the lawyer.
    await ministry.getByTestId('comment-highlight').first().click();
    await expect.poll(() => threadsOf(ministry).first().getAttribute('class')).toContain('thread--active');
    const reply = ministry.getByTestId('reply-body');
    await reply.click();
    await reply.pressSequentially('@Mary');
    await ministry.getByTestId('mention-option').first().click();
    await reply.pressSequentially('yes, the moratorium covers every pending execution.');
    await ministry.getByTestId('reply-submit').click();
    await expect.poll(() => ministry.getByTestId('comment').count()).toBe(2);
    expect(await ministry.getByTestId('mention').first().innerText()).toBe('@Maryna Ivanova');

    // --- The lawyer sees the answer live.
    await expect.poll(() => ngo.getByTestId('comment').count(), { timeout: 10_000 }).toBe(2);
    expect(await ngo.getByTestId('comment').nth(1).innerText()).toContain('covers every pending execution');
    await ministry.evaluate(() => window.scrollTo(0, 0));
    await ministry.screenshot({ path: screenshotPath('comments') });
    await ngo.getByTestId('threads-filter').selectOption('all');

    // --- The ministry resolves; the highlight and the outline count go for both.
    await ministry.getByTestId('resolve-thread').click();
    await expect.poll(() => openCountOf(ministry), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => ministry.getByTestId('comment-highlight').count()).toBe(0);
    await expect.poll(() => threadsOf(ngo).first().getAttribute('data-status'), { timeout: 10_000 }).toBe('resolved');
    await expect.poll(() => ngo.getByTestId('comment-highlight').count()).toBe(0);
    await expect.poll(() => openCountOf(ngo), { timeout: 10_000 }).toBe(0);
    expect(await ngo.getByTestId('thread-resolved').innerText()).toContain('Olga Coordinator');
    // The lawyer started the thread, so she may reopen it.
    expect(await ngo.getByTestId('reopen-thread').count()).toBe(1);
    await ngo.screenshot({ path: screenshotPath('comments-resolved') });
  }, 120_000);

  it('a thread shows as detached in both browsers as soon as its words are deleted, without reloading', async () => {
    const own = await startTestServer({ clientDir: CLIENT_DIR });
    try {
      const { coordinator, planId, sectionId } = await setUpWorkspace(own);
      await addMember(own, coordinator, planId, 'commenter', {
        name: 'Maryna Ivanova',
        email: 'maryna@helsinki.example',
        organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
      });
      const sectionUrl = `${own.url}/plans/${planId}/sections/${sectionId}`;
      const ministry = await newPage();
      ministry.setDefaultTimeout(15_000);
      await signIn(ministry, own.url, 'olga@mfa.example', COORDINATOR_PASSWORD);
      await ministry.goto(sectionUrl);
      await editorOf(ministry).click();
      await ministry.keyboard.type(`${PROVISION} Civil society will monitor it.`);

      const ngo = await newPage();
      ngo.setDefaultTimeout(15_000);
      await signIn(ngo, own.url, 'maryna@helsinki.example', MEMBER_PASSWORD);
      await ngo.goto(sectionUrl);
      await expect.poll(() => editorOf(ngo).innerText(), { timeout: 10_000 }).toContain('monitor it');
      await selectText(ngo, 'a moratorium on executions');
      await ngo.getByTestId('comment-button').click();
      await ngo.getByTestId('comment-body').fill('Which executions?');
      await ngo.getByTestId('comment-submit').click();
      await expect.poll(() => threadsOf(ministry).count(), { timeout: 10_000 }).toBe(1);
      expect(await threadsOf(ministry).first().getAttribute('data-detached')).toBeNull();

      // The ministry deletes the commented words; nobody reloads.
      await selectText(ministry, 'a moratorium on executions');
      // The editor takes up a selection made in the page on its next selectionchange: wait for it (its Comment button shows).
      await ministry.getByTestId('comment-button').waitFor();
      await ministry.keyboard.press('Delete');
      await expect.poll(() => editorOf(ngo).innerText(), { timeout: 10_000 }).not.toContain('moratorium');
      for (const page of [ministry, ngo]) {
        await expect.poll(() => threadsOf(page).first().getAttribute('data-detached'), { timeout: 5_000 }).toBe('true');
        await expect.poll(() => page.getByTestId('comment-highlight').count()).toBe(0);
        expect(await threadsOf(page).first().getByTestId('thread-quote').innerText()).toBe('a moratorium on executions');
      }
    } finally {
      await own.destroy();
    }
  }, 120_000);
});
