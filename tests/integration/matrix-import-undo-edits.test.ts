/**
 * Undoing a matrix import takes back what the file brought, never what people did after it. An
 * import that rewrote an action's or an indicator's fields is undone field by field: a field it
 * changed gets its earlier value back only while it still holds the import's value; one a person
 * corrected by hand since (through the actions page, i.e. PATCH) keeps the correction. The undo's
 * answer and its audit entry count and name the actions and indicators that kept an edit.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api.ts';
import { exportPlan, ok } from '../helpers/exportPlan.ts';
import { uploadMatrix } from '../helpers/imports.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpSampleWorkspace } from '../helpers/workspace.ts';
import { ActionSchema, IndicatorSchema, MatrixImportRecordSchema, MatrixUndoResultSchema, type Action } from '../../shared/api/index.ts';
import { sql } from 'kysely';

let server: TestServer;
let coordinator: ApiClient;
let p: string;
let planId: string;
let sectionId: string;
let recs: string[];
beforeAll(async () => {
  server = await startTestServer();
  const sample = await setUpSampleWorkspace(server);
  ({ coordinator, planId } = sample);
  p = `/api/plans/${planId}`;
  sectionId = sample.outline.chapters[0]!.sections[0]!.id;
  recs = (await ok(coordinator.get(`${p}/recommendations?limit=4`))).items.map((r: { id: string }) => r.id);
}, 120_000);
afterAll(async () => {
  await server?.destroy();
});

const addAction = async (title: string, body: object) => ActionSchema.parse(await ok(coordinator.post(`${p}/sections/${sectionId}/actions`, { title, ...body })));
const actionNow = async (id: string): Promise<Action> => (await ok(coordinator.get(`${p}/actions`))).map((a: unknown) => ActionSchema.parse(a)).find((a: Action) => a.id === id)!;
const handEditAction = async (id: string, changes: object) => ActionSchema.parse(await ok(coordinator.patch(`${p}/actions/${id}`, changes)));
const handEditIndicator = async (id: string, changes: object) => IndicatorSchema.parse(await ok(coordinator.patch(`${p}/indicators/${id}`, changes)));
const undo = async (importId: string) => MatrixUndoResultSchema.parse(await ok(coordinator.post(`${p}/matrix-imports/${importId}/undo`, {})));

/** The plan's matrix exported as linked tables, edited cell by cell ([sheet, id column, id, column, value]), and imported. */
async function importEdited(filename: string, edits: Array<[string, string, string, string, ExcelJS.CellValue]>, links: Array<[string, string]> = []) {
  const { bytes } = await exportPlan(server, coordinator, planId, 'matrix-tables-xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const header = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1).map(String);
  for (const [sheet, idColumn, id, column, value] of edits) {
    const ws = wb.getWorksheet(sheet)!;
    const idCell = header(ws).indexOf(idColumn) + 1;
    let n = 2;
    while (String(ws.getRow(n).getCell(idCell).value) !== id) n++;
    ws.getRow(n).getCell(header(ws).indexOf(column) + 1).value = value;
  }
  const linkSheet = wb.getWorksheet('Links')!;
  for (const [actionId, recommendationId] of links) linkSheet.addRow(header(linkSheet).map((h) => (h === 'Action ID' ? actionId : h === 'Recommendation ID' ? recommendationId : null)));
  const preview = await uploadMatrix(coordinator, planId, filename, Buffer.from(await wb.xlsx.writeBuffer()));
  expect(preview.status, JSON.stringify(preview.body)).toBe(200);
  expect(preview.body.errors).toEqual([]);
  return MatrixImportRecordSchema.parse(await ok(coordinator.post(`${p}/matrix-imports/${preview.body.previewId}/commit`, {}), 201));
}

describe('undoing a matrix import after people edited what it updated', () => {
  it('gives back the fields nobody touched since, and keeps each field edited by hand', async () => {
    const bill = await addAction('Prepare a moratorium bill', { start: '2027-Q1', end: '2028', budgetAmount: 125000, currency: 'EUR', recommendationIds: [recs[0]] });
    const training = await addAction('Train judges', { start: '2027' });
    const sentences = IndicatorSchema.parse(
      await ok(coordinator.post(`${p}/actions/${bill.id}/indicators`, { type: 'outcome', description: 'Death sentences per year', baselineValue: '4', targetValue: '0', targetYear: 2030 })),
    );
    const before = { bill: await actionNow(bill.id), training: await actionNow(training.id) };

    // The file: the bill's title, status and budget and a link to another recommendation; the
    // training's title; the indicator's target and data source.
    const record = await importEdited(
      'matrix-edited.xlsx',
      [
        ['Actions', 'Action ID', bill.id, 'Action', 'Prepare and table a moratorium bill'],
        ['Actions', 'Action ID', bill.id, 'Status', 'In progress'],
        ['Actions', 'Action ID', bill.id, 'Budget', 150000],
        ['Actions', 'Action ID', training.id, 'Action', 'Train all judges'],
        ['Indicators', 'Indicator ID', sentences.id, 'Target', '1'],
        ['Indicators', 'Indicator ID', sentences.id, 'Data source', 'Supreme Court statistics'],
      ],
      [[bill.id, recs[2]!]],
    );
    expect(record).toMatchObject({ created: 0, updated: 3 });
    expect(await actionNow(bill.id)).toMatchObject({ title: 'Prepare and table a moratorium bill', status: 'in_progress', budgetAmount: 150000 });

    // By hand since: the bill's title is corrected and one more recommendation linked (both fields
    // the import changed), its description written (one it did not); the indicator's target is
    // corrected. The training is left as the import wrote it.
    const retitled = 'Prepare and table a moratorium bill (as the Ministry of Justice words it)';
    await handEditAction(bill.id, { title: retitled, recommendationIds: [recs[0], recs[2], recs[3]], description: 'Drafted with the Bar Association.' });
    await handEditIndicator(sentences.id, { targetValue: '2' });

    const answer = await ok(coordinator.post(`${p}/matrix-imports/${record.id}/undo`, {}));

    // The bill: status and budget the import wrote are undone; the title, the links and the
    // description edited by hand stay.
    const bill2 = await actionNow(bill.id);
    expect(bill2).toMatchObject({ title: retitled, status: 'planned', budgetAmount: 125000, currency: 'EUR', description: 'Drafted with the Bar Association.' });
    expect([...bill2.recommendationIds].sort()).toEqual([recs[0], recs[2], recs[3]].sort());
    // The indicator: the corrected target stays, the data source the import wrote is undone.
    expect(bill2.indicators.find((i) => i.id === sentences.id)).toMatchObject({ targetValue: '2', dataSource: null, baselineValue: '4', targetYear: 2030 });
    // The training, untouched since the import, has its title back.
    const { updatedAt: _u, ...trainingBefore } = before.training;
    expect(await actionNow(training.id)).toMatchObject(trainingBefore);

    // The answer names what kept an edit, and which fields.
    const undone = MatrixUndoResultSchema.parse(answer);
    expect(undone).toMatchObject({ id: record.id, keptEdits: 2 });
    expect(undone.undoneAt).not.toBeNull();
    expect(undone.keptEditItems).toEqual([
      { item: 'action', id: bill.id, label: retitled, action: null, fields: expect.arrayContaining(['title', 'recommendationIds']) },
      { item: 'indicator', id: sentences.id, label: 'Death sentences per year', action: retitled, fields: ['targetValue'] },
    ]);
    expect(undone.keptEditItems[0]!.fields).toHaveLength(2);

    // The audit entry says it too.
    const audit = (await ok(coordinator.get(`${p}/audit?action=matrix_import.undone`))).items;
    expect(audit[0].summary).toContain('2 actions and indicators kept values edited by hand since the import');
    expect(audit[0].details).toMatchObject({ filename: 'matrix-edited.xlsx', keptEdits: 2, keptEditItems: [{ id: bill.id, label: retitled }, { id: sentences.id }] });
  }, 120_000);

  it('a field edited back to its value from before the import counts as no kept edit', async () => {
    const report = await addAction('Publish a report', { status: 'planned' });
    const record = await importEdited('matrix-report.xlsx', [['Actions', 'Action ID', report.id, 'Status', 'Completed']]);
    await handEditAction(report.id, { status: 'planned' });
    const undone = await undo(record.id);
    expect(undone).toMatchObject({ keptEdits: 0, keptEditItems: [] });
    expect(await actionNow(report.id)).toMatchObject({ status: 'planned' });
  }, 120_000);

  it('gives every field back, as before, for an update recorded before the import kept what it wrote', async () => {
    const survey = await addAction('Run a survey', { status: 'planned' });
    const record = await importEdited('matrix-old.xlsx', [
      ['Actions', 'Action ID', survey.id, 'Action', 'Run a national survey'],
      ['Actions', 'Action ID', survey.id, 'Status', 'In progress'],
    ]);
    await handEditAction(survey.id, { title: 'Run a national survey of detention' });
    // Such a change row has no `applied` (migration 045): nothing says what the import wrote.
    await server.sql.run(sql`UPDATE matrix_import_changes SET applied = NULL WHERE import_id = ${record.id}`);

    expect(await undo(record.id)).toMatchObject({ keptEdits: 0, keptEditItems: [] });
    expect(await actionNow(survey.id)).toMatchObject({ title: 'Run a survey', status: 'planned' });
  }, 120_000);
});
