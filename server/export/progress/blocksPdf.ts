/** Report blocks (reportBlocks.ts) as PDF, drawn with the plan export's PdfWriter (DejaVu fonts). */
import { PdfWriter } from '../render/pdf.ts';
import { pauser } from './pause.ts';
import type { ReportBlock } from './reportBlocks.ts';
import type { ExportLanguage } from '../../../shared/api/agreement.ts';

const HEADING_SIZE = { 1: 16, 2: 13, 3: 11.5 } as const;

export async function blocksToPdf(blocks: ReportBlock[], title: string, language: ExportLanguage = 'en'): Promise<Buffer> {
  const w = new PdfWriter(title, language);
  const doc = w.doc;
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit decodes each PNG on the thread pool: a short pause every few lets that queue drain (pause.ts).
  const drain = pauser(5, 15);
  for (const b of blocks) {
    if (b.type === 'chart') await drain();
    switch (b.type) {
      case 'title':
        doc.moveDown(4);
        w.heading(b.text, 22, { outline: true });
        for (const line of b.subtitle) w.para(line, { color: '#505a5f', size: 12 });
        doc.moveDown(1);
        break;
      case 'heading':
        w.heading(b.text, HEADING_SIZE[b.level], { outline: b.level === 1 });
        break;
      case 'para': {
        const style = b.style ?? 'normal';
        if (style === 'disputed') {
          w.ensure(30);
          const y = doc.y;
          w.para(b.text, { font: 'bold', color: '#aa2a16', indent: 8 });
          w.artifact(() => doc.rect(56, y, 3, doc.y - y).fill('#d4351c'));
          doc.fillColor('black');
        } else {
          w.para(b.text, {
            font: style === 'strong' ? 'bold' : style === 'quote' || style === 'note' ? 'italic' : 'regular',
            indent: style === 'quote' ? 14 : 0,
            color: style === 'note' ? '#505a5f' : undefined,
          });
        }
        doc.moveDown(0.3);
        break;
      }
      case 'facts':
        w.grid(b.rows, [0.3, 0.7], false);
        break;
      case 'table':
        w.grid([b.header, ...b.rows], b.header.map(() => 1 / b.header.length), true);
        break;
      case 'chart': {
        w.ensure(b.height + 40);
        // A figure whose alternative text is the sentence printed under it: every number of the chart.
        w.tag('Figure', () => doc.image(b.png, doc.x, doc.y, { width: b.width, height: b.height }), w.root, { alt: b.alt });
        doc.y += b.height + 4;
        w.para(b.alt, { font: 'italic', size: 8.5, color: '#505a5f' });
        doc.moveDown(0.4);
        break;
      }
      case 'pageBreak':
        doc.addPage();
        break;
    }
  }
  w.finish();
  doc.end();
  return finished;
}
