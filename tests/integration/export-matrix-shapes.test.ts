/**
 * The implementation matrix in the two shapes recommendation trackers use (issue #18):
 * - by recommendation (matrix-csv, matrix-xlsx): one row per recommendation of the plan, those no
 *   action addresses included, then the actions that address none;
 * - linked tables (matrix-tables-xlsx, matrix-tables-zip): Recommendations, Actions, Indicators and
 *   Links, joined by database ids.
 * A plan is built through the API with four recommendations (two addressed, two not), three actions
 * (budgets, quarters, years and dates, indicators with numeric and non-numeric baselines, one action
 * addressing no recommendation, one titled like a formula). Each file's header row must be the
 * column list documented in docs/exports/implementation-matrix.md, and in XLSX every non-empty
 * cell must have the documented type: numbers are number cells, dates date cells, never a formula.
 * A second plan, adopted and reported on, shows the observed value and its date typed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unescapeFormula } from '../../server/import/accordFormat.ts';
import { exportPlan, ok } from '../helpers/exportPlan.ts';
import { monitoredPlan, submitReport } from '../helpers/monitoringPlan.ts';
import { sampleRecommendation } from '../helpers/recommendations.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';

// ---- The documentation's column tables ---------------------------------------------------------

interface DocColumn {
  column: string;
  type: string;
}

/** "### <title>" → its table's rows (Column and Type), read from the Markdown the way a reader sees it. */
function documentedTables(): Map<string, DocColumn[]> {
  const md = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'exports', 'implementation-matrix.md'), 'utf8');
  const tables = new Map<string, DocColumn[]>();
  let current: string | null = null;
  for (const line of md.split('\n')) {
    const heading = /^### (.+)$/.exec(line);
    if (heading) {
      current = heading[1]!.trim();
      tables.set(current, []);
      continue;
    }
    if (!current || !line.startsWith('|')) continue;
    const cells = line
      .slice(1, line.lastIndexOf('|'))
      .split('|')
      .map((c) => c.trim());
    if (cells[0] === 'Column' || /^-+$/.test(cells[0]!)) continue;
    tables.get(current)!.push({ column: cells[0]!, type: cells[2]! });
  }
  return tables;
}

const DOCS = documentedTables();
const documented = (title: string) => {
  const t = DOCS.get(title);
  expect(t, `docs/exports/implementation-matrix.md has a "### ${title}" table`).toBeDefined();
  expect(t!.length).toBeGreaterThan(0);
  return t!;
};

const SHAPES = {
  byRecommendation: 'Columns: By recommendation',
  recommendations: 'Sheet: Recommendations',
  actions: 'Sheet: Actions',
  indicators: 'Sheet: Indicators',
  links: 'Sheet: Links',
} as const;

// ---- Reading the files -------------------------------------------------------------------------

/**
 * An id read from a CSV cell. Ids are random and may start with "-", and then carry the apostrophe
 * every CSV cell a spreadsheet would take for a formula gets (as documented); read back here as
 * Accord's own import reads it.
 */
const csvId = (cell: string | undefined) => unescapeFormula(cell ?? '');

function parseCsv(bytes: Buffer | string): string[][] {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  expect(text.startsWith('\uFEFF'), 'CSV starts with a byte-order mark').toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  // Rows end in CRLF; a line feed alone is a line inside a quoted cell.
  expect(text.replace(/"[^"]*"/g, '')).not.toMatch(/[^\r]\n/);
  return Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
}

async function workbook(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

const headerOf = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1).map(String);

/** A sheet's rows as objects by header, with the cells themselves. */
function sheetRows(ws: ExcelJS.Worksheet): Array<Record<string, ExcelJS.Cell>> {
  const header = headerOf(ws);
  const out: Array<Record<string, ExcelJS.Cell>> = [];
  for (let n = 2; n <= ws.rowCount; n++) {
    const row = ws.getRow(n);
    out.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1)])));
  }
  return out;
}

const csvRows = (rows: string[][]) => rows.slice(1).map((r) => Object.fromEntries(rows[0]!.map((h, i) => [h, r[i] ?? ''])));

