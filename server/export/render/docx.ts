/**
 * DOCX for the ministries: the document a ministry tables. Title page; one contents list; the
 * sections this export leaves out, listed once; chapters (Heading 1) and sections (Heading 2) with
 * their status and text, each action (numbered plan-wide) with its facts and indicators; the
 * implementation plan on landscape pages; the recommendation annex, the provenance annex and
 * annexes C, D, …. Every page after the title page has a running header (plan title, status
 * stamp) and footer (document number, export date, "Page n of m"); page furniture is in
 * docxPage.ts, tables in docxTables.ts.
 *
 * Contents: a real TOC field (Word's References › Update Table works on it) whose result is already
 * filled in: an entry per chapter, section and annex heading (Heading 1–2), each a hyperlink to a
 * bookmark on its heading with its page number as a PAGEREF field to that bookmark. docx works out
 * the page numbers as it packs the document, by laying the pages out as Word does
 * (`estimatePageNumbersWith` from docx/layout), and writes them into the fields clean, so Word
 * shows them as written without asking to update fields (no `updateFields`, which makes Word ask
 * on every open). LibreOffice shows a TOC field's result as written (it does not recompute the
 * PAGEREFs inside one), so the numbers must be right as written: hence typefaces whose widths
 * LibreOffice has (docxPage.ts) and fixed table column widths, with which it breaks the pages where
 * Word does; tests/integration/export-docx-layout.test.ts checks them against LibreOffice's pages.
 * NUMPAGES in the footer gets the page count worked out the same way.
 *
 * Two writers, one document: a document small enough to have its page numbers worked out
 * (PAGE_ESTIMATE_LIMIT) is built whole by docx, which the layout needs; a larger one is written
 * section by section (docxStream.ts), the same file but for the page numbers, so the export
 * worker's memory does not grow with the plan (tests/unit/export-docx-stream.test.ts compares
 * the two). The body is made as pieces for both: one per section of the plan, recommendation,
 * section in Annex B, annex, and the implementation plan's table row by row.
 *
 * Signed content: in the provenance annex each exported section's canonical lines
 * (shared/doc/canonical.ts) are written verbatim, one paragraph each (style "AccordCanonical"),
 * between two marker paragraphs `[begin signed content <sectionId>]` and
 * `[end signed content <sectionId>]` (style "AccordMarker"). sha256 of the lines between the
 * markers joined by "\n" is the sign-off content hash; see extractCanonicalBlocks in
 * server/export/extract.ts.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  type EstimatedPageNumbers,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  type PageNumberEstimator,
  Paragraph,
  type IPropertiesOptions,
  TableOfContents,
  TextRun,
  type ParagraphChild,
} from 'docx';
import {
  adoptedLine,
  actionFacts,
  actionHeading,
  gapsText,
  type Block,
  indicatorTable,
  type Inline,
  type ModelAction,
  type ModelChapter,
  type PlanModel,
  recommendationPosition,
  recommendationSource,
  safeHref,
  statusLabel,
  notIncludedText,
  isSigned,
  wordsOf,
} from '../model.ts';
import { xmlSafe, markerBegin, markerEnd } from './common.ts';
import { recommendationMeta } from '../recommendationMeta.ts';
import { annexHeading, organisationLabel, sideWords, type ModelAnnex } from '../annexes.ts';
import type { ExportWords } from '../i18n/index.ts';
import { documentStyles, GAP_COLOUR, MONO, noFurniture, pageFurniture, pageSetup, TEXT_WIDTH } from './docxPage.ts';
import { equalWidths, grid, richGrid, weightedWidths } from './docxTables.ts';
import { implementationAnnex } from './docxImplementation.ts';
import { implementationRows } from '../implementationPlan.ts';
import { type DocxBlock, type StreamedSection, wholeBlocks, writeDocxStreamed } from './docxStream.ts';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

type Body = DocxBlock[];

const BULLET = 'accord-bullet';
const NUMBER = 'accord-number';

function runs(inlines: Inline[], extra: { bold?: boolean } = {}): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const i of inlines) {
    if (i.br) {
      out.push(new TextRun({ text: '', break: 1 }));
      continue;
    }
    const opts = {
      text: xmlSafe(i.text),
      bold: i.bold || extra.bold,
      italics: i.italic,
      strike: i.strike,
      underline: i.underline ? {} : undefined,
      font: i.code ? MONO : undefined,
    };
    const href = safeHref(i.link);
    if (href) out.push(new ExternalHyperlink({ link: href, children: [new TextRun({ ...opts, style: 'Hyperlink' })] }));
    else out.push(new TextRun(opts));
  }
  return out;
}

const text = (s: string, opts: { bold?: boolean; italics?: boolean; size?: number; color?: string } = {}) =>
  new TextRun({ text: xmlSafe(s), ...opts });
const para = (s: string, opts: { bold?: boolean; italics?: boolean; style?: string; keepNext?: boolean; before?: number } = {}) =>
  new Paragraph({
    style: opts.style,
    keepNext: opts.keepNext,
    spacing: opts.before ? { before: opts.before } : undefined,
    children: [text(s, { bold: opts.bold, italics: opts.italics })],
  });
const heading = (level: (typeof HeadingLevel)[keyof typeof HeadingLevel], s: string, opts: { pageBreakBefore?: boolean } = {}) =>
  new Paragraph({ heading: level, pageBreakBefore: opts.pageBreakBefore, children: [text(s)] });

const HEADINGS = [HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

class Renderer {
  private listInstance = 0;

  blocks(blocks: Block[], depth = 0): Body {
    const out: Body = [];
    for (const b of blocks) {
      switch (b.type) {
        case 'paragraph':
          out.push(new Paragraph({ children: runs(b.inlines), indent: depth ? { left: 360 * depth } : undefined }));
          break;
        case 'heading':
          // Section text headings sit below the section's own Heading 2, out of the contents.
          out.push(new Paragraph({ heading: HEADINGS[Math.min(b.level - 1, 3)], children: runs(b.inlines) }));
          break;
        case 'list': {
          const instance = ++this.listInstance;
          for (const item of b.items) {
            let first = true;
            for (const child of item) {
              if (child.type === 'paragraph' && first) {
                out.push(
                  new Paragraph({
                    children: runs(child.inlines),
                    numbering: { reference: b.ordered ? NUMBER : BULLET, level: Math.min(depth, 8), instance },
                  }),
                );
              } else out.push(...this.blocks([child], depth + 1));
              first = false;
            }
          }
          break;
        }
        case 'blockquote':
          for (const p of this.blocks(b.blocks, depth)) out.push(p);
          break;
        case 'codeBlock':
          out.push(
            new Paragraph({
              children: b.text.split('\n').map((line, i) => new TextRun({ text: xmlSafe(line), font: MONO, break: i > 0 ? 1 : 0 })),
            }),
          );
          break;
        case 'table': {
          if (b.rows.length === 0) break;
          // The text's own header row (the first, when it is one) repeats on every page of the table.
          const [first, ...rest] = b.rows;
          const header = first!.header ? first! : null;
          const body = header ? rest : b.rows;
          const columns = Math.max(...b.rows.map((r) => r.cells.length), 1);
          const cell = (c: Inline[], bold = false) => [runs(c, { bold })];
          out.push(
            richGrid(
              header ? header.cells.map((c) => cell(c, true)) : null,
              body.map((row) => row.cells.map((c) => cell(c, row.header))),
              { widths: equalWidths(columns, TEXT_WIDTH.portrait - 360 * depth) },
            ),
            new Paragraph({ children: [] }),
          );
          break;
        }
        case 'rule':
          out.push(new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '999999', space: 1 } }, children: [] }));
          break;
      }
    }
    return out;
  }
}

// The fact table's label column, and the nine indicator columns (in a smaller type to fit).
const FACT_WIDTHS = weightedWidths([28, 72], TEXT_WIDTH.portrait);
const INDICATOR_WIDTHS = weightedWidths([10, 16, 9, 9, 7, 11, 10, 15, 13], TEXT_WIDTH.portrait);

function actionBody(a: ModelAction, model: PlanModel, words: ExportWords): Body {
  const out: Body = [new Paragraph({ heading: HeadingLevel.HEADING_3, children: [text(actionHeading(a, words))] })];
  const gaps = gapsText(a, model, words);
  if (gaps) out.push(para(gaps, { style: 'AccordGap' }));
  if (a.description) out.push(...a.description.split('\n').map((l) => para(l, { keepNext: true })));
  // The heading, its flag and the facts stay on one page.
  out.push(grid(null, actionFacts(a, model, words), { widths: FACT_WIDTHS, keyColumn: true, keepTogether: true }));
  if (a.indicators.length > 0) {
    out.push(para(words.w.document.indicators, { bold: true, keepNext: true, before: 160 }));
    const table = indicatorTable(a, words);
    out.push(grid(table.header, table.rows, { widths: INDICATOR_WIDTHS, style: 'AccordSmallTable' }));
  }
  out.push(new Paragraph({ children: [] }));
  return out;
}

/** Annexes C, D, …: the same shape for every one (server/export/annexes.ts). */
function annexBody(annex: ModelAnnex, index: number, words: ExportWords): Body {
  const out: Body = [heading(HeadingLevel.HEADING_1, annexHeading(annex, index, words), { pageBreakBefore: true }), ...annex.intro.map((p) => para(p))];
  if (annex.groups.length === 0) out.push(para(annex.empty, { italics: true }));
  for (const g of annex.groups) {
    out.push(heading(HeadingLevel.HEADING_3, g.heading));
    if (g.note) out.push(para(g.note, { italics: true }));
    for (const e of g.entries) {
      out.push(new Paragraph({ spacing: { before: 160 }, keepNext: true, children: [text(e.label, { bold: true }), text(` — ${e.byline}`)] }));
      out.push(...e.text.split('\n').map((l) => new Paragraph({ indent: { left: 360 }, children: [text(l)] })));
    }
  }
  return out;
}

