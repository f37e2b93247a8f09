import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_DIR, editorOf, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * A ministry coordinator's first steps, in real browsers and in the languages they work in: the
 * first plan opens on headings in that language, and inviting someone offers only the
 * organisations the coordinator may fill (civil society's are civil society's once it has a
 * coordinator of its own). Screenshots go to test-output/onboarding-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 900 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

const ANDREI = { name: 'Андрэй Каардынатар', email: 'andrei@hrh.example', organisation: { name: 'Дом правоў чалавека', side: 'civil_society' as const } };
const ALES = { name: 'Алесь Бяляцкі', email: 'ales@spring96.example', organisation: { name: 'Праваабарончы цэнтр «Вясна» (у эміграцыі)', side: 'civil_society' as const } };
const NINA = { name: 'Ніна Юрыстка', email: 'nina@legal.example', organisation: { name: 'Прававая ініцыятыва', side: 'civil_society' as const } };

describe('a coordinator starting out', () => {
  it('a plan created in Russian starts on a Russian chapter and section, and one in Belarusian on Belarusian ones', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    await setUpWorkspace(server);
    for (const [locale, chapter, section] of [
      ['ru-RU', 'Введение', 'Цель и сфера применения'],
      ['be-BY', 'Уводзіны', 'Мэта і сфера прымянення'],
    ] as const) {
      const page = await openSignedIn(() => newPage({ locale }), base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/`);
      await page.getByTestId('create-plan-title').fill(`План ${locale}`);
      await page.getByTestId('create-plan-country').fill('Беларусь');
      await page.getByTestId('create-plan-submit').click();
      await page.waitForURL('**/plans/**');
      const outline = page.getByTestId('outline');
      await expect.poll(() => outline.innerText()).toContain(chapter);
      expect(await outline.innerText()).toContain(section);
      expect(await outline.innerText()).not.toContain('Introduction');
      await page.screenshot({ path: screenshotPath(`onboarding-first-plan-${locale}`) });
    }
  }, 90_000);

  it('the invite form offers only the organisations the coordinator may fill', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId } = await setUpWorkspace(server);
    const nina = await addMember(server, coordinator, planId, 'drafter', NINA);
    const andrei = await addMember(server, coordinator, planId, 'coordinator', ANDREI);
    const options = async (email: string, password: string) => {
      const page = await openSignedIn(() => newPage({ locale: 'be-BY' }), base, email, password, `${base}/plans/${planId}/members`);
      const select = page.getByTestId('invite-organisation');
      await expect.poll(() => select.locator('option').count()).toBeGreaterThan(1);
      return { page, labels: await select.locator('option').allInnerTexts() };
    };

    // Civil society has its own verified coordinator now: the ministry fills only its own seats.
    const olga = await options('olga@mfa.example', COORDINATOR_PASSWORD);
    expect(olga.labels.some((l) => l.includes('Ministry of Foreign Affairs'))).toBe(true);
    expect(olga.labels.some((l) => l.includes('Прававая ініцыятыва') || l.includes('Дом правоў чалавека'))).toBe(false);
    await olga.page.getByTestId('invite-organisation').scrollIntoViewIfNeeded();
    await olga.page.screenshot({ path: screenshotPath('onboarding-invite-organisations-government') });

    // And civil society's coordinator fills civil society's, never the ministry's.
    const ngo = await options(ANDREI.email, MEMBER_PASSWORD);
    expect(ngo.labels.some((l) => l.includes('Прававая ініцыятыва'))).toBe(true);
    expect(ngo.labels.some((l) => l.includes('Дом правоў чалавека'))).toBe(true);
    expect(ngo.labels.some((l) => l.includes('Ministry of Foreign Affairs'))).toBe(false);
    expect(nina.organisationId).not.toBe(andrei.organisationId);
  }, 90_000);

  it('a member removed while writing, on a phone in Belarusian, is shut out at once and told by whom', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    const ales = await addMember(server, coordinator, planId, 'drafter', ALES);
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'be-BY' };
    const page = await openSignedIn(() => newPage(phone), base, ALES.email, MEMBER_PASSWORD, `${base}/plans/${planId}/sections/${sectionId}`);
    await editorOf(page).click();
    await page.keyboard.type('Тэкст ад «Вясны».');
    await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');

    expect((await coordinator.delete(`/api/plans/${planId}/members/${ales.userId}`)).status).toBe(200);
    // The editor closes at once: he is on his plans, told he was removed.
    await page.waitForURL(`${base}/`, { timeout: 10_000 });
    await expect.poll(() => page.getByTestId('removed-notice').innerText()).toContain('Вас выключылі з плана');
    expect(await editorOf(page).count()).toBe(0);
    // And his notices say who did it, in his language, now and whenever he next signs in.
    await expect.poll(() => page.getByTestId('notifications-button').getAttribute('data-unread'), { timeout: 10_000 }).toBe('1');
    await page.getByTestId('notifications-button').click();
    const notice = page.getByTestId('notification').first();
    await expect.poll(() => notice.innerText()).toContain('Каардынатар Olga Coordinator (Ministry of Foreign Affairs) выключыў вас з плана «National Human Rights Plan 2026–2030»');
    await page.screenshot({ path: screenshotPath('onboarding-removed-phone-be') });
  }, 90_000);

  it('a civil-society member leaves the plan by themself, after being asked, and the coordinators’ record says so', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId } = await setUpWorkspace(server);
    await addMember(server, coordinator, planId, 'drafter', NINA);
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ru-RU' };
    const page = await openSignedIn(() => newPage(phone), base, NINA.email, MEMBER_PASSWORD, `${base}/plans/${planId}/members`);
    await page.getByTestId('leave-plan-open').click();
    const dialog = page.getByTestId('leave-plan-dialog');
    await expect.poll(() => dialog.innerText()).toContain('Вы сразу потеряете доступ к плану «National Human Rights Plan 2026–2030»');
    await page.screenshot({ path: screenshotPath('onboarding-leave-ask-phone-ru') });
    // Cancel first: nothing happens.
    await dialog.getByTestId('confirm-dialog-cancel').click();
    expect((await coordinator.get(`/api/plans/${planId}/members`)).body).toHaveLength(2);
    await page.getByTestId('leave-plan-open').click();
    await page.getByTestId('leave-plan-confirm').click();
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.getByTestId('left-notice').innerText()).toContain('Вы вышли из плана «National Human Rights Plan 2026–2030»');
    expect(await page.getByTestId('removed-notice').count()).toBe(0);
    // She left from far down the members page: the news is in view, not above it.
    expect(await page.getByTestId('left-notice').evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
    await page.screenshot({ path: screenshotPath('onboarding-left-phone-ru') });
    expect((await coordinator.get(`/api/plans/${planId}/members`)).body).toHaveLength(1);
    const audit = (await coordinator.get(`/api/plans/${planId}/audit?action=member.removed`)).body as { items: Array<{ actorName: string }> };
    expect(audit.items.map((e) => e.actorName)).toEqual([NINA.name]);
    // The coordinator's record reads as her leaving, not as someone shutting her out.
    const olga = await openSignedIn(() => newPage({ locale: 'ru-RU' }), base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/audit`);
    const row = olga.locator('[data-testid=audit-row][data-action="member.removed"]');
    await expect.poll(() => row.innerText()).toContain(`Участник ${NINA.name} (Составитель) вышел из плана`);
    expect(await row.innerText()).not.toContain('исключён из плана');
    await olga.screenshot({ path: screenshotPath('onboarding-left-audit-ru') });
  }, 90_000);

  it('someone signed in as an NGO who opens the ministry’s invitation is told it is not theirs, not offered to join', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId } = await setUpWorkspace(server);
    await addMember(server, coordinator, planId, 'observer', NINA);
    const other = await coordinator.post('/api/plans', { title: 'Другі план', country: 'Беларусь', periodStart: 2027, periodEnd: 2031 });
    const mfa = (await coordinator.get('/api/auth/me')).body.organisation.id as string;
    const seat = (await coordinator.post(`/api/plans/${other.body.id}/invites`, { role: 'coordinator', organisationId: mfa })).body as { url: string };
    const page = await openSignedIn(() => newPage({ locale: 'be-BY', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }), base, NINA.email, MEMBER_PASSWORD, seat.url);
    const warning = page.getByTestId('invite-other-organisation');
    await expect.poll(() => warning.innerText()).toContain('Гэтае запрашэнне прызначана для супрацоўніка арганізацыі «Ministry of Foreign Affairs»');
    expect(await warning.innerText()).toContain(`Вы ўвайшлі як ${NINA.name} (${NINA.organisation.name})`);
    expect(await page.getByTestId('invite-join').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('onboarding-invite-other-organisation-be'), fullPage: true });
  }, 90_000);
});

