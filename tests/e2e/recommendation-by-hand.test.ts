import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiClient } from '../helpers/api.ts';
import { CLIENT_DIR, openSignedIn, screenshotPath, setUpThroughForm, useBrowser, createPlanThroughForm } from '../helpers/browser.ts';
import { uprInfoCsv } from '../helpers/encodings.ts';
import { importFile } from '../helpers/imports.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, MEMBER_PASSWORD } from '../helpers/workspace.ts';

/**
 * The coordinator received the Human Rights Committee's concluding observations on paper: no file
 * to import. She enters one recommendation through the form, is told what is missing when she
 * forgets the text (and keeps what she typed), and then finds it in the list and its detail. An
 * observer of the plan reads the list but is not offered the form. She links it to SDG targets (one
 * that does not exist is refused on its box), finds it by its goal in the filter bar, and later
 * corrects a typo in its text and its reference; a recommendation imported from a file offers only
 * its position, themes, SDG targets and notes, and says why.
 */
let server: TestServer;
/** The plan the first test makes, and how the coordinator reaches it. */
let recsUrl = '';
let planId = '';
let coordinator: { email: string; password: string };
const { newPage } = useBrowser();
afterAll(async () => {
  await server?.destroy();
});

const REFERENCE = 'CCPR/C/BLR/CO/5 para 20(a)';
const TEXT = 'Take all measures necessary to ensure that torture and ill-treatment are promptly and thoroughly investigated.';
const CORRECTED_REFERENCE = 'CCPR/C/BLR/CO/5 para 21(a)';
const CORRECTED_TEXT = 'Take all measures necessary to ensure that torture and ill-treatment are promptly, impartially and thoroughly investigated.';
const IMPORTED_TEXT = 'Ratify the Optional Protocol to the Convention against Torture';

/** The error shown on a field of the form, found from the field's own control. */
const errorOf = (page: Page, testId: string) => page.getByTestId('rec-add-form').locator('.field', { has: page.getByTestId(testId) }).locator('.field__error');