/** The sections this export leaves out, numbered as in the plan ("1.2"), in plan order. */
function leftOutSections(model: PlanModel, words: ExportWords): string[] {
  const lines: string[] = [];
  model.chapters.forEach((c, ci) =>
    c.sections.forEach((s, si) => {
      if (!s.included)
        lines.push(words.t(words.w.layout.leftOutLine, { number: `${ci + 1}.${si + 1}`, title: s.title, reason: notIncludedText(s, words) }));
    }),
  );
  return lines;
}

/**
 * Whether a chapter is printed in the body, and whether it starts a page. A chapter with a section
 * in this export starts on a new page; one whose sections are all left out is not printed at all
 * (they are in the "Sections not included" list), so an agreed-only export has no pages of stubs;
 * a chapter with no sections yet is part of the outline and is printed where it falls, with no
 * page of its own.
 */
const hasContent = (c: ModelChapter) => c.sections.some((s) => s.included);
const isPrinted = (c: ModelChapter) => hasContent(c) || c.sections.length === 0;

function titlePage(model: PlanModel, words: ExportWords): Body {
  const { plan } = model;
  const { w } = words;
  const centre = (children: ParagraphChild[], spacing?: { before?: number; after?: number }) =>
    new Paragraph({ alignment: AlignmentType.CENTER, spacing, children });
  const adopted = adoptedLine(model, words);
  return [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, spacing: { before: 2400 }, children: [text(plan.title)] }),
    centre([text(`${plan.country}, ${plan.periodStart}–${plan.periodEnd}`, { size: 28 })]),
    ...(plan.source ? [centre([text(plan.source, { italics: true })])] : []),
    ...(adopted ? [centre([text(adopted, { bold: true })], { before: 300 })] : []),
    centre([text(model.scope === 'agreed' ? w.document.scopeAgreed : w.document.scopeCurrent)], { before: 600 }),
    ...(model.stamp ? [centre([text(model.stamp, { bold: true, color: GAP_COLOUR })])] : []),
    centre([text(words.t(w.document.exported, { time: words.time(model.exportedAt) }), { color: '555555' })], { before: 600 }),
    ...(model.documentNumber ? [centre([text(words.t(w.layout.documentNumber, { number: model.documentNumber }), { color: '555555' })])] : []),
    centre([text(model.madeFrom, { color: '555555', size: 18 })]),
  ];
}

