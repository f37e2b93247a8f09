/**
 * The PDF export is a document a ministry can table (issue #18), checked on where its words land,
 * as poppler reads them (`pdftotext -bbox-layout`): every page after the title page numbered
 * "Page n of m" with the status stamp in its header; the contents' page numbers are the pages the
 * headings are on; a table's header row never ends a page and is repeated where a table runs on;
 * an agreed-only export prints no stubs for the sections it leaves out but lists them once, and a
 * chapter with nothing agreed gets no heading; actions are numbered plan-wide; an incomplete action
 * is flagged in the draft; the implementation plan annex is on landscape pages, one row an action.
 *
 * The plan is built through the API: three chapters, six sections of long text (one with a table
 * of 45 rows), two actions a section with three indicators each, one action without a lead agency;
 * two sections agreed by both sides. Page images go to test-output/pdf-layout/.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { renderPdf } from '../../server/export/render/pdf.ts';
import type { ModelAction, PlanModel } from '../../server/export/model.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { exportPlan, ok, yParagraph, yTable } from '../helpers/exportPlan.ts';
import { type PdfLine, type PdfPage, readPdfLayout, renderPages, requirePoppler } from '../helpers/pdfLayout.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { addMember, setUpWorkspace } from '../helpers/workspace.ts';
import type { ApiClient } from '../helpers/api.ts';
import { serverEdit } from '../helpers/serverEdit.ts';

const OUT = join(process.cwd(), 'test-output', 'pdf-layout');
const STAMP = { current: 'Draft — not agreed', agreed: 'Agreed text — not yet adopted' };
const TITLE = 'National Human Rights Plan 2026–2030';

/** The plan: chapter → sections; `agreed` sections are signed by both sides. */
const PLAN = [
  {
    chapter: 'Justice',
    sections: [
      { title: 'Courts and judges', agreed: true, table: true },
      { title: 'Legal aid', agreed: false, table: false },
    ],
  },
  {
    chapter: 'Detention',
    sections: [
      { title: 'Prison conditions', agreed: false, table: false },
      { title: 'Police custody', agreed: true, table: false },
    ],
  },
  {
    chapter: 'Expression',
    sections: [
      { title: 'Media freedom', agreed: false, table: false },
      { title: 'Peaceful assembly', agreed: false, table: false },
    ],
  },
];
/** The action with no lead agency: in "Legal aid", a section the agreed export leaves out. */
const WEAK_ACTION = 'Legal aid action B';
const actionTitle = (section: string, k: number) => `${section} action ${'AB'[k]}`;

const WORDS = 'the state shall ensure independent monitoring of places of detention and guarantee access to a lawyer from the first hour'.split(' ');
const sentence = (seed: number, n: number) => Array.from({ length: n }, (_, i) => WORDS[(seed * 5 + i * 3) % WORDS.length]).join(' ');

let server: TestServer;
let coordinator: ApiClient;
let ngo: ApiClient;
let planId: string;
let current: PdfPage[];
let agreed: PdfPage[];
let currentBytes: Buffer;
let agreedBytes: Buffer;


/** Long text: twelve paragraphs of about 90 words, and (`withTable`) a table of 45 rows under a header row. */
async function writeLongSection(sectionId: string, seed: number, withTable: boolean): Promise<void> {
  await serverEdit(server, sectionDocName(sectionId), planId, (doc) => {
    const body = getSectionBody(doc);
    body.delete(0, body.length);
    const blocks: Y.XmlElement[] = Array.from({ length: 12 }, (_, i) => yParagraph(`${sentence(seed + i, 80 + ((seed * 7 + i * 5) % 25))}.`));
    if (withTable)
      blocks.splice(4, 0, yTable([['Region', 'Complaints'], ...Array.from({ length: 45 }, (_, r) => [`Region-${String(r + 1).padStart(2, '0')}`, String(100 + r)])]));
    body.insert(0, blocks);
  });
}

