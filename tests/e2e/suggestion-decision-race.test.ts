import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CLIENT_DIR, editorOf, screenshotPath, signInThroughForm, useBrowser } from '../helpers/browser.ts';
import { Rng } from '../helpers/fuzz.ts';
import { connectPeer, type Peer } from '../helpers/peer.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/server.ts';
import { MEMBER_PASSWORD, addMember, setUpWorkspace } from '../helpers/workspace.ts';
import * as Y from 'yjs';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { listSuggestions } from '../../shared/doc/suggestions.ts';

/**
 * The race of tests/integration/suggestion-decision-race.test.ts in a real browser: an NGO drafter
 * who may only suggest keeps typing in her suggestion while the coordinator accepts or rejects it
 * (over the API, at a seeded moment), her page hearing of the server a little late (seeded
 * latency on the sync socket). Her page must not start the section over, and every word
 * she typed stays: in the text, or in what was rejected. Screenshots, before each round is settled: test-output/suggestion-race-<round>-<decision>.png.
 */
const { newPage } = useBrowser({ viewport: { width: 1280, height: 900 } });

let server: TestServer | undefined;
let peer: Peer | undefined;
let page: Page | undefined;
afterEach(async () => {
  await page?.context().close().catch(() => undefined);
  peer?.destroy();
  await server?.destroy();
  server = undefined;
});

const NGO = { name: 'Maryna Ivanova', email: 'maryna@helsinki.example', organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' as const } };
const ROUNDS: Array<{ seed: number; decision: 'accept' | 'reject'; base: string }> = [
  { seed: 1, decision: 'accept', base: 'Detainees may see a lawyer.' },
  { seed: 2, decision: 'reject', base: 'Complaints are investigated.' },
  { seed: 3, decision: 'accept', base: 'Reports are published.' },
  { seed: 4, decision: 'reject', base: 'Prisons are inspected.' },
];
const TYPED = ' within a day of arrest';

/** The section's text as the person reads it, paragraph per line, without caret labels. */
const textOf = (p: Page) =>
  p.evaluate(() => {
    const el = document.querySelector('[data-testid=section-editor] .ProseMirror')!.cloneNode(true) as HTMLElement;
    el.querySelectorAll('.collab-caret').forEach((c) => c.remove());
    return [...el.querySelectorAll('p')].map((para) => para.textContent!.replace(/\u00a0/g, ' '));
  });
const stateOf = (p: Page) => p.getByTestId('connection-status').getAttribute('data-state');
const plainOf = (t: Y.XmlText) =>
  (t.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('a decision that races typing, in the browser', () => {
  it('keeps every word the suggester typed, and her page never starts over', async () => {
    server = await startTestServer({ clientDir: CLIENT_DIR });
    const { coordinator, planId, sectionId } = await setUpWorkspace(server);
    await addMember(server, coordinator, planId, 'drafter', NGO);
    const rule = await coordinator.request('PUT', `/api/plans/${planId}/suggestion-rule`, { commentersSuggest: false, suggestOnlySides: ['civil_society'] });
    expect(rule.status).toBe(200);
    peer = connectPeer(server.url, coordinator, sectionId);
    await peer.synced();

    page = await newPage();
    page.setDefaultTimeout(15_000);
    // A real network: what the server sends reaches her page a little later (seeded, in order), so
    // she can go on typing in a suggestion the server has already decided.
    const latency = new Rng(21);
    await page.routeWebSocket(/\/sync\//, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((message) => upstream.send(message));
      let delivered = Promise.resolve();
      upstream.onMessage((message) => {
        const due = Date.now() + latency.range(20, 120);
        delivered = delivered.then(() => sleep(Math.max(0, due - Date.now()))).then(() => ws.send(message));
      });
      ws.onClose((code, reason) => upstream.close({ code, reason }));
      upstream.onClose((code, reason) => void delivered.then(() => ws.close({ code, reason })));
    });
    await signInThroughForm(page, server.url, NGO.email, MEMBER_PASSWORD);
    await page.goto(`${server.url}/plans/${planId}/sections/${sectionId}`);
    await editorOf(page).waitFor();
    await expect.poll(() => page!.getByTestId('mode-switch').getAttribute('data-mode')).toBe('suggesting');

    const decisions = `/api/plans/${planId}/sections/${sectionId}/suggestions/decisions`;
    for (const [n, { seed, decision, base }] of ROUNDS.entries()) {
      const rng = new Rng(seed);
      peer.typeParagraph(base);
      await eventually(() => expect(peer!.isSaved()).toBe(true));
      await expect.poll(() => textOf(page!).then((t) => t[n])).toBe(base);

      // Her suggestion starts at the end of the paragraph and is stored.
      await editorOf(page).click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(' Always');
      await expect.poll(() => stateOf(page!), { timeout: 10_000 }).toBe('saved');
      const live = (await server.sync.readLiveDocument(sectionDocName(sectionId)))!;
      const id = listSuggestions(live).find((s) => s.inserted === ' Always')!.id;
      live.destroy();

      // She keeps typing; the coordinator decides at a seeded moment in the middle of it.
      let rejected = '';
      const deciding = (async () => {
        await sleep(rng.range(10, 80));
        const res = await coordinator.post(decisions, { decision, ids: [id] });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        if (decision === 'reject') rejected = res.body.decided[0].inserted;
      })();
      await page.keyboard.type(TYPED, { delay: rng.range(2, 8) });
      await deciding;

      await expect.poll(() => stateOf(page!), { timeout: 10_000 }).toBe('saved');
      await expect(page.getByTestId('edit-refused-notice').count()).resolves.toBe(0);
      const paragraph = (await textOf(page))[n]!;
      // Every typed character: in the text, or among the words the coordinator rejected.
      expect(rejected + paragraph.slice(base.length), `round ${n + 1} (${decision})`).toBe(' Always' + TYPED);
      // And everyone else (the coordinator's live copy, from the server) reads the same.
      await eventually(() => expect(plainOf((getSectionBody(peer!.doc).get(n) as Y.XmlElement).get(0) as Y.XmlText)).toBe(paragraph));
      await page.screenshot({ path: screenshotPath(`suggestion-race-${n + 1}-${decision}`) });
      const settle = await coordinator.post(decisions, { decision: 'accept', all: true });
      expect(settle.status).toBe(200);
      await expect.poll(() => page!.locator('ins.suggestion').count()).toBe(0);
    }
  }, 120_000);
});
