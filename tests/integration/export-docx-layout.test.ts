/**
 * The DOCX as a ministry tables it, checked on the pages LibreOffice lays out: a plan of several
 * chapters built through the API is exported (agreed draft and current draft), converted to PDF by
 * LibreOffice and read back with the words' positions (pdftotext -bbox-layout). Page numbers in
 * every footer, the status stamp in every header, the contents' page numbers against the pages the
 * headings are on, no table header row left alone at the foot of a page, left-out sections listed
 * once, plan-wide action numbers, the implementation plan on landscape pages; and in the DOCX's XML,
 * repeating header rows and the contents field's entries.
 *
 * Needs LibreOffice (libreoffice-writer-nogui), Liberation fonts (fonts-liberation2) and
 * poppler-utils; some pages are rendered to
 * test-output/docx-layout/ for people to look at.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { exportPlan, ok, yParagraph, yTable } from '../helpers/exportPlan.ts';
import { convertToPdf, requireTool, requireTwin } from '../helpers/libreOffice.ts';
import { pdfPages, type PdfPage } from '../helpers/pdfBoxes.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';
import { serverEdit } from '../helpers/serverEdit.ts';

const run = promisify(execFile);
const OUT = join(process.cwd(), 'test-output', 'docx-layout');

let server: TestServer;
let coordinator: ApiClient;
let ngo: ApiClient;
let planId: string;

// ---- The plan ----------------------------------------------------------------------------------

const LOREM = [
  'The Government will review the legislation in force against the obligations the State has accepted, with the participation of civil society and the national human rights institution, and will publish the results of the review.',
  'Public consultation on each draft law will last at least thirty days; comments received will be published together with the reasons for accepting or rejecting them, so that the process can be followed by anyone.',
  'Training for judges, prosecutors and investigators will be organised every year, and its effect will be measured by independent monitoring of court decisions and of complaints received by the oversight bodies.',
  'Statistics will be disaggregated by sex, age, region and disability, and published in open formats at least once a year, so that progress against each indicator can be checked by the public.',
];


/** A section's text: a heading, `paragraphs` long paragraphs and, when asked, a long table with a header row. */
async function writeLongSection(sectionId: string, title: string, paragraphs: number, tableRows = 0): Promise<void> {
  await serverEdit(server, sectionDocName(sectionId), planId, (doc) => {
    const body = getSectionBody(doc);
    body.delete(0, body.length);
    const heading = yParagraph(`Situation: ${title}`, 'heading');
    heading.setAttribute('level', 2 as unknown as string);
    const parts: Y.XmlElement[] = [heading];
    for (let i = 0; i < paragraphs; i++) parts.push(yParagraph(`${LOREM[i % LOREM.length]} ${LOREM[(i + 1) % LOREM.length]}`));
    if (tableRows > 0) {
      parts.push(
        yTable([
          ['Region', 'Complaints received', 'Complaints upheld'],
          ...Array.from({ length: tableRows }, (_, i) => [`Region ${i + 1}`, String(100 + i * 7), String(10 + i)]),
        ]),
      );
      parts.push(yParagraph(LOREM[0]!));
    }
    body.insert(0, parts);
  });
}

const base = () => `/api/plans/${planId}`;

async function organisation(name: string, side: string) {
  return (await ok(coordinator.post(`${base()}/organisations`, { name, side }))).id as string;
}

async function action(sectionId: string, title: string, lead: string | null, indicators: number, proposer: string) {
  const created = await ok(
    coordinator.post(`${base()}/sections/${sectionId}/actions`, {
      title,
      description: LOREM[1],
      leadAgencyId: lead,
      start: '2027-Q1',
      end: '2028',
      budgetAmount: 125000,
      currency: 'EUR',
      fundingSource: 'State budget',
    }),
  );
  for (let i = 0; i < indicators; i++) {
    await ok(
      coordinator.post(`${base()}/actions/${created.id}/indicators`, {
        type: i === 0 ? 'outcome' : 'process',
        description: `${title}: indicator ${i + 1}`,
        unit: 'cases',
        baselineValue: '4',
        baselineYear: 2024,
        targetValue: '0',
        targetYear: 2030,
        dataSource: 'Ministry statistics',
        frequency: 'yearly',
        disaggregation: ['sex', 'region'],
        proposedByOrganisationId: proposer,
      }),
    );
  }
  return created.id as string;
}