beforeAll(async () => {
  // Without poppler there is nothing to read the layout with: say so before building anything.
  requirePoppler('pdftotext');
  requirePoppler('pdftoppm');
  server = await startTestServer();
  let firstChapterId: string;
  let firstSectionId: string;
  ({ coordinator, planId, chapterId: firstChapterId, sectionId: firstSectionId } = await setUpWorkspace(server));
  ngo = (
    await addMember(server, coordinator, planId, 'drafter', {
      name: 'Наталля Праваабаронца',
      email: 'natallia@viasna.example',
      organisation: { name: 'Human Rights Center Viasna', side: 'civil_society' },
    })
  ).client;
  const base = `/api/plans/${planId}`;
  const justice = await ok(coordinator.post(`${base}/organisations`, { name: 'Ministry of Justice', side: 'government' }));
  const interior = await ok(coordinator.post(`${base}/organisations`, { name: 'Ministry of Internal Affairs', side: 'government' }));
  const helsinki = await ok(coordinator.post(`${base}/organisations`, { name: 'Belarusian Helsinki Committee', side: 'civil_society' }));

  const toAgree: string[] = [];
  let seed = 0;
  for (const [ci, c] of PLAN.entries()) {
    let chapterId = firstChapterId;
    if (ci === 0) await ok(coordinator.patch(`${base}/chapters/${firstChapterId}`, { title: c.chapter }));
    else {
      const outline = await ok(coordinator.post(`${base}/chapters`, { title: c.chapter }));
      chapterId = outline.chapters[ci].id;
    }
    for (const [si, s] of c.sections.entries()) {
      let sectionId = firstSectionId;
      if (ci === 0 && si === 0) await ok(coordinator.patch(`${base}/sections/${firstSectionId}`, { title: s.title }));
      else {
        const outline = await ok(coordinator.post(`${base}/sections`, { chapterId, title: s.title }));
        sectionId = outline.chapters[ci].sections[si].id;
      }
      await writeLongSection(sectionId, ++seed, s.table);
      for (const k of [0, 1]) {
        const title = actionTitle(s.title, k);
        const action = await ok(
          coordinator.post(`${base}/sections/${sectionId}/actions`, {
            title,
            description: `${sentence(seed + k, 40)}.`,
            leadAgencyId: title === WEAK_ACTION ? null : k ? interior.id : justice.id,
            coImplementerIds: [justice.id],
            civilSocietyPartnerIds: [helsinki.id],
            start: '2027-Q1',
            end: '2029',
            budgetAmount: 250000 + seed * 1000,
            currency: 'EUR',
            fundingSource: 'State budget',
          }),
        );
        for (const n of [1, 2, 3]) {
          await ok(
            coordinator.post(`${base}/actions/${action.id}/indicators`, {
              type: n === 1 ? 'structural' : n === 2 ? 'process' : 'outcome',
              description: `IND-${seed}${k}${n} share of complaints examined within thirty days`,
              unit: 'percent',
              baselineValue: '40',
              baselineYear: 2024,
              targetValue: '90',
              targetYear: 2030,
              dataSource: 'Ministry statistics',
              frequency: 'Annual',
              disaggregation: ['sex', 'region'],
              proposedByOrganisationId: helsinki.id,
            }),
          );
        }
      }
      if (s.agreed) toAgree.push(sectionId);
    }
  }
  // Both sides sign the agreed sections as they now stand.
  for (const sectionId of toAgree) {
    const at = `${base}/sections/${sectionId}`;
    const { currentHash } = await ok(coordinator.get(`${at}/agreement`));
    await ok(coordinator.post(`${at}/signoffs`, { contentHash: currentHash }));
    expect((await ok(ngo.post(`${at}/signoffs`, { contentHash: currentHash }))).status).toBe('agreed');
  }

  currentBytes = (await exportPlan(server, coordinator, planId, 'pdf', 'current')).bytes;
  agreedBytes = (await exportPlan(server, coordinator, planId, 'pdf', 'agreed')).bytes;
  current = readPdfLayout(currentBytes);
  agreed = readPdfLayout(agreedBytes);
}, 180_000);

