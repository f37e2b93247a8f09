/**
 * Undoing a matrix import keeps the actions and indicators it created that people built on since:
 * one edited by hand (PATCH), given a recommendation link or an indicator by hand, or reported on
 * in a monitoring round. Deleting them would silently destroy that work; the undo deletes only what
 * is still just the file's, and its answer and audit entry say what it kept and why. An indicator
 * the import created under a kept action goes unless it too was touched; one that was touched
 * keeps its action.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApiClient } from '../helpers/api.ts';
import { exportPlan, ok } from '../helpers/exportPlan.ts';
import { uploadMatrix } from '../helpers/imports.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpSampleWorkspace } from '../helpers/workspace.ts';
import { type Action, ActionSchema, MatrixImportRecordSchema, MatrixUndoResultSchema } from '../../shared/api/index.ts';

let server: TestServer;
let coordinator: ApiClient;
let p: string;
let planId: string;
let section: { id: string; title: string };
let recs: string[];
beforeAll(async () => {
  server = await startTestServer();
  const sample = await setUpSampleWorkspace(server);
  ({ coordinator, planId } = sample);
  p = `/api/plans/${planId}`;
  section = sample.outline.chapters[0]!.sections[0]!;
  recs = (await ok(coordinator.get(`${p}/recommendations?limit=4`))).items.map((r: { id: string }) => r.id);
}, 120_000);
afterAll(async () => {
  await server?.destroy();
});

const actions = async (): Promise<Action[]> => (await ok(coordinator.get(`${p}/actions`))).map((a: unknown) => ActionSchema.parse(a));
const titled = async (title: string) => (await actions()).find((a) => a.title === title);

/**
 * The plan's matrix as linked tables with new actions appended, each with its indicators and
 * links to recommendations, imported. Returns the import and the actions it created, by title.
 */
async function importNew(filename: string, rows: Array<{ title: string; indicators?: string[]; links?: string[] }>) {
  const { bytes } = await exportPlan(server, coordinator, planId, 'matrix-tables-xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const append = (sheet: string, values: Record<string, ExcelJS.CellValue>) => {
    const ws = wb.getWorksheet(sheet)!;
    ws.addRow((ws.getRow(1).values as unknown[]).slice(1).map((h) => values[String(h)] ?? null));
  };
  rows.forEach((row, n) => {
    const key = `new-${n + 1}`;
    append('Actions', { 'Action ID': key, Section: `1.1 ${section.title}`, Action: row.title, Status: 'Planned' });
    for (const description of row.indicators ?? []) append('Indicators', { 'Action ID': key, 'Indicator type': 'Process', Indicator: description, Target: '100', 'Target year': 2028 });
    for (const id of row.links ?? []) append('Links', { 'Action ID': key, 'Recommendation ID': id });
  });
  const preview = await uploadMatrix(coordinator, planId, filename, Buffer.from(await wb.xlsx.writeBuffer()));
  expect(preview.status, JSON.stringify(preview.body)).toBe(200);
  expect(preview.body.errors).toEqual([]);
  const record = MatrixImportRecordSchema.parse(await ok(coordinator.post(`${p}/matrix-imports/${preview.body.previewId}/commit`, {}), 201));
  const created = new Map<string, Action>();
  for (const row of rows) created.set(row.title, (await titled(row.title))!);
  return { record, created };
}

/** Undoes an import; its answer is read after what the undo left in the plan is checked. */
const undo = async (importId: string) => {
  const answer = await ok(coordinator.post(`${p}/matrix-imports/${importId}/undo`, {}));
  return () => MatrixUndoResultSchema.parse(answer);
};