const T = ExcelJS.ValueType;
/** The cell types each documented type allows (an empty cell is always allowed: the value is not given). */
const ALLOWED: Record<string, ExcelJS.ValueType[]> = {
  ID: [T.String],
  text: [T.String],
  list: [T.String],
  number: [T.Number],
  'number or text': [T.Number, T.String],
  date: [T.Date],
  'date or text': [T.Date, T.String],
};

/** The header is the documented list, bold and frozen; every cell has its documented type; no formula anywhere. */
function expectSheetAsDocumented(ws: ExcelJS.Worksheet, doc: DocColumn[]) {
  expect(headerOf(ws)).toEqual(doc.map((d) => d.column));
  expect(ws.getRow(1).font?.bold).toBe(true);
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  ws.eachRow((row, n) =>
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      expect(cell.type, `${ws.name} ${cell.address}`).not.toBe(T.Formula);
      if (n === 1 || cell.type === T.Null) return;
      const d = doc[col - 1]!;
      expect(ALLOWED[d.type], `documented type "${d.type}" of ${d.column}`).toBeDefined();
      expect(ALLOWED[d.type], `${ws.name} ${cell.address} (${d.column}, ${d.type}) holds ${JSON.stringify(cell.value)}`).toContain(cell.type);
    }),
  );
}

const utc = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

// ---- The plan ----------------------------------------------------------------------------------

let server: TestServer;
let coordinator: ApiClient;
let planId: string;
const recs: Record<'both' | 'one' | 'formula' | 'none', { id: string; reference: string; text: string }> = {} as never;
const actions: Record<'first' | 'second' | 'orphan', { id: string; title: string }> = {} as never;
const LEAD = 'Ministry of Justice';
const OTHER = 'Ministry of Internal Affairs';
const FORMULA_TITLE = '=HYPERLINK("http://evil","x")';

