import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_DIR, openSignedIn, screenshotPath, useBrowser } from '../helpers/browser.ts';
import { adoptedPlan } from '../helpers/monitoring.ts';
import { ok } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { COORDINATOR_PASSWORD } from '../helpers/workspace.ts';

/**
 * File sizes as people read them: the ministry's progress report carries a 43-byte note and a
 * 1.2 MB table as evidence; the coordinator reads "43 bytes" and "1.2 MB" in English, "43 байта"
 * and "1,2 МБ" in Russian, "43 байты" and "1,2 МБ" in Belarusian (which Chromium's Intl lacks),
 * never "43 byte". Screenshots: test-output/file-sizes-*.png.
 */
let server: TestServer | undefined;
const { newPage } = useBrowser({ viewport: { width: 1280, height: 900 } });
afterEach(async () => {
  await server?.destroy();
  server = undefined;
});

/** A 43-byte note. */
const NOTE = 'Two trainings held; 43 judges took part.'.padEnd(43, '.');

describe('file sizes', () => {
  it('are written with the words and signs of each language', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const plan = await adoptedPlan(server);
    const p = `/api/plans/${plan.planId}`;
    const draft = await ok(plan.ministry.client.post(`${p}/rounds/${plan.roundId}/actions/${plan.actionId}/reports`, { status: 'in_progress', narrative: 'Two trainings held' }));
    const upload = async (name: string, bytes: Uint8Array<ArrayBuffer>) => {
      const res = await fetch(`${server!.url}${p}/reports/${draft.id}/evidence?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', origin: server!.url, cookie: plan.ministry.client.cookie! },
        body: new Uint8Array(bytes),
      });
      expect(res.status, await res.clone().text()).toBe(201);
    };
    expect(Buffer.byteLength(NOTE)).toBe(43);
    await upload('note.txt', new TextEncoder().encode(NOTE));
    await upload('attendance.csv', new TextEncoder().encode('judge,region\n' + 'Judge Name,Minsk region\n'.repeat(50_000)).slice(0, 1_200_000));
    await ok(plan.ministry.client.post(`${p}/reports/${draft.id}/submit`, {}));

    const expected = { en: ['43 bytes', '1.2 MB'], ru: ['43 байта', '1,2 МБ'], be: ['43 байты', '1,2 МБ'] };
    for (const [language, [note, table]] of Object.entries(expected)) {
      const page = await openSignedIn(() => newPage({ locale: language }), server.url, 'olga@mfa.example', COORDINATOR_PASSWORD, `${server.url}/plans/${plan.planId}/progress`);
      const items = page.getByTestId('evidence-item');
      await expect.poll(() => items.count()).toBe(2);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      const texts = (await items.allInnerTexts()).map((s) => s.replace(/[\u00a0\u202f]/g, ' '));
      expect(texts.find((s) => s.includes('note.txt'))).toContain(`(${note})`);
      expect(texts.find((s) => s.includes('attendance.csv'))).toContain(`(${table})`);
      await items.first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`file-sizes-${language}`) });
      await page.context().close();
    }
  });
});