describe('undoing a matrix import after people built on what it created', () => {
  it('keeps what was edited, linked or given an indicator by hand, and deletes the rest', async () => {
    const { record, created } = await importNew('matrix-new.xlsx', [
      { title: 'Open a helpline', indicators: ['Calls answered'], links: [recs[0]!] },
      { title: 'Train prison staff', indicators: ['Staff trained'] },
      { title: 'Publish statistics', links: [recs[1]!] },
      { title: 'Set up a commission' },
      { title: 'Review the criminal code', indicators: ['Articles reviewed'] },
    ]);
    expect(record.created).toBe(8);
    const id = (title: string) => created.get(title)!.id;
    const reviewIndicator = created.get('Review the criminal code')!.indicators[0]!;

    // By hand since: a title corrected; a recommendation linked; an indicator added; an indicator
    // the import created corrected.
    await ok(coordinator.patch(`${p}/actions/${id('Train prison staff')}`, { title: 'Train prison and probation staff' }));
    await ok(coordinator.patch(`${p}/actions/${id('Publish statistics')}`, { recommendationIds: [recs[1], recs[2]] }));
    const handIndicator = await ok(coordinator.post(`${p}/actions/${id('Set up a commission')}/indicators`, { type: 'structural', description: 'Commission established' }));
    await ok(coordinator.patch(`${p}/indicators/${reviewIndicator.id}`, { targetValue: '250' }));

    const answer = await undo(record.id);

    const now = await actions();
    const byId = new Map(now.map((a) => [a.id, a]));
    // Untouched since the import: gone, with its indicator.
    expect(byId.has(id('Open a helpline'))).toBe(false);
    // Each kept action is as people left it.
    expect(byId.get(id('Train prison staff'))).toMatchObject({ title: 'Train prison and probation staff' });
    expect([...byId.get(id('Publish statistics'))!.recommendationIds].sort()).toEqual([recs[1], recs[2]].sort());
    expect(byId.get(id('Set up a commission'))!.indicators.map((i) => i.id)).toEqual([handIndicator.id]);
    // An indicator the file brought under a kept action goes when nobody touched it…
    expect(byId.get(id('Train prison staff'))!.indicators).toEqual([]);
    // …and one corrected by hand stays, and keeps its action.
    expect(byId.get(id('Review the criminal code'))!.indicators).toMatchObject([{ id: reviewIndicator.id, targetValue: '250' }]);

    // The answer says what was kept and why, in the order the import wrote them.
    const undone = answer();
    expect(undone).toMatchObject({ id: record.id, kept: 5, keptEdits: 0 });
    expect(undone.undoneAt).not.toBeNull();
    expect(undone.keptItems).toEqual([
      { item: 'action', id: id('Train prison staff'), label: 'Train prison and probation staff', action: null, reasons: ['edited'] },
      { item: 'action', id: id('Publish statistics'), label: 'Publish statistics', action: null, reasons: ['links'] },
      { item: 'action', id: id('Set up a commission'), label: 'Set up a commission', action: null, reasons: ['indicators'] },
      { item: 'action', id: id('Review the criminal code'), label: 'Review the criminal code', action: null, reasons: ['indicators'] },
      { item: 'indicator', id: reviewIndicator.id, label: 'Articles reviewed', action: 'Review the criminal code', reasons: ['edited'] },
    ]);
    expect(undone.keptByReason).toEqual({ edited: 2, links: 1, indicators: 2, reports: 0, assessment: 0, position: 0 });

    // So does the audit entry.
    const audit = (await ok(coordinator.get(`${p}/audit?action=matrix_import.undone`))).items;
    expect(audit[0].summary).toContain('5 actions and indicators it created were kept');
    expect(audit[0].details).toMatchObject({ filename: 'matrix-new.xlsx', kept: 5, keptByReason: { edited: 2, links: 1, indicators: 2 } });
    expect(audit[0].details.keptItems).toHaveLength(5);
  }, 120_000);

  it('keeps an action and an indicator progress was reported on', async () => {
    const { record, created } = await importNew('matrix-monitored.xlsx', [
      { title: 'Run a victims survey', indicators: ['Victims interviewed', 'Regions covered'] },
      { title: 'Print leaflets', indicators: ['Leaflets printed'] },
    ]);
    const survey = created.get('Run a victims survey')!;
    const interviewed = survey.indicators.find((i) => i.description === 'Victims interviewed')!;

    // The plan is adopted (the unagreed sections left out) and progress reported in a round, with
    // a value for one of the indicators the import created.
    const open = await server.sql.rows(z.object({ id: z.string() }), sql`SELECT id FROM sections WHERE plan_id = ${planId} AND deleted_at IS NULL AND status <> 'agreed'`);
    await ok(coordinator.post(`${p}/adoption`, { act: { title: 'Decree on the plan', date: '2026-06-01' }, leftOut: open.map((s) => ({ sectionId: s.id, reason: 'Still being drafted' })) }));
    const round = await ok(coordinator.post(`${p}/rounds`, { name: 'First round', dueDate: '2027-01-31' }));
    await ok(
      coordinator.post(`${p}/rounds/${round.id}/actions/${survey.id}/reports`, {
        status: 'in_progress',
        narrative: 'Fieldwork started in two regions.',
        values: [{ indicatorId: interviewed.id, value: 120, date: '2026-11-30' }],
      }),
    );

    const answer = await undo(record.id);

    const now = await actions();
    expect(now.some((a) => a.id === created.get('Print leaflets')!.id)).toBe(false);
    const kept = now.find((a) => a.id === survey.id)!;
    // The indicator nobody reported on goes; the one with a value stays, and so does their action.
    expect(kept.indicators.map((i) => i.id)).toEqual([interviewed.id]);
    expect(answer().keptItems).toEqual([
      { item: 'action', id: survey.id, label: 'Run a victims survey', action: null, reasons: ['indicators', 'reports'] },
      { item: 'indicator', id: interviewed.id, label: 'Victims interviewed', action: 'Run a victims survey', reasons: ['reports'] },
    ]);
  }, 120_000);
});
