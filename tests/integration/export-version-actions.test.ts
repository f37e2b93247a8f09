/**
 * Exporting a saved version prints that version's actions and indicators (issue #13), not today's:
 * a ministry tabling "the plan as agreed on <date>" tables the actions of that date. After a
 * version is saved, an action is renamed, an indicator deleted, an action added and a linked
 * recommendation deleted; the version's export (every document format and the matrix) shows the
 * old state, its Annex A is made from the version's links, and its content hash is the hash the
 * section had when the version was saved. A version kept before versions held actions prints the
 * current actions and says so, in the section and in the provenance annex.
 */
import JSZip from 'jszip';
import { sql } from 'kysely';
import Papa from 'papaparse';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docxParagraphs, extractCanonicalBlocks } from '../../server/export/extract.ts';
import { hashLines } from '../../server/services/contentHash.ts';
import { DELETED_TEXT } from '../../server/export/versionActions.ts';
import { exportWords } from '../../server/export/i18n/index.ts';
import type { ExportLanguage } from '../../shared/api/index.ts';
import { ok, writeSection } from '../helpers/exportPlan.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';

type Format = 'docx' | 'pdf' | 'html' | 'md';
const FORMATS: Format[] = ['html', 'md', 'docx', 'pdf'];

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let sectionId: string;
let secondSectionId: string;
/** The whole-plan version saved before the changes, and a second one saved at the same point (made text-only in one test). */
let version: { groupId: string; name: string; createdAt: string };
let legacy: { groupId: string; name: string };
/** The first section's content hash when the versions were saved. */
let hashAtVersion: string;
const rec: Record<'kept' | 'deleted' | 'added', { id: string; reference: string; text: string }> = {} as never;

const OLD_TITLE = 'Prepare a moratorium bill';
const NEW_TITLE = 'Adopt an abolition law';
const KEPT_INDICATOR = 'Death sentences handed down per year';
const DELETED_INDICATOR = 'Judges trained on fair trial standards';
const ADDED_ACTION = 'Publish execution statistics';
const LEAD = 'Ministry of Justice';
const SECOND_OLD = 'Run a public information campaign';
const SECOND_NEW = 'Run a nationwide information campaign';
const KEPT_TEXT = 'Establish a moratorium on executions with a view to abolition';
const DELETED_REC_TEXT = 'Ratify the Second Optional Protocol to the Covenant';
const ADDED_REC_TEXT = 'Publish statistics on death sentences and executions';
const NOTE = 'the saved version of this section holds its text only';

