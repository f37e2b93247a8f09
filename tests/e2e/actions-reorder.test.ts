import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD, MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';

/**
 * Reordering a section's actions in real browsers. The coordinator moves actions with the
 * keyboard only (the Move buttons pressed with Enter, then Alt+Up/Down on the action): focus
 * stays on the moved action and its new place is announced. Then she drags one by its handle
 * with the mouse; Escape during a drag puts nothing anywhere. A drafter of another organisation,
 * with the same section open, sees every new order without reloading. Screenshots go to
 * test-output/actions-reorder-*.png.
 */
let server: TestServer;
const { newPage } = useBrowser({ viewport: { width: 1360, height: 1100 } });
afterAll(async () => {
  await server?.destroy();
});

const TRAIN = 'Train judges on the Istanbul Protocol';
const SHELTER = 'Open a shelter in every region';
const STATS = 'Publish yearly statistics on domestic violence';

/** The action titles as the page shows them, in order, without their "Action n" numbers. */
const titles = (page: Page) =>
  page.getByTestId('action-card-title').evaluateAll((els) => els.map((el) => el.lastChild?.textContent?.trim() ?? ''));
/** Which action holds the focus, and which control in it (or "card" when the card itself). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const card = el?.closest<HTMLElement>('[data-testid=action-card]');
    return card ? { title: card.querySelector('[data-testid=action-card-title]')?.lastChild?.textContent?.trim(), control: el === card ? 'card' : el!.dataset.testid } : null;
  });
const card = (page: Page, title: string) => page.getByTestId('action-card').filter({ has: page.getByTestId('action-card-title').filter({ hasText: title }) });

/**
 * Presses the mouse on `moving`'s handle, carries it to the top edge of the window until `target`'s
 * card is in view (the page scrolls by itself), then just inside `target`'s top, where the drop
 * bar shows above it; `whileHeld` runs there before the button is released.
 */
async function dragAbove(page: Page, moving: string, target: string, whileHeld: () => Promise<void>): Promise<void> {
  const handle = card(page, moving).getByTestId('action-drag-handle');
  await handle.scrollIntoViewIfNeeded();
  const grip = (await handle.boundingBox())!;
  await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
  await page.mouse.down();
  await page.mouse.move(grip.x + 40, 10, { steps: 10 });
  await expect.poll(async () => (await card(page, target).boundingBox())!.y, { timeout: 10_000 }).toBeGreaterThan(100);
  const box = (await card(page, target).boundingBox())!;
  await page.mouse.move(box.x + 40, box.y + 30, { steps: 5 });
  await page.locator('.action-list__item--drop-before').filter({ has: card(page, target) }).waitFor();
  await whileHeld();
  await page.mouse.up();
}

