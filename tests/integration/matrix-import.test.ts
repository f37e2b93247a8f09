/**
 * The implementation matrix re-imports (issue #19, acceptance 4). The sample plan gets actions with
 * indicators and links; its linked-tables matrix is exported, edited as a person would in a
 * spreadsheet (an action's title, an indicator's target, a link added, a new action with an
 * indicator) and uploaded: the preview names exactly those rows, the commit changes exactly them
 * (the other actions keep their updated-at and history), and undo gives everything back. The ZIP of
 * CSV files re-imports the same way; bad cells are errors with their row and column, and a file
 * with errors is not committed.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPlan, ok } from '../helpers/exportPlan.ts';
import { uploadMatrix as upload } from '../helpers/imports.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpSampleWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';
import { MatrixImportPreviewSchema, MatrixImportRecordSchema } from '../../shared/api/index.ts';

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
let p: string;
let sectionTitle: string;
const ids: Record<'first' | 'second' | 'third', string> = {} as never;
let firstIndicatorId: string;
let recs: Array<{ id: string; reference: string }>;

async function load(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

const header = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1).map(String);
/** The row (as the sheet numbers it) whose `column` holds `value`. */
function rowWhere(ws: ExcelJS.Worksheet, column: string, value: string): ExcelJS.Row {
  const c = header(ws).indexOf(column) + 1;
  for (let n = 2; n <= ws.rowCount; n++) if (String(ws.getRow(n).getCell(c).value) === value) return ws.getRow(n);
  throw new Error(`no row with ${column} = ${value}`);
}
const set = (ws: ExcelJS.Worksheet, row: ExcelJS.Row, column: string, value: ExcelJS.CellValue) => {
  row.getCell(header(ws).indexOf(column) + 1).value = value;
};
/** Appends a row given by header. */
const append = (ws: ExcelJS.Worksheet, values: Record<string, ExcelJS.CellValue>) => ws.addRow(header(ws).map((h) => values[h] ?? null));

const snapshot = async () => {
  const actions = await ok(coordinator.get(`${p}/actions`));
  return new Map<string, any>(actions.map((a: any) => [a.id, a]));
};
const historyOf = async (id: string) => (await ok(coordinator.get(`${p}/history?targetType=action&targetId=${id}`))).items.length as number;

beforeAll(async () => {
  server = await startTestServer();
  const sample = await setUpSampleWorkspace(server);
  coordinator = sample.coordinator;
  planId = sample.planId;
  p = `/api/plans/${planId}`;
  const section = sample.outline.chapters[0]!.sections[0]!;
  sectionTitle = section.title;
  const page = await ok(coordinator.get(`${p}/recommendations?limit=5`));
  recs = page.items.slice(0, 4).map((r: any) => ({ id: r.id, reference: r.reference }));
  const lead = await ok(coordinator.post(`${p}/organisations`, { name: 'Ministry of Justice', side: 'government' }));
  const add = (title: string, body: object) => ok(coordinator.post(`${p}/sections/${section.id}/actions`, { title, leadAgencyId: lead.id, start: '2027-Q1', end: '2028', ...body }));
  ids.first = (await add('Prepare a moratorium bill', { budgetAmount: 125000, currency: 'EUR', recommendationIds: [recs[0]!.id] })).id;
  ids.second = (await add('Train judges', { recommendationIds: [recs[1]!.id] })).id;
  ids.third = (await add('Publish statistics', {})).id;
  firstIndicatorId = (await ok(coordinator.post(`${p}/actions/${ids.first}/indicators`, { type: 'outcome', description: 'Death sentences per year', baselineValue: '4', baselineYear: 2024, targetValue: '0', targetYear: 2030 }))).id;
  await ok(coordinator.post(`${p}/actions/${ids.second}/indicators`, { type: 'process', description: 'Judges trained', baselineValue: '45%', targetValue: '90%' }));
}, 120_000);

