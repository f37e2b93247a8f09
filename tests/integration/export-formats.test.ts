import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import Papa from 'papaparse';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docxParagraphs, extractCanonicalBlocks } from '../../server/export/extract.ts';
import { hashLines } from '../../server/services/contentHash.ts';
import { addAction, exportPlan, exportText, ok, readableUtc, squash, writeSection } from '../helpers/exportPlan.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';

let server: TestServer;
let coordinator: ApiClient;
let observer: ApiClient;
let planId: string;
let sectionId: string;
let secondSectionId: string;
let recText: string;

const LEAD = 'Міністэрства юстыцыі Рэспублікі Беларусь';
const PARTNER = 'Праваабарончы цэнтр «Вясна»';

beforeAll(async () => {
  server = await startTestServer();
  ({ coordinator, planId, sectionId } = await setUpWorkspace(server));
  observer = (await addMember(server, coordinator, planId, 'observer', { name: 'Eva Observer', email: 'eva@eu.example', organisation: { name: 'EU Delegation', side: 'international' } })).client;
  const outline = await ok(coordinator.get(`/api/plans/${planId}`));
  await ok(coordinator.patch(`/api/plans/${planId}/chapters/${outline.chapters[0].id}`, { title: 'Death penalty' }));
  await ok(coordinator.patch(`/api/plans/${planId}/sections/${sectionId}`, { title: 'Moratorium on executions' }));
  const after = await ok(coordinator.post(`/api/plans/${planId}/sections`, { chapterId: outline.chapters[0].id, title: 'Public information' }));
  secondSectionId = after.chapters[0].sections[1].id;
  await writeSection(server, planId, sectionId, {
    heading: 'Situation analysis',
    paragraph: 'Belarus retains the death penalty; Алесь Бяляцкі and others call for abolition.',
    bullets: ['Introduce a moratorium', 'Commute existing sentences'],
    numbered: ['Draft the law', 'Adopt the law'],
    table: [
      ['Year', 'Sentences'],
      ['2023', 'four'],
    ],
  });
  recText = 'Establish a moratorium on executions with a view to abolishing the death penalty (full verbatim text, 97.7)';
  await addAction(coordinator, planId, sectionId, { lead: LEAD, partner: PARTNER, recText, title: 'Prepare a moratorium bill' });
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

describe('DOCX export', () => {
  it('holds the title, headings, text, lists, tables, action table, annexes and signed content', async () => {
    const { bytes, res, job } = await exportPlan(server, observer, planId, 'docx');
    expect(res.headers.get('content-type')).toContain('wordprocessingml');
    const disposition = res.headers.get('content-disposition')!;
    // Saved under the very name the export page and the past exports list show.
    expect(job.filename).toMatch(/^national-human-rights-plan-2026-2030-\d{4}-\d{2}-\d{2}\.docx$/);
    expect(disposition).toBe(`attachment; filename="${job.filename}"`);
    const zip = await JSZip.loadAsync(bytes);
    const xml = await zip.file('word/document.xml')!.async('string');
    const paras = docxParagraphs(xml);
    const all = paras.join('\n');
    expect(all).toContain('National Human Rights Plan 2026–2030');
    expect(xml).toMatch(/w:pStyle w:val="Heading1"[\s\S]*?1\. Death penalty/);
    expect(xml).toMatch(/w:pStyle w:val="Heading2"[\s\S]*?1\.1 Moratorium on executions/);
    expect(paras).toContain('1.2 Public information');
    expect(all).toContain('Situation analysis');
    expect(all).toContain('Алесь Бяляцкі');
    expect(paras).toContain('Introduce a moratorium');
    expect(paras).toContain('Adopt the law');
    expect(xml).toContain('<w:numPr>');
    expect(paras).toContain('Sentences');
    expect(paras).toContain('four');
    expect(xml).toMatch(/<w:b\/>[\s\S]*?bold words/);
    expect(xml).toContain('hyperlink');
    // The action table
    expect(paras).toContain('Action 1: Prepare a moratorium bill');
    expect(paras).toContain(LEAD);
    // The timeline as the app writes it; the signed lines keep it as entered.
    expect(paras).toContain('Q1 2027 – 2028');
    expect(paras).toContain('Timeline: 2027-Q1 – 2028');
    expect(paras).toContain('EUR\u00a0125,000 (State budget)');
    expect(paras).toContain('4 (2024)');
    expect(paras).toContain('0 (2030)');
    expect(paras).toContain('Death sentences handed down per year');
    // Annexes
    expect(paras).toContain('Annex A. Recommendations addressed');
    expect(paras).toContain(recText);
    expect(paras).toContain('Annex B. Provenance');
    const blocks = extractCanonicalBlocks(paras);
    const lines = blocks.get(sectionId)!;
    expect(lines[0]).toBe('Situation analysis');
    expect(lines).toContain('Year | Sentences');
    expect(lines).toContain(`Lead agency: ${LEAD}`);
    const agreement = await ok(coordinator.get(`/api/plans/${planId}/sections/${sectionId}/agreement`));
    expect(hashLines(lines)).toBe(agreement.currentHash);
  });

  it('with scope agreed lists sections not yet agreed without their text', async () => {
    const { bytes } = await exportPlan(server, coordinator, planId, 'docx', 'agreed');
    const paras = docxParagraphs(await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string'));
    // Listed once, with the reason, after the contents (no stub where the section would be, issue #18).
    expect(paras).toContain('Sections not included');
    expect(paras).toContain('1.1 Moratorium on executions: Not yet agreed: this section is not part of this export.');
    expect(paras).not.toContain('1.1 Moratorium on executions');
    expect(paras).not.toContain('Introduce a moratorium');
    expect(extractCanonicalBlocks(paras).size).toBe(0);
  });
});

describe('the time of the export', () => {
  it('reads as a date and time on the title page and in the provenance annex of every format, not as a raw timestamp', async () => {
    for (const format of ['docx', 'pdf', 'html', 'md'] as const) {
      const { bytes, job } = await exportPlan(server, coordinator, planId, format);
      const text = squash(await exportText(format, bytes));
      const when = readableUtc(job.createdAt);
      expect(when).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} UTC$/);
      // Title page, then Annex B.
      expect(text, format).toContain(squash(`Exported ${when}`));
      expect(text, format).toContain(squash(`Exported: ${when}`));
      expect(text, format).toContain(squash(`Current state of every section as of ${when}`));
      expect(text, format).not.toContain(job.createdAt.slice(0, 16));
    }
  }, 120_000);
});

describe('PDF export', () => {
  it('renders the same content, Cyrillic included', async () => {
    const { bytes, res } = await exportPlan(server, coordinator, planId, 'pdf');
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const parser = new PDFParse({ data: new Uint8Array(bytes) });
    // Lines wrap where the layout wraps them: compare without whitespace.
    const text = (await parser.getText()).text.replace(/\s+/g, '');
    await parser.destroy();
    for (const s of [
      'National Human Rights Plan 2026–2030',
      '1. Death penalty',
      '1.1 Moratorium on executions',
      'Introduce a moratorium',
      'Sentences',
      'Action 1: Prepare a moratorium bill',
      LEAD,
      'Q1 2027 – 2028',
      '125000 EUR',
      '4 (2024)',
      'Annex A. Recommendations addressed',
      'Establish a moratorium on executions',
      'Annex B. Provenance',
      'Алесь Бяляцкі',
    ]) {
      expect(text, s).toContain(s.replace(/\s+/g, ''));
    }
  });
});

describe('Matrix export', () => {
  // The matrix by recommendation (issue #18): one row per recommendation, then one per action that
  // addresses none; the columns are checked against their documentation in export-matrix-shapes.test.ts.
  it('CSV has one row per recommendation and per action addressing none, BOM, formula-safe cells', async () => {
    await ok(coordinator.post(`/api/plans/${planId}/sections/${secondSectionId}/actions`, { title: '=HYPERLINK("http://evil","x")' }));
    const { bytes, res } = await exportPlan(server, coordinator, planId, 'matrix-csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('-matrix.csv"');
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual(expect.arrayContaining(['Reference', 'Recommendation text', 'Actions', 'Lead agencies', 'Indicators']));
    const col = (name: string) => rows[0]!.indexOf(name);
    expect(rows).toHaveLength(3);
    const first = rows[1]!;
    expect(first).toContain(LEAD);
    expect(first).toContain(recText);
    expect(first.some((c) => c.includes('Outcome: Death sentences handed down per year; baseline 4 (2024); target 0 (2030)'))).toBe(true);
    const evil = rows[2]!;
    expect(evil[col('Actions')]).toBe('Action 2: =HYPERLINK("http://evil","x")');
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('XLSX opens with exceljs, with a bold frozen header and text cells that are never formulas', async () => {
    const { bytes } = await exportPlan(server, coordinator, planId, 'matrix-xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(3);
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(values(2)).toContain(LEAD);
    const evil = ws.getRow(3).getCell(values(1).indexOf('Actions') + 1);
    expect(evil.type).toBe(ExcelJS.ValueType.String);
    expect(evil.value).toBe('Action 2: =HYPERLINK("http://evil","x")');
  });
});

describe('Markdown export', () => {
  it('has the headings, list items and signed content', async () => {
    const { bytes } = await exportPlan(server, coordinator, planId, 'md');
    const md = bytes.toString('utf8');
    expect(md).toContain('# National Human Rights Plan 2026–2030');
    expect(md).toContain('### 1.1 Moratorium on executions');
    expect(md).toContain('- Introduce a moratorium');
    expect(md).toContain('2. Adopt the law');
    // Nobody signed this section: its text is the current draft, not signed content.
    expect(md).toContain(`[begin unsigned content ${sectionId}]`);
    expect(md).not.toContain('[begin signed content');
  });
});
