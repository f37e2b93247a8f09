/**
 * A paragraph of the plan's PDF whose words carry formatting (bold words, a link) reads as one
 * paragraph: each run goes on along the line where the one before it stopped, a link is a link
 * where it is and nowhere else, and a hard line break starts a new line. The PDF put every run
 * after the second on a line of its own ("Alpha beta bold words / and / a link / then …") and
 * made none of them a link: pdfkit took the renderer's "no position" for "no options".
 *
 * Drawn straight from a model (no server); read back with poppler's `pdftotext -bbox-layout` for
 * where the words are, and pdf.js (pdf-parse) for the links.
 */
import { PDFParse } from 'pdf-parse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Inline } from '../../server/export/model.ts';
import { renderPdf } from '../../server/export/render/pdf.ts';
import { oneSectionModel, type PdfPage, readPdfLayout, requirePoppler, sentence } from '../helpers/pdfLayout.ts';


const model = (inlines: Inline[]) => oneSectionModel('runs', 'NHRP-RUNS0000-D-20261203', [{ type: 'paragraph', inlines }]);

/** The short paragraph: plain, bold, plain, a link, plain; a hard break; plain, a link, plain. */
const SHORT: Inline[] = [
  { text: 'Alpha beta ' },
  { text: 'bold words', bold: true },
  { text: ' and ' },
  { text: 'a link', link: 'https://www.ohchr.org/' },
  { text: ' then plain words.' },
  { text: '', br: true },
  { text: 'After the break ' },
  { text: 'second link', link: 'https://uprdoc.ohchr.org/' },
  { text: ' plain again.' },
];
/** The long paragraph: 300 runs, every other one bold, "wN" first in each, over several pages. */
const LONG: Inline[] = Array.from({ length: 300 }, (_, i) => ({ text: `w${i} ${sentence(i, 3)} `, bold: i % 2 === 1 }));

const bodyLines = (p: PdfPage) => p.lines.filter((l) => l.y >= 62 && l.y <= p.height - 62);
let short: PdfPage[];
let shortLinks: Array<{ text: string; url: string }>;
let long: PdfPage[];

beforeAll(async () => {
  requirePoppler('pdftotext');
  const bytes = await renderPdf(model(SHORT));
  short = readPdfLayout(bytes);
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    shortLinks = (await parser.getInfo({ parsePageInfo: true })).pages.flatMap((p) => p.links);
  } finally {
    await parser.destroy();
  }
  long = readPdfLayout(await renderPdf(model(LONG)));
}, 60_000);

describe("a paragraph's formatted words in the PDF", () => {
  it('go on along the line, and a hard break starts a new line', () => {
    const lines = short.flatMap((p) => bodyLines(p).map((l) => l.text));
    expect(lines).toContain('Alpha beta bold words and a link then plain words.');
    expect(lines).toContain('After the break second link plain again.');
  });

  it('are links where the text has a link, and nowhere else', () => {
    expect(shortLinks.map((l) => [l.text.trim(), l.url])).toEqual([
      ['a link', 'https://www.ohchr.org/'],
      ['second link', 'https://uprdoc.ohchr.org/'],
    ]);
  });

  it('fill the lines over page breaks too, no word set over another', () => {
    const pages = long.filter((p) => bodyLines(p).some((l) => l.words.some((w) => /^w\d+$/.test(w.text))));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const lines = pages.flatMap((p) => bodyLines(p).filter((l) => l.words.some((w) => /^w\d+$|^(the|of)$/.test(w.text))));
    // 300 runs of four words, about fourteen words a line: far fewer lines than runs.
    expect(lines.length).toBeLessThan(120);
    for (const p of pages) {
      const words = p.words.filter((w) => w.yMin >= 62).sort((a, b) => a.yMin - b.yMin);
      for (const [i, a] of words.entries())
        for (const b of words.slice(i + 1)) {
          if (b.yMin >= a.yMax) break;
          expect(a.xMin < b.xMax && b.xMin < a.xMax, `page ${p.number}: "${a.text}" over "${b.text}"`).toBe(false);
        }
    }
    // Every run is there, in order.
    const order = pages.flatMap((p) => p.words.filter((w) => /^w\d+$/.test(w.text)).map((w) => Number(w.text.slice(1))));
    expect(order).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });
});
