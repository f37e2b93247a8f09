/**
 * Tables in the PDF as a printed government document sets them: a header row is never left alone
 * at the foot of a page (it moves to the next page with the first body row), it is repeated at the
 * top of every page the table runs on to (as an artifact: a screen reader reads it once), a short
 * table without header row (an action's facts) is kept whole on one page, and a row taller than a
 * page is split between pages rather than left to run off the bottom.
 *
 * Tagged as Table > TR > TH/TD; a row split over two pages is one TR whose cells each hold two
 * pieces of content.
 */
import { clean } from './common.ts';

type Struct = PDFKit.PDFStructureElement;

/**
 * What a table needs of the writer it is drawn with (PdfWriter, which draws its own blocks' tables
 * with drawTable): its page geometry, tagging and measuring.
 */
export interface TableSurface {
  readonly doc: PDFKit.PDFDocument;
  readonly left: number;
  readonly width: number;
  readonly bottom: number;
  readonly pageHeight: number;
  newPage(): void;
  ensure(height: number): void;
  tag(type: string, draw: () => void, parent?: Struct): void;
  group(type: string, parent?: Struct): Struct;
  artifact(draw: () => void, type?: 'Pagination' | 'Layout'): void;
  measure(text: string, fontName: string, size: number, width?: number): number;
}

export interface TableOptions {
  /** Font size of the cells (9 by default). */
  size?: number;
  /**
   * The least font size the table may be set in so that no column breaks a word (a long Russian
   * header such as "Периодичность" in a nine-column table); `size` by default, i.e. never smaller.
   */
  minSize?: number;
  /** A line above the table ("Indicators"), kept with its header row and first row. */
  caption?: string;
  /** Said above the header row where it is repeated on a continuation page ("Action 3: … (continued)"). */
  continued?: string;
}

type RowKind = 'head' | 'body';
const PAD = 3;
/** A table without header row no taller than this share of a page is kept on one page. */
const KEEP_WHOLE = 0.5;

export class PdfTable {
  private readonly doc: TableSurface['doc'];
  private readonly size: number;
  private readonly widths: number[];
  private readonly struct: Struct;

  constructor(
    private readonly w: TableSurface,
    private readonly head: string[] | null,
    body: string[][],
    fractions: number[],
    parent: Struct,
    private readonly options: TableOptions = {},
  ) {
    this.doc = w.doc;
    const rows = head ? [head, ...body] : body;
    const largest = options.size ?? 9;
    const least = options.minSize ?? largest;
    // The largest size, in half points, at which every word fits its column. Failing that (a web
    // address in a cell is wider than any column may be), the largest at which every word but such
    // addresses fits, and then every word of the header row: pdfkit cuts a word too wide for its
    // column without a hyphen, and a header cut "Indica/tors" or "Периодич/ность" misleads, where
    // a cut web address does not. Only when not even the header's words fit, the given widths at
    // the least size.
    const fitted =
      fitAtLargest(largest, least, (size) => fitColumns(w, rows, fractions, size, head !== null)) ??
      fitAtLargest(largest, least, (size) => fitColumns(w, rows, fractions, size, head !== null, (word) => !UNBREAKABLE.test(word))) ??
      (head ? fitAtLargest(largest, least, (size) => fitColumns(w, [head], fractions, size, true)) : null);
    this.size = fitted?.size ?? least;
    this.widths = fitted?.widths ?? fractions.map((f) => f * w.width);
    this.struct = w.group('Table', parent);
    this.begin(body);
  }

  /** The caption, the header row and room for the first row, together. */
  private begin(body: string[][]) {
    const w = this.w;
    const captionHeight = this.options.caption ? w.measure(this.options.caption, 'bold', 9.5) + 4 : 0;
    if (this.head) {
      const first = body.length ? this.heightOf(body[0]!, 'body') : 0;
      const headAndFirst = captionHeight + this.heightOf(this.head, 'head') + first;
      // The first row whole if a page can hold it with the header, else the few lines a split leaves.
      w.ensure(headAndFirst <= w.pageHeight ? headAndFirst : headAndFirst - first + Math.min(first, this.minSplit));
    } else {
      const total = body.reduce((sum, row) => sum + this.heightOf(row, 'body'), captionHeight);
      w.ensure(total <= w.pageHeight * KEEP_WHOLE ? total : captionHeight + Math.min(body.length ? this.heightOf(body[0]!, 'body') : 0, this.minSplit));
    }
    if (this.options.caption) {
      const caption = this.options.caption;
      w.tag('Caption', () => this.doc.font('bold').fontSize(9.5).fillColor('black').text(clean(caption), w.left, undefined, { width: w.width }), this.struct);
      this.doc.moveDown(0.2);
    }
    if (this.head) this.row(this.head, 'head');
  }

