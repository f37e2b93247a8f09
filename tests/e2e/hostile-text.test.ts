import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as Y from 'yjs';
import { getSectionBody } from '../../shared/doc/schema.ts';
import { ApiClient } from '../helpers/api.ts';
import { connectPeer } from '../helpers/peer.ts';
import { CLIENT_DIR, launchBrowser, screenshotPath } from '../helpers/browser.ts';
import { HOSTILE_STRINGS } from '../helpers/fuzz.ts';
import { importFile } from '../helpers/imports.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD } from '../helpers/workspace.ts';

/**
 * Hostile text entered through the API is shown as text on every page, never run; pasting HTML or
 * a javascript: link into the editor does not make a script or a javascript: link.
 */
const H = HOSTILE_STRINGS;
/** The ones a person can see as typed (the others are control characters or trimmed). */
const VISIBLE = H.slice(0, 8);

let browser: Browser;
let server: TestServer;
let context: BrowserContext;
let dialogs: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await server?.destroy();
});

async function seed() {
  const coordinator = new ApiClient(server.url);
  const setup = await coordinator.post('/api/setup', {
    name: `${H[1]} Olga`,
    email: 'olga@mfa.example',
    password: COORDINATOR_PASSWORD,
    organisation: { name: H[2], side: 'government' },
  });
  expect(setup.status, JSON.stringify(setup.body)).toBe(201);
  const plan = await coordinator.post('/api/plans', { title: H[0], country: H[3], periodStart: 2026, periodEnd: 2030 });
  const planId: string = plan.body.id;
  let outline = await coordinator.post(`/api/plans/${planId}/chapters`, { title: H[4] });
  const chapterId: string = outline.body.chapters.at(-1).id;
  outline = await coordinator.post(`/api/plans/${planId}/sections`, { chapterId, title: H[0] });
  const sectionId: string = outline.body.chapters.at(-1).sections.at(-1).id;
  for (const title of VISIBLE.slice(1)) await coordinator.post(`/api/plans/${planId}/sections`, { chapterId, title });

  // A member with a hostile name and organisation.
  const invite = await coordinator.post(`/api/plans/${planId}/invites`, { role: 'drafter' });
  const member = new ApiClient(server.url);
  const accepted = await member.post(`/api/invites/${invite.body.token}/accept`, {
    account: { name: H[5], email: 'nina@ngo.example', password: MEMBER_PASSWORD, organisation: { name: H[6], side: 'civil_society' } },
  });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);

  // Recommendations from an Accord JSON file with hostile texts, themes and States.
  const recs = H.map((text, i) =>
    sampleRecommendation(i, {
      sourceKey: `hostile:${i}`,
      text: `${text} recommendation ${i}`,
      themes: [text.trim() || 'blank', H[(i + 1) % H.length]!.trim() || 'blank'],
      recommendingStates: [text.trim() || 'blank'],
      stateUnderReview: H[7],
      position: 'supported',
      notes: text,
    }),
  );
  await importFile(coordinator, planId, `${H[1]}.json`, JSON.stringify({ format: 'accord-recommendations', version: 1, recommendations: recs }));
  const list = await coordinator.get(`/api/plans/${planId}/recommendations?limit=200`);
  const recIds = list.body.items.map((r: { id: string }) => r.id);

  const orgs = (await coordinator.get(`/api/plans/${planId}/organisations`)).body;
  const action = await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/actions`, {
    title: H[1],
    description: `${H[0]}\n${H[2]}`,
    fundingSource: H[4],
    leadAgencyId: orgs[0].id,
    recommendationIds: recIds.slice(0, 3),
  });
  expect(action.status, JSON.stringify(action.body)).toBe(201);
  const indicator = await coordinator.post(`/api/plans/${planId}/actions/${action.body.id}/indicators`, {
    type: 'outcome',
    description: H[2],
    unit: H[3],
    baselineValue: H[5],
    targetValue: H[6],
    dataSource: H[0],
    frequency: H[7],
    disaggregation: [H[1]],
  });
  expect(indicator.status, JSON.stringify(indicator.body)).toBe(201);
  const open = await coordinator.post(`/api/plans/${planId}/invites`, { role: 'observer' });
  return { coordinator, planId, sectionId, inviteToken: open.body.token as string };
}

async function newPage(cookie: string | undefined): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  if (cookie) {
    const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
    await context.addCookies([{ name, value, url: server.url }]);
  }
  await context.addInitScript(() => {
    (window as unknown as { __xss: number }).__xss = 0;
    window.alert = () => {
      (window as unknown as { __xss: number }).__xss++;
    };
    window.confirm = () => {
      (window as unknown as { __xss: number }).__xss++;
      return false;
    };
    window.prompt = () => {
      (window as unknown as { __xss: number }).__xss++;
      return null;
    };
  });
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (err) => {
    throw new Error(`page error: ${err.message}`);
  });
  return page;
}

const xssCount = (page: Page) => page.evaluate(() => (window as unknown as { __xss: number }).__xss);

async function expectVisible(page: Page, texts: readonly string[]) {
  for (const text of texts) {
    await expect
      .poll(() => page.getByText(text, { exact: false }).first().isVisible(), { timeout: 10_000, message: `"${text}" visible` })
      .toBe(true);
  }
}

async function expectNoScript(page: Page) {
  expect(dialogs).toEqual([]);
  expect(await xssCount(page)).toBe(0);
  // Nothing hostile became markup: no injected elements, handlers or javascript: links.
  expect(await page.locator('img[src="x"], svg[onload], [onerror], a[href^="javascript:" i]').count()).toBe(0);
  expect(await page.locator('script:not([src])').evaluateAll((els) => els.filter((e) => e.textContent?.includes('alert')).length)).toBe(0);
}

describe('hostile text in the browser', () => {
  it('shows hostile text as text on every page and never runs it', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { coordinator, planId, sectionId, inviteToken } = await seed();
    const base = server.url;
    dialogs = [];
    const page = await newPage(coordinator.cookie);

    // Plans list.
    await page.goto(base + '/');
    await page.getByTestId('plan-list').waitFor();
    await expectVisible(page, [H[0]]);
    await expectNoScript(page);

    // Plan outline and section: editor and actions panel.
    await page.goto(`${base}/plans/${planId}/sections/${sectionId}`);
    await page.getByTestId('section-editor').locator('.ProseMirror').waitFor();
    await page.getByTestId('outline').waitFor();
    await expectVisible(page, [H[0], H[4], ...VISIBLE.slice(1)]);
    await page.getByTestId('actions-panel').waitFor();
    await expect.poll(() => page.getByTestId('action-card').count()).toBeGreaterThan(0);
    const card = await page.getByTestId('actions-panel').innerText();
    for (const t of [H[1], H[2], H[3]]) expect(card).toContain(t);
    await expectNoScript(page);

    // Members.
    await page.goto(`${base}/plans/${planId}/members`);
    await page.getByTestId('members-table').waitFor();
    await expectVisible(page, [H[5], H[6], `${H[1]} Olga`, H[2]]);
    await expectNoScript(page);

    // Recommendations: list, detail, import history.
    await page.goto(`${base}/plans/${planId}/recommendations`);
    await page.getByTestId('rec-table').waitFor();
    await expectVisible(page, VISIBLE.map((t, i) => `${t} recommendation ${i}`));
    await page.getByTestId('rec-row').first().click();
    await page.getByTestId('rec-detail').waitFor();
    await expectNoScript(page);
    await page.getByTestId('rec-detail-close').click().catch(() => undefined);
    await expect.poll(() => page.getByTestId('import-record').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('import-history').innerText()).toContain(`${H[1]}.json`);
    await expectNoScript(page);

    // Coverage.
    await page.goto(`${base}/plans/${planId}/coverage`);
    await page.getByTestId('coverage-totals').waitFor();
    await expectVisible(page, [H[0]]);
    await expectNoScript(page);

    // The invite page, as a newcomer sees it.
    await context.close();
    const invitePage = await newPage(undefined);
    await invitePage.goto(`${base}/invite/${inviteToken}`);
    await invitePage.getByTestId('invite-info').waitFor();
    await expectVisible(invitePage, [H[0], `${H[1]} Olga`]);
    await expectNoScript(invitePage);
  });

  it('pasted HTML and a javascript: link in the editor stay inert', async () => {
    // Same server and data as the first test.
    const coordinator = new ApiClient(server.url);
    const signIn = await coordinator.post('/api/auth/sign-in', { email: 'olga@mfa.example', password: COORDINATOR_PASSWORD });
    expect(signIn.status).toBeLessThan(300);
    const plans = await coordinator.get('/api/plans');
    const planId = plans.body[0].id;
    const outline = await coordinator.get(`/api/plans/${planId}`);
    const sectionId = outline.body.chapters.at(-1).sections[0].id;
    // A client that skips the editor writes a javascript: link mark and an onerror attribute directly.
    const peer = connectPeer(server.url, coordinator, sectionId);
    await peer.synced();
    peer.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.setAttribute('onclick', 'alert(13)');
      const text = new Y.XmlText();
      text.insert(0, 'synced evil link', { link: { href: 'javascript:alert(14)' } });
      p.insert(0, [text]);
      getSectionBody(peer.doc).insert(0, [p]);
    });
    await expect.poll(() => peer.isSaved()).toBe(true);
    peer.destroy();
    dialogs = [];
    await context.close();
    const page = await newPage(coordinator.cookie);
    await page.goto(`${server.url}/plans/${planId}/sections/${sectionId}`);
    const editor = page.getByTestId('section-editor').locator('.ProseMirror');
    await editor.waitFor();
    await expect.poll(() => editor.innerText(), { timeout: 10_000 }).toContain('synced evil link');
    await page.waitForFunction(() => document.querySelector('[data-testid=connection-status]')?.getAttribute('data-state') === 'saved', null, {
      timeout: 15_000,
    });

    // Paste hostile HTML.
    await editor.click();
    await page.evaluate(() => {
      const html =
        '<p>pasted <img src=x onerror="alert(1)"> <a href="javascript:alert(2)">evil link</a> <a href="JaVaScRiPt:alert(3)">mixed case</a></p>' +
        '<script>alert(4)</script><svg onload="alert(5)"></svg><iframe src="javascript:alert(6)"></iframe>' +
        '<p onclick="alert(7)" style="background:url(javascript:alert(8))">styled</p>';
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', 'pasted evil link mixed case styled');
      const target = document.querySelector('[data-testid=section-editor] .ProseMirror')!;
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => editor.innerText()).toContain('evil link');

    // Type markup as text.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('<img src=x onerror=alert(9)>');
    await expect.poll(() => editor.innerText()).toContain('<img src=x onerror=alert(9)>');

    // A javascript: link through the toolbar's link form is refused.
    await page.keyboard.press('Shift+Home');
    await page.getByTestId('tb-link').click();
    const form = page.getByTestId('link-form');
    await form.waitFor();
    await form.locator('input').fill('javascript:alert(10)');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.innerText()).not.toBe('');
    await form.locator('input').fill('  JAVASCRIPT:alert(11)');
    await form.locator('button[type=submit]').click();
    await form.locator('input').fill('data:text/html,<script>alert(12)</script>');
    await form.locator('button[type=submit]').click();

    await page.waitForTimeout(300);
    expect(await page.locator('a[href^="javascript:" i], a[href^=" javascript:" i], a[href^="data:" i]').count()).toBe(0);
    expect(await editor.locator('img, script, svg, iframe, [onclick], [onerror]').count()).toBe(0);
    await expectNoScript(page);
    // The other person's view (the stored document) has none of it either.
    const hrefs = await editor.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of hrefs) expect(href ?? '').not.toMatch(/^\s*(javascript|data):/i);
    await page.screenshot({ path: screenshotPath('hostile-text'), fullPage: true });
  });
});
