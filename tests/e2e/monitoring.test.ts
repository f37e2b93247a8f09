import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { exportText, squash } from '../helpers/exportPlan.ts';
import { MEMBER_PASSWORD, COORDINATOR_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { PlanOutline } from '../../shared/api/index.ts';
import { agreedPlan as agreedPlanWithPeople } from '../helpers/monitoring.ts';

/**
 * After the signature (issue #15), in real browsers, two sides. The coordinator adopts a fully
 * agreed plan through the adoption page and opens a round; a ministry drafter reports her action
 * "in progress" with an observed indicator value and an evidence file, and the section stays
 * agreed with the same hash (no reopening); an NGO member assesses the recommendation the action
 * answers "not implemented": both pages show it disputed, the ministry's without a reload; the
 * indicator's chart shows baseline, value and target. Screenshots go to test-output/monitoring-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

const MINISTRY = { name: 'Ihar Sokal', email: 'ihar@justice.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };
const NGO = { name: 'Maryna Ivanova', email: 'maryna@helsinki.example', organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' as const } };
const ACTION = 'Train prison staff on the prohibition of torture';
const REC_TEXT = 'Ensure that all allegations of torture are investigated promptly';
// The smallest bytes a PDF reader (and the server's type check) recognises as a PDF.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

async function ok<T = any>(call: Promise<{ status: number; body: T }>, status: number): Promise<T> {
  const res = await call;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/**
 * A plan whose every section both sides signed: its first section holds one action led by the
 * Ministry of Justice, with an indicator (baseline 10 in 2025, target 50 in 2030) and a linked
 * UPR recommendation. Returns what the test reads back.
 */
async function agreedPlan(s: TestServer) {
  const { coordinator, planId, sectionId } = await setUpWorkspace(s);
  const ministry = await addMember(s, coordinator, planId, 'drafter', MINISTRY);
  const ngo = await addMember(s, coordinator, planId, 'drafter', NGO);
  const rec = await ok(coordinator.post(`/api/plans/${planId}/recommendations`, { mechanism: 'UPR', text: REC_TEXT, position: 'supported', themes: ['Torture'], stateUnderReview: 'Belarus', language: 'en' }), 201);
  const action = await ok(
    coordinator.post(`/api/plans/${planId}/sections/${sectionId}/actions`, {
      title: ACTION,
      leadAgencyId: ministry.organisationId,
      start: '2026',
      end: '2028',
      budgetAmount: 100000,
      currency: 'EUR',
      recommendationIds: [rec.id],
    }),
    201,
  );
  await ok(
    coordinator.post(`/api/plans/${planId}/actions/${action.id}/indicators`, {
      type: 'process',
      description: 'Prison staff trained',
      unit: 'people',
      baselineValue: '10',
      baselineYear: 2025,
      targetValue: '50',
      targetYear: 2030,
      disaggregation: ['sex'],
    }),
    201,
  );
  const outline = await ok<PlanOutline>(coordinator.get(`/api/plans/${planId}`), 200);
  const hashes = new Map<string, string>();
  for (const section of outline.chapters.flatMap((c) => c.sections)) {
    const path = `/api/plans/${planId}/sections/${section.id}`;
    const { currentHash } = await ok(coordinator.get(`${path}/agreement`), 200);
    await ok(coordinator.post(`${path}/signoffs`, { contentHash: currentHash }), 201);
    const signed = await ok(ngo.client.post(`${path}/signoffs`, { contentHash: currentHash }), 201);
    expect(signed.status).toBe('agreed');
    hashes.set(section.id, currentHash);
  }
  return { coordinator, planId, sectionId, actionId: action.id as string, recId: rec.id as string, hashes };
}

const actionCard = (page: Page, actionId: string) => page.locator(`[data-testid=progress-action][data-target-id="${actionId}"]`);
const recCard = (page: Page, recId: string) => page.locator(`[data-testid=progress-recommendation][data-target-id="${recId}"]`);

async function sectionState(client: ApiClient, planId: string, sectionId: string) {
  const a = await ok(client.get(`/api/plans/${planId}/sections/${sectionId}/agreement`), 200);
  return { status: a.status as string, hash: a.currentHash as string };
}

describe('monitoring after adoption', () => {
  it('adopt, open a round, report with a value and a file, assess: disputed on both sides live, charted', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId, actionId, recId, hashes } = await agreedPlan(server);
    const progressUrl = `${base}/plans/${planId}/progress`;

    // --- The coordinator, every section agreed, is shown from the plan's page where adopting is.
    const olga = await openSignedIn(newPage, base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}`);
    await expect.poll(() => olga.getByTestId('adopt-next').innerText(), { timeout: 10_000 }).toContain('Every section is agreed.');
    await olga.getByTestId('adopt-next').getByRole('link').click();
    await olga.waitForURL(progressUrl);
    // --- and adopts the plan through the adoption page.
    await expect.poll(() => olga.getByTestId('lifecycle-stage').getAttribute('data-stage')).toBe('drafting');
    await olga.getByTestId('adopt-plan-link').click();
    await olga.waitForURL(`**/plans/${planId}/adopt`);
    await expect.poll(() => olga.getByTestId('adopt-all-agreed').count()).toBe(1);
    await olga.getByTestId('adopt-act-title').fill('Decree on the National Human Rights Plan');
    await olga.getByTestId('adopt-act-number').fill('No. 123');
    await olga.getByTestId('adopt-act-date').fill('20/11/2026');
    await olga.getByTestId('adopt-act-url').fill('https://pravo.example/decree-123');
    await olga.getByTestId('adopt-monitoring-body').selectOption({ label: NGO.organisation.name });
    await olga.screenshot({ path: screenshotPath('monitoring-1-adopt-form'), fullPage: true });
    await olga.getByTestId('adopt-submit').click();
    await expect.poll(() => olga.getByTestId('adopt-dialog').innerText()).toContain('Decree on the National Human Rights Plan');
    await olga.getByTestId('adopt-confirm').click();
    await olga.waitForURL(`**/plans/${planId}/progress`);
    await expect.poll(() => olga.getByTestId('lifecycle-stage').getAttribute('data-stage')).toBe('adopted');
    expect(await olga.getByTestId('adoption-facts').innerText()).toContain('No. 123');
    expect(await olga.getByTestId('monitoring-body').innerText()).toContain(NGO.organisation.name);
    await expect.poll(() => olga.getByTestId('rounds-empty').count()).toBe(1);

    // --- and opens a reporting round.
    await olga.getByTestId('round-name').fill('2027 mid-term');
    await olga.getByTestId('round-due').fill('30/06/2027');
    await olga.getByTestId('round-create').click();
    await expect.poll(() => olga.getByTestId('round-row').count()).toBe(1);
    await expect.poll(() => actionCard(olga, actionId).count()).toBe(1);
    await olga.screenshot({ path: screenshotPath('monitoring-2-round-open'), fullPage: true });

    // --- The ministry drafter reports her action: in progress, a value, a file; then submits.
    const ihar = await openSignedIn(newPage, base, MINISTRY.email, MEMBER_PASSWORD, progressUrl);
    const card = actionCard(ihar, actionId);
    await card.getByTestId('report-new').click();
    const form = card.getByTestId('report-form');
    await form.getByTestId('report-status-input').selectOption('in_progress');
    await form.getByTestId('report-narrative-input').fill('Two training cycles held in Minsk and Homel.');
    await form.getByTestId('report-spent-input').fill('12500');
    await form.getByTestId('report-value-input').fill('25');
    await form.getByTestId('report-value-source').fill('Department of Corrections');
    await form.getByTestId('report-disaggregated-input').fill('women: 11; men: 14');
    // A slip of the keyboard (2062 for 2026) is caught before the value becomes the indicator's latest.
    await form.getByTestId('report-value-date').fill('2062-11-30');
    await form.getByTestId('report-save').click();
    await expect.poll(() => form.innerText()).toContain('This date is in the future: give the day the value was observed.');
    expect(await form.getByTestId('report-saved').count()).toBe(0);
    await form.screenshot({ path: screenshotPath('monitoring-3a-date-in-future') });
    // Submitting is checked before it is asked: no "Submit the report?" over a wrong field.
    await form.getByTestId('report-submit').click();
    await expect.poll(() => form.innerText()).toContain('Please correct the fields marked below.');
    expect(await ihar.getByTestId('report-submit-dialog').isVisible()).toBe(false);
    // Closing with unsaved typing asks first; she stays.
    await form.getByTestId('report-cancel').click();
    await expect.poll(() => ihar.getByTestId('report-discard-dialog').isVisible()).toBe(true);
    await ihar.getByTestId('report-discard-dialog').getByTestId('confirm-dialog-cancel').click();
    expect(await form.getByTestId('report-narrative-input').inputValue()).toBe('Two training cycles held in Minsk and Homel.');
    await form.getByTestId('report-value-date').fill('2026-11-30');
    await form.getByTestId('report-save').click();
    await expect.poll(() => form.getByTestId('report-saved').count()).toBe(1);
    await form.getByTestId('evidence-file-input').setInputFiles({ name: 'training-report.pdf', mimeType: 'application/pdf', buffer: PDF });
    await form.getByTestId('evidence-upload').click();
    await expect.poll(() => form.getByTestId('evidence-item').innerText()).toContain('training-report.pdf');
    await ihar.screenshot({ path: screenshotPath('monitoring-3-report-form'), fullPage: true });
    await form.getByTestId('report-submit').click();
    await expect.poll(() => ihar.getByTestId('report-submit-dialog').innerText()).toContain('cannot be changed, only corrected');
    await ihar.getByTestId('report-submit-confirm').click();
    const submitted = card.locator('[data-testid=report-view][data-state=submitted]');
    await expect.poll(() => submitted.count()).toBe(1);
    expect(await submitted.getByTestId('report-status').getAttribute('data-status')).toBe('in_progress');
    expect(await submitted.getByTestId('report-values').innerText()).toContain('25');
    expect(await submitted.getByTestId('evidence-item').innerText()).toContain('training-report.pdf');
    expect(await card.getByTestId('report-correct').count()).toBe(1);

    // No reopening: the section is still agreed, on the same signed content.
    expect(await sectionState(coordinator, planId, sectionId)).toEqual({ status: 'agreed', hash: hashes.get(sectionId) });
    // On the section, the action's status is the one agreed in the plan; the card says so and where
    // the reported one is.
    await ihar.goto(`${base}/plans/${planId}/sections/${sectionId}`);
    const asPlanned = ihar.getByTestId('action-status-as-planned');
    await expect.poll(() => asPlanned.innerText(), { timeout: 10_000 }).toContain('as agreed in the plan');
    await ihar.locator('.action-card__head').first().screenshot({ path: screenshotPath('monitoring-2a-action-as-planned') });
    await asPlanned.getByRole('link').click();
    await ihar.waitForURL(progressUrl);

    // --- The NGO assesses the recommendation "not implemented".
    const maryna = await openSignedIn(newPage, base, NGO.email, MEMBER_PASSWORD, progressUrl);
    const ngoRec = recCard(maryna, recId);
    await expect.poll(() => ngoRec.getByTestId('government-rating').getAttribute('data-rating')).toBe('partially_implemented');
    expect(await ngoRec.getAttribute('data-disputed')).toBe('false');
    // She cannot report on the ministry's action.
    expect(await actionCard(maryna, actionId).getByTestId('report-new').count()).toBe(0);
    await ngoRec.getByTestId('assess').click();
    const assessment = ngoRec.getByTestId('assessment-form');
    expect(await assessment.getByTestId('assessment-recorded-by').innerText()).toContain(NGO.organisation.name);
    // Nothing is published yet: she is told when the public will see her assessment.
    await expect.poll(() => assessment.getByTestId('assessment-when-public').innerText()).toContain('Assessments appear there once a coordinator publishes it.');
    await assessment.getByTestId('assessment-rating-not_implemented').check();
    await assessment.getByTestId('assessment-justification').fill('No investigation was opened into the 2025 complaints from Homel.');
    await assessment.getByTestId('assessment-save').click();

    // Disputed on both sides: the ministry's page updates without a reload.
    for (const page of [maryna, ihar]) {
      const rec = recCard(page, recId);
      await expect.poll(() => rec.getAttribute('data-disputed'), { timeout: 15_000 }).toBe('true');
      expect(await rec.getByTestId('disputed-badge').innerText()).toContain('Disputed');
      expect(await rec.getByTestId('assessment').innerText()).toContain(NGO.organisation.name);
      expect(await rec.getByTestId('assessment-rating').getAttribute('data-rating')).toBe('not_implemented');
      // Who recorded it, for whom, and when.
      expect(await rec.getByTestId('assessment-byline').innerText()).toMatch(new RegExp(`^Recorded by .+ for ${NGO.organisation.name}, \\d{1,2} [A-Z][a-z]+ \\d{4} at \\d{2}:\\d{2}$`));
    }
    await maryna.screenshot({ path: screenshotPath('monitoring-4-disputed-ngo'), fullPage: true });
    await ihar.screenshot({ path: screenshotPath('monitoring-5-disputed-ministry'), fullPage: true });
    expect(await ihar.getByTestId('recs-disputed').innerText()).toBe('1');

    // --- The chart: baseline, the observed value and the target, drawn and listed.
    const chart = actionCard(ihar, actionId).getByTestId('indicator-chart');
    await expect.poll(() => chart.locator('[data-point]').count()).toBeGreaterThanOrEqual(3);
    const rows = chart.getByTestId('indicator-chart-table');
    expect(await rows.locator('tr[data-kind=baseline]').innerText()).toContain('10');
    expect(await rows.locator('tr[data-kind=observed]').innerText()).toContain('25');
    expect(await rows.locator('tr[data-kind=target]').innerText()).toContain('50');
    await chart.screenshot({ path: screenshotPath('monitoring-6-chart') });

    // --- A submitted report is corrected, never edited: the correction is a new report that says so.
    const ministryCard = actionCard(ihar, actionId);
    await ministryCard.getByTestId('report-correct').click();
    const correction = ministryCard.getByTestId('report-form');
    expect(await correction.getByTestId('report-value-input').inputValue()).toBe('25');
    await correction.getByTestId('report-value-input').fill('27');
    await correction.getByTestId('report-submit').click();
    await ihar.getByTestId('report-submit-confirm').click();
    await expect.poll(() => ministryCard.locator('[data-testid=report-view][data-state=submitted]').first().innerText()).toContain('corrects an earlier report');
    expect(await ministryCard.getByTestId('report-values').first().innerText()).toContain('27');
    await expect.poll(() => rows.locator('tr[data-kind=observed]').innerText()).toContain('27');
    // The corrected report stays readable, as it was submitted, with its evidence.
    const earlier = ministryCard.getByTestId('corrected-reports');
    await earlier.locator('summary').click();
    expect(await earlier.innerText()).toContain('25');
    await ihar.screenshot({ path: screenshotPath('monitoring-7-corrected'), fullPage: true });

    // --- The round's progress report, downloaded from the page: the correction and the NGO's assessment are in it.
    const [download] = await Promise.all([ihar.waitForEvent('download', { timeout: 60_000 }), ihar.getByTestId('download-report-docx').click()]);
    const report = squash(await exportText('docx', readFileSync((await download.path())!)));
    expect(report).toContain(squash('Status this round'));
    expect(report).toContain(squash('Not implemented'));
    expect(report).toContain(squash('Observed 27'));
    // The NGO's own assessment report is offered to the ministry too: every member may compare.
    await expect.poll(() => ihar.getByTestId('download-assessment-pdf').allInnerTexts()).toEqual([`Assessment report of ${NGO.organisation.name} (PDF)`]);
  }, 240_000);
});

describe('adopting with a section left out', () => {
  it('names a section that stopped being agreed while the form was open, and lists it to leave out', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const plan = await agreedPlanWithPeople(server);
    const { planId, sectionId } = plan;
    const outline = await ok<PlanOutline>(plan.coordinator.get(`/api/plans/${planId}`), 200);
    const title = outline.chapters.flatMap((c) => c.sections).find((s) => s.id === sectionId)!.title;

    const olga = await openSignedIn(newPage, base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/adopt`);
    await expect.poll(() => olga.getByTestId('adopt-all-agreed').count(), { timeout: 10_000 }).toBe(1);
    await olga.getByTestId('adopt-act-title').fill('Decree on the National Human Rights Plan');
    await olga.getByTestId('adopt-act-date').fill('20/11/2026');
    await olga.getByTestId('adopt-submit').click();
    await expect.poll(() => olga.getByTestId('adopt-dialog').count()).toBe(1);
    // Before she confirms, the section is reopened from another tab: it is no longer agreed.
    await ok(plan.coordinator.post(`/api/plans/${planId}/sections/${sectionId}/reopen`, { reason: 'The NGO asked to read it again.' }), 200);
    await olga.getByTestId('adopt-confirm').click();
    // Said in the form, naming the section (the closed confirmation keeps a hidden copy).
    const alert = olga.locator('[data-testid=adopt-form] [role=alert]:visible');
    await expect.poll(() => alert.innerText(), { timeout: 10_000 }).toContain(title);
    const row = olga.locator(`[data-testid=adopt-not-agreed][data-section-id="${sectionId}"]`);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await olga.screenshot({ path: screenshotPath('monitoring-adopt-section-no-longer-agreed'), fullPage: true });
    // What she typed is still there; she leaves the section out with a reason and adopts.
    expect(await olga.getByTestId('adopt-act-title').inputValue()).toBe('Decree on the National Human Rights Plan');
    await row.getByTestId('adopt-leave-out').check();
    await row.getByTestId('adopt-leave-out-reason').fill('Agreed separately once the NGO has read it again.');
    await olga.getByTestId('adopt-submit').click();
    await olga.getByTestId('adopt-confirm').click();
    await olga.waitForURL(`**/plans/${planId}/progress`);
  });

  it('lists the section not agreed, adopts only once it is left out with a reason; an observer reads without controls', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const observer = { name: 'Oleg Observer', email: 'oleg@un.example', organisation: { name: 'UN Office', side: 'international' as const } };
    await addMember(server, coordinator, planId, 'observer', observer);

    const olga = await openSignedIn(newPage, base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/adopt`);
    const row = olga.locator(`[data-testid=adopt-not-agreed][data-section-id="${sectionId}"]`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await olga.getByTestId('adopt-pending').innerText()).toContain('1 section is neither agreed nor left out');
    expect(await olga.getByTestId('adopt-submit').isDisabled()).toBe(true);
    await row.getByTestId('adopt-leave-out').check();
    await olga.getByTestId('adopt-act-title').fill('Resolution on the plan');
    await olga.getByTestId('adopt-act-date').fill('01/12/2026');
    // An empty reason is caught before anything is sent.
    await olga.getByTestId('adopt-submit').click();
    await expect.poll(() => row.locator('.field__error').count()).toBe(1);
    await row.getByTestId('adopt-leave-out-reason').fill('The introduction is agreed in a separate decree.');
    await olga.getByTestId('adopt-submit').click();
    await expect.poll(() => olga.getByTestId('adopt-dialog').innerText()).toContain('1 section is left out');
    await olga.screenshot({ path: screenshotPath('monitoring-8-adopt-left-out') });
    await olga.getByTestId('adopt-confirm').click();
    await olga.waitForURL(`**/plans/${planId}/progress`);
    await expect.poll(() => olga.getByTestId('adoption-facts').innerText()).toContain('The introduction is agreed in a separate decree.');

    // The observer sees the stage in the navigation and the empty state, and no coordinator's controls.
    const oleg = await openSignedIn(newPage, base, observer.email, MEMBER_PASSWORD, `${base}/plans/${planId}/progress`);
    await expect.poll(() => oleg.getByTestId('nav-plan-stage').getAttribute('data-stage')).toBe('adopted');
    await expect.poll(() => oleg.getByTestId('rounds-empty').innerText()).toContain('a coordinator opens one after adoption');

    // The coordinator moves the plan into implementation and opens, then closes, a round: the observer's page follows.
    await olga.getByTestId('stage-select').selectOption('in_implementation');
    await olga.getByTestId('stage-change-button').click();
    await olga.getByTestId('stage-change-confirm').click();
    await expect.poll(() => olga.getByTestId('lifecycle-stage').getAttribute('data-stage')).toBe('in_implementation');
    await olga.getByTestId('round-name').fill('2027 annual');
    await olga.getByTestId('round-due').fill('31/12/2027');
    await olga.getByTestId('round-create').click();
    await expect.poll(() => olga.getByTestId('round-row').getAttribute('data-state')).toBe('open');
    // Renaming it and moving its due date before the adoption: the server's message stands by the field.
    await olga.getByTestId('round-edit').click();
    await olga.getByTestId('round-edit-name').fill('2027 annual review');
    await olga.getByTestId('round-edit-due').fill('01/11/2026');
    await olga.getByTestId('round-edit-save').click();
    await expect.poll(() => olga.getByTestId('round-edit-due-error').count()).toBe(1);
    expect(await olga.getByTestId('round-edit-due-error').innerText()).toContain('on or after 1 December 2026');
    await olga.screenshot({ path: screenshotPath('monitoring-9a-round-edit-refused'), fullPage: true });
    await olga.getByTestId('round-edit-due').fill('31/01/2028');
    await olga.getByTestId('round-edit-save').click();
    await expect.poll(() => olga.getByTestId('round-row').locator('th').innerText()).toBe('2027 annual review');
    expect(await olga.getByTestId('round-edit-form').count()).toBe(0);
    // Closing asks first; cancelling leaves the round open.
    await olga.getByTestId('round-close').click();
    await expect.poll(() => olga.getByTestId('round-close-dialog').isVisible()).toBe(true);
    expect(await olga.getByTestId('round-close-dialog').innerText()).toContain('Reports and assessments can no longer be written in it; you can reopen it.');
    await olga.screenshot({ path: screenshotPath('monitoring-9b-round-close-dialog') });
    await olga.keyboard.press('Escape');
    await expect.poll(() => olga.getByTestId('round-close-dialog').isVisible()).toBe(false);
    expect(await olga.getByTestId('round-row').getAttribute('data-state')).toBe('open');
    await olga.getByTestId('round-close').click();
    await olga.getByTestId('round-close-confirm').click();
    await expect.poll(() => olga.getByTestId('round-row').getAttribute('data-state')).toBe('closed');
    await expect.poll(() => oleg.getByTestId('nav-plan-stage').getAttribute('data-stage'), { timeout: 15_000 }).toBe('in_implementation');
    await expect.poll(() => oleg.getByTestId('round-row').getAttribute('data-state'), { timeout: 15_000 }).toBe('closed');
    expect(await oleg.getByTestId('progress-round-title').innerText()).toContain('2027 annual review');
    await oleg.screenshot({ path: screenshotPath('monitoring-9-observer'), fullPage: true });
    expect(await oleg.getByTestId('round-form').count()).toBe(0);
    expect(await oleg.getByTestId('round-close').count()).toBe(0);
    expect(await oleg.getByTestId('round-edit').count()).toBe(0);
    expect(await oleg.getByTestId('stage-change').count()).toBe(0);
    expect(await oleg.getByTestId('monitoring-body-edit').count()).toBe(0);
  }, 180_000);
});