  /** The least room worth starting a split row in: about four lines. */
  private get minSplit() {
    return this.size * 1.2 * 4 + PAD * 2;
  }

  private fontOf(kind: RowKind, column: number) {
    return kind === 'head' || (!this.head && column === 0) ? 'bold' : 'regular';
  }

  private heightOf(cells: string[], kind: RowKind): number {
    const heights = cells.map((text, c) => this.w.measure(text, this.fontOf(kind, c), this.size, this.widths[c]! - PAD * 2) + PAD * 2);
    return Math.max(PAD * 2, ...heights);
  }

  /** The header row again, and what it continues, at the top of a new page. */
  private newPage() {
    this.w.newPage();
    if (!this.head) return;
    const { doc, w } = this;
    if (this.options.continued) {
      const continued = this.options.continued;
      w.artifact(() => doc.font('italic').fontSize(8).fillColor('#555555').text(clean(continued), w.left, undefined, { width: w.width }), 'Pagination');
      doc.moveDown(0.2);
    }
    const h = this.heightOf(this.head, 'head');
    const y = doc.y;
    this.paint(this.head, 'head', y, h, null);
    doc.y = y + h;
  }

  /** A body row (a header row only from begin()): on this page, on the next, or split between them. */
  row(cells: string[], kind: RowKind = 'body') {
    const { doc, w } = this;
    const tr = w.group('TR', this.struct);
    // Shaded cells are headers: of their column (header row) or of their row (first column).
    const tags = cells.map((_, c) => w.group(this.fontOf(kind, c) === 'bold' ? 'TH' : 'TD', tr));
    const repeated = this.head ? this.heightOf(this.head, 'head') + (this.options.continued ? 14 : 0) : 0;
    let rest = cells;
    for (;;) {
      const h = this.heightOf(rest, kind);
      const room = w.bottom - doc.y;
      const y = doc.y;
      if (h <= room) {
        this.paint(rest, kind, y, h, tags);
        doc.y = y + h;
        break;
      }
      if (h <= w.pageHeight - repeated || room < this.minSplit) {
        this.newPage();
        continue;
      }
      // Taller than a page: as much as fits here, the rest on the next page.
      const [here, later] = this.split(rest, room, kind);
      this.paint(here, kind, y, room, tags);
      rest = later;
      this.newPage();
    }
    for (const tag of tags) tag.end();
    tr.end();
    doc.x = w.left;
  }

  /** Ends the table and leaves a little space after it. */
  end() {
    this.struct.end();
    this.doc.font('regular').fontSize(10.5).fillColor('black').moveDown(0.5);
  }

  /** Cell borders and shading (artifacts), and each cell's text: into its tag, or as an artifact (a repeated header). */
  private paint(cells: string[], kind: RowKind, y: number, h: number, tags: Struct[] | null) {
    const { doc, w } = this;
    let x = w.left;
    cells.forEach((text, c) => {
      const width = this.widths[c]!;
      const cellX = x;
      const bold = this.fontOf(kind, c) === 'bold';
      w.artifact(() => {
        if (bold) doc.rect(cellX, y, width, h).fill('#e7eef7');
        doc.rect(cellX, y, width, h).lineWidth(0.5).stroke('#999999');
      });
      // `height` stops the text at the page's foot instead of letting pdfkit start a page mid-cell.
      const draw = () =>
        doc
          .fillColor('black')
          .font(bold ? 'bold' : 'regular')
          .fontSize(this.size)
          .text(clean(text) || ' ', cellX + PAD, y + PAD, { width: width - PAD * 2, height: w.bottom - y - PAD });
      if (tags) tags[c]!.add(draw);
      else w.artifact(draw, 'Pagination');
      x += width;
    });
    doc.x = w.left;
  }