interface Outline {
  chapters: Array<{ id: string; title: string; sections: Array<{ id: string; title: string }> }>;
}

/** Chapter titles and their sections' titles, in plan order; the sections get text and actions below. */
const PLAN: Array<[string, string[]]> = [
  ['Death penalty', ['Moratorium on executions', 'Public information']],
  ['Justice', ['Independence of the judiciary', 'Access to a lawyer']],
  ['Freedom of expression', ['Media law', 'Online expression']],
  ['Equality', ['Gender equality', 'Rights of persons with disabilities']],
];
/** The one section agreed before the exports (2.1): the agreed draft holds it alone. */
const AGREED = 'Independence of the judiciary';
/** The action with no lead agency. */
const WEAK = 'Set up legal aid offices';

beforeAll(async () => {
  requireTool('soffice', 'libreoffice-writer-nogui');
  requireTool('pdftotext', 'poppler-utils');
  requireTool('pdftoppm', 'poppler-utils');
  await requireTwin('Times New Roman', 'Liberation Serif', 'fonts-liberation2');
  await requireTwin('Courier New', 'Liberation Mono', 'fonts-liberation2');
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  server = await startTestServer();
  ({ coordinator, planId } = await setUpWorkspace(server));
  ngo = (
    await addMember(server, coordinator, planId, 'drafter', {
      name: 'Наталля Праваабаронца',
      email: 'natallia@viasna.example',
      organisation: { name: 'Human Rights Center Viasna', side: 'civil_society' },
    })
  ).client;

  // The outline: the first chapter and section exist already.
  let outline: Outline = await ok(coordinator.get(base()));
  await ok(coordinator.patch(`${base()}/chapters/${outline.chapters[0]!.id}`, { title: PLAN[0]![0] }));
  await ok(coordinator.patch(`${base()}/sections/${outline.chapters[0]!.sections[0]!.id}`, { title: PLAN[0]![1][0] }));
  for (let ci = 0; ci < PLAN.length; ci++) {
    const [chapter, sections] = PLAN[ci]!;
    if (ci > 0) outline = await ok(coordinator.post(`${base()}/chapters`, { title: chapter }));
    const chapterId = outline.chapters[ci]!.id;
    for (const title of sections.slice(ci === 0 ? 1 : 0)) outline = await ok(coordinator.post(`${base()}/sections`, { chapterId, title }));
  }
  expect(outline.chapters.map((c) => c.title)).toEqual(PLAN.map(([c]) => c));

  const ministry = await organisation('Ministry of Justice', 'government');
  const interior = await organisation('Ministry of Internal Affairs', 'government');
  const viasna = await organisation('Belarusian Helsinki Committee', 'civil_society');
  let n = 0;
  for (const c of outline.chapters) {
    for (const s of c.sections) {
      n++;
      await writeLongSection(s.id, s.title, 6 + (n % 3) * 2, n === 1 || n === 6 ? 40 : 0);
      if (s.title === 'Access to a lawyer') {
        await action(s.id, WEAK, null, 2, viasna);
        await action(s.id, 'Publish legal aid statistics', interior, 3, viasna);
      } else if (n % 4 !== 0) {
        await action(s.id, `Reform: ${s.title}`, ministry, 3, viasna);
        if (n % 2 === 1) await action(s.id, `Monitor: ${s.title}`, interior, 4, viasna);
      }
    }
  }

  // 2.1 agreed by both sides.
  const agreed = outline.chapters[1]!.sections[0]!;
  expect(agreed.title).toBe(AGREED);
  const { currentHash } = await ok(coordinator.get(`${base()}/sections/${agreed.id}/agreement`));
  await ok(coordinator.post(`${base()}/sections/${agreed.id}/signoffs`, { contentHash: currentHash }));
  expect((await ok(ngo.post(`${base()}/sections/${agreed.id}/signoffs`, { contentHash: currentHash }))).status).toBe('agreed');
}, 120_000);

