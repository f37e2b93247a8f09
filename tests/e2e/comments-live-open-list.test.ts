import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, screenshotPath, selectInEditor, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Two people watch a section's "Open" threads. Each has the thread in focus (clicked in the list),
 * as one does while reading it; when one of them resolves it, it leaves both "Open" lists at once,
 * without a reload, and the comment boxes show a mention as the person's name, not as markup.
 */
let server: TestServer;
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterAll(async () => {
  await server?.destroy();
});

/** The plan and section the first test sets up; the second comments on the same text. */
let sectionUrlParts = { planId: '', sectionId: '' };
const PROVISION = 'The Government will introduce a moratorium on executions.';
const threadsOf = (page: Page) => page.getByTestId('thread');

async function openSection(url: string, base: string, email: string, password: string): Promise<Page> {
  const page = await newPage();
  page.setDefaultTimeout(15_000);
  await signInThroughForm(page, base, email, password);
  await page.goto(url);
  await editorOf(page).waitFor();
  return page;
}

describe('open comment threads stay live for everyone', () => {
  it('a thread resolved by one person leaves both people\'s "Open" list without a reload', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    await addMember(server, coordinator, planId, 'commenter', {
      name: 'Maryna Ivanova',
      email: 'maryna@helsinki.example',
      organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
    });
    sectionUrlParts = { planId, sectionId };
    const sectionUrl = `${base}/plans/${planId}/sections/${sectionId}`;
    const ministry = await openSection(sectionUrl, base, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await editorOf(ministry).click();
    await ministry.keyboard.type(`${PROVISION} Civil society will monitor it.`);

    const ngo = await openSection(sectionUrl, base, 'maryna@helsinki.example', MEMBER_PASSWORD);
    await expect.poll(() => editorOf(ngo).innerText(), { timeout: 10_000 }).toContain('monitor it');
    await selectInEditor(ngo, PROVISION);
    await ngo.getByTestId('comment-button').click();

    await ngo.getByTestId('comment-body').fill('Does this cover pending sentences?');
    await ngo.getByTestId('comment-submit').click();
    await expect.poll(() => threadsOf(ngo).count()).toBe(1);

    // Both have the "Open" list (the default) and the thread in focus.
    for (const page of [ministry, ngo]) {
      await expect.poll(() => threadsOf(page).count(), { timeout: 10_000 }).toBe(1);
      expect(await page.getByTestId('threads-filter').inputValue()).toBe('open');
      // The author has her new thread in focus already; clicking it again would let it go.
      if (!(await threadsOf(page).first().getAttribute('class'))?.includes('thread--active')) {
        await threadsOf(page).first().getByTestId('thread-quote').click();
      }
      await expect.poll(() => threadsOf(page).first().getAttribute('class')).toContain('thread--active');
    }

    await ministry.getByTestId('resolve-thread').click();
    for (const page of [ministry, ngo]) {
      await expect.poll(() => threadsOf(page).count(), { timeout: 10_000 }).toBe(0);
      expect(await page.getByTestId('threads-filter').inputValue()).toBe('open');
      await expect.poll(() => page.getByTestId('threads-empty').count()).toBe(1);
    }
    await ngo.screenshot({ path: screenshotPath('comments-resolved-elsewhere') });

    // Reopened elsewhere, it comes back into the "Open" list.
    await ngo.getByTestId('threads-filter').selectOption('resolved');
    await ngo.getByTestId('reopen-thread').click();
    await ngo.getByTestId('threads-filter').selectOption('open');
    await expect.poll(() => threadsOf(ministry).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => threadsOf(ngo).count(), { timeout: 10_000 }).toBe(1);
  }, 120_000);

  it('the comment box shows a mention as the person\'s name, in a new comment and when editing it', async () => {
    const base = server.url;
    const planId = sectionUrlParts.planId;
    const sectionUrl = `${base}/plans/${planId}/sections/${sectionUrlParts.sectionId}`;
    const ngo = await openSection(sectionUrl, base, 'maryna@helsinki.example', MEMBER_PASSWORD);
    await expect.poll(() => editorOf(ngo).innerText(), { timeout: 10_000 }).toContain('monitor it');
    await selectInEditor(ngo, 'Civil society will monitor it.');
    await ngo.getByTestId('comment-button').click();
    // The comment box shows a chosen mention as the person's name; what is sent is the mention.
    const box = ngo.getByTestId('comment-body');
    await box.pressSequentially('@Olg');
    await ngo.getByTestId('mention-option').first().click();
    await box.pressSequentially('does this cover pending sentences?');
    expect(await box.inputValue()).toBe('@Olga Coordinator does this cover pending sentences?');
    await ngo.getByTestId('comment-submit').click();
    await expect.poll(() => ngo.getByTestId('mention').count()).toBe(1);
    expect(await ngo.getByTestId('mention').first().innerText()).toBe('@Olga Coordinator');

    // Editing the comment shows the mention as the name too, and saving keeps it a mention.
    await ngo.getByTestId('threads-filter').selectOption('all');
    const mine = ngo.getByTestId('comment').filter({ has: ngo.getByTestId('mention') });
    await mine.getByTestId('comment-edit').click();
    const edit = ngo.getByTestId('comment-edit-body');
    expect(await edit.inputValue()).toBe('@Olga Coordinator does this cover pending sentences?');
    await edit.press('Control+End');
    await edit.pressSequentially(' And appeals?');
    await ngo.getByTestId('comment-edit-save').click();
    await expect.poll(() => mine.getByTestId('mention').locator('..').innerText()).toBe('@Olga Coordinator does this cover pending sentences? And appeals?');
    expect(await mine.getByTestId('mention').innerText()).toBe('@Olga Coordinator');
    await ngo.screenshot({ path: screenshotPath('comments-mention-name') });
  }, 120_000);
});
