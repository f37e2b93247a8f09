import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sectionPlainText } from '../../shared/doc/schema.ts';
import { SYNC_PATH } from '../../shared/protocol.ts';
import { CLIENT_DIR, editorOf, screenshotPath, setUpThroughForm, useBrowser, createPlanThroughForm } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { storedSectionOf } from '../helpers/storedSection.ts';

/**
 * The page says "Saving…" and the server, for whatever reason, never acknowledges: here a
 * connection that silently loses the edits the page sends (a proxy, a half-dead network, a server
 * that left them out). Without help the page would say "Saving…" until the person thought of
 * reloading. After SAVE_STALL_MS without an acknowledgement it connects again, and the handshake
 * of the new connection hands the server what it lacks.
 */
let server: TestServer;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 900 } });
afterAll(async () => {
  await server?.destroy();
});

const stateOf = (page: Page) => page.getByTestId('connection-status').getAttribute('data-state');

describe('a save the server never acknowledged', () => {
  it('is sent again on a new connection, without a reload, and ends saved on the server', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const page = await newPage();
    // Edits typed while `losing` vanish between the page and the server; everything else passes.
    let losing = false;
    let lost = 0;
    await page.routeWebSocket(new RegExp(SYNC_PATH), (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((message) => {
        const bytes = typeof message === 'string' ? null : message;
        // A y-websocket sync message (0) carrying an update (2).
        if (losing && bytes && bytes[0] === 0 && bytes[1] === 2) {
          lost++;
          return;
        }
        upstream.send(message);
      });
    });
    await setUpThroughForm(page, server.url);
    await createPlanThroughForm(page);
    await page.getByTestId('outline-section').first().click();
    await page.waitForURL('**/sections/**');
    const sectionId = new URL(page.url()).pathname.split('/').at(-1)!;
    await editorOf(page).waitFor();
    await expect.poll(() => stateOf(page), { timeout: 15_000 }).toBe('saved');

    losing = true;
    await editorOf(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Kept through a silent connection.');
    await expect.poll(() => lost).toBeGreaterThan(0);
    await page.waitForTimeout(3000);
    expect(await stateOf(page)).toBe('saving');
    expect(sectionPlainText(await storedSectionOf(server, sectionId))).not.toContain('Kept through a silent connection.');

    // The connection would go on losing them; the page connects again by itself.
    losing = false;
    await expect.poll(() => stateOf(page), { timeout: 40_000, interval: 500 }).toBe('saved');
    expect(sectionPlainText(await storedSectionOf(server, sectionId))).toContain('Kept through a silent connection.');
    await page.getByTestId('connection-status').screenshot({ path: screenshotPath('save-stall-recovered') });
  }, 90_000);
});