/**
 * Working the pages out lays the whole document out twice (once without the page numbers, once
 * with them, to see they hold), at about 60 ms a page on the standard machine (150 ms when it is
 * loaded): 32 pages (the Belarus sample plan) cost 2 to 5 s, 215 pages 15 to 45 s and 120 MB of
 * heap, and a 200-section plan of some 2,000 pages would run out of the DOCX worker's heap. So
 * only a document of up to about this many characters of text (some 250 pages) has its
 * page numbers worked out. A larger one is written section by section (writeDocx), with the contents' entries but no page numbers,
 * the field marked for updating: Word fills them in when it opens the document (after asking), and
 * LibreOffice when someone updates the index; PAGE and NUMPAGES in the footers are worked out by
 * both as they lay out the pages, as always.
 */
export const PAGE_ESTIMATE_LIMIT = 800_000;

/** About how many characters of text the document holds: each section's text and actions twice (in the body and as its signed lines in Annex B), the recommendations and the annexes. */
export function textSize(model: PlanModel): number {
  let n = 0;
  for (const c of model.chapters) for (const s of c.sections) n += 300 + 2 * s.canonicalLines.reduce((a, l) => a + l.length + 1, 0);
  for (const r of model.recommendations) n += r.text.length + r.reference.length + 100;
  for (const a of model.annexes ?? []) for (const g of a.groups) for (const e of g.entries) n += e.text.length + e.byline.length + e.label.length;
  return n;
}

