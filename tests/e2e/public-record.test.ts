import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiClient } from '../helpers/api.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { screenshotPath, useBrowser } from '../helpers/browser.ts';
import { ok } from '../helpers/exportPlan.ts';
import { agreeSection } from '../helpers/monitoring.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, COORDINATOR_PASSWORD } from '../helpers/workspace.ts';
import type { PlanOutline } from '../../shared/api/index.ts';

/**
 * The public record in a real browser with no account (issue #16): the sample plan, agreed by both
 * sides, adopted and reported on, is published; a visitor reads its text, finds a recommendation
 * and what the plan does about it, sees an indicator's chart, downloads the actions as CSV; axe
 * finds no serious or critical problem on any public page, and the browser reports no breach of
 * the pages' Content-Security-Policy. After unpublishing, every one of those addresses answers
 * 404. Screenshots go to test-output/public-*.png.
 */
const SLUG = 'belarus-2026-2030';
const ACTION = 'Establish a moratorium on executions';
let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let recId: string;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });

beforeAll(async () => {
  server = await startTestServer();
  coordinator = new ApiClient(server.url);
  await ok(
    coordinator.post('/api/setup', {
      name: 'Alena Kavalenka',
      email: 'alena@mfa.example',
      password: COORDINATOR_PASSWORD,
      organisation: { name: 'Ministry of Foreign Affairs', side: 'government' },
      loadSample: true,
    }),
    201,
  );
  planId = (await ok(coordinator.get('/api/plans')))[0].id;
  const p = `/api/plans/${planId}`;
  const ministry = await addMember(server, coordinator, planId, 'drafter', {
    name: 'Ihar Sokal',
    email: 'ihar@justice.example',
    organisation: { name: 'Ministry of Justice', side: 'government' },
  });
  const ngo = await addMember(server, coordinator, planId, 'drafter', {
    name: 'Maryna Ivanova',
    email: 'maryna@helsinki.example',
    organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
  });
  const outline = (await ok(coordinator.get(p))) as PlanOutline;
  const first = outline.chapters[0]!.sections[0]!;
  const recs = (await ok(coordinator.get(`${p}/recommendations?q=death penalty`))).items as Array<{ id: string }>;
  recId = recs[0]!.id;
  const action = await ok(
    coordinator.post(`${p}/sections/${first.id}/actions`, { title: ACTION, leadAgencyId: ministry.organisationId, recommendationIds: [recId], start: '2026', end: '2027' }),
    201,
  );
  const indicator = await ok(
    coordinator.post(`${p}/actions/${action.id}/indicators`, {
      type: 'outcome',
      description: 'Death sentences carried out',
      unit: 'executions',
      baselineValue: '2',
      baselineYear: 2025,
      targetValue: '0',
      targetYear: 2027,
    }),
    201,
  );
  for (const s of outline.chapters.flatMap((c) => c.sections)) await agreeSection({ coordinator, ngo, planId }, s.id);
  await ok(coordinator.post(`${p}/adoption`, { act: { title: 'Decree No. 12 on the National Human Rights Plan', number: '12', date: '2026-03-01' } }));
  const round = await ok(coordinator.post(`${p}/rounds`, { name: '2026 report', dueDate: '2026-12-31' }), 201);
  const report = await ok(
    ministry.client.post(`${p}/rounds/${round.id}/actions/${action.id}/reports`, {
      status: 'in_progress',
      narrative: 'A draft law on a moratorium is before parliament.',
      values: [{ indicatorId: indicator.id, value: 1, date: '2026-06-30' }],
    }),
  );
  await ok(ministry.client.post(`${p}/reports/${report.id}/submit`, {}));
  await ok(
    ngo.client.request('PUT', `${p}/rounds/${round.id}/assessments`, {
      targetType: 'action',
      targetId: action.id,
      rating: 'not_implemented',
      justification: 'One execution was carried out in 2026; no moratorium has been declared.',
    }),
  );
  await ok(coordinator.post(`${p}/publication`, { slug: SLUG }), 201);
}, 120_000);

afterAll(async () => {
  await server?.destroy();
});

/** A visitor's page that records every Content-Security-Policy report the browser makes. */
async function visitor(): Promise<{ page: Page; cspReports: string[] }> {
  const page = await newPage();
  const cspReports: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspReports.push(m.text());
  });
  return { page, cspReports };
}

/**
 * Words of the page's tables that the browser broke across lines ("Ну/ма/р", "Мер/апр/ыем"):
 * each word of a cell's text whose letters sit on more than one line. Long file names and hashes
 * may break; ordinary words may not.
 */
async function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const cell of document.querySelectorAll('main table th, main table td')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // Runs of letters and digits: a hyphen or a bracket is a fair place to break, inside a word is not.
        for (const m of (node.textContent ?? '').matchAll(/[\p{L}\p{N}]+/gu)) {
          if (m[0].length > 24) continue;
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) broken.push(m[0]);
        }
      }
    }
    return broken;
  });
}

