/**
 * PDF for publication, drawn with pdfkit (no browser). Text is set in DejaVu Sans, embedded from
 * the `dejavu-fonts-ttf` npm package, so Belarusian and Russian (Cyrillic) render everywhere.
 * Same content as the DOCX: title page, contents, chapters, sections, action tables as grids,
 * recommendation annex, provenance annex with each section's signed content between markers.
 *
 * Tagged PDF (PDF/UA's basis): the document carries its language (/Lang) and a structure tree in
 * reading order — headings H1–H3, paragraphs P, lists L/LI/LBody, tables Table/TR/TH/TD, charts as
 * Figure with their description — so screen readers and reflow read it as a document, not as
 * positioned glyphs. Cell shading, borders and rules are marked as artifacts.
 */
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import {
  actionFacts,
  type Block,
  indicatorTable,
  type Inline,
  type ModelAction,
  type PlanModel,
  positionLabel,
  recommendationSource,
  safeHref,
  statusLabel,
  notIncludedText,
  isSigned,
  wordsOf,
} from '../model.ts';
import { markerBegin, markerEnd, xmlSafe } from './common.ts';
import { annexHeading, organisationLabel, sideWords, type ModelAnnex } from '../annexes.ts';
import type { ExportLanguage } from '../../../shared/api/agreement.ts';
import { exportWords, type ExportWords } from '../i18n/index.ts';