afterAll(async () => {
  await server?.destroy();
});

// ---- Reading the pages -------------------------------------------------------------------------

/** The margins docxPage.ts sets: 2 cm (56.7 pt) at top and bottom; the header and footer sit within them. */
const MARGIN_PT = 56.7;
const header = (p: PdfPage) => p.lines.filter((l) => l.yMax <= MARGIN_PT);
const footer = (p: PdfPage) => p.lines.filter((l) => l.yMin >= p.height - MARGIN_PT);
const body = (p: PdfPage) => p.lines.filter((l) => l.yMax > MARGIN_PT && l.yMin < p.height - MARGIN_PT);
const squash = (s: string) => s.replace(/\s+/g, '');
/** A page's body as lines across the page: the words of a table row's cells at one height, left to right. */
const rowsOf = (p: PdfPage) => {
  const rows = new Map<number, string[]>();
  for (const l of body(p)) {
    const y = Math.round(l.yMin);
    rows.set(y, [...(rows.get(y) ?? []), l.text]);
  }
  return [...rows.values()].map((r) => r.join(' '));
};

interface Exported {
  pages: PdfPage[];
  documentXml: string;
  /** The footers' XML, in the order the document's sections refer to them (the title page's empty one left out). */
  footers: string[];
  stamp: string;
}

async function exportAndLayOut(scope: 'agreed' | 'current'): Promise<Exported> {
  const { bytes } = await exportPlan(server, coordinator, planId, 'docx', scope);
  const name = `plan-${scope}.docx`;
  writeFileSync(join(OUT, name), bytes);
  const pdf = await convertToPdf(bytes, name, OUT);
  const pages = await pdfPages(pdf);
  const zip = await JSZip.loadAsync(bytes);
  const documentXml = await zip.file('word/document.xml')!.async('string');
  const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
  const target = (id: string) => new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1];
  const footerIds = [...documentXml.matchAll(/<w:footerReference w:type="default" r:id="([^"]+)"\/>/g)].map((m) => m[1]!);
  const footers = await Promise.all(footerIds.map((id) => zip.file(`word/${target(id)}`)!.async('string')));
  return { pages, documentXml, footers, stamp: scope === 'agreed' ? 'Agreed text — not yet adopted' : 'Draft — not agreed' };
}

/** The contents as printed: "title ....... 7" lines on the pages after the title page, up to chapter 1. */
function printedContents(pages: PdfPage[]): Array<{ title: string; page: number }> {
  const entries: Array<{ title: string; page: number }> = [];
  for (const p of pages.slice(1)) {
    for (const l of body(p)) {
      const m = /^(.+?)\s*\.{3,}\s*(\d+)$/.exec(l.text);
      if (m) entries.push({ title: m[1]!.replace(/\.+$/, '').trim(), page: Number(m[2]) });
    }
    if (entries.length > 0 && !body(p).some((l) => /\.{3,}\s*\d+$/.test(l.text))) break;
  }
  return entries;
}

/** The page a heading is on: the first page after the contents with a body line reading exactly `title`. */
function headingPage(pages: PdfPage[], title: string, after: number): number | undefined {
  return pages.find((p) => p.number > after && body(p).some((l) => squash(l.text) === squash(title)))?.number;
}