describe('reordering actions in real browsers', () => {
  it('moves actions by keyboard and by mouse, keeps focus on the moved action and shows the order live to others', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const base = server.url;
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    await addMember(server, coordinator, planId, 'drafter', { name: 'Nina Lawyer', email: 'nina@hrc.example', organisation: { name: 'Human Rights Centre', side: 'civil_society' } });
    for (const title of [TRAIN, SHELTER, STATS]) {
      const res = await coordinator.post(`/api/plans/${planId}/sections/${sectionId}/actions`, { title });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const url = `${base}/plans/${planId}/sections/${sectionId}`;
    const olga = await openSignedIn(newPage, base, 'olga@mfa.example', COORDINATOR_PASSWORD, url);
    const nina = await openSignedIn(newPage, base, 'nina@hrc.example', MEMBER_PASSWORD, url);
    await expect.poll(() => titles(olga)).toEqual([TRAIN, SHELTER, STATS]);
    await expect.poll(() => titles(nina)).toEqual([TRAIN, SHELTER, STATS]);
    const stored = async () =>
      ((await coordinator.get(`/api/plans/${planId}/sections/${sectionId}/actions`)).body as Array<{ title: string; position: number }>)
        .sort((a, b) => a.position - b.position)
        .map((a) => a.title);
    const announced = () => olga.getByTestId('actions-announcement').innerText();

    // The buttons name the action they move, and the list says how to reorder.
    const down = card(olga, TRAIN).getByTestId('action-move-down');
    expect(await down.getAttribute('aria-label')).toBe(`Move down: “${TRAIN}”`);
    expect(await olga.locator('#actions-reorder-hint').innerText()).toContain('Alt+Up');

    // --- Keyboard only: focus the first action's Move down button and press Enter, twice.
    await down.focus();
    await olga.keyboard.press('Enter');
    await expect.poll(() => titles(olga)).toEqual([SHELTER, TRAIN, STATS]);
    await expect.poll(() => focused(olga)).toEqual({ title: TRAIN, control: 'action-move-down' });
    await expect.poll(announced).toBe(`“${TRAIN}” is now action 2 of 3.`);
    await expect.poll(() => titles(nina)).toEqual([SHELTER, TRAIN, STATS]);

    await olga.keyboard.press('Enter');
    await expect.poll(() => titles(olga)).toEqual([SHELTER, STATS, TRAIN]);
    // Last now: its Move down button is gone, so focus is on its Move up button.
    await expect.poll(() => focused(olga)).toEqual({ title: TRAIN, control: 'action-move-up' });
    await expect.poll(announced).toBe(`“${TRAIN}” is now action 3 of 3.`);
    await olga.screenshot({ path: screenshotPath('actions-reorder-keyboard') });

    // Alt+Up on the focused action moves it back up; focus stays with it.
    await olga.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => titles(olga)).toEqual([SHELTER, TRAIN, STATS]);
    await expect.poll(() => focused(olga)).toEqual({ title: TRAIN, control: 'action-move-up' });
    await expect.poll(announced).toBe(`“${TRAIN}” is now action 2 of 3.`);

    // Alt+Up/Down on a card itself (reached from a link or Tab): the card keeps the focus.
    await card(olga, STATS).focus();
    await olga.keyboard.press('Alt+ArrowUp');
    await olga.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => titles(olga)).toEqual([STATS, SHELTER, TRAIN]);
    await expect.poll(() => focused(olga)).toEqual({ title: STATS, control: 'card' });
    await expect.poll(announced).toBe(`“${STATS}” is now action 1 of 3.`);
    await expect.poll(() => titles(nina)).toEqual([STATS, SHELTER, TRAIN]);
    expect(await stored()).toEqual([STATS, SHELTER, TRAIN]);

    // --- Mouse: drag the last action by its handle above the first. The cards are taller than the
    // window together: held at the top edge, the page scrolls until the first card shows.
    await dragAbove(olga, TRAIN, STATS, async () => {
      expect(await card(olga, TRAIN).getAttribute('class')).toContain('action-card--dragging');
      await olga.screenshot({ path: screenshotPath('actions-reorder-dragging') });
    });
    await expect.poll(() => titles(olga)).toEqual([TRAIN, STATS, SHELTER]);
    await expect.poll(announced).toBe(`“${TRAIN}” is now action 1 of 3.`);
    await expect.poll(() => focused(olga)).toEqual({ title: TRAIN, control: 'card' });
    await expect.poll(() => titles(nina)).toEqual([TRAIN, STATS, SHELTER]);
    expect(await stored()).toEqual([TRAIN, STATS, SHELTER]);
    await nina.getByTestId('actions-panel').screenshot({ path: screenshotPath('actions-reorder-live') });

    // Escape while dragging: dropped nowhere.
    await dragAbove(olga, SHELTER, TRAIN, async () => {
      await olga.keyboard.press('Escape');
      expect(await olga.locator('.action-list__item--drop-before').count()).toBe(0);
    });
    expect(await olga.locator('.action-card--dragging').count()).toBe(0);
    expect(await titles(olga)).toEqual([TRAIN, STATS, SHELTER]);
    expect(await stored()).toEqual([TRAIN, STATS, SHELTER]);

    // Nina may edit actions too; the order she sees came without reloading her page.
    expect(await nina.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  });
});
