import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, screenshotPath, useBrowser, openSignedIn } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { PlanOutline } from '../../shared/api/index.ts';

/**
 * Sign-off rules in real browsers. The coordinator lowers the plan's quorum of civil-society
 * organisations on the Members page, seeing how many of each side are verified, and is told which
 * section in review became agreed; then gives one chapter its own rule from the outline, and that
 * chapter's section in review becomes agreed. An NGO drafter reads, in a section's agreement panel,
 * which rule applies (the chapter's or the plan's) and what it still needs.
 * Screenshots go to test-output/rules-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

const ngo = (key: string, name: string) => ({ name, email: `${key}@ngo.example`, organisation: { name: `${key[0]!.toUpperCase()}${key.slice(1)} Centre`, side: 'civil_society' as const } });

const openAs = (base: string, email: string, password: string, url: string) => openSignedIn(newPage, base, email, password, url);

async function sign(client: ApiClient, planId: string, sectionId: string) {
  const { currentHash } = (await client.get(`/api/plans/${planId}/sections/${sectionId}/agreement`)).body;
  const res = await client.post(`/api/plans/${planId}/sections/${sectionId}/signoffs`, { contentHash: currentHash });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

describe('sign-off rules that fit a coalition', () => {
  it('a coordinator lowers a quorum and gives a chapter its own rule; sections in review become agreed and the lists say which', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const p = `/api/plans/${planId}`;
    const maryna = await addMember(server, coordinator, planId, 'drafter', ngo('helsinki', 'Maryna Ivanova'));
    const ales = await addMember(server, coordinator, planId, 'drafter', ngo('viasna', 'Ales Bialiatski'));
    await addMember(server, coordinator, planId, 'drafter', ngo('legal', 'Natallia Pinchuk'));

    // A second chapter, with a section in review and one not signed yet.
    let outline = (await coordinator.post(`${p}/chapters`, { title: 'Rights of persons with disabilities' })).body as PlanOutline;
    const chapterId = outline.chapters.find((c) => c.title === 'Rights of persons with disabilities')!.id;
    await coordinator.post(`${p}/sections`, { chapterId, title: 'Accessibility' });
    outline = (await coordinator.post(`${p}/sections`, { chapterId, title: 'Legal capacity' })).body as PlanOutline;
    const [accessibility, legalCapacity] = outline.chapters.find((c) => c.id === chapterId)!.sections.map((s) => s.id);

    // The plan asks for 1 government and 3 civil-society organisations; two have signed each section.
    const strict = await coordinator.request('PUT', `${p}/signoff-rule`, { kind: 'quorum', minimum: { government: 1, civil_society: 3 } });
    expect(strict.status, JSON.stringify(strict.body)).toBe(200);
    for (const who of [coordinator, maryna.client, ales.client]) await sign(who, planId, sectionId);
    await sign(maryna.client, planId, accessibility!);

    // --- The coordinator lowers the quorum on the Members page.
    const olga = await openAs(base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/members`);
    const panel = olga.getByTestId('signoff-rule-panel');
    await expect
      .poll(() => panel.getByTestId('signoff-rule-text').innerText())
      .toBe('Signatures from at least 1 verified government organisation and at least 3 verified civil-society organisations.');
    await panel.getByTestId('signoff-rule-edit').click();
    expect(await panel.getByTestId('signoff-rule-kind-quorum').isChecked()).toBe(true);
    const verifiedCs = panel.locator('[data-testid=signoff-rule-quorum-verified][data-side=civil_society]');
    expect(await verifiedCs.innerText()).toBe('3 verified organisations');
    const csInput = panel.locator('[data-testid=signoff-rule-quorum-input][data-side=civil_society]');
    // Asking for more than are verified is refused before anything is sent.
    await csInput.fill('4');
    await expect.poll(() => panel.getByTestId('signoff-rule-problem').innerText()).toContain('only 3 of its organisations are verified');
    expect(await panel.getByTestId('signoff-rule-save').isDisabled()).toBe(true);
    await csInput.fill('2');
    await expect.poll(() => panel.getByTestId('signoff-rule-problem').count()).toBe(0);
    // The panel alone: a full-page screenshot resizes the page and can move the button under the next click.
    await panel.screenshot({ path: screenshotPath('rules-quorum-form') });
    const dialog = olga.getByTestId('signoff-rule-dialog');
    await panel.getByTestId('signoff-rule-save').click();
    await expect.poll(() => dialog.innerText()).toContain('at least 2 verified civil-society organisations');
    expect(await dialog.innerText()).toContain('Sections already agreed stay agreed');
    await olga.getByTestId('signoff-rule-confirm').click();
    const result = panel.getByTestId('rule-change-result');
    await expect.poll(() => result.innerText().catch(() => '')).toContain('1 section became agreed under it:');
    expect(await result.getByTestId('rule-change-section').allInnerTexts()).toEqual(['Purpose and scope']);
    await expect
      .poll(() => panel.getByTestId('signoff-rule-text').innerText())
      .toBe('Signatures from at least 1 verified government organisation and at least 2 verified civil-society organisations.');
    expect((await coordinator.get(`${p}/sections/${sectionId}/agreement`)).body.status).toBe('agreed');
    await panel.screenshot({ path: screenshotPath('rules-quorum-saved') });

    // --- The NGO drafter has a section of the second chapter open: the plan's rule applies.
    const ngoPage = await openAs(base, 'helsinki@ngo.example', MEMBER_PASSWORD, `${base}/plans/${planId}/sections/${legalCapacity}`);
    const rule = ngoPage.getByTestId('agreement-rule');
    await expect.poll(() => rule.getAttribute('data-scope').catch(() => null)).toBe('plan');
    expect(await rule.innerText()).toContain("Who must sign (the plan's rule):");

    // --- A chapter's own rule, from the outline.
    await olga.goto(`${base}/plans/${planId}/sections/${legalCapacity}`);
    const chapterRule = olga.locator(`[data-testid=chapter-rule][data-chapter-id="${chapterId}"]`);
    await chapterRule.getByTestId('chapter-rule-open').click();
    const chapterDialog = olga.getByTestId('chapter-rule-dialog');
    await chapterDialog.getByTestId('chapter-rule-use-own').check();
    await chapterDialog.getByTestId('signoff-rule-kind-quorum').check();
    await chapterDialog.locator('[data-testid=signoff-rule-quorum-input][data-side=government]').fill('0');
    await chapterDialog.locator('[data-testid=signoff-rule-quorum-input][data-side=civil_society]').fill('1');
    await expect.poll(() => chapterDialog.getByTestId('chapter-rule-preview').innerText()).toBe('Signatures from at least 1 verified civil-society organisation.');
    await olga.screenshot({ path: screenshotPath('rules-chapter-dialog') });
    await chapterDialog.getByTestId('chapter-rule-save').click();
    await expect.poll(() => chapterDialog.getByTestId('rule-change-result').innerText().catch(() => '')).toContain('1 section became agreed under it:');
    expect(await chapterDialog.getByTestId('rule-change-section').allInnerTexts()).toEqual(['Accessibility']);
    await olga.screenshot({ path: screenshotPath('rules-chapter-saved') });
    await chapterDialog.getByTestId('chapter-rule-close').click();
    await expect.poll(() => chapterRule.getAttribute('data-own')).toBe('true');
    const rules = (await coordinator.get(`${p}/signoff-rules`)).body;
    expect(rules.chapters).toEqual([expect.objectContaining({ chapterId, rule: { kind: 'quorum', minimum: { civil_society: 1 } } })]);

    // --- The NGO drafter's open section follows at once: which rule applies, and what is missing.
    await expect.poll(() => rule.innerText().catch(() => '')).toContain('the chapter “Rights of persons with disabilities” has its own rule');
    expect(await rule.getAttribute('data-scope')).toBe('chapter');
    expect(await rule.innerText()).toContain('Signatures from at least 1 verified civil-society organisation.');
    expect(await ngoPage.getByTestId('agreement-missing').innerText()).toContain('A signature from 1 more verified civil-society organisation is needed (0 of 1)');
    // Everyone sees the chapter has its own rule in the outline; only coordinators may change it.
    expect(await ngoPage.locator(`[data-testid=chapter-rule][data-chapter-id="${chapterId}"] [data-testid=chapter-rule-badge]`).count()).toBe(1);
    expect(await ngoPage.getByTestId('chapter-rule-open').count()).toBe(0);
    await ngoPage.screenshot({ path: screenshotPath('rules-ngo-chapter-section'), fullPage: true });

    // A new section of the first chapter follows the plan's rule.
    outline = (await coordinator.post(`${p}/sections`, { chapterId: outline.chapters[0]!.id, title: 'Definitions' })).body as PlanOutline;
    const definitions = outline.chapters[0]!.sections.find((s) => s.title === 'Definitions')!.id;
    await ngoPage.goto(`${base}/plans/${planId}/sections/${definitions}`);
    await expect.poll(() => ngoPage.getByTestId('agreement-rule').getAttribute('data-scope').catch(() => null)).toBe('plan');
    expect(await ngoPage.getByTestId('agreement-missing').innerText()).toContain('Signatures from 2 more verified civil-society organisations are needed (0 of 2)');
    await ngoPage.screenshot({ path: screenshotPath('rules-ngo-plan-section'), fullPage: true });
  }, 180_000);
});