afterAll(async () => {
  await server?.destroy();
});

// ---- Reading the pages ----------------------------------------------------------------------

/** The running header sits above this (points from the top); the footer below height − this. */
const HEADER_BAND = 62;
const FOOTER_BAND = 62;
const headerLines = (p: PdfPage) => p.lines.filter((l) => l.yMax < HEADER_BAND);
const footerLines = (p: PdfPage) => p.lines.filter((l) => l.y > p.height - FOOTER_BAND);
const bodyLines = (p: PdfPage) => p.lines.filter((l) => l.y >= HEADER_BAND && l.y <= p.height - FOOTER_BAND);
const squashed = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Whether the body lines from `i` on read exactly `text` (a heading, wrapped over up to three lines). */
function readsAt(lines: PdfLine[], i: number, text: string): boolean {
  let joined = '';
  for (const line of lines.slice(i, i + 3)) {
    joined = squashed(`${joined} ${line.text}`);
    if (joined === text) return true;
    if (!text.startsWith(joined)) return false;
  }
  return false;
}

/** The first page after `after` with body lines reading exactly `text` (a heading), or 0. */
function pageOfHeading(pages: PdfPage[], text: string, after: number): number {
  return pages.find((p) => p.number > after && bodyLines(p).some((_, i, lines) => readsAt(lines, i, text)))?.number ?? 0;
}

/** The contents: its pages (from page 2) and its entries with the page numbers they give. */
function contentsOf(pages: PdfPage[]): { last: number; entries: Array<{ text: string; page: number }> } {
  const entries: Array<{ text: string; page: number }> = [];
  let last = 1;
  for (const p of pages.slice(1)) {
    const lines = bodyLines(p);
    if (p.number === 2) expect(squashed(lines[0]!.text)).toBe('Contents');
    const found = lines
      .map((l) => /^(.+?)\s+(\d+)$/.exec(squashed(l.text.replace(/\.{2,}/g, ' '))))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ text: m[1]!, page: Number(m[2]) }));
    if (found.length === 0) break;
    entries.push(...found);
    last = p.number;
    // The contents end where the first page they point to begins.
    if (Math.min(...entries.map((e) => e.page)) <= p.number + 1) break;
  }
  return { last, entries };
}

/** Words of the tables' header rows: a line made of these only is (part of) a header row. */
const HEADER_WORDS = new Set(
  [
    'Type Indicator Baseline Target Unit Source Frequency Disaggregated by Proposed by',
    'No. Objective Activity Responsible agency Deadline Indicator Budget',
    'Region Complaints',
  ]
    .join(' ')
    .split(' '),
);
const HEADER_ROWS: Array<{ name: string; is: (l: PdfLine) => boolean }> = [
  { name: 'indicator table', is: (l) => /\bBaseline\b/.test(l.text) && /\bFrequency\b/.test(l.text) },
  { name: 'implementation plan', is: (l) => /\bObjective\b/.test(l.text) && /\bDeadline\b/.test(l.text) },
  { name: 'section text table', is: (l) => /^Region Complaints$/.test(squashed(l.text)) },
];

// ---- The checks, on both exports -------------------------------------------------------------

