/**
 * The drawing primitives of Accord's PDFs (the plan export and the progress report), on pdfkit.
 * Text is set in DejaVu Sans, embedded from the `dejavu-fonts-ttf` npm package, so Belarusian and
 * Russian (Cyrillic) render everywhere.
 *
 * Tagged PDF (PDF/UA's basis): the document carries its language (/Lang) and a structure tree in
 * reading order — headings H1–H3, paragraphs P, lists L/LI/LBody, tables Table/TR/TH/TD, charts as
 * Figure with their description — so screen readers and reflow read it as a document, not as
 * positioned glyphs. Cell shading, borders, rules and the running header and footer are artifacts.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { type Block, type Inline, safeHref } from '../model.ts';
import { clean } from './common.ts';
import { drawTable, type TableOptions } from './pdfTable.ts';
import type { ExportLanguage } from '../../../shared/api/agreement.ts';

const require = createRequire(import.meta.url);
const font = (file: string) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`);
const FONTS = {
  regular: font('DejaVuSans.ttf'),
  bold: font('DejaVuSans-Bold.ttf'),
  italic: font('DejaVuSans-Oblique.ttf'),
  boldItalic: font('DejaVuSans-BoldOblique.ttf'),
  mono: font('DejaVuSansMono.ttf'),
};

export type Doc = PDFKit.PDFDocument;
export type Struct = PDFKit.PDFStructureElement;
export type PageLayout = 'portrait' | 'landscape';
export interface Margins {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Heading levels by the sizes the writers use. */
const headingTag = (size: number) => (size >= 16 ? 'H1' : size >= 13 ? 'H2' : 'H3');
export const MARGIN = 56;
export { clean };
const FURNITURE_GREY = '#5b6670';
const RULE_GREY = '#9aa5b1';

/** The running header and footer of every page but the first (the title page). */
export interface PageFurniture {
  /** Header, left: the plan's title (shortened with "…" to fit). */
  title: string;
  /** Header, right: the status stamp ("Draft — not agreed"), or null once the plan is adopted. */
  stamp: string | null;
  /** Footer, left (the document number) and centre (the export date). */
  footerLeft: string;
  footerCentre: string;
  /** Footer, right: "Page 3 of 41". */
  pageOf: (page: number) => string;
}

export interface WriterOptions {
  furniture?: PageFurniture;
  /** Deflate page contents; a layout pass whose output is thrown away skips it. */
  compress?: boolean;
  margins?: Margins;
}

/**
 * pdfkit's current text state, which it keeps in fields its typings do not show. `_wrapper` and
 * `_textOptions` are the line wrapper and options of a text still being continued (`continued: true`,
 * as a list item's marker and the runs of a paragraph are): pdfkit joins the next text call to
 * them, so that it goes on where the last one stopped on the line.
 */
interface TextState {
  _font: unknown;
  _fontSize: number;
  _fillColor: unknown;
  _wrapper: unknown;
  _textOptions: unknown;
}

export class PdfWriter {
  readonly doc: Doc;
  /** The structure tree's root: everything drawn is tagged under it, in reading order. */
  readonly root: Struct;
  /** The current page's number, the title page being 1 (as a PDF viewer counts them). */
  pageNumber = 0;
  /** The page each marked place (a heading) fell on, by key: see mark(). */
  readonly marks = new Map<string, number>();
  private readonly margins: Margins;
  private readonly furniture: PageFurniture | null;
  private layout: PageLayout = 'portrait';

  constructor(title: string, language: ExportLanguage = 'en', options: WriterOptions = {}) {
    this.margins = options.margins ?? { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN };
    this.furniture = options.furniture ?? null;
    this.doc = new PDFDocument({
      size: 'A4',
      margins: this.margins,
      // Pages are written out as they are finished (a big plan's PDF never sits whole in memory).
      bufferPages: false,
      compress: options.compress ?? true,
      info: { Title: clean(title), Creator: 'Accord' },
      // The first page is added below, once page numbering listens.
      autoFirstPage: false,
      pdfVersion: '1.7',
      tagged: true,
      lang: language,
      // Viewers show the title, not the file name, in their title bar (PDF/UA).
      displayTitle: true,
    });
    for (const [name, path] of Object.entries(FONTS)) this.doc.registerFont(name, path);
    // Every new page, whoever adds it (pdfkit itself when text runs over), is numbered and gets
    // its header and footer before anything is drawn on it.
    this.doc.on('pageAdded', () => {
      this.pageNumber++;
      if (this.furniture && this.pageNumber > 1) this.drawFurniture(this.furniture);
    });
    this.doc.addPage(this.pageOptions('portrait'));
    this.doc.font('regular').fontSize(10.5);
    this.root = this.doc.struct('Document');
    this.doc.addStructure(this.root);
  }

