/** Report blocks (reportBlocks.ts) as a Word document, with charts as images and their text beside them. */
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { xmlSafe } from '../render/common.ts';
import type { ReportBlock } from './reportBlocks.ts';
import type { ExportLanguage } from '../../../shared/api/agreement.ts';
import { DOCX_LANGUAGE, exportWords } from '../i18n/index.ts';

const HEADING = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
const text = (s: string, opts: { bold?: boolean; italics?: boolean; color?: string; size?: number } = {}) => new TextRun({ text: xmlSafe(s), ...opts });
const cell = (s: string, header: boolean) =>
  new TableCell({
    shading: header ? { type: ShadingType.CLEAR, fill: 'E7EEF7', color: 'auto' } : undefined,
    children: s.split('\n').map((line) => new Paragraph({ children: [text(line, { bold: header })] })),
  });

function block(b: ReportBlock, chartName: string): Array<Paragraph | Table> {
  switch (b.type) {
    case 'title':
      return [
        new Paragraph({ heading: HeadingLevel.TITLE, children: [text(b.text)] }),
        ...b.subtitle.map((line) => new Paragraph({ children: [text(line, { color: '505A5F' })] })),
      ];
    case 'heading':
      return [new Paragraph({ heading: HEADING[b.level], children: [text(b.text)] })];
    case 'para': {
      const style = b.style ?? 'normal';
      return [
        new Paragraph({
          indent: style === 'quote' ? { left: 360 } : undefined,
          border: style === 'disputed' ? { left: { style: BorderStyle.SINGLE, size: 18, color: 'D4351C', space: 6 } } : undefined,
          children: [text(b.text, { bold: style === 'strong' || style === 'disputed', italics: style === 'quote' || style === 'note', color: style === 'disputed' ? 'AA2A16' : undefined })],
        }),
      ];
    }
    case 'facts':
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: b.rows.map(([label, value]) => new TableRow({ children: [cell(label, true), cell(value, false)] })),
        }),
        new Paragraph({ children: [] }),
      ];
    case 'table':
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({ tableHeader: true, children: b.header.map((h) => cell(h, true)) }),
            ...b.rows.map((r) => new TableRow({ children: r.map((c) => cell(c, false)) })),
          ],
        }),
        new Paragraph({ children: [] }),
      ];
    case 'chart':
      return [
        new Paragraph({
          alignment: AlignmentType.LEFT,
          children: [
            new ImageRun({
              type: 'png',
              data: b.png,
              // docx sizes images in pixels at 96 dpi; the blocks give points (72 per inch).
              transformation: { width: Math.round((b.width * 96) / 72), height: Math.round((b.height * 96) / 72) },
              altText: { name: chartName, title: xmlSafe(b.caption).slice(0, 250), description: xmlSafe(b.alt) },
            }),
          ],
        }),
        new Paragraph({ children: [text(b.alt, { italics: true, size: 18, color: '505A5F' })] }),
      ];
    case 'pageBreak':
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}

export async function blocksToDocx(blocks: ReportBlock[], title: string, language: ExportLanguage = 'en'): Promise<Buffer> {
  const chartName = exportWords(language).w.progress.chartName;
  const doc = new Document({
    creator: 'Accord',
    title: xmlSafe(title),
    // The document's language (w:lang), as in the plan export.
    styles: { default: { document: { run: { font: 'Calibri', size: 22, language: { value: DOCX_LANGUAGE[language] } } } } },
    sections: [{ children: blocks.flatMap((b) => block(b, chartName)) }],
  });
  return Packer.toBuffer(doc);
}