afterAll(async () => {
  await server?.destroy();
});

describe('the linked-tables XLSX, exported, edited and imported again', () => {
  it('changes exactly the edited rows, creates the new one, and undo restores the plan', async () => {
    const { bytes } = await exportPlan(server, coordinator, planId, 'matrix-tables-xlsx');
    const before = await snapshot();
    const historyBefore = { second: await historyOf(ids.second), third: await historyOf(ids.third) };

    // Unedited, the file changes nothing.
    const same = await upload(coordinator, planId, 'matrix.xlsx', bytes);
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(same.body.errors).toEqual([]);
    expect(same.body.counts.actions).toEqual({ create: 0, update: 0, unchanged: 3, remove: 0 });
    expect(same.body.counts.indicators).toEqual({ create: 0, update: 0, unchanged: 2, remove: 0 });
    expect(same.body.counts.links).toEqual({ create: 0, update: 0, unchanged: 2, remove: 0 });

    const wb = await load(bytes);
    const actions = wb.getWorksheet('Actions')!;
    const indicators = wb.getWorksheet('Indicators')!;
    const links = wb.getWorksheet('Links')!;
    set(actions, rowWhere(actions, 'Action ID', ids.first), 'Action', 'Prepare and table a moratorium bill');
    set(indicators, rowWhere(indicators, 'Indicator ID', firstIndicatorId), 'Target', 1);
    append(links, { 'Action ID': ids.third, 'Recommendation ID': recs[2]!.id });
    append(actions, { 'Action ID': 'new-1', Section: `1.1 ${sectionTitle}`, Action: 'Open a helpline', Status: 'In progress', Budget: 5000, Currency: 'byn', 'Lead agency': 'Ministry of Justice' });
    append(indicators, { 'Action ID': 'new-1', 'Indicator type': 'Process', Indicator: 'Calls answered', Target: '1000', 'Target year': 2028 });
    append(links, { 'Action ID': 'new-1', Reference: recs[3]!.reference });
    const edited = Buffer.from(await wb.xlsx.writeBuffer());

    const preview = await upload(coordinator, planId, 'matrix-edited.xlsx', edited);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.errors).toEqual([]);
    // The answers are what the client's schemas read.
    MatrixImportPreviewSchema.parse(preview.body);
    expect(preview.body.counts.actions).toEqual({ create: 1, update: 1, unchanged: 2, remove: 0 });
    expect(preview.body.counts.indicators).toEqual({ create: 1, update: 1, unchanged: 1, remove: 0 });
    expect(preview.body.counts.links).toEqual({ create: 2, update: 0, unchanged: 2, remove: 0 });
    const updatedRow = preview.body.rows.find((r: any) => r.sheet === 'actions' && r.change === 'update');
    expect(updatedRow.columns).toEqual(['Action']);
    expect(preview.body.rows.find((r: any) => r.sheet === 'indicators' && r.change === 'update').columns).toEqual(['Target']);
    // Nothing is written by a preview.
    expect(await snapshot()).toEqual(before);

    const record = await ok(coordinator.post(`${p}/matrix-imports/${preview.body.previewId}/commit`, {}), 201);
    expect(MatrixImportRecordSchema.parse(record)).toMatchObject({ filename: 'matrix-edited.xlsx', created: 2, updated: 3, undoneAt: null });

    const after = await snapshot();
    expect(after.size).toBe(4);
    expect(after.get(ids.first).title).toBe('Prepare and table a moratorium bill');
    expect(after.get(ids.first).indicators[0].targetValue).toBe('1');
    expect(after.get(ids.third).recommendationIds).toEqual([recs[2]!.id]);
    // The action nobody edited is untouched: same updated-at, no history entry.
    expect(after.get(ids.second)).toEqual(before.get(ids.second));
    expect(await historyOf(ids.second)).toBe(historyBefore.second);
    expect(await historyOf(ids.third)).toBe(historyBefore.third + 1);
    const created = [...after.values()].find((a) => !before.has(a.id))!;
    expect(created).toMatchObject({ title: 'Open a helpline', status: 'in_progress', budgetAmount: 5000, currency: 'BYN', recommendationIds: [recs[3]!.id] });
    expect(created.indicators).toMatchObject([{ type: 'process', description: 'Calls answered', targetValue: '1000', targetYear: 2028 }]);

    // Imported again as it is now, the same file changes nothing more.
    const again = await upload(coordinator, planId, 'matrix-edited.xlsx', edited);
    expect(again.body.counts.actions.update).toBe(0);

    const history = await ok(coordinator.get(`${p}/matrix-imports`));
    expect(history[0]).toMatchObject({ id: record.id, createdBy: 'Olga Coordinator' });
    const undone = await ok(coordinator.post(`${p}/matrix-imports/${record.id}/undo`, {}));
    expect(undone.undoneAt).not.toBeNull();
    const restored = await snapshot();
    expect([...restored.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [id, a] of before) {
      const { updatedAt: _u, ...rest } = a;
      expect(restored.get(id)).toMatchObject(rest);
    }
    expect(restored.get(ids.second)).toEqual(before.get(ids.second));
    expect((await coordinator.post(`${p}/matrix-imports/${record.id}/undo`, {})).status).toBe(409);

    // The plan's audit log has the import and its undo, by whom.
    const audit = (await ok(coordinator.get(`${p}/audit?limit=500`))).items.filter((e: any) => e.targetId === record.id);
    expect(audit.map((e: any) => e.action).sort()).toEqual(['matrix_import.committed', 'matrix_import.undone']);
    expect(audit.find((e: any) => e.action === 'matrix_import.committed')).toMatchObject({ actorName: 'Olga Coordinator', details: { filename: 'matrix-edited.xlsx', created: 2, updated: 3 } });
  }, 120_000);

  it('a matrix exported in Belarusian reads back: its sheet names, headers, statuses and types', async () => {
    await ok(coordinator.patch(`${p}/actions/${ids.second}`, { status: 'delayed' }));
    const { bytes } = await exportPlan(server, coordinator, planId, 'matrix-tables-xlsx', 'current', 'be');
    expect((await load(bytes)).worksheets.map((w) => w.name)).toContain('Мерапрыемствы');
    const preview = await upload(coordinator, planId, 'matrix-be.xlsx', bytes);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.errors).toEqual([]);
    expect(preview.body.counts.actions).toEqual({ create: 0, update: 0, unchanged: 3, remove: 0 });
    expect(preview.body.counts.indicators).toEqual({ create: 0, update: 0, unchanged: 2, remove: 0 });
  }, 60_000);

  it('the ZIP of CSV files re-imports too, ids carrying the formula apostrophe read back as ids', async () => {
    const { bytes } = await exportPlan(server, coordinator, planId, 'matrix-tables-zip');
    const zip = await JSZip.loadAsync(bytes);
    const text = (await zip.file('actions.csv')!.async('string')).slice(1);
    const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
    const title = rows[0]!.indexOf('Action');
    const idCol = rows[0]!.indexOf('Action ID');
    const second = rows.find((r) => r[idCol]!.replace(/^'/, '') === ids.second)!;
    second[title] = 'Train all judges';
    zip.file('actions.csv', '\uFEFF' + Papa.unparse(rows, { newline: '\r\n' }) + '\r\n');
    const preview = await upload(coordinator, planId, 'matrix.zip', await zip.generateAsync({ type: 'uint8array' }));
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.errors).toEqual([]);
    expect(preview.body.format).toBe('zip');
    expect(preview.body.counts.actions).toEqual({ create: 0, update: 1, unchanged: 2, remove: 0 });
  }, 60_000);
});