describe.each([
  ['current', () => current, STAMP.current],
  ['agreed', () => agreed, STAMP.agreed],
] as const)('the %s draft', (scope, pagesOf, stamp) => {
  it('numbers every page after the title page "Page n of m" and carries the stamp and title in its header', () => {
    const pages = pagesOf();
    const m = pages.length;
    expect(m).toBeGreaterThan(10);
    const first = pages[0]!.words.map((w) => w.text).join(' ');
    expect(first).not.toMatch(/Page 1 of/);
    // The title page shows the stamp and the document number too.
    expect(first).toContain(stamp);
    expect(first).toMatch(new RegExp(`Document NHRP-[0-9A-Z]{8}-${scope === 'agreed' ? 'A' : 'D'}-\\d{8}`));
    for (const p of pages.slice(1)) {
      const footer = footerLines(p).map((l) => l.text).join(' ');
      expect(footer, `page ${p.number}`).toContain(`Page ${p.number} of ${m}`);
      expect(footer, `page ${p.number}`).toMatch(/Document NHRP-/);
      expect(footer, `page ${p.number}`).toMatch(/Exported \d{1,2} [A-Z][a-z]+ \d{4}/);
      const header = headerLines(p).map((l) => l.text).join(' ');
      expect(header, `page ${p.number}`).toContain(stamp);
      expect(header, `page ${p.number}`).toContain(TITLE);
    }
  });

  it("gives in the contents the page each heading is on, and does not list the contents itself", () => {
    const pages = pagesOf();
    const { last, entries } = contentsOf(pages);
    const texts = entries.map((e) => e.text);
    expect(texts).not.toContain('Contents');
    expect(texts).toEqual(expect.arrayContaining(['1. Justice', '1.1 Courts and judges', '2.2 Police custody', 'Implementation plan', 'Annex A. Recommendations addressed', 'Annex B. Provenance']));
    if (scope === 'current') expect(texts).toEqual(expect.arrayContaining(['3. Expression', '3.2 Peaceful assembly']));
    else {
      expect(texts).toContain('Sections not included');
      // Left-out sections, and a chapter with nothing agreed, are not contents entries.
      expect(texts).not.toContain('1.2 Legal aid');
      expect(texts).not.toContain('3. Expression');
    }
    for (const e of entries) expect(pageOfHeading(pages, e.text, last), e.text).toBe(e.page);
  });

  it('never ends a page with a table header row, and repeats it where a table runs on', () => {
    const pages = pagesOf();
    // Annex B quotes the sections' text and indicators as plain lines: the tables end before it.
    const annexB = pageOfHeading(pages, 'Annex B. Provenance', contentsOf(pages).last);
    expect(annexB).toBeGreaterThan(0);
    let headers = 0;
    for (const p of pages.filter((page) => page.number < annexB)) {
      const lines = bodyLines(p);
      lines.forEach((line, i) => {
        const kind = HEADER_ROWS.find((h) => h.is(line));
        if (!kind) return;
        headers++;
        // Below the header row, on the same page: a line with something other than header words.
        const below = lines.slice(i + 1).find((l) => l.words.some((w) => !HEADER_WORDS.has(w.text)));
        expect(below, `${kind.name} header row last on page ${p.number}`).toBeDefined();
      });
      // A page with rows of a table has that table's header row above them.
      const firstRow = lines.findIndex((l) => /\bRegion-\d\d\b/.test(l.text));
      if (firstRow >= 0) expect(lines.slice(0, firstRow).some(HEADER_ROWS[2]!.is), `section table rows without header on page ${p.number}`).toBe(true);
      const firstIndicator = lines.findIndex((l) => /\bIND-\d+/.test(l.text));
      if (firstIndicator >= 0)
        expect(
          lines.slice(0, firstIndicator).some((l) => HEADER_ROWS[0]!.is(l) || HEADER_ROWS[1]!.is(l)),
          `indicator rows without header on page ${p.number}`,
        ).toBe(true);
    }
    expect(headers).toBeGreaterThan(5);
    // The 45-row table runs over a page: its header row is printed on each page it is on.
    const tablePages = pages.filter((p) => p.number < annexB && bodyLines(p).some((l) => /\bRegion-\d\d\b/.test(l.text)));
    expect(tablePages.length).toBeGreaterThan(1);
  });

  it('numbers actions plan-wide and lays out the implementation plan on landscape pages, one row an action', () => {
    const pages = pagesOf();
    const { last } = contentsOf(pages);
    const annexStart = pageOfHeading(pages, 'Implementation plan', last);
    const annexA = pageOfHeading(pages, 'Annex A. Recommendations addressed', last);
    expect(annexStart).toBeGreaterThan(last);
    expect(annexA).toBeGreaterThan(annexStart);
    // Action headings in the body, in order (a table's "(continued)" caption is not one).
    const headings = pages
      .filter((p) => p.number > last && p.number < annexStart)
      .flatMap((p) => bodyLines(p))
      .map((l) => /^Action (\d+): (.+)$/.exec(squashed(l.text)))
      .filter((m): m is RegExpExecArray => m !== null && !m[2]!.endsWith('(continued)'))
      .map((m) => ({ number: Number(m[1]), title: m[2]! }));
    const numbers = headings.map((h) => h.number);
    if (scope === 'current') expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    else {
      // Courts (1.1) holds actions 1 and 2, Police custody (2.2) 7 and 8: they do not restart.
      expect(numbers).toEqual([1, 2, 7, 8]);
    }
    for (const p of pages) {
      const landscape = p.number >= annexStart && p.number < annexA;
      expect(p.width > p.height, `page ${p.number} ${landscape ? 'landscape' : 'portrait'}`).toBe(landscape);
      if (landscape) expect(bodyLines(p).some(HEADER_ROWS[1]!.is), `implementation header on page ${p.number}`).toBe(true);
    }
    // Twelve rows of three indicators each run over a page in the current draft.
    if (scope === 'current') expect(annexA - annexStart).toBeGreaterThan(1);
    const annexText = pages
      .filter((p) => p.number >= annexStart && p.number < annexA)
      .flatMap((p) => bodyLines(p).map((l) => squashed(l.text)))
      .join('\n');
    for (const h of headings) expect(annexText.split(h.title).length - 1, h.title).toBe(1);
    expect(annexText).not.toContain('Region-01');
  });
});