/**
 * Works out the pages as Word lays them out, so the contents and NUMPAGES carry their numbers, and
 * keeps what it worked out for the footers' PAGE fields. With `guess`, text it cannot measure as
 * Word does (a character Times New Roman lacks, set by Word in another typeface) is measured as
 * the nearest it knows rather than leaving every page number after it blank.
 */
async function pageEstimate(): Promise<{ estimator: PageNumberEstimator; result: () => EstimatedPageNumbers | undefined }> {
  // Loaded here, not with this module: every export worker imports the renderers, and the layout
  // code (7 MB of heap) is only needed by DOCX exports.
  const { estimatePageNumbersWith } = await import('docx/layout');
  const estimate = estimatePageNumbersWith({ guess: true });
  let result: EstimatedPageNumbers | undefined;
  const estimator: PageNumberEstimator = Object.assign((body: Parameters<PageNumberEstimator>[0], context: Parameters<PageNumberEstimator>[1]) => (result = estimate(body, context)), {
    listNumbers: estimate.listNumbers,
  });
  return { estimator, result: () => result };
}

/** The first section's body: title page, contents, what is left out, then each chapter and section of the plan, one piece per section. */
function* mainBody(model: PlanModel, words: ExportWords, onProgress?: (done: number, total: number) => void): Generator<Body> {
  const { w } = words;
  const r = new Renderer();
  const opening: Body = [...titlePage(model, words)];
  // One contents list: the TOC field, filled in (see the top of this file). Its heading is not a
  // Heading style, so the contents do not list "Contents".
  opening.push(new Paragraph({ style: 'AccordContentsHeading', pageBreakBefore: true, children: [text(w.document.contents)] }));
  opening.push(new TableOfContents(w.document.contents, { hyperlink: true, headingStyleRange: '1-2' }));
  // What this export leaves out, once, before chapter 1 (rather than a stub where each would be).
  const leftOut = leftOutSections(model, words);
  if (leftOut.length > 0) {
    opening.push(heading(HeadingLevel.HEADING_1, w.layout.leftOutHeading), para(w.layout.leftOutIntro, { keepNext: true }));
    for (const line of leftOut) opening.push(new Paragraph({ indent: { left: 360 }, children: [text(line)] }));
  }
  yield opening;

  const total = model.chapters.reduce((n, c) => n + c.sections.length, 0);
  let done = 0;
  for (const [ci, c] of model.chapters.entries()) {
    if (isPrinted(c)) yield [heading(HeadingLevel.HEADING_1, `${ci + 1}. ${c.title}`, { pageBreakBefore: hasContent(c) })];
    for (const [si, s] of c.sections.entries()) {
      if (s.included) {
        const out: Body = [heading(HeadingLevel.HEADING_2, `${ci + 1}.${si + 1} ${s.title}`)];
        out.push(
          new Paragraph({
            children: [
              text(`${w.document.status}: `, { bold: true }),
              text(statusLabel(s.status, words) + (s.agreedAt ? ` (${words.t(w.document.agreedOn, { time: words.time(s.agreedAt) })})` : '')),
            ],
          }),
        );
        for (const note of s.notes ?? []) out.push(para(note, { italics: true }));
        out.push(...r.blocks(s.blocks));
        for (const a of s.actions) out.push(...actionBody(a, model, words));
        yield out;
      }
      onProgress?.(++done, total);
    }
  }
}