describe('bad cells', () => {
  it('are errors naming the sheet, row and column, and a file with errors is not committed', async () => {
    const other = await setUpOtherPlan();
    const { bytes } = await exportPlan(server, coordinator, planId, 'matrix-tables-xlsx');
    const wb = await load(bytes);
    const actions = wb.getWorksheet('Actions')!;
    const indicators = wb.getWorksheet('Indicators')!;
    const links = wb.getWorksheet('Links')!;
    const first = rowWhere(actions, 'Action ID', ids.first);
    set(actions, first, 'End', 'next year');
    set(actions, first, 'Status', 'Almost done');
    set(actions, first, 'Budget', 'a lot');
    const ind = rowWhere(indicators, 'Indicator ID', firstIndicatorId);
    set(indicators, ind, 'Indicator type', 'Impact');
    set(indicators, ind, 'Baseline year', 'soon');
    append(links, { 'Action ID': ids.second, 'Recommendation ID': 'no-such-recommendation', Reference: '' });
    append(actions, { 'Action ID': other.actionId, Section: '1.1', Action: 'Theirs' });
    append(actions, { 'Action ID': '', Section: 'No such section', Action: 'Lost' });
    const edited = Buffer.from(await wb.xlsx.writeBuffer());
    const before = await snapshot();

    const preview = await upload(coordinator, planId, 'bad.xlsx', edited);
    expect(preview.status).toBe(200);
    const errors = preview.body.errors.map((e: any) => [e.sheet, e.row, e.column, e.code]);
    const firstRow = first.number;
    expect(errors).toEqual(
      expect.arrayContaining([
        ['actions', firstRow, 'End', 'invalid_time_point'],
        ['actions', firstRow, 'Status', 'invalid_status'],
        ['actions', firstRow, 'Budget', 'invalid_number'],
        ['actions', actions.rowCount - 1, 'Action ID', 'action_other_plan'],
        ['actions', actions.rowCount, 'Section', 'unknown_section'],
        ['indicators', ind.number, 'Indicator type', 'invalid_indicator_type'],
        ['indicators', ind.number, 'Baseline year', 'invalid_year'],
        ['links', links.rowCount, 'Recommendation ID', 'unknown_recommendation'],
      ]),
    );
    expect(preview.body.counts.errors).toBe(errors.length);
    const commit = await coordinator.post(`${p}/matrix-imports/${preview.body.previewId}/commit`, {});
    expect(commit.status).toBe(409);
    expect(commit.body.error.code).toBe('matrix_has_errors');
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('a file that is not the matrix is refused as a whole', async () => {
    const res = await upload(coordinator, planId, 'notes.txt', new TextEncoder().encode('just some text'));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'matrix_file_invalid', params: { problem: 'not_matrix' } });
  });

  it('the blank template has the sheets and headers of the export and no rows', async () => {
    const res = await fetch(`${server.url}${p}/matrix-imports/template?language=ru`, { headers: { cookie: coordinator.cookie! } });
    expect(res.status).toBe(200);
    const wb = await load(Buffer.from(await res.arrayBuffer()));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Рекомендации', 'Мероприятия', 'Индикаторы', 'Связи']);
    for (const ws of wb.worksheets) expect(ws.rowCount).toBe(1);
    expect(header(wb.worksheets[1]!)).toContain('Идентификатор мероприятия');
  });
});

/** Another plan on the same server, with an action whose id the first plan's file must not take. */
async function setUpOtherPlan() {
  const created = await ok(coordinator.post('/api/plans', { title: 'Another plan', country: 'Belarus', periodStart: 2026, periodEnd: 2030 }));
  const outline = await ok(coordinator.get(`/api/plans/${created.id}`));
  const action = await ok(coordinator.post(`/api/plans/${created.id}/sections/${outline.chapters[0].sections[0].id}/actions`, { title: 'Theirs' }));
  return { planId: created.id as string, actionId: action.id as string };
}
