import { afterAll, describe, expect, it } from 'vitest';
import type { PlanOutline } from '../../shared/api/index.ts';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, editorOf, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A section in review holds the Ministry's signature. Its signer can take it back herself, saying
 * why, and sign again. Sending the section back to drafting withdraws every signature, so the
 * drafter is asked first and told whose signatures go; cancelling changes nothing, confirming
 * sends it back with the signature on the record as withdrawn.
 */
let server: TestServer;
const { newPage } = useBrowser();
afterAll(async () => {
  await server?.destroy();
});

describe('back to drafting with signatures standing', () => {
  it('asks first, names whose signatures go, and withdraws them only when confirmed', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const page = await newPage({ viewport: { width: 1300, height: 900 } });
    await page.goto(`${base}/`);
    await page.waitForURL('**/setup');
    await page.getByTestId('setup-name').fill('Alena Kavalenka');
    await page.getByTestId('setup-email').fill('alena@mfa.example');
    await page.getByTestId('setup-password').fill('correct horse battery staple');
    await page.getByTestId('setup-org-name').fill('Ministry of Foreign Affairs');
    await page.getByTestId('setup-org-side').selectOption('government');
    await page.getByTestId('setup-submit').click();
    await page.waitForURL(`${base}/`);

    const api = new ApiClient(base);
    api.cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const planId = (await api.post('/api/plans', { title: 'National Human Rights Plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 })).body.id as string;
    const sectionId = (await api.get<PlanOutline>(`/api/plans/${planId}`)).body.chapters[0]!.sections[0]!.id;

    await page.goto(`${base}/plans/${planId}/sections/${sectionId}`);
    await editorOf(page).click();
    await page.keyboard.type('The Government will introduce a moratorium on executions.');
    await page.waitForFunction(() => document.querySelector('[data-testid=connection-status]')?.getAttribute('data-state') === 'saved');
    await page.getByTestId('send-for-review').click();
    await expect.poll(() => page.getByTestId('agreement-panel').getAttribute('data-status')).toBe('in_review');
    await expect.poll(() => page.getByTestId('sign-off').isEnabled()).toBe(true);
    await page.getByTestId('sign-off').click();
    await page.getByTestId('sign-off-confirm').click();
    await expect.poll(() => page.getByTestId('signoff-item').count()).toBe(1);

    // She takes her own signature back, saying why; it is on the record as withdrawn by her.
    await page.getByTestId('withdraw-my-signature').click();
    await page.getByTestId('withdraw-my-signature-reason').fill('The Ministry of Finance has not costed it yet.');
    await page.getByTestId('withdraw-my-signature-dialog').screenshot({ path: screenshotPath('withdraw-my-signature') });
    await page.getByTestId('withdraw-my-signature-confirm').click();
    await expect.poll(() => page.getByTestId('signoff-item').count()).toBe(0);
    expect(await page.getByTestId('withdrawn-signoff').first().innerText()).toContain('withdrawn by the signer');
    expect(await page.getByTestId('withdrawn-signoff').first().innerText()).toContain('The Ministry of Finance has not costed it yet.');
    await page.getByTestId('sign-off').click();
    await page.getByTestId('sign-off-confirm').click();
    await expect.poll(() => page.getByTestId('signoff-item').count()).toBe(1);

    // Asked first, with whose signature goes; cancelling leaves the section and the signature.
    await page.getByTestId('back-to-drafting').click();
    await page.getByTestId('back-to-drafting-dialog').waitFor();
    expect(await page.getByTestId('back-to-drafting-signers').innerText()).toContain('Alena Kavalenka (Ministry of Foreign Affairs)');
    await page.getByTestId('back-to-drafting-dialog').screenshot({ path: screenshotPath('back-to-drafting-confirm') });
    await page.getByTestId('back-to-drafting-dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('back-to-drafting-dialog').waitFor({ state: 'hidden' });
    expect(await page.getByTestId('agreement-panel').getAttribute('data-status')).toBe('in_review');
    expect(await page.getByTestId('signoff-item').count()).toBe(1);

    await page.getByTestId('back-to-drafting').click();
    await page.getByTestId('back-to-drafting-confirm').click();
    await expect.poll(() => page.getByTestId('agreement-panel').getAttribute('data-status')).toBe('drafting');
    await expect.poll(() => page.getByTestId('signoff-item').count()).toBe(0);
    expect(await page.getByTestId('withdrawn-signoff').first().innerText()).toContain('the section went back to drafting.');
    const agreement = (await api.get(`/api/plans/${planId}/sections/${sectionId}/agreement`)).body as { signoffs: Array<{ withdrawnAt: string | null }> };
    expect(agreement.signoffs.map((s) => s.withdrawnAt !== null)).toEqual([true, true]);
  }, 90_000);
});
