/**
 * A PDF's pages as positioned words, read with poppler's `pdftotext -bbox-layout`, and page images
 * made with `pdftoppm`: what a layout test looks at (where the words are, which page they are on),
 * independent of the code that drew them. Both tools come with poppler-utils; a test fails with a
 * message saying so when they are missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeXmlText } from '../../server/export/extract.ts';
import type { Block, PlanModel } from '../../server/export/model.ts';

export interface PdfWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** A visual line: the words of a page that share a baseline band, left to right. */
export interface PdfLine {
  text: string;
  y: number;
  yMax: number;
  words: PdfWord[];
}

export interface PdfPage {
  /** 1-based, as a viewer counts. */
  number: number;
  width: number;
  height: number;
  words: PdfWord[];
  /** The page's visual lines, top to bottom (cells of one table row side by side are one line). */
  lines: PdfLine[];
}

/** Fails, saying what to install, unless poppler's `tool` runs. */
export function requirePoppler(tool: 'pdftotext' | 'pdftoppm') {
  try {
    execFileSync(tool, ['-v'], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`${tool} is needed to read the PDF's layout: install poppler-utils (apt-get install poppler-utils). (${(err as Error).message})`);
  }
}

/** Groups words whose tops are within `tolerance` points into lines. */
function linesOf(words: PdfWord[], tolerance = 2.5): PdfLine[] {
  const sorted = [...words].sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin);
  const lines: PdfWord[][] = [];
  for (const word of sorted) {
    const line = lines[lines.length - 1];
    if (line && Math.abs(line[0]!.yMin - word.yMin) <= tolerance) line.push(word);
    else lines.push([word]);
  }
  return lines.map((ws) => {
    const words = ws.sort((a, b) => a.xMin - b.xMin);
    return { words, text: words.map((w) => w.text).join(' '), y: Math.min(...words.map((w) => w.yMin)), yMax: Math.max(...words.map((w) => w.yMax)) };
  });
}

/** Every page of the PDF with its words and their boxes (points, origin top left). */
export function readPdfLayout(bytes: Buffer): PdfPage[] {
  requirePoppler('pdftotext');
  const dir = mkdtempSync(join(tmpdir(), 'accord-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, bytes);
    const xhtml = execFileSync('pdftotext', ['-bbox-layout', file, '-'], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
    const pages: PdfPage[] = [];
    for (const [, attrs, content] of xhtml.matchAll(/<page ([^>]*)>([\s\S]*?)<\/page>/g)) {
      const width = Number(/width="([\d.]+)"/.exec(attrs!)![1]);
      const height = Number(/height="([\d.]+)"/.exec(attrs!)![1]);
      const words: PdfWord[] = [];
      for (const [, box, text] of content!.matchAll(/<word ([^>]*)>([^<]*)<\/word>/g)) {
        const n = (name: string) => Number(new RegExp(`${name}="([\\d.-]+)"`).exec(box!)![1]);
        words.push({ text: decodeXmlText(text!), xMin: n('xMin'), yMin: n('yMin'), xMax: n('xMax'), yMax: n('yMax') });
      }
      pages.push({ number: pages.length + 1, width, height, words, lines: linesOf(words) });
    }
    return pages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders `pages` (1-based numbers) as PNGs at `dpi` into `dir`, named `<prefix>-<page>.png`; returns their paths. */
export function renderPages(bytes: Buffer, dir: string, prefix: string, pages: number[], dpi = 60): string[] {
  requirePoppler('pdftoppm');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${prefix}.pdf`);
  writeFileSync(file, bytes);
  return pages.map((page) => {
    const out = join(dir, `${prefix}-${String(page).padStart(3, '0')}`);
    execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, out]);
    // A PNG starts with its signature: the page was drawn.
    if (readFileSync(`${out}.png`).subarray(1, 4).toString() !== 'PNG') throw new Error(`pdftoppm drew no PNG for page ${page}`);
    return `${out}.png`;
  });
}

/** Filler words for a section's text, varied by `seed`: `n` of them. */
const WORDS = 'the state shall ensure independent monitoring of places of detention and guarantee access to a lawyer from the first hour'.split(' ');
export const sentence = (seed: number, n: number) => Array.from({ length: n }, (_, i) => WORDS[(seed * 5 + i * 3) % WORDS.length]).join(' ');

/** A draft plan of one chapter with one section holding `blocks`, drawn straight from the model (no server). */
export function oneSectionModel(id: string, documentNumber: string, blocks: Block[]): PlanModel {
  return {
    plan: { id, title: 'National Human Rights Plan 2026–2030', country: 'Belarus', periodStart: 2026, periodEnd: 2030, source: null },
    stamp: 'Draft — not agreed',
    documentNumber,
    flagGaps: false,
    scope: 'current',
    exportedAt: '2026-12-03T10:00:00.000Z',
    madeFrom: 'Current state',
    recommendations: [],
    annexes: [],
    chapters: [
      {
        id: 'c',
        title: 'Detention',
        sections: [
          { id: 's', title: 'Places of detention', status: 'drafting', included: true, blocks, actions: [], canonicalLines: [], currentHash: '', agreedAt: null, agreedHash: null, signers: [] },
        ],
      },
    ],
  };
}