/** The contents field's cached entries in the DOCX: style, text, page, and the bookmark each links to. */
function tocEntries(xml: string) {
  const sdt = /<w:sdt>[\s\S]*?<w:docPartGallery w:val="Table of Contents"\/>[\s\S]*?<\/w:sdt>/.exec(xml)?.[0] ?? '';
  return [...sdt.matchAll(/<w:p>(?:(?!<\/w:p>)[\s\S])*?<w:pStyle w:val="(TOC\d)"\/>[\s\S]*?<\/w:p>/g)].map((m) => {
    const p = m[0];
    const anchor = /w:anchor="([^"]+)"/.exec(p)?.[1];
    const pageref = /PAGEREF (\S+) \\h/.exec(p)?.[1];
    const texts = [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]);
    return { style: m[1], title: texts.slice(0, -1).join(''), page: texts[texts.length - 1], anchor, pageref };
  });
}

/** Renders pages of a converted PDF for people to look at. */
async function renderPages(pdf: string, prefix: string, first: number, last: number) {
  await run(requireTool('pdftoppm', 'poppler-utils'), ['-png', '-r', '60', '-f', String(first), '-l', String(last), pdf, join(OUT, prefix)]);
}

// The words of the header rows of the document's tables: a header row is never the last thing on a page.
const HEADER_ROWS = [
  ['Type', 'Indicator', 'Baseline', 'Target', 'Unit', 'Source', 'Frequency', 'Disaggregated by', 'Proposed by'],
  ['No.', 'Objective', 'Activity', 'Responsible agency', 'Deadline', 'Indicator', 'Budget'],
  ['Region', 'Complaints received', 'Complaints upheld'],
  ['Name', 'Organisation', 'Side', 'Signed at', 'Content hash'],
];
const HEADER_WORDS = new Set(HEADER_ROWS.flatMap((r) => r.flatMap((c) => c.split(' '))));
const isHeaderLine = (text: string) => text.split(/\s+/).every((w) => HEADER_WORDS.has(w));

function checkPages({ pages, stamp, footers, documentXml }: Exported) {
  const total = pages.length;
  // The numbers the footers carry for a reader that works none out: PAGE, the first page each
  // section's footer shows on (page 2, the implementation plan's first page, Annex A's), and
  // NUMPAGES, the number of pages.
  const landscape = pages.filter((p) => p.width > p.height).map((p) => p.number);
  expect(documentXml.match(/<w:pgSz /g)).toHaveLength(3);
  expect(footers).toHaveLength(3);
  const starts = [2, landscape[0]!, landscape[landscape.length - 1]! + 1];
  footers.forEach((f, i) => {
    expect(/<w:fldSimple w:instr="PAGE"><w:r><w:t[^>]*>(\d+)<\/w:t>/.exec(f)?.[1], `PAGE in footer ${i + 1}`).toBe(String(starts[i]));
    expect(/NUMPAGES<\/w:instrText><\/w:r><w:r><w:fldChar w:fldCharType="separate"\/><w:t[^>]*>(\d+)<\/w:t>/.exec(f)?.[1]).toBe(String(total));
  });
  expect(total).toBeGreaterThan(8);
  // Title page: no header or footer.
  expect(header(pages[0]!).length + footer(pages[0]!).length, 'title page furniture').toBe(0);
  for (const p of pages.slice(1)) {
    const foot = footer(p)
      .map((l) => l.text)
      .join(' ');
    expect(foot, `footer of page ${p.number}`).toContain(`Page ${p.number} of ${total}`);
    expect(foot).toMatch(new RegExp(`Document NHRP-[0-9A-Z]{8}-${stamp.startsWith('Agreed') ? 'A' : 'D'}-\\d{8}`));
    expect(foot).toMatch(/Exported \d{1,2} [A-Z][a-z]+ \d{4}/);
    const head = header(p)
      .map((l) => l.text)
      .join(' ');
    expect(head, `header of page ${p.number}`).toContain('National Human Rights Plan 2026–2030');
    expect(head, `stamp on page ${p.number}`).toContain(stamp);
  }

  // No page ends with a table's header row: its last body lines are not all header words.
  for (const p of pages) {
    const lines = body(p);
    const last = lines[lines.length - 1];
    if (!last) continue;
    // The last row: the lines that start within a line's height of the last one.
    const row = lines.filter((l) => l.yMin >= last.yMin - 14);
    expect(
      row.every((l) => isHeaderLine(l.text)),
      `page ${p.number} ends with a table header row: ${row.map((l) => l.text).join(' | ')}`,
    ).toBe(false);
  }

  // The contents: once, without "Contents" in it, each entry on the page its heading is on.
  expect(pages.flatMap((p) => body(p)).filter((l) => l.text === 'Contents')).toHaveLength(1);
  const contents = printedContents(pages);
  expect(contents.length).toBeGreaterThan(5);
  expect(contents.map((e) => e.title)).not.toContain('Contents');
  // (A contents line has its dot leader and number: only the heading itself reads exactly as the title.)
  for (const e of contents) expect(`${e.title} on page ${headingPage(pages, e.title, 1)}`).toBe(`${e.title} on page ${e.page}`);
  return contents;
}