/** The last section's body: Annex A (one piece per recommendation), Annex B (one per section of the plan), annexes C, D, …. */
function* annexesBody(model: PlanModel, words: ExportWords): Generator<Body> {
  const { w } = words;
  // The fixed annexes A and B come before C (annexLetter(-2) is A).
  const annexA = annexHeading({ title: w.document.annexA }, -2, words);
  const annexB = annexHeading({ title: w.document.annexB }, -1, words);
  // Annex A (it opens a new section, so a new page)
  yield [heading(HeadingLevel.HEADING_1, annexA)];
  if (model.recommendations.length === 0) yield [para(w.document.noRecommendations, { italics: true })];
  for (const rec of model.recommendations) {
    const out: Body = [
      new Paragraph({
        spacing: { before: 200 },
        keepNext: true,
        children: [text(rec.reference, { bold: true }), text(` — ${recommendationSource(rec, words)} — ${recommendationPosition(rec, words)}`)],
      }),
    ];
    for (const line of recommendationMeta(rec, words)) out.push(para(line, { italics: true, keepNext: true }));
    out.push(...rec.text.split('\n').map((l) => para(l)));
    yield out;
  }

  // Annex B
  const pv = w.provenance;
  yield [
    heading(HeadingLevel.HEADING_1, annexB, { pageBreakBefore: true }),
    para(`${pv.exported}: ${words.time(model.exportedAt)}`),
    para(`${pv.scope}: ${model.scope === 'agreed' ? pv.scopeAgreed : pv.scopeCurrent}`),
    para(`${pv.madeFrom}: ${model.madeFrom}`),
    para(pv.markerNote, { italics: true }),
  ];
  const signerWidths = weightedWidths([16, 20, 12, 18, 34], TEXT_WIDTH.portrait);
  for (const c of model.chapters) {
    for (const s of c.sections) {
      const out: Body = [heading(HeadingLevel.HEADING_3, `${c.title} — ${s.title}`)];
      if (s.included) for (const note of s.notes ?? []) out.push(para(note, { italics: true }));
      out.push(
        grid(
          null,
          [
            [w.document.status, statusLabel(s.status, words)],
            [pv.agreedAt, s.agreedAt ?? '—'],
            [pv.agreedHash, s.agreedHash ?? '—'],
            [pv.exportedHash, s.included ? s.currentHash : pv.notExported],
          ],
          { widths: FACT_WIDTHS, keyColumn: true, keepTogether: true },
        ),
      );
      if (s.signers.length > 0) {
        out.push(para(pv.signedBy, { bold: true, keepNext: true, before: 160 }));
        out.push(
          grid(
            [pv.name, pv.organisation, pv.side, pv.signedAt, pv.contentHash],
            s.signers.map((g) => [g.name, organisationLabel(g.organisation, g.verified, words), sideWords(g.side, words), g.signedAt, g.contentHash]),
            { widths: signerWidths, style: 'AccordSmallTable' },
          ),
        );
      }
      if (s.included) {
        const signed = isSigned(s);
        out.push(new Paragraph({ style: 'AccordMarker', children: [text(markerBegin(s.id, signed))] }));
        for (const line of s.canonicalLines) out.push(new Paragraph({ style: 'AccordCanonical', children: [text(line)] }));
        out.push(new Paragraph({ style: 'AccordMarker', children: [text(markerEnd(s.id, signed))] }));
      }
      yield out;
    }
  }

  for (const [i, annex] of (model.annexes ?? []).entries()) yield annexBody(annex, i, words);
}

