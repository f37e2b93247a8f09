/**
 * The plan as a PDF a ministry can table, drawn with pdfkit (no browser): title page with the
 * status stamp and document number; contents with page numbers; the chapters, laid out by content;
 * the sections this export leaves out, listed once; the implementation plan (landscape); annexes
 * A (recommendations), B (provenance, with each section's signed content between markers), C, D….
 * Every page after the title page has a running header (plan title, stamp) and footer (document
 * number, export date, "Page n of m"). Same content as the DOCX.
 *
 * Two passes. "Page n of m" and the contents' page numbers need to know where the pages end, and
 * pdfkit writes each page out as soon as the next begins (bufferPages off) so that a big plan's PDF
 * never sits whole in memory. So the plan is laid out twice with the same code: the first pass
 * counts pages and notes the page of every heading, its output thrown away as it is made (not
 * compressed either, as compression does not move anything); the second writes the file with those
 * numbers. Nothing the second pass prints differently (the numbers) can move anything: the page
 * numbers sit in fixed-width places and the footer in the margin. Memory stays what one pass takes
 * (the first pass's document is garbage before the second begins); the time is about twice one
 * pass: the generated 200-section plan took 68–76 s against 36–46 s for the single-pass renderer
 * before, on a shared 2-core machine, at 171–207 MB above idle against 200–220 MB (docs/benchmarks.md).
 * The alternative, pdfkit's bufferPages, would keep every page of the file in memory to the end.
 */
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  adoptedLine,
  actionFacts,
  actionHeading,
  gapsText,
  indicatorTable,
  type ModelAction,
  type ModelSection,
  type PlanModel,
  statusLabel,
  notIncludedText,
  wordsOf,
} from '../model.ts';
import { annexHeading } from '../annexes.ts';
import type { ExportWords } from '../i18n/index.ts';
import { annexKey, genericAnnex, hasImplementationPlan, implementationAnnex, type Pause, provenanceAnnex, recommendationsAnnex } from './pdfAnnexes.ts';
import { clean, PdfWriter } from './pdfWriter.ts';

export { PdfWriter } from './pdfWriter.ts';

/** The page margins: the running header and footer sit in the top and bottom ones. */
const MARGINS = { top: 70, bottom: 70, left: 56, right: 56 };
const GAP_COLOUR = '#8a4b00';
/** About what an action's facts table takes (seven one-line rows and the space after it). */
const FACTS_HEIGHT = 135;

/** What the layout pass found: how many pages, and the page of each heading by key. */
interface PageMap {
  pages: number;
  marks: Map<string, number>;
}

const chapterKey = (ci: number) => `ch-${ci + 1}`;
const sectionKey = (ci: number, si: number) => `sec-${ci + 1}-${si + 1}`;
const LEFT_OUT_KEY = 'left-out';