beforeAll(async () => {
  server = await startTestServer();
  let sectionId: string;
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  const p = `/api/plans/${planId}`;
  const outline = await ok(coordinator.get(p));
  await ok(coordinator.patch(`${p}/chapters/${outline.chapters[0].id}`, { title: 'Death penalty' }));
  await ok(coordinator.patch(`${p}/sections/${sectionId}`, { title: 'Moratorium on executions' }));
  const after = await ok(coordinator.post(`${p}/sections`, { chapterId: outline.chapters[0].id, title: 'Public information' }));
  const secondSectionId = after.chapters[0].sections[1].id;

  const lead = await ok(coordinator.post(`${p}/organisations`, { name: LEAD, side: 'government' }));
  const other = await ok(coordinator.post(`${p}/organisations`, { name: OTHER, side: 'government' }));
  const rec = async (n: number, overrides: Parameters<typeof sampleRecommendation>[1]) => {
    const { sourceKey: _s, ...body } = sampleRecommendation(n, overrides);
    const created = await ok(coordinator.post(`${p}/recommendations`, body));
    return { id: created.id as string, reference: created.reference as string, text: created.text as string };
  };
  recs.both = await rec(1, { cycle: 3, date: '2021-03-11', sdgTargets: ['16.1', '16.3'], themes: ['Death penalty'], affectedPersons: ['Persons deprived of liberty'], recommendingStates: ['France', 'Germany'] });
  recs.one = await rec(2, { date: '2010-05', position: 'noted' });
  recs.formula = await rec(3, { text: '=1+1 Abolish the death penalty', cycle: 2 });
  recs.none = await rec(4, { sdgTargets: ['5.1'] });

  const first = await ok(
    coordinator.post(`${p}/sections/${sectionId}/actions`, {
      title: 'Prepare a moratorium bill',
      leadAgencyId: lead.id,
      start: '2027-Q1',
      end: '2028',
      budgetAmount: 125000.5,
      currency: 'EUR',
      fundingSource: 'State budget',
      recommendationIds: [recs.both.id, recs.one.id],
    }),
  );
  await ok(coordinator.post(`${p}/actions/${first.id}/indicators`, { type: 'outcome', description: 'Death sentences handed down per year', baselineValue: '4', baselineYear: 2024, targetValue: '0', targetYear: 2030 }));
  await ok(coordinator.post(`${p}/actions/${first.id}/indicators`, { type: 'process', description: 'Share of judges trained', baselineValue: '45%', targetValue: '90%', disaggregation: ['sex', 'region'] }));
  const second = await ok(
    coordinator.post(`${p}/sections/${secondSectionId}/actions`, {
      title: 'Run a public information campaign',
      leadAgencyId: other.id,
      start: '2027-05-31',
      end: '2027-Q4',
      recommendationIds: [recs.both.id],
    }),
  );
  const orphan = await ok(coordinator.post(`${p}/sections/${secondSectionId}/actions`, { title: FORMULA_TITLE, budgetAmount: 0, currency: 'BYN' }));
  actions.first = { id: first.id, title: first.title };
  actions.second = { id: second.id, title: second.title };
  actions.orphan = { id: orphan.id, title: orphan.title };
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

// ---- By recommendation -------------------------------------------------------------------------

describe('by recommendation (matrix-csv, matrix-xlsx)', () => {
  it('CSV: the documented columns, a row for every recommendation (unaddressed ones too), then the action that addresses none', async () => {
    const { bytes, res, job } = await exportPlan(server, coordinator, planId, 'matrix-csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(job.filename).toMatch(/-matrix\.csv$/);
    const rows = parseCsv(bytes);
    expect(rows[0]).toEqual(documented(SHAPES.byRecommendation).map((d) => d.column));
    const byRef = new Map(csvRows(rows).map((r) => [r['Reference'], r]));
    expect(rows).toHaveLength(1 + 4 + 1);

    const both = byRef.get(recs.both.reference)!;
    expect(csvId(both['Recommendation ID'])).toBe(recs.both.id);
    expect(both['Mechanism']).toBe('Universal Periodic Review (UPR)');
    expect(both['Cycle']).toBe('3');
    expect(both['Document symbol']).toBe('A/HRC/15/16');
    expect(both['Date']).toBe('2021-03-11');
    expect(both['Recommending States']).toBe('France; Germany');
    expect(both['State under review']).toBe('Belarus');
    expect(both['SDG targets']).toBe('16.1; 16.3');
    expect(both['Themes']).toBe('Death penalty');
    expect(both['Affected persons']).toBe('Persons deprived of liberty');
    expect(both['Coverage']).toBe('Addressed');
    expect(both['Number of actions']).toBe('2');
    expect(both['Action numbers']).toBe('1; 2');
    expect(both['Actions']).toBe('Action 1: Prepare a moratorium bill\nAction 2: Run a public information campaign');
    // Several actions: one line each, numbered, so the columns' lines can be matched.
    expect(both['Lead agencies']).toBe(`1: ${LEAD}\n2: ${OTHER}`);
    expect(both['Deadlines']).toBe('1: 2028\n2: 2027-Q4');
    expect(both['Action status']).toBe('1: Planned\n2: Planned');
    expect(both['Indicators']!.split('\n')).toEqual([
      '1: Outcome: Death sentences handed down per year; baseline 4 (2024); target 0 (2030); latest value —; observed on —',
      '1: Process: Share of judges trained; baseline 45%; target 90%; latest value —; observed on —',
    ]);

    const one = byRef.get(recs.one.reference)!;
    expect(one['Position']).toBe('Noted');
    expect(one['Date']).toBe('2010-05');
    expect(one['Lead agencies']).toBe(LEAD);
    expect(one['Actions']).toBe('Action 1: Prepare a moratorium bill');

    for (const r of [byRef.get(recs.none.reference)!, byRef.get(recs.formula.reference)!]) {
      expect(r['Coverage']).toBe('Not addressed');
      expect(r['Number of actions']).toBe('0');
      for (const c of ['Action numbers', 'Actions', 'Lead agencies', 'Action status', 'Deadlines', 'Indicators']) expect(r[c], c).toBe('');
    }
    expect(byRef.get(recs.formula.reference)!['Recommendation text']).toBe(`'${recs.formula.text}`);

    const orphan = byRef.get('')!;
    expect(orphan['Coverage']).toBe('Action addresses no recommendation');
    expect(orphan['Actions']).toBe(`Action 3: ${FORMULA_TITLE}`);
    expect(orphan['Recommendation ID']).toBe('');
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('XLSX: the same columns, numbers and dates typed, text never a formula', async () => {
    const { bytes, res, job } = await exportPlan(server, coordinator, planId, 'matrix-xlsx');
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(job.filename).toMatch(/-matrix\.xlsx$/);
    const wb = await workbook(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Implementation matrix']);
    const ws = wb.worksheets[0]!;
    expectSheetAsDocumented(ws, documented(SHAPES.byRecommendation));
    const rows = sheetRows(ws);
    expect(rows).toHaveLength(5);
    const byRef = new Map(rows.map((r) => [r['Reference']!.value ?? '', r]));
    const both = byRef.get(recs.both.reference)!;
    expect(both['Cycle']!.type).toBe(T.Number);
    expect(both['Cycle']!.value).toBe(3);
    expect(both['Date']!.type).toBe(T.Date);
    expect(both['Date']!.value).toEqual(utc('2021-03-11'));
    expect(both['Date']!.numFmt).toBe('yyyy-mm-dd');
    expect(both['Number of actions']!.value).toBe(2);
    // A month is not a day: it stays as entered.
    expect(byRef.get(recs.one.reference)!['Date']!.value).toBe('2010-05');
    const formula = byRef.get(recs.formula.reference)!['Recommendation text']!;
    expect(formula.type).toBe(T.String);
    expect(formula.value).toBe(recs.formula.text);
    expect(byRef.get(recs.none.reference)!['Coverage']!.value).toBe('Not addressed');
    expect(byRef.get(recs.none.reference)!['Number of actions']!.value).toBe(0);
    expect(byRef.get('')!['Actions']!.value).toBe(`Action 3: ${FORMULA_TITLE}`);
  });
});

// ---- Linked tables -----------------------------------------------------------------------------

describe('linked tables (matrix-tables-xlsx, matrix-tables-zip)', () => {
  it('XLSX: four documented sheets with typed cells, joined by ids', async () => {
    const { bytes, res, job } = await exportPlan(server, coordinator, planId, 'matrix-tables-xlsx');
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(job.filename).toMatch(/-matrix-tables\.xlsx$/);
    const wb = await workbook(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Recommendations', 'Actions', 'Indicators', 'Links']);
    const [recSheet, actionSheet, indicatorSheet, linkSheet] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet, ExcelJS.Worksheet, ExcelJS.Worksheet];
    expectSheetAsDocumented(recSheet, documented(SHAPES.recommendations));
    expectSheetAsDocumented(actionSheet, documented(SHAPES.actions));
    expectSheetAsDocumented(indicatorSheet, documented(SHAPES.indicators));
    expectSheetAsDocumented(linkSheet, documented(SHAPES.links));

    // Every recommendation of the plan, the unaddressed ones too.
    const recRows = sheetRows(recSheet);
    expect(recRows.map((r) => r['Recommendation ID']!.value).sort()).toEqual(Object.values(recs).map((r) => r.id).sort());
    const recById = new Map(recRows.map((r) => [r['Recommendation ID']!.value as string, r]));
    expect(recById.get(recs.none.id)!['Coverage']!.value).toBe('Not addressed');
    expect(recById.get(recs.none.id)!['Number of actions']!.value).toBe(0);
    expect(recById.get(recs.both.id)!['Number of actions']!.value).toBe(2);
    expect(recById.get(recs.both.id)!['Cycle']!.value).toBe(3);
    expect(recById.get(recs.both.id)!['Session']!.value).toBe('8');

    // Actions: numbers, budgets and dates typed; a quarter and a year become the days they start and end on.
    const actionRows = sheetRows(actionSheet);
    expect(actionRows).toHaveLength(3);
    const actionById = new Map(actionRows.map((r) => [r['Action ID']!.value as string, r]));
    const first = actionById.get(actions.first.id)!;
    expect(first['Action number']!.value).toBe(1);
    expect(first['Budget']!.type).toBe(T.Number);
    expect(first['Budget']!.value).toBe(125000.5);
    expect(first['Currency']!.value).toBe('EUR');
    expect(first['Start']!.value).toBe('2027-Q1');
    expect(first['Start date']!.value).toEqual(utc('2027-01-01'));
    expect(first['End']!.value).toBe('2028');
    expect(first['End date']!.value).toEqual(utc('2028-12-31'));
    expect(first['Chapter']!.value).toBe('1. Death penalty');
    expect(first['Section']!.value).toBe('1.1 Moratorium on executions');
    expect(first['Lead agency']!.value).toBe(LEAD);
    const second = actionById.get(actions.second.id)!;
    expect(second['Start date']!.value).toEqual(utc('2027-05-31'));
    expect(second['End date']!.value).toEqual(utc('2027-12-31'));
    expect(second['Budget']!.type).toBe(T.Null);
    const orphan = actionById.get(actions.orphan.id)!;
    expect(orphan['Budget']!.value).toBe(0);
    expect(orphan['Action']!.type).toBe(T.String);
    expect(orphan['Action']!.value).toBe(FORMULA_TITLE);
    // A draft: what the action still lacks is said.
    expect(orphan['Incomplete']!.value).toBe('no lead agency; no timeline; no indicator');

    // Indicators: a numeric baseline is a number, "45%" stays text.
    const indicatorRows = sheetRows(indicatorSheet);
    expect(indicatorRows).toHaveLength(2);
    const [count, share] = indicatorRows as [Record<string, ExcelJS.Cell>, Record<string, ExcelJS.Cell>];
    expect(count['Action ID']!.value).toBe(actions.first.id);
    expect(count['Action number']!.value).toBe(1);
    expect([count['Baseline']!.value, count['Baseline year']!.value, count['Target']!.value, count['Target year']!.value]).toEqual([4, 2024, 0, 2030]);
    expect(count['Baseline']!.type).toBe(T.Number);
    expect([share['Baseline']!.value, share['Target']!.value]).toEqual(['45%', '90%']);
    expect(share['Disaggregated by']!.value).toBe('sex; region');

    // Links join the two sheets by id: each side is a row of its sheet.
    const links = sheetRows(linkSheet).map((l) => ({
      action: l['Action ID']!.value as string,
      number: l['Action number']!.value,
      rec: l['Recommendation ID']!.value as string,
      reference: l['Reference']!.value,
    }));
    for (const l of links) {
      expect(actionById.get(l.action), `link to action ${l.action}`).toBeDefined();
      expect(recById.get(l.rec), `link to recommendation ${l.rec}`).toBeDefined();
      expect(l.number).toBe(actionById.get(l.action)!['Action number']!.value);
      expect(l.reference).toBe(recById.get(l.rec)!['Reference']!.value);
    }
    expect(links.map((l) => `${l.action}→${l.rec}`).sort()).toEqual(
      [`${actions.first.id}→${recs.both.id}`, `${actions.first.id}→${recs.one.id}`, `${actions.second.id}→${recs.both.id}`].sort(),
    );
  });

  it('ZIP: one CSV per sheet, each with the documented columns and the CSV rules', async () => {
    const { bytes, res, job } = await exportPlan(server, coordinator, planId, 'matrix-tables-zip');
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(job.filename).toMatch(/-matrix-tables\.zip$/);
    const zip = await JSZip.loadAsync(bytes);
    expect(Object.keys(zip.files).sort()).toEqual(['actions.csv', 'indicators.csv', 'links.csv', 'recommendations.csv']);
    const read = async (name: string) => parseCsv(await zip.file(name)!.async('string'));
    const files = {
      recommendations: await read('recommendations.csv'),
      actions: await read('actions.csv'),
      indicators: await read('indicators.csv'),
      links: await read('links.csv'),
    };
    for (const [name, rows] of Object.entries(files)) {
      expect(rows[0], name).toEqual(documented(SHAPES[name as keyof typeof files]).map((d) => d.column));
      for (const row of rows) for (const cell of row) expect(cell, name).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(files.recommendations).toHaveLength(5);
    const first = csvRows(files.actions).find((r) => csvId(r['Action ID']) === actions.first.id)!;
    expect([first['Action number'], first['Budget'], first['Start date'], first['End date']]).toEqual(['1', '125000.5', '2027-01-01', '2028-12-31']);
    expect(csvRows(files.actions).find((r) => csvId(r['Action ID']) === actions.orphan.id)!['Action']).toBe(`'${FORMULA_TITLE}`);
    expect(csvRows(files.links)).toHaveLength(3);
    expect(csvRows(files.indicators).map((r) => r['Baseline'])).toEqual(['4', '45%']);
  });
});

describe('in another language', () => {
  it('Belarusian sheet names and headers, the same columns; the ZIP keeps its English file names', async () => {
    const wb = await workbook((await exportPlan(server, coordinator, planId, 'matrix-tables-xlsx', 'current', 'be')).bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Рэкамендацыі', 'Мерапрыемствы', 'Індыкатары', 'Сувязі']);
    const actionHeader = headerOf(wb.worksheets[1]!);
    expect(actionHeader).toHaveLength(documented(SHAPES.actions).length);
    expect(actionHeader).toContain('Нумар мерапрыемства');
    expect(actionHeader).not.toContain('Action number');
    const zip = await JSZip.loadAsync((await exportPlan(server, coordinator, planId, 'matrix-tables-zip', 'current', 'ru')).bytes);
    expect(Object.keys(zip.files).sort()).toEqual(['actions.csv', 'indicators.csv', 'links.csv', 'recommendations.csv']);
    expect(parseCsv(await zip.file('links.csv')!.async('string'))[0]).toEqual(['Идентификатор мероприятия', 'Номер мероприятия', 'Идентификатор рекомендации', 'Номер рекомендации']);
  });
});

// ---- After reporting: observed values typed ----------------------------------------------------

describe('an adopted plan reported on', () => {
  let monitored: TestServer;
  afterAll(async () => {
    await monitored?.destroy();
  });

  it("carries the latest observed value as a number, its date as a date, and the round's status", async () => {
    monitored = await startTestServer();
    const m = await monitoredPlan(monitored);
    await submitReport(m, { status: 'in_progress', values: [{ indicatorId: m.indicatorId, value: 20.5, date: '2026-03-01', source: 'Judicial academy' }] });
    const wb = await workbook((await exportPlan(monitored, m.olga, m.planId, 'matrix-tables-xlsx')).bytes);
    const [, actionSheet, indicatorSheet] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet, ExcelJS.Worksheet];
    const action = sheetRows(actionSheet)[0]!;
    expect(action['Status (Mid-term 2028)']!.value).toBe('In progress');
    // Adopted: nothing is flagged as incomplete any more.
    expect(action['Incomplete']!.type).toBe(T.Null);
    const indicator = sheetRows(indicatorSheet)[0]!;
    expect(indicator['Latest value']!.type).toBe(T.Number);
    expect(indicator['Latest value']!.value).toBe(20.5);
    expect(indicator['Observed on']!.type).toBe(T.Date);
    expect(indicator['Observed on']!.value).toEqual(utc('2026-03-01'));
    expect(indicator['Round of latest value']!.value).toBe('Mid-term 2028');
    // The header names the round; otherwise the sheet is as documented.
    const doc = documented(SHAPES.actions).map((d) => (d.column === 'Status in latest round' ? { ...d, column: 'Status (Mid-term 2028)' } : d));
    expectSheetAsDocumented(actionSheet, doc);
    expectSheetAsDocumented(indicatorSheet, documented(SHAPES.indicators));
    // The unaddressed second recommendation is a row of the by-recommendation matrix.
    const csv = csvRows(parseCsv((await exportPlan(monitored, m.olga, m.planId, 'matrix-csv')).bytes));
    expect(csv.find((r) => csvId(r['Recommendation ID']) === m.rec2Id)!['Coverage']).toBe('Not addressed');
    expect(csv.find((r) => csvId(r['Recommendation ID']) === m.recId)!['Status (Mid-term 2028)']).toBe('In progress');
  });
});