async function checkPage(page: Page, name: string, visited: string[]) {
  visited.push(new URL(page.url()).pathname + new URL(page.url()).search);
  await page.screenshot({ path: screenshotPath(`public-${name}`), fullPage: name !== 'plan' });
  expect(await seriousViolations(page), `axe on ${page.url()}`).toEqual([]);
  // Every public page has the landmarks a screen reader user navigates by.
  await expect(page.locator('header, nav, main, footer').count()).resolves.toBeGreaterThanOrEqual(4);
}

describe('the public record, read without an account', () => {
  it('shows the published sample plan, a recommendation, a chart and the CSV, then answers 404 once unpublished', async () => {
    const { page, cspReports } = await visitor();
    const visited: string[] = [];
    expect(await page.context().cookies()).toEqual([]);

    const home = await page.goto(`${server.url}/p/${SLUG}`);
    expect(home!.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('National Human Rights Plan — Belarus 2026–2030');
    await expect(page.getByText('Adopted plan').first().isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: ACTION }).isVisible()).resolves.toBe(true);
    await expect(page.locator('text=Belarusian Helsinki Committee').first().isVisible()).resolves.toBe(true);
    await checkPage(page, 'plan', visited);

    // Find the recommendation through the search form, as a visitor would.
    await page.getByRole('link', { name: 'Recommendations', exact: true }).click();
    await page.getByLabel('Search', { exact: true }).fill('death penalty');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/recommendations\?q=death/);
    await checkPage(page, 'recommendations', visited);
    await page.locator(`a[href="/p/${SLUG}/recommendations/${recId}"]`).first().click();
    await page.waitForURL(`**/recommendations/${recId}`);
    await expect(page.getByRole('heading', { name: 'What the plan does about it' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: ACTION }).isVisible()).resolves.toBe(true);
    await checkPage(page, 'recommendation', visited);

    await page.getByRole('link', { name: 'Actions', exact: true }).click();
    await page.getByLabel('Status in the government report').selectOption('in_progress');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe('1 action');
    await checkPage(page, 'actions', visited);

    await page.getByRole('link', { name: 'Progress', exact: true }).click();
    const chart = page.locator('figure.chart svg[role="img"]');
    await expect(chart.isVisible()).resolves.toBe(true);
    await expect(chart.locator('[data-point="observed"]').count()).resolves.toBe(1);
    await expect(page.locator('figure.chart figcaption').textContent()).resolves.toContain('Observed 1 executions (30 June 2026)');
    await expect(page.getByText('Not implemented').isVisible()).resolves.toBe(true); // civil society's view beside the government's
    await checkPage(page, 'progress', visited);

    await page.getByRole('link', { name: 'Open data', exact: true }).click();
    await checkPage(page, 'data', visited);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'actions.csv' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain(ACTION);
    visited.push(`/p/${SLUG}/data/actions.csv`);

    // A Belarusian reader switches language from the menu; the record's own links keep it.
    await page.getByRole('link', { name: 'Беларуская' }).click();
    await page.waitForURL(/\/data\?lang=be$/);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('be');
    await checkPage(page, 'data-be', visited);
    await page.getByRole('link', { name: 'Ход выканання', exact: true }).click();
    await page.waitForURL(/\/progress\?lang=be$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Ход выканання');
    await expect(page.getByText('Не выканана').first().isVisible()).resolves.toBe(true);
    await checkPage(page, 'progress-be', visited);

    expect(cspReports, 'the pages need nothing their policy forbids').toEqual([]);
    expect(await page.context().cookies(), 'no cookie is set').toEqual([]);

    // On a phone, in the languages with the longest words, no page is wider than the screen: the
    // plan's facts, the filters' long choices and the tables fit.
    const phone = await newPage({ viewport: { width: 390, height: 844 } });
    for (const lang of ['ru', 'be']) {
      for (const path of ['', '/actions', '/recommendations', '/progress', '/data']) {
        await phone.goto(`${server.url}/p/${SLUG}${path}?lang=${lang}`);
        expect(await phone.evaluate(() => document.documentElement.scrollWidth), `${lang} ${path || '/'}`).toBeLessThanOrEqual(390);
        // Each table row reads as a card of whole words, not as columns a letter wide.
        expect(await brokenWords(phone), `${lang} ${path || '/'} on a phone`).toEqual([]);
      }
    }
    await phone.goto(`${server.url}/p/${SLUG}/recommendations?lang=be`);
    await phone.screenshot({ path: screenshotPath('public-phone-recommendations-be') });
    // On a computer too, no column is squeezed until its heading or a reference breaks mid-word.
    for (const path of ['/recommendations', '/data', '/actions', `/recommendations/${recId}`]) {
      await page.goto(`${server.url}/p/${SLUG}${path}?lang=be`);
      expect(await brokenWords(page), `be ${path}`).toEqual([]);
    }
    await phone.goto(`${server.url}/p/${SLUG}/actions?lang=be`);
    await phone.screenshot({ path: screenshotPath('public-phone-actions-be'), fullPage: true });
    await phone.context().close();

    await ok(coordinator.delete(`/api/plans/${planId}/publication`));
    for (const path of visited) {
      const res = await page.request.get(server.url + path);
      expect(res.status(), path).toBe(404);
    }
    const gone = await page.goto(`${server.url}/p/${SLUG}`);
    expect(gone!.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Not found');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('public-unpublished') });
  }, 120_000);
});