/** The document's properties, its three sections (upright, on its side, upright) and their bodies, made piece by piece as they are read. */
function docxPlan(
  model: PlanModel,
  pages: Awaited<ReturnType<typeof pageEstimate>> | null,
  onProgress?: (done: number, total: number) => void,
): { options: Omit<IPropertiesOptions, 'sections'>; sections: StreamedSection[] } {
  const { plan } = model;
  const words = wordsOf(model);
  const { w } = words;

  // Sections of pages: upright (title page, contents, chapters), on its side (the implementation
  // plan, when the export has actions), upright again (annexes A, B, …). Each footer's PAGE is
  // cached with the first page it shows on: page 2 (after the title page), then where its section
  // starts.
  const sectionStart = (index: number) => () => {
    const counts = pages?.result()?.sectionPageCounts;
    if (index === 0) return 2;
    if (!counts || counts.slice(0, index).some((n) => n === undefined)) return undefined;
    return 1 + counts.slice(0, index).reduce<number>((a, n) => a + (n ?? 0), 0);
  };
  const first = pageFurniture(model, words, 'portrait', sectionStart(0));
  const blank = noFurniture();
  const sections: StreamedSection[] = [
    {
      // The title page has neither header nor footer.
      options: {
        properties: { ...pageSetup('portrait'), titlePage: true },
        headers: { ...first.headers, first: blank.header },
        footers: { ...first.footers, first: blank.footer },
      },
      body: mainBody(model, words, onProgress),
    },
  ];
  if (implementationRows(model, words).length > 0)
    sections.push({
      options: { properties: pageSetup('landscape'), ...pageFurniture(model, words, 'landscape', sectionStart(sections.length)) },
      body: (function* () {
        const implementation = implementationAnnex(model, words);
        if (implementation) yield implementation;
      })(),
    });
  sections.push({ options: { properties: pageSetup('portrait'), ...pageFurniture(model, words, 'portrait', sectionStart(sections.length)) }, body: annexesBody(model, words) });

  const options: Omit<IPropertiesOptions, 'sections'> = {
    creator: 'Accord',
    title: xmlSafe(plan.title),
    description: words.t(w.document.description, { scope: model.scope === 'agreed' ? w.provenance.scopeAgreed : w.provenance.scopeCurrent }),
    styles: documentStyles(words),
    pageNumbers: pages?.estimator,
    numbering: {
      config: [
        {
          reference: BULLET,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.BULLET,
            text: level % 2 ? '◦' : '•',
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
        {
          reference: NUMBER,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: level % 2 ? LevelFormat.LOWER_LETTER : LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
  };
  return { options, sections };
}

/** The whole DOCX in memory, its page numbers worked out when it is small enough (PAGE_ESTIMATE_LIMIT). */
export async function renderDocx(
  model: PlanModel,
  onProgress?: (done: number, total: number) => void,
  { pageNumbers = textSize(model) <= PAGE_ESTIMATE_LIMIT }: { pageNumbers?: boolean } = {},
): Promise<Buffer> {
  const pages = pageNumbers ? await pageEstimate() : null;
  const { options, sections } = docxPlan(model, pages, onProgress);
  const doc = new Document({ ...options, sections: sections.map((s) => ({ ...s.options, children: wholeBlocks([...s.body].flat()) })) });
  return Packer.toBuffer(doc);
}

/**
 * Writes the DOCX into `out`. A document small enough to have its page numbers worked out
 * (PAGE_ESTIMATE_LIMIT) is built whole, as the layout needs the whole body; a larger one is
 * written section by section (docxStream.ts), so its memory does not grow with the plan.
 */
export async function writeDocx(model: PlanModel, out: Writable, onProgress?: (done: number, total: number) => void, scratchFile?: string): Promise<void> {
  if (textSize(model) <= PAGE_ESTIMATE_LIMIT) {
    const bytes = await renderDocx(model, onProgress);
    const done = finished(out);
    if (!out.write(bytes)) await once(out, 'drain');
    out.end();
    return done;
  }
  return streamDocx(model, out, onProgress, scratchFile);
}

/** The DOCX written section by section, without page numbers, whatever its size. */
export function streamDocx(model: PlanModel, out: Writable, onProgress?: (done: number, total: number) => void, scratchFile?: string): Promise<void> {
  const { options, sections } = docxPlan(model, null, onProgress);
  return writeDocxStreamed(options, sections, out, TEXT_WIDTH.portrait, scratchFile);
}