const require = createRequire(import.meta.url);
const font = (file: string) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`);
const FONTS = {
  regular: font('DejaVuSans.ttf'),
  bold: font('DejaVuSans-Bold.ttf'),
  italic: font('DejaVuSans-Oblique.ttf'),
  boldItalic: font('DejaVuSans-BoldOblique.ttf'),
  mono: font('DejaVuSansMono.ttf'),
};

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;
/** Heading levels by the sizes the writers use. */
const headingTag = (size: number) => (size >= 16 ? 'H1' : size >= 13 ? 'H2' : 'H3');
const MARGIN = 56;
const clean = (s: string) => xmlSafe(s).replace(/\t/g, '    ');

export class PdfWriter {
  readonly doc: Doc;
  /** The structure tree's root: everything drawn is tagged under it, in reading order. */
  readonly root: Struct;
  constructor(title: string, language: ExportLanguage = 'en') {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: false,
      info: { Title: clean(title), Creator: 'Accord' },
      autoFirstPage: true,
      pdfVersion: '1.7',
      tagged: true,
      lang: language,
      // Viewers show the title, not the file name, in their title bar (PDF/UA).
      displayTitle: true,
    });
    for (const [name, path] of Object.entries(FONTS)) this.doc.registerFont(name, path);
    this.doc.font('regular').fontSize(10.5);
    this.root = this.doc.struct('Document');
    this.doc.addStructure(this.root);
  }
  /** A structure element of `type` under `parent` whose content is what `draw` draws. */
  tag(type: string, draw: () => void, parent: Struct = this.root, options: { alt?: string } = {}) {
    const el = this.doc.struct(type, options);
    parent.add(el);
    el.add(draw);
    el.end();
  }
  /** A structure element to put others in (a table, a list); end() it when done. */
  group(type: string, parent: Struct = this.root): Struct {
    const el = this.doc.struct(type);
    parent.add(el);
    return el;
  }
  /** Drawing that is decoration (shading, borders, rules): no reader should read it. */
  artifact(draw: () => void) {
    this.doc.markContent('Artifact');
    draw();
    this.doc.endMarkedContent();
  }
  /** Closes the structure tree: call before doc.end(). */
  finish() {
    this.root.end();
  }
  get width() {
    return this.doc.page.width - MARGIN * 2;
  }
  get bottom() {
    return this.doc.page.height - MARGIN;
  }
  ensure(height: number) {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }
  heading(textValue: string, size: number, opts: { outline?: boolean; parent?: PDFKit.PDFOutline } = {}) {
    this.ensure(size * 3);
    this.doc.moveDown(0.6);
    this.tag(headingTag(size), () => this.doc.font('bold').fontSize(size).fillColor('#1d3f6b').text(clean(textValue), MARGIN, undefined, { width: this.width }));
    this.doc.font('regular').fontSize(10.5).fillColor('black').moveDown(0.3);
    return opts.outline ? (opts.parent ?? this.doc.outline).addItem(clean(textValue)) : undefined;
  }
  para(textValue: string, opts: { font?: string; size?: number; color?: string; indent?: number; parent?: Struct } = {}) {
    this.tag(
      'P',
      () =>
        this.doc
          .font(opts.font ?? 'regular')
          .fontSize(opts.size ?? 10.5)
          .fillColor(opts.color ?? 'black')
          .text(clean(textValue), MARGIN + (opts.indent ?? 0), undefined, { width: this.width - (opts.indent ?? 0) }),
      opts.parent,
    );
    this.doc.font('regular').fontSize(10.5).fillColor('black');
  }
  inlines(list: Inline[], indent = 0, prefix = '', parent: Struct = this.root, type = 'P') {
    this.tag(type, () => this.drawInlines(list, indent, prefix), parent);
  }
  private drawInlines(list: Inline[], indent: number, prefix: string) {
    const parts = list.length === 0 ? [{ text: ' ' } as Inline] : list;
    const x = MARGIN + indent;
    const width = this.width - indent;
    if (prefix) this.doc.font('regular').text(prefix, x, undefined, { width, continued: true });
    parts.forEach((i, n) => {
      const last = n === parts.length - 1;
      const f = i.code ? 'mono' : i.bold && i.italic ? 'boldItalic' : i.bold ? 'bold' : i.italic ? 'italic' : 'regular';
      const href = safeHref(i.link);
      this.doc
        .font(f)
        .fillColor(href ? '#1a4fa0' : 'black')
        .text(i.br ? '\n' : clean(i.text), n === 0 && !prefix ? x : undefined, undefined, {
          width,
          continued: !last,
          underline: Boolean(i.underline || href),
          strike: Boolean(i.strike),
          link: href ?? undefined,
        });
    });
    this.doc.font('regular').fillColor('black');
  }
  /** A grid: column widths as fractions; header row shaded. */
  grid(rows: string[][], fractions: number[], header: boolean, parent: Struct = this.root) {
    const pad = 3;
    const widths = fractions.map((f) => f * this.width);
    const table = this.group('Table', parent);
    rows.forEach((row, r) => {
      const tr = this.group('TR', table);
      const bold = (c: number) => (header && r === 0) || (!header && c === 0);
      const heights = row.map((cellText, c) => {
        this.doc.font(bold(c) ? 'bold' : 'regular').fontSize(9);
        return this.doc.heightOfString(clean(cellText) || ' ', { width: widths[c]! - pad * 2 }) + pad * 2;
      });
      const h = Math.max(...heights);
      this.ensure(h);
      const y = this.doc.y;
      let x = MARGIN;
      row.forEach((cellText, c) => {
        const w = widths[c]!;
        const cellX = x;
        this.artifact(() => {
          if (bold(c)) this.doc.rect(cellX, y, w, h).fill('#e7eef7');
          this.doc.rect(cellX, y, w, h).lineWidth(0.5).stroke('#999999');
        });
        // Shaded cells are headers: of their column (header row) or of their row (first column).
        this.tag(
          bold(c) ? 'TH' : 'TD',
          () =>
            this.doc
              .fillColor('black')
              .font(bold(c) ? 'bold' : 'regular')
              .fontSize(9)
              .text(clean(cellText) || ' ', cellX + pad, y + pad, { width: w - pad * 2 }),
          tr,
        );
        x += w;
      });
      tr.end();
      this.doc.x = MARGIN;
      this.doc.y = y + h;
    });
    table.end();
    this.doc.font('regular').fontSize(10.5).moveDown(0.5);
  }
  blocks(list: Block[], indent = 0, parent: Struct = this.root) {
    for (const b of list) {
      switch (b.type) {
        case 'paragraph':
          this.inlines(b.inlines, indent, '', parent);
          this.doc.moveDown(0.3);
          break;
        case 'heading':
          // Headings in a section's text sit below the section's own H2.
          this.doc.moveDown(0.3).fontSize(Math.max(13 - b.level, 10.5));
          this.inlines(b.inlines.map((i) => ({ ...i, bold: true })), indent, '', parent, `H${Math.min(b.level + 2, 6)}`);
          this.doc.fontSize(10.5).moveDown(0.2);
          break;
        case 'list': {
          const l = this.group('L', parent);
          b.items.forEach((item, n) => {
            const prefix = b.ordered ? `${n + 1}. ` : '• ';
            const li = this.group('LI', l);
            const body = this.group('LBody', li);
            item.forEach((child, ci) => {
              if (ci === 0 && child.type === 'paragraph') this.inlines(child.inlines, indent + 14, prefix, body);
              else this.blocks([child], indent + 14, body);
            });
            body.end();
            li.end();
          });
          l.end();
          this.doc.moveDown(0.3);
          break;
        }
        case 'blockquote': {
          const quote = this.group('BlockQuote', parent);
          this.blocks(b.blocks, indent + 18, quote);
          quote.end();
          break;
        }
        case 'codeBlock':
          this.para(b.text, { font: 'mono', size: 9, indent, parent });
          this.doc.moveDown(0.3);
          break;
        case 'table': {
          const width = Math.max(1, ...b.rows.map((r) => r.cells.length));
          const rows = b.rows.map((r) => Array.from({ length: width }, (_, i) => (r.cells[i] ?? []).map((x) => (x.br ? '\n' : x.text)).join('')));
          this.grid(rows, Array.from({ length: width }, () => 1 / width), b.rows[0]?.header ?? false, parent);
          break;
        }
        case 'rule':
          this.artifact(() =>
            this.doc
              .moveTo(MARGIN, this.doc.y + 4)
              .lineTo(MARGIN + this.width, this.doc.y + 4)
              .stroke('#999999'),
          );
          this.doc.moveDown(0.6);
          break;
      }
    }
  }
  /** Annexes C, D, …: the same shape for every one (server/export/annexes.ts). */
  annex(annex: ModelAnnex, index: number, words: ExportWords = exportWords()) {
    this.doc.addPage();
    this.heading(annexHeading(annex, index, words), 16, { outline: true });
    for (const p of annex.intro) {
      this.para(p, { size: 9.5, color: '#444444' });
      this.doc.moveDown(0.3);
    }
    if (annex.groups.length === 0) this.para(annex.empty, { font: 'italic' });
    for (const g of annex.groups) {
      this.heading(g.heading, 11.5);
      if (g.note) this.para(g.note, { font: 'italic', color: '#444444' });
      for (const e of g.entries) {
        this.ensure(40);
        this.doc.moveDown(0.3);
        this.para(e.label, { font: 'bold' });
        this.para(e.byline, { size: 9, color: '#444444' });
        this.para(e.text, { indent: 12 });
        this.doc.moveDown(0.2);
      }
    }
  }
  action(a: ModelAction, index: number, words: ExportWords = exportWords()) {
    this.ensure(80);
    // An action is a heading of its own (below the section's H2), so it can be found by heading.
    this.tag('H3', () =>
      this.doc
        .font('bold')
        .fontSize(11)
        .text(clean(words.t(words.w.document.action, { number: index + 1, title: a.title })), MARGIN, undefined, { width: this.width }),
    );
    this.doc.font('regular').fontSize(10.5);
    if (a.description) this.para(a.description);
    this.doc.moveDown(0.2);
    this.grid(actionFacts(a, words), [0.3, 0.7], false);
    if (a.indicators.length > 0) {
      // The page is narrower than the document formats' tables: type, indicator, baseline, target.
      const table = indicatorTable(a, words);
      this.grid([table.header.slice(0, 4), ...table.rows.map((r) => r.slice(0, 4))], [0.14, 0.46, 0.2, 0.2], true);
    }
  }
}

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

/**
 * Lets what has been drawn so far flow out before more is drawn: pdfkit writes each page out when
 * it ends, and drawing is synchronous, so without these pauses the whole file would wait in memory.
 */
async function breathe(out: Writable): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  while (out.writableNeedDrain) await once(out, 'drain');
}

/** Draws the plan's PDF into `out` as it goes; resolves once `out` has taken all of it. */
export async function writePdf(model: PlanModel, out: Writable, onProgress?: (done: number, total: number) => void): Promise<void> {
  const words = wordsOf(model);
  const { w: t } = words;
  const w = new PdfWriter(model.plan.title, words.language);
  const { doc } = w;
  const finished = pipeline(doc, out);
  // A failed output stops the drawing too (breathe waits on it).
  finished.catch(() => {});
  const { plan } = model;
  const centred = { align: 'center', width: w.width } as const;
  // The fixed annexes A and B come before C (annexLetter(-2) is A).
  const annexA = annexHeading({ title: t.document.annexA }, -2, words);
  const annexB = annexHeading({ title: t.document.annexB }, -1, words);

  // Title page
  doc.moveDown(10);
  w.tag('H1', () => doc.font('bold').fontSize(24).text(clean(plan.title), centred));
  doc.moveDown(1);
  w.tag('P', () => doc.font('regular').fontSize(14).text(clean(`${plan.country}, ${plan.periodStart}–${plan.periodEnd}`), centred));
  if (plan.source) {
    doc.moveDown(0.5);
    w.tag('P', () => doc.font('italic').fontSize(11).text(clean(plan.source!), centred));
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
  doc.fillColor('black').fontSize(10.5);

  // Contents
  doc.addPage();
  w.heading(t.document.contents, 16);
  model.chapters.forEach((c, ci) => {
    w.para(`${ci + 1}. ${c.title}`, { font: 'bold' });
    c.sections.forEach((s, si) => w.para(`${ci + 1}.${si + 1} ${s.title} (${statusLabel(s.status, words)})`, { indent: 16 }));
  });
  w.para(annexA, { font: 'bold' });
  w.para(annexB, { font: 'bold' });
  (model.annexes ?? []).forEach((annex, i) => w.para(annexHeading(annex, i, words), { font: 'bold' }));

  const total = model.chapters.reduce((n, c) => n + c.sections.length, 0);
  let done = 0;
  for (const [ci, c] of model.chapters.entries()) {
    doc.addPage();
    const item = w.heading(`${ci + 1}. ${c.title}`, 16, { outline: true });
    for (const [si, s] of c.sections.entries()) {
      w.heading(`${ci + 1}.${si + 1} ${s.title}`, 13, { outline: true, parent: item });
      const agreed = s.agreedAt ? ` (${words.t(t.document.agreedOn, { time: words.time(s.agreedAt) })})` : '';
      w.para(`${t.document.status}: ${statusLabel(s.status, words)}${agreed}`, { font: 'italic', color: '#444444' });
      doc.moveDown(0.3);
      if (!s.included) w.para(notIncludedText(s, words), { font: 'italic' });
      else {
        for (const note of s.notes ?? []) {
          w.para(note, { font: 'italic', color: '#444444' });
          doc.moveDown(0.3);
        }
        w.blocks(s.blocks);
        s.actions.forEach((a, ai) => w.action(a, ai, words));
      }
      onProgress?.(++done, total);
      await breathe(out);
    }
  }

  doc.addPage();
  w.heading(annexA, 16, { outline: true });
  if (model.recommendations.length === 0) w.para(t.document.noRecommendations, { font: 'italic' });
  let drawn = 0;
  for (const r of model.recommendations) {
    w.ensure(40);
    doc.moveDown(0.4);
    w.para(`${r.reference} — ${recommendationSource(r, words)} — ${positionLabel(r.position, words)}`, { font: 'bold' });
    if (r.recommendingStates.length) w.para(words.t(t.document.recommendingStates, { states: r.recommendingStates.join(', ') }), { font: 'italic' });
    w.para(r.text);
    if (++drawn % 50 === 0) await breathe(out);
  }

  doc.addPage();
  const pv = t.provenance;
  w.heading(annexB, 16, { outline: true });
  w.para(
    `${pv.exported}: ${words.time(model.exportedAt)}\n${pv.scope}: ${model.scope === 'agreed' ? pv.scopeAgreed : pv.scopeCurrent}\n${pv.madeFrom}: ${model.madeFrom}`,
  );
  w.para(pv.markerNote, { size: 8.5, color: '#555555' });
  for (const c of model.chapters) {
    for (const s of c.sections) {
      w.heading(`${c.title} — ${s.title}`, 11.5);
      if (s.included) for (const note of s.notes ?? []) w.para(note, { font: 'italic', color: '#444444' });
      w.grid(
        [
          [t.document.status, statusLabel(s.status, words)],
          [pv.agreedAt, s.agreedAt ?? '—'],
          [pv.agreedHash, s.agreedHash ?? '—'],
          [pv.exportedHash, s.included ? s.currentHash : pv.notExported],
        ],
        [0.3, 0.7],
        false,
      );
      if (s.signers.length) {
        w.grid(
          [
            [pv.signedBy, pv.organisation, pv.side, pv.signedAt, pv.contentHash],
            ...s.signers.map((g) => [g.name, organisationLabel(g.organisation, g.verified, words), sideWords(g.side, words), g.signedAt, g.contentHash]),
          ],
          [0.18, 0.22, 0.14, 0.2, 0.26],
          true,
        );
      }
      if (s.included) {
        w.para(markerBegin(s.id, isSigned(s)), { size: 7, color: '#888888' });
        for (const line of s.canonicalLines) w.para(line || ' ', { font: 'mono', size: 7.5 });
        w.para(markerEnd(s.id, isSigned(s)), { size: 7, color: '#888888' });
      }
      await breathe(out);
    }
  }
  (model.annexes ?? []).forEach((annex, i) => w.annex(annex, i, words));
  w.finish();
  doc.end();
  await finished;
}
