import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PublicRecordState } from '../../shared/api/index.ts';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { ok } from '../helpers/exportPlan.ts';
import { NGO, agreedPlan } from '../helpers/monitoring.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember } from '../helpers/workspace.ts';

/**
 * The coordinator's public-record page (issue #16), in real browsers. Olga publishes the agreed
 * draft for public consultation through the page: the address is prefilled, an address another
 * plan holds is refused by the field, and the confirmation says what becomes public. After the
 * plan is adopted she publishes again (the consultation draft is "replaced"), then unpublishes.
 * Nina, a civil-society drafter, follows it live, read-only, without the buttons.
 * Screenshots go to test-output/public-record-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 900 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

const SLUG = 'belarus-nhrp-2026-2030';
const TAKEN = 'business-and-human-rights';

const publicationOf = (page: Page) => page.getByTestId('publication-status');
const stateOf = (page: Page) => publicationOf(page).getAttribute('data-published');
const rowsEnded = (page: Page) => page.getByTestId('publication-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ended')));

describe('public record page', () => {
  it('a coordinator publishes, publishes again after adoption and unpublishes; a drafter follows it read-only', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const plan = await agreedPlan(server);
    const { coordinator, planId } = plan;
    const api = `/api/plans/${planId}/publication`;
    const observer = await addMember(server, coordinator, planId, 'observer', {
      name: 'Oleg Observer',
      email: 'oleg@un.example',
      organisation: { name: 'OHCHR Regional Office', side: 'international' },
    });
    // Another plan already holds an address the coordinator will try.
    const other = await ok(coordinator.post('/api/plans', { title: 'Business and Human Rights Plan', country: 'Belarus', periodStart: 2026, periodEnd: 2028 }), 201);
    await ok(coordinator.post(`/api/plans/${other.id}/publication`, { slug: TAKEN }), 201);
    const before = await ok<PublicRecordState>(coordinator.get(api), 200);
    expect(before).toMatchObject({ slug: null, current: null, history: [], nextKind: 'consultation' });

    // --- Olga reaches the page from the plan's navigation: not published yet, address prefilled.
    const olga = await openSignedIn(newPage, base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}`);
    await olga.getByTestId('public-record-link').click();
    await olga.waitForURL(`**/plans/${planId}/public-record`);
    await expect.poll(() => stateOf(olga)).toBe('no');
    expect(await olga.getByTestId('publication-state').innerText()).toBe('Not published');
    expect(await olga.getByTestId('publication-empty').innerText()).toContain('Not published yet');
    expect(await olga.getByTestId('publication-history-empty').count()).toBe(1);
    expect(await olga.getByTestId('publish-slug').inputValue()).toBe(before.suggestedSlug);
    expect(await olga.getByTestId('publish-address-preview').innerText()).toContain(`${base}/p/${before.suggestedSlug}`);
    expect(await olga.getByTestId('publish-next-kind').getAttribute('data-kind')).toBe('consultation');
    await olga.screenshot({ path: screenshotPath('public-record-1-not-published'), fullPage: true });

    // A malformed address is refused before anything is sent; one held by another plan by the server, at the field.
    await olga.getByTestId('publish-slug').fill('Not an address!');
    await olga.getByTestId('publish-open').click();
    await expect.poll(() => olga.getByTestId('publish-slug-error').innerText()).toContain('lower-case letters');
    expect(await olga.getByTestId('publish-dialog').isVisible()).toBe(false);
    await olga.getByTestId('publish-slug').fill(TAKEN);
    expect(await olga.getByTestId('publish-slug-error').count()).toBe(0);
    await olga.getByTestId('publish-open').click();
    await olga.getByTestId('publish-confirm').click();
    await expect.poll(() => olga.getByTestId('publish-slug-error').count()).toBe(1);
    expect(await olga.getByTestId('publish-slug-error').innerText()).toContain('taken by another plan');
    expect(await olga.getByTestId('publish-dialog').isVisible()).toBe(false);
    expect((await ok<PublicRecordState>(coordinator.get(api), 200)).history).toEqual([]);
    await olga.screenshot({ path: screenshotPath('public-record-2-address-taken'), fullPage: true });

    // --- The confirmation says exactly what becomes public: a consultation draft has no monitoring yet.
    await olga.getByTestId('publish-slug').fill(SLUG);
    await olga.getByTestId('publish-open').click();
    const dialog = olga.getByTestId('publish-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const asked = await dialog.innerText();
    expect(asked).toContain('Publish the draft for public consultation?');
    expect(asked).toContain(`${base}/p/${SLUG}`);
    expect(asked).toContain('No member\'s name or e-mail address is published');
    expect(asked).toContain('not shown until you publish again');
    for (const item of ['text', 'agreement', 'dissent', 'actions']) expect(await dialog.getByTestId(`publish-what-${item}`).count()).toBe(1);
    expect(await dialog.getByTestId('publish-what-monitoring').count()).toBe(0);
    await olga.screenshot({ path: screenshotPath('public-record-3-confirm-publish') });
    await olga.getByTestId('publish-confirm').click();

    await expect.poll(() => stateOf(olga)).toBe('yes');
    const first = await ok<PublicRecordState>(coordinator.get(api), 200);
    expect(first.slug).toBe(SLUG);
    expect(first.current).toMatchObject({ slug: SLUG, kind: 'consultation', publishedBy: 'Olga Coordinator', endedAt: null });
    expect(first.current!.hash).toMatch(/^[0-9a-f]{64}$/);
    const link = olga.getByTestId('publication-address');
    expect(await link.getAttribute('href')).toBe(`${base}/p/${SLUG}`);
    expect(await link.getAttribute('target')).toBe('_blank');
    // The address answers, to anyone: the draft, marked as one.
    const publicPage = await fetch(`${base}/p/${SLUG}`);
    expect(publicPage.status).toBe(200);
    expect(await publicPage.text()).toContain('Draft for public consultation');
    expect(await olga.getByTestId('publication-kind').innerText()).toBe('Draft for public consultation');
    expect(await olga.getByTestId('publication-hash').innerText()).toBe(first.current!.hash);
    expect(await olga.getByTestId('publication-when').innerText()).toContain('Olga Coordinator');
    expect(await olga.getByTestId('publish-notice').innerText()).toContain('Published');
    // The address is the plan's from now on: no field to change it.
    expect(await olga.getByTestId('publish-slug').count()).toBe(0);
    expect(await olga.getByTestId('publish-open').innerText()).toBe('Publish again…');
    await olga.screenshot({ path: screenshotPath('public-record-4-published'), fullPage: true });

    // --- Nina (a civil-society drafter) sees the same, read-only, and the observer may not publish through the API.
    const nina = await openSignedIn(newPage, base, NGO.email, MEMBER_PASSWORD, `${base}/plans/${planId}/public-record`);
    await expect.poll(() => stateOf(nina)).toBe('yes');
    expect(await nina.getByTestId('publication-hash').innerText()).toBe(first.current!.hash);
    expect(await nina.getByTestId('publish-coordinators-only').innerText()).toContain('Only coordinators publish');
    expect(await nina.getByTestId('publish-open').count()).toBe(0);
    expect(await nina.getByTestId('unpublish-open').count()).toBe(0);
    expect(await nina.getByTestId('publish-panel').count()).toBe(0);
    expect((await plan.ngo.client.post(api, {})).status).toBe(403);
    expect((await observer.client.delete(api)).status).toBe(403);
    expect((await ok<PublicRecordState>(observer.client.get(api), 200)).current?.hash).toBe(first.current!.hash);
    await nina.screenshot({ path: screenshotPath('public-record-5-drafter-read-only'), fullPage: true });

    // --- The plan is adopted: Olga's page says publishing now puts out the adopted plan, without a reload.
    await ok(
      coordinator.post(`/api/plans/${planId}/adoption`, {
        act: { title: 'Decree No. 12 on the National Human Rights Plan', number: '12', date: '2026-03-01', url: null },
        monitoringBodyId: null,
      }),
      200,
    );
    await expect.poll(() => olga.getByTestId('publish-next-kind').getAttribute('data-kind')).toBe('adopted');
    expect(await olga.getByTestId('publication-adopted-since').count()).toBe(1);

    // --- Publishing again replaces the consultation draft with the adopted plan, monitoring included.
    await olga.getByTestId('publish-open').click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const again = await dialog.innerText();
    expect(again).toContain('Publish the adopted plan?');
    expect(again).toContain('This replaces what the public sees now: the draft for public consultation');
    expect(await dialog.getByTestId('publish-what-monitoring').count()).toBe(1);
    await olga.screenshot({ path: screenshotPath('public-record-6-confirm-publish-again') });
    await olga.getByTestId('publish-confirm').click();

    await expect.poll(() => olga.getByTestId('publication-kind').getAttribute('data-kind')).toBe('adopted');
    const second = await ok<PublicRecordState>(coordinator.get(api), 200);
    expect(second.slug).toBe(SLUG);
    expect(second.current).toMatchObject({ slug: SLUG, kind: 'adopted', endedAt: null });
    expect(second.current!.hash).not.toBe(first.current!.hash);
    expect(second.history.map((p) => [p.kind, p.endedReason])).toEqual([
      ['adopted', null],
      ['consultation', 'replaced'],
    ]);
    expect(await olga.getByTestId('publication-hash').innerText()).toBe(second.current!.hash);
    expect(await rowsEnded(olga)).toEqual(['in-force', 'replaced']);
    expect(await olga.getByTestId('publication-row-ended').nth(1).innerText()).toMatch(/^Replaced on /);
    expect(await olga.getByTestId('publication-row-hash').nth(1).innerText()).toBe(first.current!.hash);
    expect(await olga.getByTestId('publication-adopted-since').count()).toBe(0);
    // Nina's page follows without a reload.
    await expect.poll(() => nina.getByTestId('publication-hash').innerText()).toBe(second.current!.hash);
    await olga.screenshot({ path: screenshotPath('public-record-7-published-again'), fullPage: true });

    // --- Unpublishing asks first, naming the address that will answer "not found".
    await olga.getByTestId('unpublish-open').click();
    const unpublishDialog = olga.getByTestId('unpublish-dialog');
    await expect.poll(() => unpublishDialog.isVisible()).toBe(true);
    expect(await unpublishDialog.innerText()).toContain(`${base}/p/${SLUG} will answer “not found”`);
    await olga.screenshot({ path: screenshotPath('public-record-8-confirm-unpublish') });
    // Cancelling leaves it published.
    await olga.getByTestId('confirm-dialog-cancel').filter({ visible: true }).click();
    expect((await ok<PublicRecordState>(coordinator.get(api), 200)).current).not.toBeNull();
    await olga.getByTestId('unpublish-open').click();
    await olga.getByTestId('unpublish-confirm').click();

    await expect.poll(() => stateOf(olga)).toBe('no');
    const ended = await ok<PublicRecordState>(coordinator.get(api), 200);
    expect(ended.current).toBeNull();
    expect(ended.slug).toBe(SLUG);
    expect(ended.history.map((p) => p.endedReason)).toEqual(['unpublished', 'replaced']);
    expect(await olga.getByTestId('publication-unpublished').innerText()).toContain(`${base}/p/${SLUG} answers “not found”`);
    expect(await rowsEnded(olga)).toEqual(['unpublished', 'replaced']);
    expect(await olga.getByTestId('unpublish-open').count()).toBe(0);
    expect(await olga.getByTestId('publish-open').innerText()).toBe('Publish…');
    await expect.poll(() => stateOf(nina)).toBe('no');
    expect(await nina.getByTestId('publish-open').count()).toBe(0);
    await olga.screenshot({ path: screenshotPath('public-record-9-unpublished'), fullPage: true });
    await nina.screenshot({ path: screenshotPath('public-record-10-drafter-unpublished'), fullPage: true });
  });
});