const squash = (s: string) => s.replace(/\s+/g, '');
const decodeHtml = (s: string) =>
  s
    .replace(/<[^>]+>/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Starts an export, waits for it, and returns the file. */
async function exportBytes(body: Record<string, unknown>): Promise<Buffer> {
  const job = await ok(coordinator.post(`/api/plans/${planId}/exports`, body), [202]);
  const deadline = Date.now() + 60_000;
  let current = job;
  while (current.state === 'running') {
    if (Date.now() > deadline) throw new Error('export did not finish');
    await new Promise((r) => setTimeout(r, 25));
    current = await ok(coordinator.get(`/api/plans/${planId}/exports/${job.id}`));
  }
  expect(current.state, current.error ?? '').toBe('done');
  const res = await fetch(`${server.url}/api/plans/${planId}/exports/${job.id}/file`, { headers: { cookie: coordinator.cookie! } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** The export's text as a reader gets it, without whitespace (PDF wraps lines where the layout does). */
async function exportText(format: Format, versionGroupId?: string, language: ExportLanguage = 'en'): Promise<string> {
  const bytes = await exportBytes({ format, scope: 'current', language, ...(versionGroupId ? { versionGroupId } : {}) });
  if (format === 'docx') return squash(docxParagraphs(await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string')).join('\n'));
  if (format === 'pdf') {
    const parser = new PDFParse({ data: new Uint8Array(bytes) });
    try {
      return squash((await parser.getText()).text);
    } finally {
      await parser.destroy();
    }
  }
  // Markdown as read (backslash escapes dropped); HTML as read (tags and entities resolved).
  return squash(format === 'md' ? bytes.toString('utf8').replace(/\\(.)/g, '$1') : decodeHtml(bytes.toString('utf8')));
}

const count = (haystack: string, needle: string) => haystack.split(squash(needle)).length - 1;

async function docxParas(versionGroupId?: string): Promise<string[]> {
  const bytes = await exportBytes({ format: 'docx', scope: 'current', ...(versionGroupId ? { versionGroupId } : {}) });
  return docxParagraphs(await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string'));
}

beforeAll(async () => {
  server = await startTestServer();
  let chapterId: string;
  ({ coordinator, planId, sectionId, chapterId } = await setUpWorkspace(server));
  const p = `/api/plans/${planId}`;
  const outline = await ok(coordinator.post(`${p}/sections`, { chapterId, title: 'Public information' }));
  secondSectionId = outline.chapters[0].sections[1].id;
  await writeSection(server, planId, sectionId, {
    heading: 'Death penalty',
    paragraph: 'Belarus retains the death penalty.',
    bullets: ['Introduce a moratorium'],
    numbered: ['Draft the law'],
    table: [
      ['Year', 'Sentences'],
      ['2023', 'four'],
    ],
  });

  const lead = await ok(coordinator.post(`${p}/organisations`, { name: LEAD, side: 'government' }));
  const partner = await ok(coordinator.post(`${p}/organisations`, { name: 'Viasna', side: 'civil_society' }));
  for (const [key, n, text] of [
    ['kept', 7, KEPT_TEXT],
    ['deleted', 8, DELETED_REC_TEXT],
    ['added', 9, ADDED_REC_TEXT],
  ] as const) {
    const { sourceKey: _, ...input } = sampleRecommendation(n, { text });
    const created = await ok(coordinator.post(`${p}/recommendations`, input));
    rec[key] = { id: created.id, reference: created.reference, text };
  }
  const action = await ok(
    coordinator.post(`${p}/sections/${sectionId}/actions`, {
      title: OLD_TITLE,
      leadAgencyId: lead.id,
      civilSocietyPartnerIds: [partner.id],
      start: '2027-Q1',
      end: '2028',
      budgetAmount: 125000,
      currency: 'EUR',
      fundingSource: 'State budget',
      recommendationIds: [rec.kept.id, rec.deleted.id],
    }),
  );
  await ok(
    coordinator.post(`${p}/actions/${action.id}/indicators`, {
      type: 'outcome',
      description: KEPT_INDICATOR,
      baselineValue: '4',
      baselineYear: 2024,
      targetValue: '0',
      targetYear: 2030,
    }),
  );
  const deletedIndicator = await ok(coordinator.post(`${p}/actions/${action.id}/indicators`, { type: 'process', description: DELETED_INDICATOR, targetValue: '200' }));
  const second = await ok(coordinator.post(`${p}/sections/${secondSectionId}/actions`, { title: SECOND_OLD }));

  hashAtVersion = (await ok(coordinator.get(`${p}/sections/${sectionId}/agreement`))).currentHash;
  version = await ok(coordinator.post(`${p}/versions`, { name: 'As agreed in March' }));
  legacy = await ok(coordinator.post(`${p}/versions`, { name: 'Kept before versions held actions' }));

  // After the versions: an action renamed and under way, an action added (linked to a new
  // recommendation), a linked recommendation deleted, and the second section's action renamed.
  await ok(coordinator.patch(`${p}/actions/${action.id}`, { title: NEW_TITLE, status: 'in_progress' }));
  const removed = await coordinator.delete(`${p}/indicators/${deletedIndicator.id}`);
  expect(removed.status, JSON.stringify(removed.body)).toBe(204);
  await ok(coordinator.post(`${p}/sections/${sectionId}/actions`, { title: ADDED_ACTION, leadAgencyId: lead.id, recommendationIds: [rec.added.id] }));
  const gone = await coordinator.delete(`${p}/recommendations/${rec.deleted.id}`);
  expect(gone.status, JSON.stringify(gone.body)).toBe(204);
  await ok(coordinator.patch(`${p}/actions/${second.id}`, { title: SECOND_NEW }));
}, 90_000);

afterAll(async () => {
  await server?.destroy();
});

describe('exporting a saved version prints its actions', () => {
  it.each(FORMATS)('%s: the version shows the old title and the deleted indicator, not the new action', async (format) => {
    const text = await exportText(format, version.groupId);
    expect(text).toContain(squash(`Action 1: ${OLD_TITLE}`));
    expect(text).toContain(squash(KEPT_INDICATOR));
    expect(text).toContain(squash(DELETED_INDICATOR));
    expect(text).toContain(squash(SECOND_OLD));
    expect(text).toContain(squash(LEAD));
    expect(text).not.toContain(squash(NEW_TITLE));
    expect(text).not.toContain(squash(ADDED_ACTION));
    expect(text).not.toContain(squash(SECOND_NEW));
    // Annex A from the version's links: the kept recommendation with its text, the deleted one by
    // its reference alone (said so), not the one linked since.
    expect(text).toContain(squash(KEPT_TEXT));
    expect(text).toContain(squash(rec.deleted.reference));
    expect(text).toContain(squash(DELETED_TEXT));
    expect(text).not.toContain(squash(ADDED_REC_TEXT));
    expect(text).not.toContain(squash(rec.added.reference));
    // Every section of this version holds its actions: no "current actions" note.
    expect(text).not.toContain(squash(NOTE));
    expect(text).toContain(squash('actions, indicators, organisations and links to recommendations saved in that version'));
  });

  // The action was "Planned" when the version was saved and is under way now: the version's export
  // must not leave a reader taking "Planned" for where it stands today.
  it.each(FORMATS.flatMap((format) => (['en', 'ru', 'be'] as const).map((language) => [format, language] as const)))(
    '%s in %s: the version says its actions\' statuses are as of the version\'s date',
    async (format, language) => {
      const words = exportWords(language);
      const statusRow = (label: string, status: 'planned' | 'in_progress') => squash(`${label}${words.w.actionStatus[status]}`);
      const asOf = words.t(words.w.facts.statusAsOf, { date: words.date(version.createdAt) });
      // A Markdown table's cells apart.
      const read = async (versionGroupId?: string) => (await exportText(format, versionGroupId, language)).replace(/\|/g, '');
      const saved = await read(version.groupId);
      expect(saved).toContain(statusRow(asOf, 'planned'));
      expect(saved).not.toContain(statusRow(words.w.facts.status, 'planned'));
      // The plan as it is now: its status, without a date.
      const now = await read();
      expect(now).toContain(statusRow(words.w.facts.status, 'in_progress'));
      expect(now).not.toContain(squash(asOf));
    },
  );

  it.each(FORMATS)('%s: the current draft shows the new state', async (format) => {
    const text = await exportText(format);
    expect(text).toContain(squash(`Action 1: ${NEW_TITLE}`));
    expect(text).toContain(squash(`Action 2: ${ADDED_ACTION}`));
    expect(text).toContain(squash(KEPT_INDICATOR));
    expect(text).not.toContain(squash(DELETED_INDICATOR));
    expect(text).not.toContain(squash(OLD_TITLE));
    expect(text).toContain(squash(SECOND_NEW));
    expect(text).toContain(squash(ADDED_REC_TEXT));
    expect(text).toContain(squash(KEPT_TEXT));
    expect(text).not.toContain(squash(DELETED_REC_TEXT));
    expect(text).not.toContain(squash(DELETED_TEXT));
  });

  it("the version's exported content is what the section held when it was saved (its hash then)", async () => {
    const lines = extractCanonicalBlocks(await docxParas(version.groupId)).get(sectionId)!;
    expect(lines).toContain(`Action 1: ${OLD_TITLE}`);
    expect(lines).toContain(`Recommendations: ${rec.kept.reference}; ${rec.deleted.reference}`);
    expect(lines.some((l) => l.includes(DELETED_INDICATOR))).toBe(true);
    expect(hashLines(lines)).toBe(hashAtVersion);

    const now = extractCanonicalBlocks(await docxParas()).get(sectionId)!;
    expect(now).toContain(`Action 2: ${ADDED_ACTION}`);
    const { currentHash } = await ok(coordinator.get(`/api/plans/${planId}/sections/${sectionId}/agreement`));
    expect(hashLines(now)).toBe(currentHash);
    expect(currentHash).not.toBe(hashAtVersion);
  });

  it("the matrix of a version lists the version's actions and says whose they are", async () => {
    const csv = (await exportBytes({ format: 'matrix-csv', versionGroupId: version.groupId })).toString('utf8');
    const [header, ...rows] = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    const col = (name: string) => header!.indexOf(name);
    // The matrix is by recommendation (#18): a row's actions are "Action N: title" lines.
    const titles = (r: string[]) => (r[col('Actions')] ?? '').split('\n').map((l) => l.replace(/^Action \d+: /, ''));
    expect(col('Actions as of')).toBe(header!.length - 1);
    const actions = rows.flatMap(titles);
    expect(actions).toContain(OLD_TITLE);
    expect(actions).toContain(SECOND_OLD);
    expect(actions).not.toContain(NEW_TITLE);
    expect(actions).not.toContain(ADDED_ACTION);
    // The saved links: the action addresses both, the deleted recommendation by its reference.
    expect(rows.filter((r) => titles(r).includes(OLD_TITLE)).map((r) => r[col('Reference')])).toEqual([rec.kept.reference, rec.deleted.reference]);
    expect(rows.find((r) => r[col('Reference')] === rec.deleted.reference)![col('Recommendation text')]).toBe(DELETED_TEXT);
    expect(rows.find((r) => titles(r).includes(OLD_TITLE))![col('Indicators')]).toContain(DELETED_INDICATOR);
    for (const r of rows) expect(r[col('Actions as of')]).toBe(`Saved version “${version.name}”, ${version.createdAt}`);

    const current = (await exportBytes({ format: 'matrix-csv' })).toString('utf8');
    const currentRows = Papa.parse<string[]>(current.slice(1), { skipEmptyLines: true }).data.slice(1);
    expect(currentRows.flatMap(titles)).toEqual(expect.arrayContaining([NEW_TITLE, ADDED_ACTION, SECOND_NEW]));
    for (const r of currentRows) expect(r[col('Actions as of')]).toMatch(/^Current, \d{4}-/);
  });
});

describe('a version kept before versions held actions', () => {
  it.each(FORMATS)('%s: prints the current actions of that section and says so, in the section and in the provenance annex', async (format) => {
    // Simulates a version kept before migration 016: its second section holds text only.
    const changed = await server.sql.run(sql`UPDATE versions SET actions = NULL WHERE group_id = ${legacy.groupId} AND section_id = ${secondSectionId}`);
    expect(changed.changes).toBe(1);
    const text = await exportText(format, legacy.groupId);
    // The text-only section: its current action, with the note under its status and in the provenance annex.
    expect(text).toContain(squash(SECOND_NEW));
    expect(text).not.toContain(squash(SECOND_OLD));
    expect(count(text, NOTE)).toBe(2);
    // The title page and provenance annex name it ("made from").
    expect(count(text, 'Saved before versions held actions, so printed with their actions as of')).toBe(2);
    expect(text).toContain(squash('(text only in the version): 1.2 “Public information”'));
    // The other section's actions are still the version's.
    expect(text).toContain(squash(`Action 1: ${OLD_TITLE}`));
    expect(text).toContain(squash(DELETED_INDICATOR));
    expect(text).not.toContain(squash(ADDED_ACTION));
  });

  it("the matrix says that section's actions are current", async () => {
    await server.sql.run(sql`UPDATE versions SET actions = NULL WHERE group_id = ${legacy.groupId} AND section_id = ${secondSectionId}`);
    const csv = (await exportBytes({ format: 'matrix-csv', versionGroupId: legacy.groupId })).toString('utf8');
    const [header, ...rows] = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    const col = (name: string) => header!.indexOf(name);
    const titles = (r: string[]) => (r[col('Actions')] ?? '').split('\n').map((l) => l.replace(/^Action \d+: /, ''));
    const second = rows.find((r) => titles(r).includes(SECOND_NEW))!;
    expect(second[col('Actions as of')]).toMatch(/^Current, \d{4}-.*holds this section's text only\)$/);
    const first = rows.find((r) => titles(r).includes(OLD_TITLE))!;
    expect(first[col('Actions as of')]).toBe(`Saved version “${legacy.name}”, ${(legacy as typeof version).createdAt}`);
  });
});