  /** The cells cut to what fits in `room`, and what is left of them. */
  private split(cells: string[], room: number, kind: RowKind): [string[], string[]] {
    const here: string[] = [];
    const later: string[] = [];
    cells.forEach((text, c) => {
      const width = this.widths[c]! - PAD * 2;
      const fits = (s: string) => this.w.measure(s, this.fontOf(kind, c), this.size, width) + PAD * 2 <= room;
      if (fits(text)) {
        here.push(text);
        later.push('');
        return;
      }
      // Whole words while any fit; a single word longer than the room (a hash) by characters.
      const words = text.split(/(?<=\s)/);
      let n = longestPrefix(words.length, (k) => fits(words.slice(0, k).join('')));
      let head = words.slice(0, n).join('');
      let tail = words.slice(n).join('');
      if (n === 0) {
        n = longestPrefix(text.length, (k) => fits(text.slice(0, k)));
        head = text.slice(0, Math.max(1, n));
        tail = text.slice(Math.max(1, n));
      }
      here.push(head.trimEnd());
      later.push(tail.trimStart());
    });
    return [here, later];
  }
}

/** The largest k in 0..n for which fits(k) holds, fits being monotone (true up to some k). */
function longestPrefix(n: number, fits: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A web address, a path, an e-mail address or a hash: read as a string of characters, cut anywhere without harm. */
const UNBREAKABLE = /[/@\\]|^\S{30,}$/;

/** The largest size from `largest` down to `least`, by half points, at which `fit` finds widths. */
function fitAtLargest(largest: number, least: number, fit: (size: number) => number[] | null): { size: number; widths: number[] } | null {
  for (let size = largest; size >= least; size -= 0.5) {
    const widths = fit(size);
    if (widths) return { size, widths };
  }
  return null;
}

/**
 * Column widths from the wanted fractions, widened where a column's longest word would not fit
 * (a header like "Disaggregated by" broken mid-word reads badly), taking the room from columns
 * that have some to spare; null if the words cannot all fit at this size. Only the words `counts`
 * takes are measured.
 */
function fitColumns(w: TableSurface, rows: string[][], fractions: number[], size: number, header: boolean, counts: (word: string) => boolean = () => true): number[] | null {
  const total = w.width;
  const wanted = fractions.map((f) => f * total);
  const cap = total * 0.3;
  const least = wanted.map((_, c) => {
    let longest = 0;
    rows.forEach((row, r) => {
      const bold = (header && r === 0) || (!header && c === 0);
      w.doc.font(bold ? 'bold' : 'regular').fontSize(size);
      for (const word of clean(row[c] ?? '').split(/\s+/)) if (word && counts(word)) longest = Math.max(longest, w.doc.widthOfString(word));
    });
    return Math.min(cap, longest + PAD * 2 + 1);
  });
  w.doc.font('regular').fontSize(10.5);
  if (least.reduce((a, b) => a + b, 0) > total) return null;
  const widths = wanted.map((x, c) => Math.max(x, least[c]!));
  let excess = widths.reduce((a, b) => a + b, 0) - total;
  // Take the excess from the columns wider than their least, in proportion to their spare room.
  const spare = widths.map((x, c) => x - least[c]!);
  const spareTotal = spare.reduce((a, b) => a + b, 0);
  if (excess > 0 && spareTotal > 0) {
    const share = Math.min(1, excess / spareTotal);
    widths.forEach((_, c) => (widths[c] = widths[c]! - spare[c]! * share));
    excess = 0;
  }
  return widths;
}

/** A whole table at once (see PdfTable). */
export function drawTable(w: TableSurface, rows: string[][], fractions: number[], header: boolean, parent: Struct, options: TableOptions = {}) {
  const head = header && rows.length > 0 ? rows[0]! : null;
  const table = new PdfTable(w, head, head ? rows.slice(1) : rows, fractions, parent, options);
  for (const row of head ? rows.slice(1) : rows) table.row(row);
  table.end();
}