/** The whole PDF in memory (for tests and small documents); exports stream it with writePdf. */
export async function renderPdf(model: PlanModel, onProgress?: (done: number, total: number) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writePdf(model, sink, onProgress);
  return Buffer.concat(chunks);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Lets what has been drawn so far flow out before more is drawn: pdfkit writes each page out when
 * it ends, and drawing is synchronous, so without these pauses the whole file would wait in memory.
 */
async function breathe(out: Writable): Promise<void> {
  await nextTurn();
  while (out.writableNeedDrain) await once(out, 'drain');
}

/** Draws the plan's PDF into `out` as it goes; resolves once `out` has taken all of it. */
export async function writePdf(model: PlanModel, out: Writable, onProgress?: (done: number, total: number) => void): Promise<void> {
  const total = model.chapters.reduce((n, c) => n + c.sections.length, 0);
  // Each pass is half the work.
  const counted = await drawPlan(model, null, null, (d) => onProgress?.(Math.floor(d / 2), total));
  const written = await drawPlan(model, out, counted, (d) => onProgress?.(Math.floor((total + d) / 2), total));
  // The contents would lie if the passes differed: better no file than a wrong one.
  const moved = [...counted.marks].filter(([key, page]) => written.marks.get(key) !== page);
  if (written.pages !== counted.pages || moved.length > 0) {
    throw new Error(`The PDF's layout changed between its passes (${counted.pages} → ${written.pages} pages; moved: ${moved.map(([k]) => k).join(', ')}).`);
  }
}

/** One pass: into `out`, or (out null) only to learn where the pages fall. */
async function drawPlan(model: PlanModel, out: Writable | null, known: PageMap | null, progress: (done: number) => void): Promise<PageMap> {
  const words = wordsOf(model);
  const l = words.w.layout;
  const w = new PdfWriter(model.plan.title, words.language, {
    margins: MARGINS,
    compress: out !== null,
    furniture: {
      title: model.plan.title,
      stamp: model.stamp ?? null,
      footerLeft: model.documentNumber ? words.t(l.documentNumber, { number: model.documentNumber }) : '',
      footerCentre: words.t(l.exportedOn, { date: words.date(model.exportedAt) }),
      // The layout pass cannot know the total yet; nothing it draws is kept.
      pageOf: (page) => words.t(l.pageOf, { page, pages: known?.pages ?? '…' }),
    },
  });
  const { doc } = w;
  let finished: Promise<void> | null = null;
  if (out) {
    finished = pipeline(doc, out);
    // A failed output stops the drawing too (breathe waits on it).
    finished.catch(() => {});
  } else {
    // Thrown away as it is made. The stream only starts to flow on a later turn of the event loop;
    // until then pdfkit's output would pile up in it, so the pass waits for that turn first (and
    // gives the event loop a turn after each section, as the writing pass does).
    doc.on('data', () => {});
    await nextTurn();
  }
  const pause: Pause = async () => {
    w.forgetWordShapes();
    await (out ? breathe(out) : nextTurn());
  };

  titlePage(w, model, words);
  contents(w, model, words, known);
  let done = 0;
  await body(w, model, words, async () => {
    progress(++done);
    await pause();
  });
  leftOut(w, model, words);
  if (hasImplementationPlan(model)) await implementationAnnex(w, model, words, pause);
  await recommendationsAnnex(w, model, words, pause);
  await provenanceAnnex(w, model, words, pause);
  (model.annexes ?? []).forEach((annex, i) => genericAnnex(w, annex, i, words));
  w.finish();
  const map = { pages: w.pageNumber, marks: w.marks };
  if (finished) {
    doc.end();
    await finished;
  }
  return map;
}

function titlePage(w: PdfWriter, model: PlanModel, words: ExportWords) {
  const { doc } = w;
  const t = words.w;
  const { plan } = model;
  const centred = { align: 'center', width: w.width } as const;
  if (model.stamp) {
    // The stamp as a ministry's registry would put it: boxed, at the top.
    const stamp = clean(model.stamp);
    doc.font('bold').fontSize(12);
    const width = doc.widthOfString(stamp) + 24;
    const x = w.left + (w.width - width) / 2;
    const y = w.top + 20;
    w.artifact(() => doc.roundedRect(x, y, width, 26, 3).lineWidth(1.2).stroke('#a12622'));
    w.tag('P', () => doc.fillColor('#a12622').text(stamp, x, y + 7, { width, align: 'center' }));
    doc.fillColor('black');
  }
  doc.y = w.top + 190;
  w.tag('H1', () => doc.font('bold').fontSize(24).fillColor('#1d3f6b').text(clean(plan.title), w.left, undefined, centred));
  doc.fillColor('black').moveDown(1);
  w.tag('P', () => doc.font('regular').fontSize(14).text(clean(`${plan.country}, ${plan.periodStart}–${plan.periodEnd}`), centred));
  if (plan.source) {
    doc.moveDown(0.5);
    w.tag('P', () => doc.font('italic').fontSize(11).text(clean(plan.source!), centred));
  }
  const adopted = adoptedLine(model, words);
  if (adopted) {
    doc.moveDown(0.8);
    w.tag('P', () => doc.font('bold').fontSize(11).text(clean(adopted), centred));
  }
  doc.moveDown(3);
  w.tag('P', () => doc.font('regular').fontSize(11).text(model.scope === 'agreed' ? t.document.scopeAgreed : t.document.scopeCurrent, centred));
  doc.moveDown(0.5);
  w.tag('P', () =>
    doc
      .fillColor('#555555')
      .fontSize(9)
      .text(clean(`${words.t(t.document.exported, { time: words.time(model.exportedAt) })}\n${model.madeFrom}`), centred),
  );
  if (model.documentNumber) {
    doc.moveDown(1.5);
    w.tag('P', () => doc.font('bold').fontSize(10).fillColor('black').text(words.t(t.layout.documentNumber, { number: model.documentNumber! }), centred));
  }
  doc.font('regular').fillColor('black').fontSize(10.5);
}

interface ContentsEntry {
  key: string;
  text: string;
  level: 0 | 1;
}

/** What the contents list, in order: every heading the body and annexes print (not the contents itself). */
function contentsEntries(model: PlanModel, words: ExportWords): ContentsEntry[] {
  const entries: ContentsEntry[] = [];
  model.chapters.forEach((c, ci) => {
    if (!c.sections.some((s) => s.included)) return;
    entries.push({ key: chapterKey(ci), text: `${ci + 1}. ${c.title}`, level: 0 });
    c.sections.forEach((s, si) => {
      if (s.included) entries.push({ key: sectionKey(ci, si), text: `${ci + 1}.${si + 1} ${s.title}`, level: 1 });
    });
  });
  const t = words.w;
  if (leftOutSections(model).length > 0) entries.push({ key: LEFT_OUT_KEY, text: t.layout.leftOutHeading, level: 0 });
  if (hasImplementationPlan(model)) entries.push({ key: annexKey.implementation, text: t.layout.implementationAnnex, level: 0 });
  entries.push({ key: annexKey.recommendations, text: annexHeading({ title: t.document.annexA }, -2, words), level: 0 });
  entries.push({ key: annexKey.provenance, text: annexHeading({ title: t.document.annexB }, -1, words), level: 0 });
  (model.annexes ?? []).forEach((annex, i) => entries.push({ key: annexKey.other(i), text: annexHeading(annex, i, words), level: 0 }));
  return entries;
}

/**
 * The contents: each entry a link to its heading, its page number right-aligned after dot leaders.
 * The numbers come from the layout pass (`known`); the number column has a fixed width, so the
 * entries wrap the same in both passes.
 */
function contents(w: PdfWriter, model: PlanModel, words: ExportWords, known: PageMap | null) {
  const { doc } = w;
  w.newPage('portrait');
  w.heading(words.w.document.contents, 16);
  const numberWidth = 32;
  const right = w.left + w.width;
  doc.font('bold').fontSize(8).fillColor('#555555');
  const label = clean(words.w.layout.contentsPage);
  const labelY = doc.y;
  w.artifact(() => doc.text(label, right - doc.widthOfString(label), labelY, { lineBreak: false }));
  doc.y = labelY + 14;
  const toc = w.group('TOC');
  for (const entry of contentsEntries(model, words)) {
    const indent = entry.level * 18;
    const font = entry.level === 0 ? 'bold' : 'regular';
    const size = entry.level === 0 ? 10.5 : 10;
    const x = w.left + indent;
    const textWidth = w.width - indent - numberWidth - 8;
    const text = clean(entry.text);
    const height = w.measure(text, font, size, textWidth);
    if (entry.level === 0) doc.moveDown(0.25);
    w.ensure(height + 6);
    const y = doc.y;
    const page = String(known?.marks.get(entry.key) ?? '');
    const item = w.group('TOCI', toc);
    w.tag('Reference', () => doc.font(font).fontSize(size).fillColor('black').text(text, x, y, { width: textWidth, goTo: entry.key }), item);
    const after = doc.y;
    // The last line of the entry carries the leaders and the number.
    const lastLine = after - doc.currentLineHeight(true);
    doc.font(font).fontSize(size);
    const oneLine = doc.widthOfString(text) <= textWidth;
    const leadersFrom = oneLine ? x + doc.widthOfString(text) + 4 : x;
    const numberX = right - doc.widthOfString(page);
    if (oneLine) {
      const dot = doc.widthOfString('.');
      const count = Math.floor((right - numberWidth - leadersFrom) / dot);
      if (count > 2) w.artifact(() => doc.fillColor('#888888').text('.'.repeat(count), leadersFrom, lastLine, { lineBreak: false }));
    }
    w.tag('Lbl', () => doc.fillColor('black').text(page, numberX, lastLine, { lineBreak: false }), item);
    item.end();
    doc.x = w.left;
    doc.y = after + 2;
  }
  toc.end();
  doc.font('regular').fontSize(10.5).fillColor('black');
}

/** The sections this export leaves out, with their chapter's index and their own. */
function leftOutSections(model: PlanModel): Array<{ s: ModelSection; ci: number; si: number }> {
  return model.chapters.flatMap((c, ci) => c.sections.flatMap((s, si) => (s.included ? [] : [{ s, ci, si }])));
}

/**
 * Where a chapter (or the list of sections left out) starts. A chapter with nothing included is
 * not printed at all: not even its heading. One with something to print starts on a new page when
 * less than half of the current page is left, and otherwise follows the one before it after some
 * space: chapters stay visibly apart, without the half-empty pages a page per chapter gave an
 * agreed-only export, where most chapters hold a section or two.
 */
function startChapter(w: PdfWriter, first: boolean) {
  if (first || w.spaceLeft < w.pageHeight / 2) w.newPage('portrait');
  else w.doc.moveDown(1.5);
}

async function body(w: PdfWriter, model: PlanModel, words: ExportWords, sectionDone: () => Promise<void>) {
  const t = words.w;
  let first = true;
  for (const [ci, c] of model.chapters.entries()) {
    if (c.sections.some((s) => s.included)) {
      startChapter(w, first);
      first = false;
      const item = w.heading(`${ci + 1}. ${c.title}`, 16, { outline: true, mark: chapterKey(ci) });
      for (const [si, s] of c.sections.entries()) {
        if (s.included) {
          w.heading(`${ci + 1}.${si + 1} ${s.title}`, 13, { outline: true, parent: item, mark: sectionKey(ci, si) });
          const agreed = s.agreedAt ? ` (${words.t(t.document.agreedOn, { time: words.time(s.agreedAt) })})` : '';
          w.para(`${t.document.status}: ${statusLabel(s.status, words)}${agreed}`, { font: 'italic', color: '#444444' });
          w.doc.moveDown(0.3);
          for (const note of s.notes ?? []) {
            w.para(note, { font: 'italic', color: '#444444' });
            w.doc.moveDown(0.3);
          }
          w.blocks(s.blocks);
          for (const a of s.actions) action(w, a, model, words);
        }
        await sectionDone();
      }
    } else for (const _ of c.sections) await sectionDone();
  }
}

/**
 * An action: its plan-wide number and title, what it lacks (in a draft), its facts and its
 * indicators with all nine columns, set smaller than the text so they stay whole on the page.
 */
function action(w: PdfWriter, a: ModelAction, model: PlanModel, words: ExportWords) {
  const { doc } = w;
  const heading = actionHeading(a, words);
  const gaps = gapsText(a, model, words);
  const headingHeight = w.measure(heading, 'bold', 11) + (gaps ? w.measure(gaps, 'bold', 9.5) : 0);
  // The heading with its gap flag, description and facts on one page when they take less than
  // two thirds of one; else at least with the first lines under it.
  const withFacts = headingHeight + (a.description ? w.measure(a.description, 'regular', 10.5) : 0) + FACTS_HEIGHT;
  w.ensure(withFacts <= (w.pageHeight * 2) / 3 ? withFacts : headingHeight + 70);
  doc.moveDown(0.8);
  // An action is a heading of its own (below the section's H2), so it can be found by heading.
  w.tag('H3', () => doc.font('bold').fontSize(11).fillColor('#1d3f6b').text(clean(heading), w.left, undefined, { width: w.width }));
  doc.font('regular').fontSize(10.5).fillColor('black');
  if (gaps) {
    // Amber and bold, with a bar beside it: a reader must not miss that the action is incomplete.
    const y = doc.y;
    w.para(gaps, { font: 'bold', size: 9.5, color: GAP_COLOUR, indent: 8 });
    w.artifact(() => doc.rect(w.left, y, 3, doc.y - y).fill('#d98e04'));
    doc.fillColor('black');
  }
  if (a.description) w.para(a.description);
  doc.moveDown(0.2);
  w.grid(actionFacts(a, model, words), [0.3, 0.7], false);
  if (a.indicators.length > 0) {
    const table = indicatorTable(a, words);
    w.grid([table.header, ...table.rows], [0.08, 0.26, 0.09, 0.09, 0.08, 0.1, 0.09, 0.11, 0.1], true, w.root, {
      size: 7.5,
      minSize: 6,
      caption: words.w.document.indicators,
      continued: `${heading} ${words.w.layout.continued}`,
    });
  }
}

/**
 * The sections not in this export, listed once after the body, not as stubs where they would be:
 * the body then holds only what the export includes, read without interruption from the contents
 * on, and a reader who finds a gap in the numbering (1.1, 1.3) finds it explained in one place,
 * which the contents point to. Grouped under their chapters, numbered as in the plan.
 */
function leftOut(w: PdfWriter, model: PlanModel, words: ExportWords) {
  const list = leftOutSections(model);
  if (list.length === 0) return;
  const l = words.w.layout;
  startChapter(w, false);
  w.heading(l.leftOutHeading, 16, { outline: true, mark: LEFT_OUT_KEY });
  w.para(l.leftOutIntro);
  w.doc.moveDown(0.3);
  let chapter = -1;
  let group: PDFKit.PDFStructureElement | null = null;
  for (const { s, ci, si } of list) {
    if (ci !== chapter) {
      group?.end();
      chapter = ci;
      w.ensure(40);
      w.doc.moveDown(0.3);
      w.para(`${ci + 1}. ${model.chapters[ci]!.title}`, { font: 'bold' });
      group = w.group('L');
    }
    const item = w.group('LI', group!);
    const body = w.group('LBody', item);
    w.para(words.t(l.leftOutLine, { number: `${ci + 1}.${si + 1}`, title: s.title, reason: notIncludedText(s, words) }), { indent: 14, size: 10, parent: body });
    body.end();
    item.end();
    w.doc.moveDown(0.15);
  }
  group?.end();
}
