/**
 * The implementation matrix says where implementation stands (issue #15): the ministry reports the
 * action "in progress" with an observed value, then corrects it; the CSV and XLSX matrix show the
 * action's status in the latest round (a column named after it) and, in the indicator's line next
 * to baseline and target, the latest value in force and when it was observed. A later round shows
 * "Not reported" while the latest value stays; a plan without rounds has the column, empty.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportPlan, exportText, squash } from '../helpers/exportPlan.ts';
import { monitoredPlan, ok, submitReport } from '../helpers/monitoringPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.destroy();
});

type Plan = Awaited<ReturnType<typeof monitoredPlan>>;
const ACTION = 'Train judges on the prohibition of torture';
const INDICATOR = 'Outcome: Judges trained; baseline 12 (2025); target 40 (2030)';
const value = (m: Plan, v: number, date: string) => ({ indicatorId: m.indicatorId, value: v, date, source: 'Judicial academy' });

/** The matrix as a header and the row of the recommendation the action addresses, read by column name. */
interface Matrix {
  header: string[];
  cell: (column: string) => string;
}

async function csvMatrix(m: Plan): Promise<Matrix> {
  const text = (await exportPlan(server, m.olga, m.planId, 'matrix-csv')).bytes.toString('utf8');
  const [header, ...rows] = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
  const row = rows.find((r) => r[header!.indexOf('Actions')] === `Action 1: ${ACTION}`);
  expect(row, text).toBeDefined();
  return { header: header!, cell: (column) => row![header!.indexOf(column)]! };
}

async function xlsxMatrix(m: Plan): Promise<Matrix> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await exportPlan(server, m.olga, m.planId, 'matrix-xlsx')).bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));
  const header = values(1);
  const rowNumber = [...Array(ws.rowCount).keys()].map((i) => i + 1).find((n) => values(n)[header.indexOf('Actions')] === `Action 1: ${ACTION}`);
  expect(rowNumber).toBeDefined();
  const row = values(rowNumber!);
  return { header, cell: (column) => row[header.indexOf(column)] ?? '' };
}

const FORMATS = [
  ['matrix-csv', csvMatrix],
  ['matrix-xlsx', xlsxMatrix],
] as const;

describe.each(FORMATS)('%s', (_format, read) => {
  it('shows the status in the latest round and the corrected latest value', async () => {
    const m = await monitoredPlan(server);

    // A round, nothing reported yet: the column names the round and says so.
    const fresh = await read(m);
    expect(fresh.header).toContain('Status (Mid-term 2028)');
    expect(fresh.header.at(-1)).toBe('Actions as of');
    expect(fresh.header.indexOf('Status (Mid-term 2028)')).toBe(fresh.header.length - 2);
    expect(fresh.cell('Status (Mid-term 2028)')).toBe('Not reported');
    expect(fresh.cell('Indicators')).toBe(`${INDICATOR}; latest value —; observed on —`);

    // A draft counts for nothing; the submitted report does.
    await ok(m.ministry.client.post(`${m.p}/rounds/${m.roundId}/actions/${m.actionId}/reports`, { status: 'completed' }));
    const first = await submitReport(m, { status: 'in_progress', values: [value(m, 20, '2026-03-01')] });
    const reported = await read(m);
    expect(reported.cell('Status (Mid-term 2028)')).toBe('In progress');
    expect(reported.cell('Indicators')).toBe(`${INDICATOR}; latest value 20; observed on 2026-03-01 (Mid-term 2028)`);
    // What the matrix showed before keeps its place and its words.
    expect(reported.cell('Action status')).toBe('Planned');
    expect(reported.cell('Lead agencies')).toBe('Ministry of Justice');

    // The correction replaces the report: its status and its value, the latest by observation date.
    await submitReport(m, {
      status: 'delayed',
      reason: 'Trainers not yet hired',
      corrects: first.id,
      values: [value(m, 25, '2026-03-01'), value(m, 18, '2025-12-31')],
    });
    const corrected = await read(m);
    expect(corrected.cell('Status (Mid-term 2028)')).toBe('Delayed');
    expect(corrected.cell('Indicators')).toBe(`${INDICATOR}; latest value 25; observed on 2026-03-01 (Mid-term 2028)`);

    // A later round is the latest: nothing reported in it yet, the latest value is still round one's.
    await ok(m.olga.post(`${m.p}/rounds`, { name: 'Final 2030', dueDate: '2099-12-31' }));
    const later = await read(m);
    expect(later.header).not.toContain('Status (Mid-term 2028)');
    expect(later.cell('Status (Final 2030)')).toBe('Not reported');
    expect(later.cell('Indicators')).toBe(`${INDICATOR}; latest value 25; observed on 2026-03-01 (Mid-term 2028)`);
  });

  it('a plan without rounds exports with the status column there and empty', async () => {
    const m = await monitoredPlan(server, { round: false });
    const matrix = await read(m);
    expect(matrix.header).toContain('Status in latest round');
    expect(matrix.header.indexOf('Status in latest round')).toBe(matrix.header.length - 2);
    expect(matrix.cell('Status in latest round')).toBe('');
    expect(matrix.cell('Indicators')).toBe(`${INDICATOR}; latest value —; observed on —`);
    expect(matrix.cell('Actions')).toBe(`Action 1: ${ACTION}`);
  });
});

/** A document's words in order, without markup, table rules or whitespace, so a fact row reads "StatusPlanned" in every format. */
const flat = (s: string) => squash(s.replace(/<[^>]*>/g, '').replace(/\|/g, ''));

describe.each(['md', 'html', 'docx', 'pdf'] as const)('the %s plan document', (format) => {
  it('states what implementers reported in the latest round, not the status the action was drafted with', async () => {
    const m = await monitoredPlan(server);
    const text = async () => flat(await exportText(format, (await exportPlan(server, m.olga, m.planId, format)).bytes));

    expect(await text()).toContain(flat('Status (Mid-term 2028)Not reported'));
    await submitReport(m, { status: 'in_progress', values: [value(m, 20, '2026-03-01')] });
    const reported = await text();
    expect(reported).toContain(flat('Status (Mid-term 2028)In progress'));
    expect(reported).not.toContain(flat('StatusPlanned'));
  });

  it('names the adopting act, and a section left out at adoption as such with its reason, not as "not yet agreed"', async () => {
    const m = await monitoredPlan(server);
    const text = flat(await exportText(format, (await exportPlan(server, m.olga, m.planId, format, 'agreed')).bytes));
    expect(text).toContain(flat('Left out of the adopted plan — Agreed separately'));
    expect(text).not.toContain(flat('Not yet agreed'));
    // Its title page names the act that adopted it, in every format.
    expect(text).toContain(flat('Adopted by Decree No. 1 on the National Human Rights Plan (1 June 2026)'));
  });

  it('keeps the drafted status while the plan has no reporting round', async () => {
    const m = await monitoredPlan(server, { round: false });
    expect(flat(await exportText(format, (await exportPlan(server, m.olga, m.planId, format)).bytes))).toContain(flat('StatusPlanned'));
  });
});