  private pageOptions(layout: PageLayout): PDFKit.PDFDocumentOptions {
    return { size: 'A4', layout, margins: this.margins };
  }
  /** A new page, in `layout` (the current page's by default); pdfkit's own page breaks keep the current page's. */
  newPage(layout: PageLayout = this.layout) {
    this.layout = layout;
    this.doc.addPage(this.pageOptions(layout));
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
  /** Drawing that is decoration (shading, borders, rules, repeated headers): no reader should read it. */
  artifact(draw: () => void, type?: 'Pagination' | 'Layout') {
    this.doc.markContent('Artifact', type ? { type } : undefined);
    draw();
    this.doc.endMarkedContent();
  }
  /** Closes the structure tree: call before doc.end(). */
  finish() {
    this.root.end();
  }
  /**
   * Forgets the shapes of the words set so far. pdfkit keeps every distinct word's glyph layout,
   * per font, for the life of the document: for a 200-section plan that is most of the memory an
   * export takes (about 55 MB of a 160 MB worker heap; every hash, number and name is a new word).
   * Called between sections, it keeps only the words of one section at a time; those are laid out
   * again when they recur, which costs little.
   */
  forgetWordShapes() {
    const fonts = (this.doc as unknown as { _fontFamilies: Record<string, { layoutCache?: Record<string, unknown> }> })._fontFamilies;
    for (const f of Object.values(fonts)) if (f.layoutCache) f.layoutCache = Object.create(null) as Record<string, unknown>;
  }
  /** Records the current page under `key` and makes it a named destination links can go to. */
  mark(key: string) {
    this.marks.set(key, this.pageNumber);
    this.doc.addNamedDestination(key, 'XYZ', this.doc.page.margins.left, this.doc.y, null);
  }
  get left() {
    return this.doc.page.margins.left;
  }
  get width() {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get top() {
    return this.doc.page.margins.top;
  }
  get bottom() {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }
  /** The height a page has for content. */
  get pageHeight() {
    return this.bottom - this.top;
  }
  /** The space left on this page below the current position. */
  get spaceLeft() {
    return this.bottom - this.doc.y;
  }
  ensure(height: number) {
    if (this.doc.y + height > this.bottom) this.newPage();
  }
  /** The height `text` takes at `size` in font `fontName` over `width` (the full width by default). */
  measure(text: string, fontName: string, size: number, width = this.width): number {
    const h = this.doc.font(fontName).fontSize(size).heightOfString(clean(text) || ' ', { width });
    this.doc.font('regular').fontSize(10.5);
    return h;
  }
  /**
   * A heading, kept with what follows: it moves to the next page unless it and about three lines
   * fit. `mark` records its page (see mark()) for the contents.
   */
  heading(textValue: string, size: number, opts: { outline?: boolean; parent?: PDFKit.PDFOutline; mark?: string } = {}) {
    this.ensure(this.measure(textValue, 'bold', size) + size * 0.9 + 48);
    this.doc.moveDown(0.6);
    if (opts.mark) this.mark(opts.mark);
    this.tag(headingTag(size), () => this.doc.font('bold').fontSize(size).fillColor('#1d3f6b').text(clean(textValue), this.left, undefined, { width: this.width }));
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
          .text(clean(textValue), this.left + (opts.indent ?? 0), undefined, { width: this.width - (opts.indent ?? 0) }),
      opts.parent,
    );
    this.doc.font('regular').fontSize(10.5).fillColor('black');
  }
  inlines(list: Inline[], indent = 0, prefix = '', parent: Struct = this.root, type = 'P') {
    this.tag(type, () => this.drawInlines(list, indent, prefix), parent);
  }
  /**
   * A paragraph's runs (and a list item's marker before them), each run going on where the one
   * before it stopped on the line, and a hard line break starting a new line. Only a line's first
   * run is given a position: pdfkit reads a text call's `x` of undefined as "no position, and no
   * options either" (its `x` defaults to the options), so the runs after it are called with their
   * options alone. A run without a link says so (null): pdfkit fills what a continued run leaves
   * undefined from the run before it.
   */
  private drawInlines(list: Inline[], indent: number, prefix: string) {
    const x = this.left + indent;
    const width = this.width - indent;
    // The runs of each line, between hard breaks; an empty line still takes a line's height.
    const lines: Inline[][] = [[]];
    for (const i of list) {
      if (i.br) lines.push([]);
      else lines[lines.length - 1]!.push(i);
    }
    if (prefix) this.doc.font('regular').fillColor('black').text(prefix, x, undefined, { width, continued: true });
    lines.forEach((line, ln) => {
      const runs = line.length === 0 ? [{ text: ' ' } as Inline] : line;
      runs.forEach((i, n) => {
        const f = i.code ? 'mono' : i.bold && i.italic ? 'boldItalic' : i.bold ? 'bold' : i.italic ? 'italic' : 'regular';
        const href = safeHref(i.link);
        const options: PDFKit.Mixins.TextOptions = {
          width,
          continued: n < runs.length - 1,
          underline: Boolean(i.underline || href),
          strike: Boolean(i.strike),
          link: href ?? null,
        };
        this.doc.font(f).fillColor(href ? '#1a4fa0' : 'black');
        // The first line goes on from the marker; each line after a break starts at the left.
        if (n === 0 && !(ln === 0 && prefix)) this.doc.text(clean(i.text), x, undefined, options);
        else this.doc.text(clean(i.text), options);
      });
    });
    this.doc.font('regular').fillColor('black');
  }
  /**
   * A grid: column widths as fractions; with `header`, the first row is the column headers, shaded,
   * kept with the first body row and repeated at the top of every page the table runs on to
   * (pdfTable.ts).
   */
  grid(rows: string[][], fractions: number[], header: boolean, parent: Struct = this.root, options: TableOptions = {}) {
    drawTable(this, rows, fractions, header, parent, options);
  }
  blocks(list: Block[], indent = 0, parent: Struct = this.root) {
    for (const b of list) {
      switch (b.type) {
        case 'paragraph':
          this.inlines(b.inlines, indent, '', parent);
          this.doc.moveDown(0.3);
          break;
        case 'heading':
          // Headings in a section's text sit below the section's own H2, and keep with what follows.
          this.ensure(60);
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
          // A table of many columns may go down to 7 pt rather than cut its header words.
          this.grid(rows, Array.from({ length: width }, () => 1 / width), b.rows[0]?.header ?? false, parent, { minSize: 7 });
          break;
        }
        case 'rule':
          this.artifact(() =>
            this.doc
              .moveTo(this.left, this.doc.y + 4)
              .lineTo(this.left + this.width, this.doc.y + 4)
              .stroke('#999999'),
          );
          this.doc.moveDown(0.6);
          break;
      }
    }
  }