describe('the current draft', () => {
  it('flags the action without a lead agency right under its heading', () => {
    const lines = current.flatMap((p) => bodyLines(p).map((l) => squashed(l.text)));
    const at = lines.findIndex((l) => /^Action \d+: /.test(l) && l.endsWith(WEAK_ACTION));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('Incomplete: no lead agency');
    expect(lines.filter((l) => l.startsWith('Incomplete:'))).toHaveLength(1);
  });

  it('prints every section where it is, with its status', () => {
    const { last } = contentsOf(current);
    for (const [ci, c] of PLAN.entries()) for (const [si, s] of c.sections.entries()) expect(pageOfHeading(current, `${ci + 1}.${si + 1} ${s.title}`, last)).toBeGreaterThan(last);
    expect(pageOfHeading(current, 'Sections not included', last)).toBe(0);
  });
});

describe('the agreed draft', () => {
  it('prints no stubs for the sections it leaves out, lists each once, and gives a chapter with nothing agreed no heading', () => {
    const { last } = contentsOf(agreed);
    const leftOutPage = pageOfHeading(agreed, 'Sections not included', last);
    const annexStart = pageOfHeading(agreed, 'Implementation plan', last);
    expect(leftOutPage).toBeGreaterThan(last);
    expect(annexStart).toBeGreaterThanOrEqual(leftOutPage);
    const bodyPages = agreed.filter((p) => p.number > last && p.number < annexStart);
    const text = (p: PdfPage) => bodyLines(p).map((l) => squashed(l.text));
    for (const [ci, c] of PLAN.entries())
      for (const [si, s] of c.sections.entries()) {
        const on = bodyPages.filter((p) => text(p).some((l) => l.includes(s.title)));
        if (s.agreed) continue;
        // Listed once, on the list's page, with its number and why.
        expect(on.map((p) => p.number), s.title).toEqual([leftOutPage]);
        expect(text(agreed[leftOutPage - 1]!).filter((l) => l.startsWith(`${ci + 1}.${si + 1} ${s.title}: Not yet agreed`)), s.title).toHaveLength(1);
      }
    // No stub: the words for a left-out section are on the list's page only.
    for (const p of bodyPages) if (p.number !== leftOutPage) expect(text(p).join(' '), `page ${p.number}`).not.toContain('Not yet agreed');
    // "3. Expression" has nothing agreed: no heading in the body (it is a group in the list only).
    expect(bodyPages.filter((p) => p.number < leftOutPage && text(p).includes('3. Expression'))).toEqual([]);
    // Far shorter than a page per chapter and a stub per section would make it.
    expect(agreed.length).toBeLessThan(current.length);
  });
});