describe('entering a recommendation by hand', () => {
  it('a coordinator adds a treaty-body recommendation through the form; an observer is not offered it', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;

    const alena = await newPage({ viewport: { width: 1366, height: 900 } });
    const person = await setUpThroughForm(alena, base);
    await createPlanThroughForm(alena);
    planId = new URL(alena.url()).pathname.split('/')[2]!;
    recsUrl = `${base}/plans/${planId}/recommendations`;
    coordinator = person;

    await alena.goto(recsUrl);
    await alena.getByTestId('rec-empty').waitFor();
    await alena.getByTestId('rec-add-open').click();
    await alena.getByTestId('rec-add-form').waitFor();
    // The State under review is the plan's country until she says otherwise.
    expect(await alena.getByTestId('rec-add-stateUnderReview').inputValue()).toBe('Belarus');

    // She fills in where it comes from but forgets the text: the server refuses, the field says why.
    await alena.getByTestId('rec-add-mechanism').selectOption('CCPR');
    await alena.getByTestId('rec-add-reference').fill(REFERENCE);
    await alena.getByTestId('rec-add-documentSymbol').fill('CCPR/C/BLR/CO/5');
    await alena.getByTestId('rec-add-paragraph').fill('20(a)');
    await alena.getByTestId('rec-add-date').fill('2018-11');
    await alena.getByTestId('rec-add-position').selectOption('supported');
    await alena.getByTestId('rec-add-themes').fill('Torture and other ill-treatment\nAdministration of justice');
    await alena.getByTestId('rec-add-text').fill('   ');
    await alena.getByTestId('rec-add-save').click();
    await errorOf(alena, 'rec-add-text').waitFor();
    expect(await errorOf(alena, 'rec-add-text').innerText()).toContain('Enter a value.');
    expect(await alena.getByTestId('rec-add-text').getAttribute('aria-invalid')).toBe('true');
    // Focus goes to the field to fix, and nothing she typed is lost.
    expect(await alena.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('rec-add-text');
    expect(await alena.getByTestId('rec-add-reference').inputValue()).toBe(REFERENCE);
    expect(await alena.getByTestId('rec-add-mechanism').inputValue()).toBe('CCPR');
    expect(await alena.getByTestId('rec-add-themes').inputValue()).toBe('Torture and other ill-treatment\nAdministration of justice');
    expect(await alena.getByTestId('rec-add-position').inputValue()).toBe('supported');
    await alena.screenshot({ path: screenshotPath('recommendation-by-hand-refused'), fullPage: true });

    // An SDG target that does not exist is refused on its box; the rest she typed stays.
    await alena.getByTestId('rec-add-text').fill(TEXT);
    await alena.getByTestId('rec-add-sdgs').fill('SDG 16.3, 16.11');
    await alena.getByTestId('rec-add-save').click();
    await errorOf(alena, 'rec-add-sdgs').waitFor();
    expect(await errorOf(alena, 'rec-add-sdgs').innerText()).toContain('Use an SDG target like 16.3 or 5.a');
    expect(await alena.getByTestId('rec-add-text').inputValue()).toBe(TEXT);

    // With real targets it is added, opens in the detail beside the list, and the list shows it.
    await alena.getByTestId('rec-add-sdgs').fill('SDG 16.3, 5.1');
    await alena.getByTestId('rec-add-save').click();
    await alena.getByTestId('rec-detail').waitFor();
    await expect.poll(() => alena.locator('#rec-detail-title').innerText()).toBe(REFERENCE);
    const detail = await alena.getByTestId('rec-detail').innerText();
    expect(detail).toContain(TEXT);
    expect(detail).toContain('Human Rights Committee (CCPR)');
    expect(detail).toContain('CCPR/C/BLR/CO/5');
    expect(detail).toContain('Supported');
    // Her targets, by goal, with the goals' names.
    expect(await alena.getByTestId('rec-detail-sdgs').innerText()).toContain('Goal 5: Gender equality — 5.1; Goal 16: Peace, justice and strong institutions — 16.3');
    expect(await alena.getByTestId('rec-add').count()).toBe(0);
    await expect.poll(() => alena.getByTestId('rec-row').count()).toBe(1);
    const row = alena.getByTestId('rec-row').first();
    expect(await row.getAttribute('class')).toContain('is-selected');
    expect(await row.innerText()).toContain(REFERENCE);
    await alena.screenshot({ path: screenshotPath('recommendation-by-hand-added'), fullPage: true });

    // What the server stored, through the API everyone else reads.
    const api = new ApiClient(base);
    api.cookie = (await alena.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const listed = await api.get(`/api/plans/${planId}/recommendations`);
    expect(listed.body.total).toBe(1);
    expect(listed.body.items[0]).toMatchObject({
      reference: REFERENCE,
      mechanism: 'CCPR',
      documentSymbol: 'CCPR/C/BLR/CO/5',
      paragraph: '20(a)',
      date: '2018-11',
      stateUnderReview: 'Belarus',
      recommendingStates: [],
      text: TEXT,
      position: 'supported',
      themes: ['Torture and other ill-treatment', 'Administration of justice'],
      sdgTargets: ['5.1', '16.3'],
      importId: null,
    });

    // On a phone: the form fits, and a reference already used is refused on that field.
    const phone = await openSignedIn(() => newPage({ viewport: { width: 390, height: 844 } }), base, person.email, person.password, recsUrl);
    await phone.getByTestId('rec-add-open').click();
    await phone.getByTestId('rec-add-form').waitFor();
    await phone.getByTestId('rec-add-mechanism').selectOption('CCPR');
    await phone.getByTestId('rec-add-reference').fill(REFERENCE);
    await phone.getByTestId('rec-add-text').fill('Ensure that the Bar is independent.');
    await phone.getByTestId('rec-add-save').click();
    await errorOf(phone, 'rec-add-reference').waitFor();
    expect(await errorOf(phone, 'rec-add-reference').innerText()).toContain('already used');
    // The form itself fits the screen (the list's table below it does not yet: the page scrolls sideways there).
    expect(await phone.getByTestId('rec-add').evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(390);
    await phone.getByTestId('rec-add').screenshot({ path: screenshotPath('recommendation-by-hand-phone') });
    await phone.getByTestId('rec-add-cancel').click();
    expect(await phone.getByTestId('rec-add').count()).toBe(0);
    expect(await phone.getByTestId('rec-add-open').count()).toBe(1);

    // An observer reads the list but is not offered the form.
    await addMember(server, api, planId, 'observer', {
      name: 'Pavel Lis',
      email: 'pavel@ombudsman.example',
      organisation: { name: 'Office of the Ombudsperson', side: 'government' },
    });
    const observer = await openSignedIn(newPage, base, 'pavel@ombudsman.example', MEMBER_PASSWORD, recsUrl);
    await observer.getByTestId('rec-row').first().waitFor();
    expect(await observer.getByTestId('rec-add-open').count()).toBe(0);
    expect(await observer.getByTestId('import-open').count()).toBe(0);
  }, 90_000);

  it('the coordinator corrects the text and reference of the one she entered; an imported one keeps its text', async () => {
    expect(planId, 'the first test made the plan').not.toBe('');
    const alena = await openSignedIn(() => newPage({ viewport: { width: 1366, height: 900 } }), server.url, coordinator.email, coordinator.password, recsUrl);
    const api = new ApiClient(server.url);
    api.cookie = (await alena.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await importFile(api, planId, 'upr-info.csv', uprInfoCsv(IMPORTED_TEXT));
    const imported = (await api.get(`/api/plans/${planId}/recommendations?q=Optional`)).body.items[0];
    expect(imported.importId).not.toBeNull();

    // The filter bar finds recommendations by SDG goal or target: hers names 16.3, the imported one none.
    await alena.reload();
    await expect.poll(() => alena.getByTestId('rec-row').count()).toBe(2);
    await alena.getByTestId('rec-filter-sdg').selectOption({ label: 'Goal 16: Peace, justice and strong institutions' });
    await expect.poll(() => alena.getByTestId('rec-row').count()).toBe(1);
    expect(await alena.getByTestId('rec-row').first().innerText()).toContain(REFERENCE);
    expect(new URL(alena.url()).searchParams.get('sdg')).toBe('16');
    await alena.getByTestId('rec-filter-sdg').selectOption('5.1');
    await expect.poll(() => alena.getByTestId('rec-row').count()).toBe(1);
    await alena.screenshot({ path: screenshotPath('recommendations-filter-sdg') });
    await alena.getByTestId('rec-filter-sdg').selectOption('');
    await expect.poll(() => alena.getByTestId('rec-row').count()).toBe(2);

    // Hers was entered by hand: the edit form holds everything the add form asked, filled in.
    await alena.getByTestId('rec-row').filter({ hasText: REFERENCE }).getByRole('link').click();
    await expect.poll(() => alena.locator('#rec-detail-title').innerText()).toBe(REFERENCE);
    await alena.getByTestId('rec-edit').click();
    await alena.getByTestId('rec-edit-form').waitFor();
    expect(await alena.getByTestId('rec-edit-text').inputValue()).toBe(TEXT);
    expect(await alena.getByTestId('rec-edit-reference').inputValue()).toBe(REFERENCE);
    expect(await alena.getByTestId('rec-edit-mechanism').inputValue()).toBe('CCPR');
    expect(await alena.getByTestId('rec-edit-documentSymbol').inputValue()).toBe('CCPR/C/BLR/CO/5');
    expect(await alena.getByTestId('rec-edit-paragraph').inputValue()).toBe('20(a)');
    expect(await alena.getByTestId('rec-edit-date').inputValue()).toBe('2018-11');
    expect(await alena.getByTestId('rec-edit-stateUnderReview').inputValue()).toBe('Belarus');
    expect(await alena.getByTestId('rec-edit-position').inputValue()).toBe('supported');
    expect(await alena.getByTestId('rec-edit-imported').count()).toBe(0);

    // A cleared text is refused on its field, as when adding; nothing else she typed is lost.
    await alena.getByTestId('rec-edit-reference').fill(CORRECTED_REFERENCE);
    await alena.getByTestId('rec-edit-text').fill('');
    await alena.getByTestId('rec-edit-save').click();
    const textError = alena.getByTestId('rec-edit-form').locator('.field', { has: alena.getByTestId('rec-edit-text') }).locator('.field__error');
    await textError.waitFor();
    expect(await textError.innerText()).toContain('Enter a value.');
    expect(await alena.getByTestId('rec-edit-reference').inputValue()).toBe(CORRECTED_REFERENCE);
    await alena.screenshot({ path: screenshotPath('recommendation-by-hand-edit-refused') });

    await alena.getByTestId('rec-edit-text').fill(CORRECTED_TEXT);
    await alena.getByTestId('rec-edit-save').click();
    await alena.getByTestId('rec-edit-form').waitFor({ state: 'detached' });
    await expect.poll(() => alena.locator('#rec-detail-title').innerText()).toBe(CORRECTED_REFERENCE);
    expect(await alena.locator('.rec-detail .rec-text').innerText()).toBe(CORRECTED_TEXT);
    await expect.poll(() => alena.getByTestId('rec-row').filter({ hasText: CORRECTED_REFERENCE }).count()).toBe(1);
    await alena.screenshot({ path: screenshotPath('recommendation-by-hand-corrected'), fullPage: true });

    // The plan's history records what changed, from what to what.
    const mine = (await api.get(`/api/plans/${planId}/recommendations?q=torture`)).body.items[0];
    const history = (await api.get(`/api/plans/${planId}/history?targetType=recommendation&targetId=${mine.id}`)).body.items;
    const updated = history.find((e: { action: string }) => e.action === 'recommendation.updated');
    expect(updated.details.changed.sort()).toEqual(['reference', 'text']);
    expect(updated.details.before).toMatchObject({ reference: REFERENCE, text: TEXT });
    expect(updated.details.after).toMatchObject({ reference: CORRECTED_REFERENCE, text: CORRECTED_TEXT });

    // The imported one offers its position, themes and notes only, and says why not its text.
    await alena.getByTestId('rec-row').filter({ hasText: imported.reference }).getByRole('link').click();
    await expect.poll(() => alena.locator('#rec-detail-title').innerText()).toBe(imported.reference);
    expect(await alena.getByTestId('rec-edit').innerText()).toBe('Edit position, themes, SDG targets and notes');
    await alena.getByTestId('rec-edit').click();
    await alena.getByTestId('rec-edit-form').waitFor();
    expect(await alena.getByTestId('rec-edit-imported').innerText()).toContain('importing the file again would overwrite them');
    expect(await alena.getByTestId('rec-edit-text').count()).toBe(0);
    expect(await alena.getByTestId('rec-edit-reference').count()).toBe(0);
    expect(await alena.getByTestId('rec-edit-position').count()).toBe(1);
    await alena.getByTestId('rec-edit-notes').fill('Raised at the March consultation');
    await alena.getByTestId('rec-edit-sdgs').fill('16.a');
    await alena.getByTestId('rec-edit-form').screenshot({ path: screenshotPath('recommendation-imported-edit') });
    await alena.getByTestId('rec-edit-save').click();
    await alena.getByTestId('rec-edit-form').waitFor({ state: 'detached' });
    expect(await alena.getByTestId('rec-detail').innerText()).toContain('Raised at the March consultation');
    expect(await alena.getByTestId('rec-detail-sdgs').innerText()).toContain('Goal 16: Peace, justice and strong institutions — 16.a');
    expect((await api.get(`/api/plans/${planId}/recommendations/${imported.id}`)).body.text).toBe(IMPORTED_TEXT);

    // Coverage counts both under goal 16, neither addressed yet; the goal leads to the filtered list.
    await alena.goto(`${server.url}/plans/${planId}/coverage`);
    const bySdg = alena.getByTestId('coverage-by-sdg');
    await bySdg.waitFor();
    const goal16 = bySdg.locator('tbody tr', { hasText: 'Goal 16: Peace, justice and strong institutions' });
    expect((await goal16.locator('td').allInnerTexts()).slice(0, 2)).toEqual(['2', '0']);
    expect(await bySdg.locator('tbody tr').count()).toBe(2); // goals 5 and 16 only
    await goal16.getByRole('link').click();
    await alena.waitForURL('**/recommendations?sdg=16');
    await expect.poll(() => alena.getByTestId('rec-row').count()).toBe(2);
  }, 90_000);
});
