import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PlanOutline } from '../../shared/api/index.ts';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * An NGO lawyer in exile drafts on a bad connection. The section's positions and actions (and
 * the other panels beside the text) behave as the text does offline: what was loaded stays shown,
 * what never was says it will load once she is back online, what needs the server is off and says
 * why, nothing shows "the server could not be reached", and once the connection is back the
 * panels fill in by themselves.
 */
let server: TestServer;
let coordinator: ApiClient;
let planId = '';
let first = '';
let second = '';

const NEEDS = 'You are offline: this needs a connection';
const LOADS = 'You are offline: this will load once you are back online';
const RAW = /could not be reached/;

const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });

async function ok(res: Promise<{ status: number; body: any }>, status = [200, 201]) {
  const r = await res;
  expect(status, JSON.stringify(r.body)).toContain(r.status);
  return r.body;
}

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  let chapterId = '';
  ({ coordinator, planId, chapterId, sectionId: first } = await setUpWorkspace(server));
  const outline = (await ok(coordinator.post(`/api/plans/${planId}/sections`, { chapterId, title: 'Fair trial' }))) as PlanOutline;
  second = outline.chapters[0]!.sections.find((s) => s.title === 'Fair trial')!.id;
  for (const title of ['Train judges on fair-trial standards', 'Open court hearings to the public']) {
    await ok(coordinator.post(`/api/plans/${planId}/sections/${first}/actions`, { title }));
  }
  await ok(coordinator.post(`/api/plans/${planId}/sections/${first}/positions`, { text: 'The plan should name the courts it covers.' }));
  await ok(coordinator.post(`/api/plans/${planId}/sections/${second}/positions`, { text: 'Military courts must be included.' }));
});
afterAll(async () => {
  await server?.destroy();
});

async function waitForState(page: Page, state: string, timeout = 20_000) {
  await page.waitForFunction((s) => document.querySelector('[data-testid=connection-status]')?.getAttribute('data-state') === s, state, { timeout });
}

/** Everything the section page says as an error, and whether any of it is the raw network one. */
const alerts = (page: Page) => page.getByRole('alert').allInnerTexts();
const panelText = (page: Page, testId: string) => page.getByTestId(testId).innerText();

