/**
 * Where the words of a PDF are: `pdftotext -bbox-layout` (poppler-utils) gives each page's size and
 * each line's words with their boxes, in points from the page's top left. Tests read page
 * furniture (a header is above the top margin, a footer below the bottom one) and which page a
 * heading is on from it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { requireTool } from './libreOffice.ts';
import { decodeXmlText } from '../../server/export/extract.ts';

const run = promisify(execFile);

export interface PdfLine {
  text: string;
  xMin: number;
  yMin: number;
  yMax: number;
}

export interface PdfPage {
  /** 1-based. */
  number: number;
  width: number;
  height: number;
  /** Its lines, top to bottom (then left to right). */
  lines: PdfLine[];
}

export async function pdfPages(path: string): Promise<PdfPage[]> {
  const pdftotext = requireTool('pdftotext', 'poppler-utils');
  const { stdout } = await run(pdftotext, ['-bbox-layout', path, '-'], { maxBuffer: 256 * 1024 * 1024 });
  const pages: PdfPage[] = [];
  for (const page of stdout.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const lines: PdfLine[] = [];
    for (const line of page[3]!.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)) {
      const words = [...line[4]!.matchAll(/<word [^>]*>([\s\S]*?)<\/word>/g)].map((w) => decodeXmlText(w[1]!));
      lines.push({ text: words.join(' '), xMin: Number(line[1]), yMin: Number(line[2]), yMax: Number(line[3]) });
    }
    lines.sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin);
    pages.push({ number: pages.length + 1, width: Number(page[1]), height: Number(page[2]), lines });
  }
  return pages;
}