describe('a sweep of table positions', () => {
  it('keeps header rows off the foot of the page wherever a table falls', async () => {
    // Forty sections whose text grows by about half a line each, so their tables start at every
    // height of a page; drawn straight from a model to keep the test quick.
    const action = (n: number): ModelAction => ({
      id: `a${n}`,
      number: n,
      gaps: [],
      title: `Sweep action ${n}`,
      description: '',
      status: 'planned',
      leadAgency: 'Ministry of Justice',
      coImplementers: [],
      csoPartners: [],
      start: null,
      end: '2028',
      budgetAmount: null,
      currency: null,
      fundingSource: null,
      budget: null,
      recommendations: [],
      indicators: [1, 2].map((k) => ({
        type: 'outcome',
        description: `IND-${n}${k} share of complaints examined`,
        unit: 'percent',
        baseline: '40 (2024)',
        target: '90 (2030)',
        dataSource: 'Ministry statistics',
        frequency: 'Annual',
        disaggregation: ['sex'],
        proposedBy: null,
      })),
    });
    const model: PlanModel = {
      plan: { id: 'sweep', title: TITLE, country: 'Belarus', periodStart: 2026, periodEnd: 2030, source: null },
      stamp: STAMP.current,
      documentNumber: 'NHRP-SWEEP000-D-20261203',
      flagGaps: true,
      scope: 'current',
      exportedAt: '2026-12-03T10:00:00.000Z',
      madeFrom: 'Current state',
      recommendations: [],
      annexes: [],
      chapters: [
        {
          id: 'c',
          title: 'Sweep',
          sections: Array.from({ length: 40 }, (_, i) => ({
            id: `s${i}`,
            title: `Section ${i + 1}`,
            status: 'drafting',
            included: true,
            blocks: [
              { type: 'paragraph' as const, inlines: [{ text: `${sentence(i, 8 + i * 6)}.` }] },
              {
                type: 'table' as const,
                rows: [
                  { header: true, cells: [[{ text: 'Region' }], [{ text: 'Complaints' }]] },
                  ...[1, 2].map((r) => ({ header: false, cells: [[{ text: `Region-${String(r).padStart(2, '0')}` }], [{ text: String(r) }]] })),
                ],
              },
            ],
            actions: [action(i + 1)],
            canonicalLines: [],
            currentHash: '',
            agreedAt: null,
            agreedHash: null,
            signers: [],
          })),
        },
      ],
    };
    const pages = readPdfLayout(await renderPdf(model));
    let headers = 0;
    for (const p of pages) {
      const lines = bodyLines(p);
      lines.forEach((line, i) => {
        if (!HEADER_ROWS.some((h) => h.is(line))) return;
        headers++;
        expect(
          lines.slice(i + 1).find((l) => l.words.some((w) => !HEADER_WORDS.has(w.text))),
          `header row last on page ${p.number}`,
        ).toBeDefined();
      });
    }
    expect(headers).toBeGreaterThanOrEqual(80);
  }, 60_000);
});

describe('page images', () => {
  it('draws the title, contents, an action page and the annex for people to look at', () => {
    const { last } = contentsOf(current);
    const actionPage = current.find((p) => p.number > last && bodyLines(p).some(HEADER_ROWS[0]!.is))!.number;
    const annex = pageOfHeading(current, 'Implementation plan', last);
    const files = [
      ...renderPages(currentBytes, OUT, 'current', [1, 2, 3, actionPage, annex, annex + 1]),
      ...renderPages(agreedBytes, OUT, 'agreed', [1, 2, 3, pageOfHeading(agreed, 'Sections not included', contentsOf(agreed).last)]),
    ];
    expect(files.length).toBe(10);
  });
});