describe('the section panels offline', () => {
  it('keep what was loaded, say what will load once back, turn off what needs the server, and refresh when it is back', async () => {
    const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/plans/${planId}/sections/${first}`);
    await expect.poll(() => page.getByTestId('action-card').count(), { timeout: 15_000 }).toBe(2);
    await page.getByTestId('position').waitFor();
    await waitForState(page, 'saved');

    // The connection drops: what she had stays, and changing it waits, saying why.
    await page.context().setOffline(true);
    await waitForState(page, 'offline');
    expect(await page.getByTestId('action-card').count()).toBe(2);
    expect(await panelText(page, 'positions-panel')).toContain('The plan should name the courts it covers.');
    expect(await panelText(page, 'positions-offline')).toContain(NEEDS);
    expect(await panelText(page, 'actions-offline')).toContain(NEEDS);
    expect(await page.getByTestId('action-move-down').first().isDisabled()).toBe(true);
    expect(await page.getByTestId('link-recs-open').first().isDisabled()).toBe(true);
    // A position can be written offline; it is recorded once she is back and sends it.
    await page.getByTestId('position-new').click();
    await page.getByTestId('position-text-input').fill('Written on the train.');
    expect(await page.getByTestId('position-submit').isDisabled()).toBe(true);
    // Moved with the keyboard, an action stays where it is.
    await page.getByTestId('action-card').first().focus();
    await page.keyboard.press('Alt+ArrowDown');
    await page.waitForTimeout(1000);
    expect(await page.getByTestId('action-card').first().innerText()).toContain('Train judges');
    expect(await alerts(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('offline-panels-loaded'), fullPage: true });
    // An action's history, never opened here, says it will load rather than that it failed.
    await page.getByTestId('action-history').first().click();
    await expect.poll(() => panelText(page, 'history-dialog'), { timeout: 10_000 }).toContain(LOADS);
    await page.waitForTimeout(3000);
    expect(await panelText(page, 'history-dialog')).not.toMatch(RAW);
    await page.getByTestId('history-dialog').screenshot({ path: screenshotPath('offline-panels-history') });
    await page.getByTestId('history-close').click();

    // She opens a section she never opened on this device: nothing of it was loaded.
    await page.getByRole('link', { name: 'Fair trial' }).first().click();
    await page.waitForURL(`**/sections/${second}`);
    await expect.poll(() => panelText(page, 'positions-panel'), { timeout: 15_000 }).toContain(LOADS);
    await expect.poll(() => panelText(page, 'actions-panel')).toContain(LOADS);
    await expect.poll(() => panelText(page, 'comments-panel')).toContain(LOADS);
    await expect.poll(() => panelText(page, 'agreement-panel')).toContain(LOADS);
    // However long she waits (past every retry), no raw network error appears.
    await page.waitForTimeout(5000);
    expect((await alerts(page)).filter((a) => RAW.test(a))).toEqual([]);
    expect(await page.locator('body').innerText()).not.toMatch(RAW);
    expect(await panelText(page, 'actions-panel')).toContain(LOADS);
    await page.screenshot({ path: screenshotPath('offline-panels-never-loaded'), fullPage: true });

    // Meanwhile a colleague adds an action there; when she is back, the panels fill in by themselves.
    await ok(coordinator.post(`/api/plans/${planId}/sections/${second}/actions`, { title: 'Publish every judgment' }));
    await page.context().setOffline(false);
    await waitForState(page, 'saved');
    await expect.poll(() => panelText(page, 'positions-panel'), { timeout: 15_000 }).toContain('Military courts must be included.');
    await expect.poll(() => panelText(page, 'actions-panel')).toContain('Publish every judgment');
    expect(await panelText(page, 'positions-panel')).not.toContain(LOADS);
    expect(await page.getByTestId('agreement-not-loaded').count()).toBe(0);
    expect(await page.getByTestId('positions-offline').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('offline-panels-back'), fullPage: true });
    await page.close();
  }, 120_000);

  it('after a reload while the server is down, the panels show their last copy or say they will load, and load once it is back', async () => {
    const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/plans/${planId}/sections/${first}`);
    await page.getByTestId('position').waitFor();
    // The app and the answers seen so far are kept by the service worker once it controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    await page.getByTestId('position').waitFor();
    await expect.poll(() => page.getByTestId('action-card').count(), { timeout: 15_000 }).toBe(2);
    await waitForState(page, 'saved');

    // The server goes away (not the browser's network), and she reloads the page.
    const { port, dataDir } = server;
    await server.close();
    await waitForState(page, 'offline');
    await page.reload();
    await page.getByTestId('section-editor').waitFor({ timeout: 15_000 });
    // What this browser saw before is shown again.
    await expect.poll(() => panelText(page, 'positions-panel'), { timeout: 15_000 }).toContain('The plan should name the courts it covers.');
    await expect.poll(() => page.getByTestId('action-card').count()).toBe(2);

    // The other section's answers were never seen here: they say they will load, not that they failed.
    await page.getByRole('link', { name: 'Fair trial' }).first().click();
    await page.waitForURL(`**/sections/${second}`);
    await expect.poll(() => panelText(page, 'positions-panel'), { timeout: 15_000 }).toContain(LOADS);
    await expect.poll(() => panelText(page, 'actions-panel')).toContain(LOADS);
    await page.waitForTimeout(5000);
    expect(await page.locator('body').innerText()).not.toMatch(RAW);
    await page.screenshot({ path: screenshotPath('offline-panels-server-down'), fullPage: true });

    // The server is back on the same address: the panels load by themselves.
    server = await startTestServer({ clientDir: CLIENT_DIR, dataDir, env: { PORT: String(port) } });
    await waitForState(page, 'saved', 30_000);
    await expect.poll(() => panelText(page, 'positions-panel'), { timeout: 20_000 }).toContain('Military courts must be included.');
    await expect.poll(() => panelText(page, 'actions-panel')).toContain('Publish every judgment');
    expect(await page.locator('body').innerText()).not.toMatch(RAW);
    await page.close();
  }, 120_000);
  it("the section's versions and the plan's coverage, never opened here, say they will load, and load once back", async () => {
    const page = await openSignedIn(newPage, server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/plans/${planId}/sections/${first}`);
    await page.getByTestId('position').waitFor();
    await waitForState(page, 'saved');
    await page.context().setOffline(true);
    await waitForState(page, 'offline');

    await page.getByTestId('section-history-tab').click();
    await expect.poll(() => panelText(page, 'section-history'), { timeout: 15_000 }).toContain(LOADS);
    await page.getByRole('link', { name: 'Coverage', exact: true }).click();
    await page.waitForURL('**/coverage');
    await expect.poll(() => page.getByTestId('coverage-not-loaded').innerText(), { timeout: 15_000 }).toContain(LOADS);
    await page.waitForTimeout(3000);
    expect(await page.locator('body').innerText()).not.toMatch(RAW);
    await page.screenshot({ path: screenshotPath('offline-panels-coverage') });

    // Back online: the coverage loads by itself; the versions, loaded, can be saved again.
    await page.context().setOffline(false);
    await page.getByTestId('coverage-totals').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('coverage-not-loaded').count()).toBe(0);
    await page.goBack();
    await page.getByTestId('version-save').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('versions-not-loaded').count(), { timeout: 15_000 }).toBe(0);
    expect(await page.getByTestId('version-save').isEnabled()).toBe(true);

    // Offline again with the versions loaded: they stay, and saving one waits, saying why.
    await page.context().setOffline(true);
    await expect.poll(() => page.getByTestId('version-save').isDisabled(), { timeout: 15_000 }).toBe(true);
    expect(await panelText(page, 'history-offline')).toContain(NEEDS);
    expect(await page.getByTestId('versions-not-loaded').count()).toBe(0);
    await page.getByTestId('section-history').screenshot({ path: screenshotPath('offline-panels-versions') });
    await page.context().setOffline(false);
    await page.close();
  }, 120_000);
});
