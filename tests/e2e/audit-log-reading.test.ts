import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from 'kysely';
import type { Locator, Page } from 'playwright-core';
import type { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, addMember, setUpSampleWorkspace } from '../helpers/workspace.ts';
import type { PlanOutline } from '../../shared/api/index.ts';

/**
 * A coordinator reads the plan's audit log. It begins with the plan's creation and the sample
 * loaded into it, each in a sentence; on a phone each entry is a card of its own (when, who with
 * organisation and role, what, the sentence) and nothing makes the page or the log scroll sideways.
 */
let server: TestServer;
let coordinator: ApiClient;
let planId = '';
let outline: PlanOutline;
let sections = 0;
let recommendations = 0;

const { newPage } = useBrowser({ locale: 'en-GB' });
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  server = await startTestServer({ clientDir: CLIENT_DIR });
  ({ coordinator, planId, outline } = await setUpSampleWorkspace(server));
  sections = outline.chapters.flatMap((c) => c.sections).length;
  recommendations = (await server.sql.theRow(z.object({ n: z.number() }), sql`SELECT count(*) AS n FROM recommendations WHERE plan_id = ${planId}`)).n;
  // A few more entries, with long names and titles as real plans have them.
  await addMember(server, coordinator, planId, 'drafter', {
    name: 'Nina Lawyer-Kavaliova',
    email: 'nina@hrc.example',
    organisation: { name: 'Belarusian Helsinki Committee for Human Rights Defenders', side: 'civil_society' },
  });
  const section = outline.chapters[0]!.sections[0]!;
  const renamed = await coordinator.patch(`/api/plans/${planId}/sections/${section.id}`, {
    title: 'Moratorium on executions, commutation of death sentences and abolition of capital punishment',
  });
  expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
  const action = await coordinator.post(`/api/plans/${planId}/sections/${section.id}/actions`, {
    title: 'Introduce a moratorium on executions with a view to abolishing the death penalty',
  });
  expect(action.status, JSON.stringify(action.body)).toBe(201);
});
afterAll(async () => {
  await server?.destroy();
});

const row = (page: Page, action: string) => page.locator(`[data-testid=audit-row][data-action="${action}"]`);

async function openAudit(viewport: { width: number; height: number }): Promise<Page> {
  const page = await openSignedIn(() => newPage({ viewport }), server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/plans/${planId}/audit`);
  await page.getByTestId('audit-table').waitFor();
  return page;
}

/** Shown, and all of it within the screen's width. */
async function wholeOnScreen(locator: Locator, width: number): Promise<boolean> {
  if (!(await locator.isVisible())) return false;
  const box = await locator.boundingBox();
  return box !== null && box.width > 0 && box.x >= 0 && box.x + box.width <= width + 0.5;
}

describe('the audit log, read in a browser', () => {
  it('begins with the plan’s creation and the sample loaded into it, in sentences', async () => {
    const page = await openAudit({ width: 1440, height: 1000 });
    const created = row(page, 'plan.created');
    const loaded = row(page, 'plan.sample_loaded');
    // Newest first: the plan's beginning is at the end of the log, creation last.
    await expect.poll(() => page.getByTestId('audit-row').last().getAttribute('data-action')).toBe('plan.created');
    expect(await created.getByTestId('audit-summary').innerText()).toBe(`Plan “${outline.plan.title}” created (Belarus, 2026–2030)`);
    expect(await created.getByTestId('audit-person').innerText()).toBe('Olga Coordinator');
    expect(await created.getByTestId('audit-organisation').innerText()).toBe('Ministry of Foreign Affairs');
    expect(await created.getByTestId('audit-role').innerText()).toBe('Coordinator');
    expect(await created.getByTestId('audit-action').innerText()).toBe('Plan created');
    expect(await loaded.getByTestId('audit-summary').innerText()).toBe(
      `Sample plan content loaded: ${sections} sections, ${recommendations} recommendations, 0 actions`,
    );
    expect(await loaded.getByTestId('audit-action').innerText()).toBe('Sample plan loaded');
    // On a wide screen the log stays a table, under its column headings.
    expect(await page.getByRole('columnheader', { name: 'Person' }).isVisible()).toBe(true);
    expect(await created.evaluate((tr) => getComputedStyle(tr).display)).toBe('table-row');
    await page.screenshot({ path: screenshotPath('audit-log-desktop'), fullPage: true });
    await page.close();
  }, 60_000);

  it('on a phone: one card per entry, with when, who, what and the sentence, and nothing off the screen', async () => {
    const page = await openAudit(PHONE);
    const created = row(page, 'plan.created');
    await created.waitFor();
    const widths = await page.evaluate(() => {
      const box = document.querySelector('[data-testid=audit-table]')!.closest('.table-scroll')!;
      return { page: document.documentElement.scrollWidth, screen: window.innerWidth, box: box.scrollWidth, boxShown: box.clientWidth };
    });
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    expect(widths.box).toBeLessThanOrEqual(widths.boxShown);
    expect(await created.evaluate((tr) => getComputedStyle(tr).display)).toBe('block');
    for (const part of ['audit-time', 'audit-person', 'audit-organisation', 'audit-role', 'audit-action', 'audit-summary']) {
      expect(await wholeOnScreen(created.getByTestId(part), PHONE.width), part).toBe(true);
    }
    // Each value says what it is, since the column headings are not shown.
    expect(await created.getByTestId('audit-organisation').evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Organisation"');
    // Nothing in the page reaches past the screen's right edge: no cell, badge or filter cut off.
    // (The plan's tabs above every page are one row that scrolls sideways on a phone, by design.)
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('main > :not(.plan-tabs), main > :not(.plan-tabs) *')]
        .filter((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.right > window.innerWidth + 0.5;
        })
        .map((e) => e.outerHTML.slice(0, 120)),
    );
    expect(cut).toEqual([]);
    // The changes of an entry open inside its card.
    const renamed = row(page, 'section.renamed');
    await renamed.getByTestId('audit-changes').locator('summary').click();
    const changes = renamed.getByTestId('history-changes');
    expect(await wholeOnScreen(changes, PHONE.width)).toBe(true);
    // …a table still, its words whole: no "Fiel/d" split across lines to squeeze it in.
    const splitWords = await changes.evaluate((table) =>
      [...table.querySelectorAll('th, td')].flatMap((cell) =>
        (cell.textContent ?? '').split(/\s+/).filter((word) => word.length > 0 && word.length <= 12).filter((word) => {
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.textContent!.indexOf(word);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + word.length);
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
          }
          return false;
        }),
      ),
    );
    expect(splitWords).toEqual([]);
    await page.screenshot({ path: screenshotPath('audit-log-phone'), fullPage: true });

    // The filters still work: only the plan's creation.
    expect(await wholeOnScreen(page.getByTestId('audit-filter-action'), PHONE.width)).toBe(true);
    await page.getByTestId('audit-filter-action').selectOption('plan.created');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    expect(await wholeOnScreen(created.getByTestId('audit-summary'), PHONE.width)).toBe(true);
    await page.close();
  }, 60_000);
});
