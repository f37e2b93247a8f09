import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, screenshotPath, signInThroughForm, useBrowser, editorOf } from '../helpers/browser.ts';
import { addAction, ok } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { PlanOutline } from '../../shared/api/index.ts';

/**
 * An NGO lawyer is drafting a section when the ministry coordinator deletes it: her page says at
 * once that it was moved to the bin and by whom, instead of the editor. The coordinator restores it
 * from the bin and it comes back whole, with what she had typed and its action, on her page too.
 */
let server: TestServer;

const { newPage } = useBrowser({ viewport: { width: 1360, height: 900 } });
afterAll(async () => {
  await server?.destroy();
});

const SECTION = 'Moratorium on executions';
const SAVED = 'The Ministry of Justice will draft a moratorium law within six months.';
const MORE = ' Civil society will be consulted on the draft.';

const waitForSaved = (page: Page) =>
  page.waitForFunction(() => document.querySelector('[data-testid=connection-status]')?.getAttribute('data-state') === 'saved', null, {
    timeout: 15_000,
  });
const sectionRow = (page: Page, title: string) => page.locator('.outline__row').filter({ has: page.getByTestId('outline-section').filter({ hasText: title }) });

describe('the bin in real browsers', () => {
  it('a drafter typing is warned when the section is deleted; the coordinator restores it whole', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, chapterId, sectionId: firstSectionId } = await setUpWorkspace(server);
    const nina = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Nina Lawyer',
      email: 'nina@hrc.example',
      organisation: { name: 'Human Rights Centre', side: 'civil_society' },
    });
    const outline = (await ok(coordinator.post(`/api/plans/${planId}/sections`, { chapterId, title: SECTION }))) as PlanOutline;
    const sectionId = outline.chapters[0]!.sections.find((s) => s.title === SECTION)!.id;
    await addAction(coordinator, planId, sectionId, {
      lead: 'Ministry of Justice',
      partner: 'Viasna',
      recText: 'Establish a moratorium on executions with a view to abolishing the death penalty',
      title: 'Draft a moratorium law',
    });
    // The first section is agreed: delete is not offered on it, nor on its chapter.
    const { currentHash } = await ok(coordinator.get(`/api/plans/${planId}/sections/${firstSectionId}/agreement`));
    await ok(coordinator.post(`/api/plans/${planId}/sections/${firstSectionId}/signoffs`, { contentHash: currentHash }));
    await ok(nina.client.post(`/api/plans/${planId}/sections/${firstSectionId}/signoffs`, { contentHash: currentHash }));
    const sectionUrl = `${base}/plans/${planId}/sections/${sectionId}`;

    // --- Nina drafts the section; what she typed first is saved.
    const ngo = await newPage();
    ngo.setDefaultTimeout(15_000);
    await signInThroughForm(ngo, base, 'nina@hrc.example', MEMBER_PASSWORD);
    await ngo.goto(sectionUrl);
    await editorOf(ngo).waitFor();
    await editorOf(ngo).click();
    await ngo.keyboard.type(SAVED);
    await waitForSaved(ngo);

    // --- The coordinator has the plan open; agreed sections offer no delete.
    const ministry = await newPage();
    ministry.setDefaultTimeout(15_000);
    await signInThroughForm(ministry, base, 'olga@mfa.example', COORDINATOR_PASSWORD);
    await ministry.goto(`${base}/plans/${planId}`);
    await sectionRow(ministry, SECTION).waitFor();
    expect(await sectionRow(ministry, 'Purpose and scope').getByTestId('section-delete').count()).toBe(0);
    expect(await ministry.getByTestId('chapter-delete').count()).toBe(0);
    expect(await sectionRow(ministry, SECTION).getByTestId('section-delete').count()).toBe(1);

    // --- Nina keeps typing while the coordinator moves the section to the bin.
    await editorOf(ngo).click();
    await ngo.keyboard.press('End');
    const typing = ngo.keyboard.type(MORE, { delay: 40 });
    await sectionRow(ministry, SECTION).getByTestId('section-delete').click();
    await ministry.getByTestId('confirm-dialog').waitFor();
    await ministry.screenshot({ path: screenshotPath('bin-1-coordinator-confirms') });
    await ministry.getByTestId('confirm-dialog-confirm').click();
    await typing;

    // Her page says so at once, instead of the editor, and her outline no longer lists it.
    const notice = ngo.getByTestId('section-binned');
    await notice.waitFor({ timeout: 10_000 });
    expect(await ngo.getByTestId('section-binned-body').innerText()).toContain(
      `“${SECTION}” was moved to the bin by Olga Coordinator (Ministry of Foreign Affairs)`,
    );
    expect(await notice.innerText()).toContain('a coordinator can restore it');
    expect(await ngo.getByTestId('section-editor').count()).toBe(0);
    expect(await ngo.getByTestId('outline-section').filter({ hasText: SECTION }).count()).toBe(0);
    await ngo.screenshot({ path: screenshotPath('bin-2-drafter-warned') });

    // --- The coordinator restores it from the bin.
    await ministry.getByTestId('bin-link').click();
    const entry = ministry.getByTestId('bin-entry').filter({ hasText: SECTION });
    await entry.waitFor();
    expect(await entry.getByTestId('bin-entry-by').innerText()).toContain('Olga Coordinator');
    expect(await entry.getByTestId('bin-entry-days').innerText()).toBe('30 days');
    await ministry.screenshot({ path: screenshotPath('bin-3-bin-page') });
    await entry.getByTestId('bin-restore').click();
    await ministry.getByTestId('bin-restored').waitFor();
    await ministry.getByTestId('bin-empty').waitFor();

    // Nina's page brings the section back by itself: its text, with everything she typed, and its action.
    await editorOf(ngo).waitFor({ timeout: 10_000 });
    await expect.poll(() => editorOf(ngo).innerText(), { timeout: 10_000 }).toContain(SAVED);
    // Keys pressed after the notice replaced the editor went nowhere; everything typed before it is back.
    const restoredText = (await editorOf(ngo).innerText()).trim();
    expect((SAVED + MORE).startsWith(restoredText), restoredText).toBe(true);
    expect(restoredText.length).toBeGreaterThan(SAVED.length);
    await expect.poll(() => ngo.getByTestId('action-card-title').allInnerTexts()).toEqual(['Action 1. Draft a moratorium law']);
    await waitForSaved(ngo);
    await ngo.screenshot({ path: screenshotPath('bin-4-drafter-restored') });

    // And the coordinator reads the same text in the restored section.
    await ministry.getByTestId('bin-restored').getByRole('link').click();
    await expect.poll(async () => (await editorOf(ministry).innerText()).trim(), { timeout: 10_000 }).toBe(restoredText);
    await expect.poll(() => ministry.getByTestId('action-card-title').allInnerTexts()).toEqual(['Action 1. Draft a moratorium law']);
  });
});
