/**
 * Exporting a saved whole-plan version: each section's text comes from its snapshot in the
 * version group (not the live document), sections not in the group are listed as not included,
 * the title page and provenance name the version, and the scope still applies.
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docxParagraphs } from '../../server/export/extract.ts';
import { exportPlan, ok, readableUtc, writeSection, type SectionContent } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';
import type { PlanOutline } from '../../shared/api/index.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;
let group: { groupId: string; name: string; createdAt: string };

const content = (paragraph: string): SectionContent => ({
  heading: 'Independence of the judiciary',
  paragraph,
  bullets: ['Publish vacancies'],
  numbered: ['Amend the Code'],
  table: [
    ['Body', 'Role'],
    ['Judicial council', 'Selection'],
  ],
});
const OLD = 'Judges are appointed for life after a transparent competition.';
const NEW = 'Judges are elected by parliament for ten years.';
const ADDED = 'Access to justice';

async function docxText(body: Record<string, unknown>): Promise<string[]> {
  const job = await ok(coordinator.post(`/api/plans/${planId}/exports`, body), [202]);
  const { bytes } = await waitForFile(job.id);
  const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
  return docxParagraphs(xml);
}

async function waitForFile(id: string): Promise<{ bytes: Buffer }> {
  const deadline = Date.now() + 60_000;
  let job = await ok(coordinator.get(`/api/plans/${planId}/exports/${id}`));
  while (job.state === 'running') {
    if (Date.now() > deadline) throw new Error('export did not finish');
    await new Promise((r) => setTimeout(r, 25));
    job = await ok(coordinator.get(`/api/plans/${planId}/exports/${id}`));
  }
  expect(job.state, job.error ?? '').toBe('done');
  const res = await fetch(`${server.url}/api/plans/${planId}/exports/${id}/file`, { headers: { cookie: coordinator.cookie! } });
  return { bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  server = await startTestServer();
  let chapterId: string;
  ({ coordinator, planId, sectionId, chapterId } = await setUpWorkspace(server));
  await writeSection(server, planId, sectionId, content(OLD));
  group = await ok(coordinator.post(`/api/plans/${planId}/versions`, { name: 'Before consultation' }));
  // After the version: the text changes (the document stays open on the server) and a section is added.
  await writeSection(server, planId, sectionId, content(NEW));
  const outline: PlanOutline = await ok(coordinator.post(`/api/plans/${planId}/sections`, { chapterId, title: ADDED }));
  expect(outline.chapters.flatMap((c) => c.sections).some((s) => s.title === ADDED)).toBe(true);
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

describe('exporting a saved version', () => {
  it('exports the text saved in the version, not the current one, and names the version', async () => {
    const paras = await docxText({ format: 'docx', scope: 'current', versionGroupId: group.groupId });
    const all = paras.join('\n');
    expect(all).toContain(OLD);
    expect(all).not.toContain(NEW);
    // Title page and provenance annex: which version, when, by whom.
    const line = `Version: Before consultation, saved ${readableUtc(group.createdAt)} by Olga Coordinator`;
    expect(paras.filter((p) => p.includes(line)).length).toBeGreaterThanOrEqual(2);
    expect(paras.some((p) => p.startsWith(`Made from: ${line}`))).toBe(true);
    // The section added after the version is listed, without text, as not in it.
    expect(all).toContain(ADDED);
    expect(all).toContain('Not in this version');
  });

  it('exports the current text without a version', async () => {
    const all = (await docxText({ format: 'docx', scope: 'current' })).join('\n');
    expect(all).toContain(NEW);
    expect(all).not.toContain(OLD);
    expect(all).not.toContain('Version: Before consultation');
  });

  it('still applies the scope: with nothing agreed, the agreed scope exports no section text', async () => {
    const all = (await docxText({ format: 'docx', scope: 'agreed', versionGroupId: group.groupId })).join('\n');
    expect(all).not.toContain(OLD);
    expect(all).not.toContain(NEW);
    expect(all).toContain('Version: Before consultation');
    expect(all).toContain('Not yet agreed');
  });

  it('exports a version as Markdown too, and refuses an unknown version', async () => {
    const { bytes, job } = await exportPlan(server, coordinator, planId, 'md', 'current');
    expect(job.versionGroupId ?? null).toBeNull();
    expect(bytes.toString('utf8')).toContain(NEW.slice(0, 20));
    const md = await ok(coordinator.post(`/api/plans/${planId}/exports`, { format: 'md', versionGroupId: group.groupId }), [202]);
    expect(md.versionGroupId).toBe(group.groupId);
    const text = (await waitForFile(md.id)).bytes.toString('utf8');
    expect(text).toContain(OLD.slice(0, 20));
    expect(text).not.toContain(NEW.slice(0, 20));

    const unknown = await coordinator.post(`/api/plans/${planId}/exports`, { format: 'docx', versionGroupId: 'no-such-version-group' });
    expect(unknown.status).toBe(404);
    // A section's own version (no group) is not a whole-plan version either.
    const single = await ok(coordinator.post(`/api/plans/${planId}/sections/${sectionId}/versions`, { name: 'One section' }));
    expect((await coordinator.post(`/api/plans/${planId}/exports`, { format: 'docx', versionGroupId: single.id })).status).toBe(404);
  });

  it('an agreed-draft export of a saved version includes an agreed section only if its saved text is what was signed', async () => {
    const ngo = await addMember(server, coordinator, planId, 'drafter', {
      name: 'Maryna Ivanova',
      email: 'maryna@helsinki.example',
      organisation: { name: 'Belarusian Helsinki Committee', side: 'civil_society' },
    });
    for (const signer of [coordinator, ngo.client]) {
      const { currentHash } = await ok(signer.get(`/api/plans/${planId}/sections/${sectionId}/agreement`));
      await ok(signer.post(`/api/plans/${planId}/sections/${sectionId}/signoffs`, { contentHash: currentHash }), [200, 201]);
    }
    expect((await ok(coordinator.get(`/api/plans/${planId}/sections/${sectionId}/agreement`))).status).toBe('agreed');

    // The old version's text is not what both sides signed: left out of an agreed draft.
    const old = (await docxText({ format: 'docx', scope: 'agreed', versionGroupId: group.groupId })).join('\n');
    expect(old).not.toContain(OLD);
    expect(old).toContain('Not as agreed');

    // A version saved after agreement holds the signed text: included.
    const agreedVersion = await ok(coordinator.post(`/api/plans/${planId}/versions`, { name: 'Agreed text' }));
    const now = (await docxText({ format: 'docx', scope: 'agreed', versionGroupId: agreedVersion.groupId })).join('\n');
    expect(now).toContain(NEW);
    expect(now).not.toContain('Not as agreed');
  });
});
