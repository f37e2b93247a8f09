/**
 * The DOCX's page furniture: paper, styles, the running header (plan title and status stamp) and
 * footer (document number, export date, "Page n of m").
 *
 * Type: Times New Roman, the typeface of official documents in Belarus and Russia, at 12 pt. It is
 * also a typeface that lays out alike wherever the document is read: Word has it, and LibreOffice
 * sets it in Liberation Serif, which has its exact widths (LibreOffice bundles it on Windows and
 * macOS; Debian installs it with LibreOffice, fonts-liberation2). The page numbers the export writes into the contents (see docx.ts) are worked out by laying
 * the pages out as Word does; with a typeface of the same widths LibreOffice breaks the pages in the
 * same places, so the numbers are right there too. (Calibri, before, has no such twin unless
 * Carlito is installed: LibreOffice set it in DejaVu Sans, a third wider, on other pages.)
 */
import {
  BorderStyle,
  Footer,
  Header,
  type IContext,
  type IXmlableObject,
  PageNumber,
  PageOrientation,
  Paragraph,
  type ParagraphChild,
  SimpleField,
  TabStopType,
  TextRun,
  type ISectionOptions,
  type IStylesOptions,
} from 'docx';
import { xmlSafe } from './common.ts';
import type { PlanModel } from '../model.ts';
import { DOCX_LANGUAGE, type ExportWords } from '../i18n/index.ts';

export const FONT = 'Times New Roman';
/** Word's Courier New; LibreOffice sets it in Liberation Mono, of the same widths. */
export const MONO = 'Courier New';
/** Amber, as the HTML export flags an incomplete action. */
export const GAP_COLOUR = '8A4B00';

/** A4, with 2 cm margins: the text is this wide (twips), upright and on its side. */
const A4 = { width: 11906, height: 16838 };
const MARGIN = 1134;
export const TEXT_WIDTH = { portrait: A4.width - 2 * MARGIN, landscape: A4.height - 2 * MARGIN };

export type Orientation = keyof typeof TEXT_WIDTH;

const styleRun = (size: number, extra: Record<string, unknown> = {}) => ({ font: FONT, size, ...extra });

export function documentStyles(words: ExportWords): IStylesOptions {
  const heading = (size: number, before: number, extra: Record<string, unknown> = {}) => ({
    run: styleRun(size, { bold: true, color: '1F3864', ...extra }),
    // A heading never ends a page: it stays with what it heads.
    paragraph: { keepNext: true, keepLines: true, spacing: { before, after: 120 } },
  });
  return {
    default: {
      // The document's language (w:lang in the default run properties), so spelling, hyphenation and screen readers use it.
      document: { run: { font: FONT, size: 24, language: { value: DOCX_LANGUAGE[words.language] } }, paragraph: { spacing: { after: 120 } } },
      title: { run: styleRun(44, { bold: true, color: '1F3864' }), paragraph: { spacing: { after: 240 } } },
      heading1: heading(32, 360),
      heading2: heading(28, 280),
      heading3: heading(24, 200),
      heading4: heading(24, 160, { italics: true, color: '000000' }),
      heading5: heading(24, 160, { italics: true, color: '000000' }),
      heading6: heading(24, 160, { italics: true, color: '000000' }),
    },
    paragraphStyles: [
      // "Contents" above the contents: a heading to look at, not an outline level, so the contents do not list it.
      { id: 'AccordContentsHeading', name: 'Accord contents heading', basedOn: 'Normal', next: 'Normal', run: styleRun(32, { bold: true, color: '1F3864' }), paragraph: { spacing: { before: 0, after: 240 } } },
      { id: 'TOC1', name: 'toc 1', basedOn: 'Normal', next: 'Normal', run: { bold: true }, paragraph: { spacing: { before: 120, after: 40 } } },
      { id: 'TOC2', name: 'toc 2', basedOn: 'Normal', next: 'Normal', paragraph: { indent: { left: 440 }, spacing: { after: 40 } } },
      { id: 'AccordTable', name: 'Accord table text', basedOn: 'Normal', run: { size: 20 }, paragraph: { spacing: { after: 0 } } },
      { id: 'AccordSmallTable', name: 'Accord small table text', basedOn: 'Normal', run: { size: 16 }, paragraph: { spacing: { after: 0 } } },
      { id: 'AccordGap', name: 'Accord incomplete action', basedOn: 'Normal', next: 'Normal', run: { bold: true, color: GAP_COLOUR }, paragraph: { keepNext: true } },
      { id: 'AccordPageFurniture', name: 'Accord header and footer', basedOn: 'Normal', run: { size: 18, color: '444444' }, paragraph: { spacing: { after: 0 } } },
      { id: 'AccordCanonical', name: 'Accord canonical content', basedOn: 'Normal', run: { size: 18, color: '333333' }, paragraph: { spacing: { after: 0 } } },
      { id: 'AccordMarker', name: 'Accord content marker', basedOn: 'Normal', run: { size: 14, color: '888888' } },
    ],
  };
}

