import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Role changes on the members page, in a real browser. The plan's only coordinator is offered
 * neither a role change nor removal of herself (the server would refuse), and is told why. A role
 * change happens at once and can be undone for a short while; demoting a coordinator asks first,
 * with the focus on Cancel, as does removing a member, which can then be undone from the notice.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1440, height: 1000 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

const PAVEL = { name: 'Pavel Drafter', email: 'pavel@moj.example', organisation: { name: 'Ministry of Justice', side: 'government' as const } };

const rowOf = (page: Page, userId: string) => page.locator(`[data-testid=member-row][data-user-id="${userId}"]`);
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);

describe('changing roles on the members page', () => {
  it('explains the only coordinator, undoes a role change, and asks before demoting a coordinator or removing a member', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId } = await setUpWorkspace(server);
    const olgaId = (await coordinator.get('/api/auth/me')).body.user.id as string;
    const pavel = await addMember(server, coordinator, planId, 'drafter', PAVEL);
    const roleOnServer = async (userId: string) =>
      ((await coordinator.get(`/api/plans/${planId}/members`)).body as Array<{ userId: string; role: string }>).find((m) => m.userId === userId)?.role;

    const olga = await openSignedIn(newPage, base, 'olga@mfa.example', COORDINATOR_PASSWORD, `${base}/plans/${planId}/members`);
    const olgaRow = rowOf(olga, olgaId);
    const pavelRow = rowOf(olga, pavel.userId);

    // --- The only coordinator: nothing offered that the server would refuse, and the reason is given.
    await expect.poll(() => olgaRow.getByTestId('member-sole-coordinator').innerText()).toContain('only coordinator');
    expect(await olgaRow.getByTestId('member-role-select').isDisabled()).toBe(true);
    expect(await olgaRow.getByTestId('member-remove').isDisabled()).toBe(true);
    const hintId = await olgaRow.getByTestId('member-sole-coordinator').getAttribute('id');
    expect(await olgaRow.getByTestId('member-role-select').getAttribute('aria-describedby')).toBe(hintId);
    expect(await olgaRow.getByTestId('member-remove').getAttribute('aria-describedby')).toBe(hintId);

    // --- A drafter made commenter: at once, with an Undo that puts the drafter back.
    await pavelRow.getByTestId('member-role-select').selectOption('commenter');
    const notice = olga.getByTestId('role-change-notice');
    await expect.poll(() => notice.innerText()).toContain('Role of Pavel Drafter changed to Commenter.');
    expect(await olga.getByTestId('member-demote-dialog').isVisible()).toBe(false);
    expect(await roleOnServer(pavel.userId)).toBe('commenter');
    await notice.getByTestId('role-change-undo').click();
    await expect.poll(() => notice.innerText()).toContain('Role of Pavel Drafter put back to Drafter.');
    expect(await notice.getByTestId('role-change-undo').count()).toBe(0);
    expect(await focused(olga)).toBe('role-change-notice');
    expect(await roleOnServer(pavel.userId)).toBe('drafter');
    await expect.poll(() => pavelRow.getByTestId('member-role-select').inputValue()).toBe('drafter');

    // --- Made coordinator: Olga is no longer the only one, so her own row is offered again.
    await pavelRow.getByTestId('member-role-select').selectOption('coordinator');
    await expect.poll(() => notice.innerText()).toContain('changed to Coordinator');
    await expect.poll(() => olgaRow.getByTestId('member-role-select').isDisabled()).toBe(false);
    expect(await olgaRow.getByTestId('member-sole-coordinator').count()).toBe(0);
    expect(await olgaRow.getByTestId('member-remove').isDisabled()).toBe(false);

    // --- Demoting a coordinator asks first, with the focus on Cancel; cancelling changes nothing.
    const demote = olga.getByTestId('member-demote-dialog');
    await pavelRow.getByTestId('member-role-select').selectOption('observer');
    await expect.poll(() => demote.isVisible()).toBe(true);
    expect(await demote.innerText()).toContain('Pavel Drafter (Ministry of Justice) will no longer be a coordinator');
    expect(await demote.innerText()).toContain('New role: Observer.');
    expect(await focused(olga)).toBe('confirm-dialog-cancel');
    await olga.keyboard.press('Enter');
    await expect.poll(() => demote.isVisible()).toBe(false);
    expect(await roleOnServer(pavel.userId)).toBe('coordinator');
    expect(await pavelRow.getByTestId('member-role-select').inputValue()).toBe('coordinator');

    // Confirmed, it is done, and can be undone too.
    await pavelRow.getByTestId('member-role-select').selectOption('observer');
    await expect.poll(() => demote.isVisible()).toBe(true);
    await demote.getByTestId('member-demote-confirm').click();
    await expect.poll(() => notice.innerText()).toContain('Role of Pavel Drafter changed to Observer.');
    expect(await roleOnServer(pavel.userId)).toBe('observer');
    // The only coordinator again: her row says so.
    await expect.poll(() => olgaRow.getByTestId('member-role-select').isDisabled()).toBe(true);
    await notice.getByTestId('role-change-undo').click();
    await expect.poll(() => notice.innerText()).toContain('put back to Coordinator');
    expect(await roleOnServer(pavel.userId)).toBe('coordinator');

    // --- Removing a member asks first, with the focus on Cancel.
    await pavelRow.getByTestId('member-remove').click();
    const remove = olga.locator('[data-testid=confirm-dialog][open]');
    await expect.poll(() => remove.innerText()).toContain('Pavel Drafter (Ministry of Justice) will lose access');
    expect(await focused(olga)).toBe('confirm-dialog-cancel');
    await olga.keyboard.press('Escape');
    await expect.poll(() => remove.count()).toBe(0);
    expect(await roleOnServer(pavel.userId)).toBe('coordinator');

    // --- A removal made by mistake is undone from the notice: he is back, in the role he had.
    await pavelRow.getByTestId('member-remove').click();
    await remove.getByTestId('confirm-dialog-confirm').click();
    await expect.poll(() => pavelRow.count()).toBe(0);
    expect(await roleOnServer(pavel.userId)).toBeUndefined();
    await expect.poll(() => notice.innerText()).toContain('Pavel Drafter was removed from the plan.');
    // His row and its button are gone: the notice with its Undo takes the focus, in view.
    expect(await focused(olga)).toBe('role-change-notice');
    await olga.screenshot({ path: screenshotPath('members-removal-undo') });
    await notice.getByTestId('role-change-undo').click();
    await expect.poll(() => notice.innerText()).toContain('Pavel Drafter is back in the plan, as Coordinator.');
    await expect.poll(() => pavelRow.count()).toBe(1);
    expect(await roleOnServer(pavel.userId)).toBe('coordinator');
    expect(await focused(olga)).toBe('role-change-notice');
  }, 120_000);
});