  /**
   * The header (title left, stamp right, a rule) and footer (a rule; document number, export date,
   * page number) in the page's margins, as pagination artifacts. Drawn with lineBreak off, so
   * pdfkit never takes text below the bottom margin for a reason to start another page; the text
   * state of whatever was being drawn when the page began is put back afterwards.
   *
   * That includes a text being continued: a page can begin in the middle of one (a list item whose
   * marker is drawn and whose words run over the page's foot, a paragraph whose bold or linked
   * words are yet to come). pdfkit would join the header's and footer's words to it, taking its
   * width and link, and then forget it, so that the next part of the item or paragraph began again
   * at the left edge of the line: over the list marker or the words already there. The furniture
   * is drawn as a text of its own, and the continued text is given back to pdfkit after it.
   */
  private drawFurniture(f: PageFurniture) {
    const doc = this.doc;
    const state = doc as unknown as TextState;
    const saved = {
      x: doc.x,
      y: doc.y,
      font: state._font,
      size: state._fontSize,
      fill: state._fillColor,
      wrapper: state._wrapper,
      textOptions: state._textOptions,
    };
    state._wrapper = null;
    state._textOptions = null;
    const { width: pageWidth, height: pageHeight, margins } = doc.page;
    const left = margins.left;
    const right = pageWidth - margins.right;
    const headerY = margins.top - 30;
    const footerY = pageHeight - margins.bottom + 20;
    const line = { lineBreak: false } as const;
    this.artifact(() => {
      doc.save();
      doc.font('bold').fontSize(8);
      let stampLeft = right;
      if (f.stamp) {
        const stamp = clean(f.stamp);
        const w = doc.widthOfString(stamp);
        stampLeft = right - w;
        doc
          .roundedRect(stampLeft - 5, headerY - 3, w + 10, 14, 2)
          .lineWidth(0.8)
          .stroke('#a12622');
        doc.fillColor('#a12622').text(stamp, stampLeft, headerY, line);
      }
      doc.font('regular').fontSize(8).fillColor(FURNITURE_GREY);
      doc.text(fitToWidth(doc, clean(f.title), stampLeft - left - 24), left, headerY, line);
      doc
        .moveTo(left, headerY + 16)
        .lineTo(right, headerY + 16)
        .lineWidth(0.5)
        .stroke(RULE_GREY);
      doc
        .moveTo(left, footerY - 6)
        .lineTo(right, footerY - 6)
        .lineWidth(0.5)
        .stroke(RULE_GREY);
      doc.fillColor(FURNITURE_GREY);
      doc.text(clean(f.footerLeft), left, footerY, line);
      const centre = clean(f.footerCentre);
      doc.text(centre, left + (right - left - doc.widthOfString(centre)) / 2, footerY, line);
      const page = f.pageOf(this.pageNumber);
      doc.font('bold').text(page, right - doc.widthOfString(page), footerY, line);
      doc.restore();
    }, 'Pagination');
    state._font = saved.font;
    state._fontSize = saved.size;
    state._fillColor = saved.fill;
    state._wrapper = saved.wrapper;
    state._textOptions = saved.textOptions;
    doc.x = saved.x;
    doc.y = saved.y;
  }
}

/** `text` shortened with "…" to fit `width` in the current font. */
function fitToWidth(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${text.slice(0, mid).trimEnd()}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo).trimEnd()}…`;
}
