/**
 * A list in the plan's PDF that runs over a page break: the item that begins at the top of the new
 * page keeps its marker ("•", "29.") to the left of its words, as on every other line. It did not:
 * the running header is drawn as each page begins, and when a page began between an item's marker
 * and its words, drawing the header made pdfkit forget that the item's words continue the marker's
 * line, so they were set from the left edge again, over the marker.
 *
 * Drawn straight from a model (no server): a section whose paragraph grows line by line ahead of a
 * long list, so that items begin at every height of a page, page breaks included; read back with
 * poppler's `pdftotext -bbox-layout`. Page images go to test-output/pdf-lists/.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PlanModel } from '../../server/export/model.ts';
import { renderPdf } from '../../server/export/render/pdf.ts';
import { oneSectionModel, type PdfPage, type PdfWord, readPdfLayout, renderPages, requirePoppler, sentence } from '../helpers/pdfLayout.ts';

const OUT = join(process.cwd(), 'test-output', 'pdf-lists');
const ITEMS = 60;
/** Item n's first word: unique, so it can be found wherever the item lands. */
const itemWord = (n: number) => `Item${n}`;

/** One section: a paragraph of `leadWords` words, then a list of ITEMS items of one to five lines. */
function model(ordered: boolean, leadWords: number): PlanModel {
  return oneSectionModel('lists', 'NHRP-LISTS000-D-20261203', [
    { type: 'paragraph', inlines: [{ text: `${sentence(1, leadWords)}.` }] },
    {
      type: 'list',
      ordered,
      items: Array.from({ length: ITEMS }, (_, i) => [{ type: 'paragraph' as const, inlines: [{ text: `${itemWord(i + 1)} ${sentence(i, 4 + (i % 5) * 7)}` }] }]),
    },
  ]);
}

const HEADER_BAND = 62;
const overlaps = (a: PdfWord, b: PdfWord) => a.xMin < b.xMax && b.xMin < a.xMax && a.yMin < b.yMax && b.yMin < a.yMax;

interface Placed {
  n: number;
  page: PdfPage;
  word: PdfWord;
  /** The item's first word is the first thing on its page below the running header. */
  topOfPage: boolean;
}

/** Where each item's first word is. */
function items(pages: PdfPage[]): Placed[] {
  const found: Placed[] = [];
  for (const page of pages) {
    const body = page.lines.filter((l) => l.y >= HEADER_BAND);
    for (const line of body) {
      for (const word of line.words) {
        const m = /^Item(\d+)$/.exec(word.text);
        if (m) found.push({ n: Number(m[1]), page, word, topOfPage: line === body[0] });
      }
    }
  }
  return found;
}

const LEADS = Array.from({ length: 14 }, (_, i) => 20 + i * 6);
const rendered = new Map<string, PdfPage[]>();
const key = (ordered: boolean, lead: number) => `${ordered ? 'numbered' : 'bulleted'}-${lead}`;

beforeAll(async () => {
  requirePoppler('pdftotext');
  requirePoppler('pdftoppm');
  for (const ordered of [false, true]) {
    let drawn = false;
    for (const lead of LEADS) {
      const bytes = await renderPdf(model(ordered, lead));
      const pages = readPdfLayout(bytes);
      rendered.set(key(ordered, lead), pages);
      // The first page where an item begins at the top, for people to look at.
      const top = items(pages).find((p) => p.topOfPage);
      if (top && !drawn) {
        renderPages(bytes, OUT, key(ordered, lead), [top.page.number - 1, top.page.number], 80);
        drawn = true;
      }
    }
  }
}, 120_000);

describe.each([
  ['bulleted', false],
  ['numbered', true],
])('a %s list over page breaks', (_name, ordered) => {
  it('begins every item with its marker to the left of its first word, on the same line, the page breaks included', () => {
    let atTop = 0;
    for (const lead of LEADS) {
      const placed = items(rendered.get(key(ordered, lead))!);
      expect(placed.map((p) => p.n), `lead ${lead}`).toEqual(Array.from({ length: ITEMS }, (_, i) => i + 1));
      for (const { n, page, word, topOfPage } of placed) {
        if (topOfPage) atTop++;
        const where = `lead ${lead}, item ${n} on page ${page.number}${topOfPage ? ' (top)' : ''}`;
        const marker = ordered ? `${n}.` : '•';
        const onLine = page.words.filter((w) => Math.abs(w.yMin - word.yMin) < 2.5);
        const markers = onLine.filter((w) => w.text === marker);
        expect(markers.length, `${where}: its marker on its line`).toBe(1);
        // Left of the word, not over it.
        expect(markers[0]!.xMax, where).toBeLessThan(word.xMin);
        expect(page.words.filter((w) => w !== word && overlaps(w, word)).map((w) => w.text), where).toEqual([]);
      }
    }
    // The sweep put items at the top of a page, where the marker went over the words.
    expect(atTop).toBeGreaterThanOrEqual(2);
  });
});
