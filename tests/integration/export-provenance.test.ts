/**
 * Acceptance: the hash recorded at sign-off equals the hash recomputed from the exported DOCX text
 * of that section; the provenance annex names the signers, their organisations, dates and hash.
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { docxParagraphs, extractCanonicalBlocks } from '../../server/export/extract.ts';
import { hashLines } from '../../server/services/contentHash.ts';
import { addAction, exportPlan, ok, writeSection } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';

let server: TestServer;
let coordinator: ApiClient;
let ngo: ApiClient;
let planId: string;
let sectionId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  ngo = (
    await addMember(server, coordinator, planId, 'drafter', {
      name: 'Наталля Праваабаронца',
      email: 'natallia@viasna.example',
      organisation: { name: 'Human Rights Center Viasna', side: 'civil_society' },
    })
  ).client;
  await writeSection(server, planId, sectionId, {
    heading: 'Independence of the judiciary',
    paragraph: 'Judges are appointed for life after a transparent competition.',
    bullets: ['Publish vacancies', 'Open hearings'],
    numbered: ['Amend the Code on the Judicial System'],
    table: [
      ['Body', 'Role'],
      ['Judicial council', 'Selection'],
    ],
  });
  await addAction(coordinator, planId, sectionId, {
    lead: 'Ministry of Justice',
    partner: 'Belarusian Helsinki Committee',
    recText: 'Guarantee the full independence of the judiciary',
    title: 'Reform judicial appointments',
  });
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

it('the hash recorded at sign-off equals the hash recomputed from the exported DOCX', async () => {
  const base = `/api/plans/${planId}/sections/${sectionId}`;
  const { currentHash } = await ok(coordinator.get(`${base}/agreement`));
  await ok(coordinator.post(`${base}/signoffs`, { contentHash: currentHash }));
  const agreed = await ok(ngo.post(`${base}/signoffs`, { contentHash: currentHash }));
  expect(agreed.status).toBe('agreed');
  const recorded: string[] = agreed.signoffs.map((s: { contentHash: string }) => s.contentHash);
  expect(recorded).toHaveLength(2);

  const { bytes } = await exportPlan(server, coordinator, planId, 'docx', 'agreed');
  const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
  const paras = docxParagraphs(xml);
  const lines = extractCanonicalBlocks(paras, { signedOnly: true }).get(sectionId);
  expect(lines, 'signed content block of the section').toBeDefined();
  const recomputed = hashLines(lines!);
  for (const h of recorded) expect(recomputed).toBe(h);
  expect(recomputed).toBe(agreed.agreedHash);

  // The provenance annex: signers, organisations, sides, dates, hash.
  expect(paras).toContain('Olga Coordinator');
  expect(paras).toContain('Ministry of Foreign Affairs');
  expect(paras).toContain('Наталля Праваабаронца');
  expect(paras).toContain('Human Rights Center Viasna');
  expect(paras).toContain('civil society');
  for (const s of agreed.signoffs) expect(paras).toContain(s.signedAt);
  expect(paras).toContain(agreed.agreedHash);
  expect(paras.some((p) => p.startsWith('Made from: Agreed sections as of'))).toBe(true);
});

it('a current-draft export calls only signed text "signed content": a section in drafting is "unsigned content"', async () => {
  // A second section nobody signed, beside the agreed one from the test above.
  const outline = await ok(coordinator.post(`/api/plans/${planId}/sections`, { chapterId: (await ok(coordinator.get(`/api/plans/${planId}`))).chapters[0].id, title: 'Prison conditions' }));
  const draftId: string = outline.chapters[0].sections.find((s: { title: string }) => s.title === 'Prison conditions').id;
  await writeSection(server, planId, draftId, { heading: 'Draft only', paragraph: 'Not yet discussed with anyone.', bullets: [], numbered: [], table: [] });
  expect((await ok(coordinator.get(`/api/plans/${planId}/sections/${sectionId}/agreement`))).status).toBe('agreed');

  for (const format of ['docx', 'md', 'html'] as const) {
    const { bytes } = await exportPlan(server, coordinator, planId, format, 'current');
    const text = format === 'docx' ? docxParagraphs(await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string')).join('\n') : bytes.toString('utf8');
    expect(text, format).toContain(`[begin signed content ${sectionId}]`);
    expect(text, format).toContain(`[begin unsigned content ${draftId}]`);
    expect(text, format).not.toContain(`[begin signed content ${draftId}]`);
    expect(text, format).not.toContain(`[end signed content ${draftId}]`);
    if (format === 'docx') {
      const paras = text.split('\n');
      expect([...extractCanonicalBlocks(paras, { signedOnly: true }).keys()]).toEqual([sectionId]);
      expect(hashLines(extractCanonicalBlocks(paras).get(draftId)!)).toBe((await ok(coordinator.get(`/api/plans/${planId}/sections/${draftId}/agreement`))).currentHash);
    }
  }
});