function landscapePages(pages: PdfPage[]) {
  return pages.filter((p) => p.width > p.height).map((p) => p.number);
}

// ---- The tests ---------------------------------------------------------------------------------

describe('DOCX laid out by LibreOffice', () => {
  let current: Exported;
  let agreed: Exported;

  beforeAll(async () => {
    current = await exportAndLayOut('current');
    agreed = await exportAndLayOut('agreed');
  }, 600_000);

  it('current draft: page numbers, stamp, contents with right page numbers, tables that keep their header rows, plan-wide actions, a landscape implementation plan', async () => {
    const contents = checkPages(current);
    // Chapters, sections and annexes are in the contents, in order.
    const titles = contents.map((e) => e.title);
    expect(titles.slice(0, 3)).toEqual(['1. Death penalty', '1.1 Moratorium on executions', '1.2 Public information']);
    for (const t of ['4.2 Rights of persons with disabilities', 'Implementation plan', 'Annex A. Recommendations addressed', 'Annex B. Provenance'])
      expect(titles).toContain(t);
    expect(titles).not.toContain('Sections not included');

    const implementation = headingPage(current.pages, 'Implementation plan', 3)!;
    const lines = current.pages.slice(0, implementation - 1).flatMap((p) => body(p).map((l) => l.text));
    // Plan-wide action numbers: 1, 2, 3, … through the plan, never restarting in a section.
    const numbers = lines.map((l) => /^Action (\d+):/.exec(l)?.[1]).filter((n): n is string => n !== undefined).map(Number);
    expect(numbers.length).toBeGreaterThan(8);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    // The action with no lead agency is flagged, once.
    expect(lines.filter((l) => l === 'Incomplete: no lead agency')).toHaveLength(1);
    // All nine indicator columns.
    expect(current.documentXml).toContain('Disaggregated by');
    const indicatorHeader = current.pages.flatMap(rowsOf).filter((r) => r === HEADER_ROWS[0]!.join(' '));
    expect(indicatorHeader.length).toBeGreaterThan(8);

    // The implementation plan: landscape pages, one row per action, then upright pages again.
    const annexA = headingPage(current.pages, 'Annex A. Recommendations addressed', implementation)!;
    const landscape = landscapePages(current.pages);
    expect(landscape).toEqual(Array.from({ length: annexA - implementation }, (_, i) => implementation + i));
    expect(current.pages[annexA - 1]!.width).toBeLessThan(current.pages[annexA - 1]!.height);
    const annexText = squash(
      current.pages
        .slice(implementation - 1, annexA - 1)
        .flatMap((p) => body(p).map((l) => l.text))
        .join(' '),
    );
    expect(annexText).toContain(squash(WEAK));
    expect(annexText).toContain(squash('Reform: Moratorium on executions'));

    // The DOCX's XML: every table row stays whole; header rows repeat.
    const rows = [...current.documentXml.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((m) => m[0]);
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) expect(row).toContain('<w:cantSplit/>');
    const headerRows = rows.filter((r) => r.includes('>Baseline<') || r.includes('>Responsible agency<') || r.includes('>Complaints received<'));
    expect(headerRows.length).toBeGreaterThan(10);
    for (const row of headerRows) {
      expect(row).toContain('<w:tblHeader/>');
      expect(row).toContain('<w:keepNext/>');
    }
    // The gap line is amber and bold.
    expect(current.documentXml).toMatch(/<w:pStyle w:val="AccordGap"\/>[\s\S]*?Incomplete: no lead agency/);

    // The contents field: filled in, each entry a hyperlink to its heading's bookmark with a PAGEREF to it.
    const toc = tocEntries(current.documentXml);
    expect(toc.map((e) => e.title)).toEqual(titles);
    expect(toc.map((e) => Number(e.page))).toEqual(contents.map((e) => e.page));
    for (const e of toc) {
      expect(e.anchor).toBeTruthy();
      expect(e.pageref).toBe(e.anchor);
      expect(current.documentXml).toContain(`<w:bookmarkStart w:name="${e.anchor}"`);
    }
    expect(current.documentXml).toMatch(/<w:instrText xml:space="preserve">TOC \\h \\o &quot;1-2&quot;<\/w:instrText>/);
    expect(current.documentXml).not.toContain('w:dirty="true"');

    const pdf = join(OUT, 'plan-current.pdf');
    await renderPages(pdf, 'current', 1, 4);
    await renderPages(pdf, 'current', implementation - 1, implementation + 1);
  });

  it('agreed draft: left-out sections listed once after the contents, no stubs, no heading for a chapter with nothing agreed, actions keep their plan-wide numbers', async () => {
    const contents = checkPages(agreed);
    const titles = contents.map((e) => e.title);
    expect(titles).toEqual([
      'Sections not included',
      '2. Justice',
      `2.1 ${AGREED}`,
      'Implementation plan',
      'Annex A. Recommendations addressed',
      'Annex B. Provenance',
      'Annex C. Reservations and dissenting positions',
      'Annex D. Proposals by civil society and what became of them',
    ]);

    const implementation = headingPage(agreed.pages, 'Implementation plan', 1)!;
    const lines = agreed.pages.slice(0, implementation - 1).flatMap((p) => body(p).map((l) => l.text));
    const text = squash(lines.join(' '));
    // The list: each left-out section once, with its reason; no stub where it would have been.
    const leftOut = PLAN.flatMap(([, sections], ci) => sections.map((s, si) => ({ number: `${ci + 1}.${si + 1}`, title: s }))).filter((s) => s.title !== AGREED);
    const listPage = headingPage(agreed.pages, 'Sections not included', 1)!;
    const chapter2 = headingPage(agreed.pages, '2. Justice', listPage)!;
    expect(listPage).toBeLessThan(chapter2);
    for (const s of leftOut) {
      const line = squash(`${s.number} ${s.title}: Not yet agreed: this section is not part of this export.`);
      expect(text.split(line).length - 1, s.title).toBe(1);
      expect(lines.filter((l) => l === `${s.number} ${s.title}`)).toHaveLength(0);
    }
    expect(text.split(squash('Not yet agreed: this section is not part of this export.')).length - 1).toBe(leftOut.length);
    // Chapters with nothing agreed have no heading in the body.
    for (const c of ['1. Death penalty', '3. Freedom of expression', '4. Equality']) expect(lines).not.toContain(c);

    // 2.1's actions keep the numbers they have in the whole plan (after chapter 1's three).
    const numbers = lines.map((l) => /^Action (\d+):/.exec(l)?.[1]).filter((n): n is string => n !== undefined).map(Number);
    expect(numbers).toEqual([4, 5]);
    expect(landscapePages(agreed.pages).length).toBeGreaterThan(0);

    await renderPages(join(OUT, 'plan-agreed.pdf'), 'agreed', 1, 4);
  });
});