/**
 * A PAGE field whose cached number is the first page its header or footer shows on, known only
 * once the pages are worked out (when the document is packed): docx writes PAGE with no cached
 * number at all, which a reader that does not lay out pages shows as "Page  of 12".
 */
class PageField extends SimpleField {
  private written = false;
  constructor(private readonly firstPage: () => number | undefined) {
    super('PAGE');
  }
  override prepForXml(context: IContext): IXmlableObject | undefined {
    const page = this.firstPage();
    if (!this.written && page !== undefined) {
      this.root.push(new TextRun(String(page)));
      this.written = true;
    }
    return super.prepForXml(context);
  }
}

/**
 * "Page {page} of {pages}" with PAGE and NUMPAGES fields where the placeholders are, in the order
 * the language puts them. Word and LibreOffice work both out as they lay the pages out. NUMPAGES
 * (a complex field) carries the number of pages the export worked out, which docx writes into it
 * when it packs the document (docx.ts), and PAGE the number of the page the footer first shows on.
 */
function pageOf(template: string, firstPage: () => number | undefined): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const part of template.split(/(\{page\}|\{pages\})/)) {
    if (part === '{page}') out.push(new PageField(firstPage));
    else if (part === '{pages}') out.push(new TextRun({ children: [PageNumber.TOTAL_PAGES] }));
    else if (part) out.push(new TextRun(xmlSafe(part)));
  }
  return out;
}

const rule = (side: 'top' | 'bottom') => ({ [side]: { style: BorderStyle.SINGLE, size: 4, color: '999999', space: 4 } });

/**
 * The header and footer of one section of the document (upright or on its side: the right-hand tab
 * stop sits at that page's margin). The title page has none. `firstPage` gives the number of the
 * first page the section shows them on, for PAGE's cached number; it is asked when the footer is
 * written, after the pages are worked out.
 */
export function pageFurniture(
  model: PlanModel,
  words: ExportWords,
  orientation: Orientation,
  firstPage: () => number | undefined,
): Pick<ISectionOptions, 'headers' | 'footers'> {
  const { w } = words;
  const right = [{ type: TabStopType.RIGHT, position: TEXT_WIDTH[orientation] }];
  const header = new Header({
    children: [
      new Paragraph({
        style: 'AccordPageFurniture',
        tabStops: right,
        border: rule('bottom'),
        children: [
          new TextRun(xmlSafe(model.plan.title)),
          ...(model.stamp ? [new TextRun({ text: '\t' }), new TextRun({ text: xmlSafe(model.stamp), bold: true, color: GAP_COLOUR })] : []),
        ],
      }),
    ],
  });
  const facts = [
    model.documentNumber ? words.t(w.layout.documentNumber, { number: model.documentNumber }) : null,
    words.t(w.layout.exportedOn, { date: words.date(model.exportedAt) }),
  ].filter((s): s is string => s !== null);
  const footer = new Footer({
    children: [
      new Paragraph({
        style: 'AccordPageFurniture',
        tabStops: right,
        border: rule('top'),
        children: [new TextRun(xmlSafe(facts.join(' · '))), new TextRun({ text: '\t' }), ...pageOf(w.layout.pageOf, firstPage)],
      }),
    ],
  });
  return { headers: { default: header }, footers: { default: footer } };
}

/** An empty header and footer, for the title page (a paragraph in each: the page layout reads none without one). */
export const noFurniture = () => ({ header: new Header({ children: [new Paragraph({ children: [] })] }), footer: new Footer({ children: [new Paragraph({ children: [] })] }) });

export function pageSetup(orientation: Orientation) {
  return {
    page: {
      // docx swaps width and height for a landscape page.
      size: { width: A4.width, height: A4.height, orientation: orientation === 'landscape' ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
      margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, header: 567, footer: 567 },
    },
  };
}
