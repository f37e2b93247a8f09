/**
 * PDF for publication, drawn with pdfkit (no browser). Text is set in DejaVu Sans, embedded from
 * the `dejavu-fonts-ttf` npm package, so Belarusian and Russian (Cyrillic) render everywhere.
 * Same content as the DOCX: title page, contents, chapters, sections, action tables as grids,
 * recommendation annex, provenance annex with each section's signed content between markers.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import {
  actionFacts,
  type Block,
  type Inline,
  type ModelAction,
  type PlanModel,
  positionLabel,
  safeHref,
  statusLabel,
  notIncludedText,
  isSigned,
} from '../model.ts';
import { MARKER_NOTE, markerBegin, markerEnd, xmlSafe } from './common.ts';
import { annexHeading, organisationLabel, type ModelAnnex } from '../annexes.ts';
import { displayTime } from '../displayTime.ts';

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
const MARGIN = 56;
const clean = (s: string) => xmlSafe(s).replace(/\t/g, '    ');

export class PdfWriter {
  readonly doc: Doc;
  constructor(title: string) {
    this.doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: false, info: { Title: clean(title), Creator: 'Accord' }, autoFirstPage: true });
    for (const [name, path] of Object.entries(FONTS)) this.doc.registerFont(name, path);
    this.doc.font('regular').fontSize(10.5);
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
    this.doc.moveDown(0.6).font('bold').fontSize(size).fillColor('#1d3f6b').text(clean(textValue), MARGIN, undefined, { width: this.width });
    this.doc.font('regular').fontSize(10.5).fillColor('black').moveDown(0.3);
    return opts.outline ? (opts.parent ?? this.doc.outline).addItem(clean(textValue)) : undefined;
  }
  para(textValue: string, opts: { font?: string; size?: number; color?: string; indent?: number } = {}) {
    this.doc
      .font(opts.font ?? 'regular')
      .fontSize(opts.size ?? 10.5)
      .fillColor(opts.color ?? 'black')
      .text(clean(textValue), MARGIN + (opts.indent ?? 0), undefined, { width: this.width - (opts.indent ?? 0) });
    this.doc.font('regular').fontSize(10.5).fillColor('black');
  }
  inlines(list: Inline[], indent = 0, prefix = '') {
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
  grid(rows: string[][], fractions: number[], header: boolean) {
    const pad = 3;
    const widths = fractions.map((f) => f * this.width);
    rows.forEach((row, r) => {
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
        if (bold(c)) this.doc.rect(x, y, w, h).fill('#e7eef7');
        this.doc.rect(x, y, w, h).lineWidth(0.5).stroke('#999999');
        this.doc
          .fillColor('black')
          .font(bold(c) ? 'bold' : 'regular')
          .fontSize(9)
          .text(clean(cellText) || ' ', x + pad, y + pad, { width: w - pad * 2 });
        x += w;
      });
      this.doc.x = MARGIN;
      this.doc.y = y + h;
    });
    this.doc.font('regular').fontSize(10.5).moveDown(0.5);
  }
  blocks(list: Block[], indent = 0) {
    for (const b of list) {
      switch (b.type) {
        case 'paragraph':
          this.inlines(b.inlines, indent);
          this.doc.moveDown(0.3);
          break;
        case 'heading':
          this.doc.moveDown(0.3).fontSize(Math.max(13 - b.level, 10.5));
          this.inlines(b.inlines.map((i) => ({ ...i, bold: true })), indent);
          this.doc.fontSize(10.5).moveDown(0.2);
          break;
        case 'list':
          b.items.forEach((item, n) => {
            const prefix = b.ordered ? `${n + 1}. ` : '• ';
            item.forEach((child, ci) => {
              if (ci === 0 && child.type === 'paragraph') this.inlines(child.inlines, indent + 14, prefix);
              else this.blocks([child], indent + 14);
            });
          });
          this.doc.moveDown(0.3);
          break;
        case 'blockquote':
          this.blocks(b.blocks, indent + 18);
          break;
        case 'codeBlock':
          this.para(b.text, { font: 'mono', size: 9, indent });
          this.doc.moveDown(0.3);
          break;
        case 'table': {
          const width = Math.max(1, ...b.rows.map((r) => r.cells.length));
          const rows = b.rows.map((r) => Array.from({ length: width }, (_, i) => (r.cells[i] ?? []).map((x) => (x.br ? '\n' : x.text)).join('')));
          this.grid(rows, Array.from({ length: width }, () => 1 / width), b.rows[0]?.header ?? false);
          break;
        }
        case 'rule':
          this.doc
            .moveTo(MARGIN, this.doc.y + 4)
            .lineTo(MARGIN + this.width, this.doc.y + 4)
            .stroke('#999999');
          this.doc.moveDown(0.6);
          break;
      }
    }
  }
  /** Annexes C, D, …: the same shape for every one (server/export/annexes.ts). */
  annex(annex: ModelAnnex, index: number) {
    this.doc.addPage();
    this.heading(annexHeading(annex, index), 16, { outline: true });
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
  action(a: ModelAction, index: number) {
    this.ensure(80);
    this.para(`Action ${index + 1}: ${a.title}`, { font: 'bold', size: 11 });
    if (a.description) this.para(a.description);
    this.doc.moveDown(0.2);
    this.grid(actionFacts(a), [0.3, 0.7], false);
    if (a.indicators.length > 0) {
      this.grid(
        [['Type', 'Indicator', 'Baseline', 'Target'], ...a.indicators.map((i) => [i.type, i.description, i.baseline ?? '—', i.target ?? '—'])],
        [0.14, 0.46, 0.2, 0.2],
        true,
      );
    }
  }
}

export function renderPdf(model: PlanModel, onProgress?: (done: number, total: number) => void): Promise<Buffer> {
  const w = new PdfWriter(model.plan.title);
  const { doc } = w;
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const { plan } = model;

  // Title page
  doc.moveDown(10).font('bold').fontSize(24).text(clean(plan.title), { align: 'center', width: w.width });
  doc.moveDown(1).font('regular').fontSize(14).text(clean(`${plan.country}, ${plan.periodStart}–${plan.periodEnd}`), { align: 'center', width: w.width });
  if (plan.source) doc.moveDown(0.5).font('italic').fontSize(11).text(clean(plan.source), { align: 'center', width: w.width });
  doc
    .moveDown(3)
    .font('regular')
    .fontSize(11)
    .text(model.scope === 'agreed' ? 'Agreed sections only' : 'Current draft, every section with its status', { align: 'center', width: w.width });
  doc.moveDown(0.5).fillColor('#555555').fontSize(9).text(clean(`Exported ${displayTime(model.exportedAt)}\n${model.madeFrom}`), { align: 'center', width: w.width });
  doc.fillColor('black').fontSize(10.5);

  // Contents
  doc.addPage();
  w.heading('Contents', 16);
  model.chapters.forEach((c, ci) => {
    w.para(`${ci + 1}. ${c.title}`, { font: 'bold' });
    c.sections.forEach((s, si) => w.para(`${ci + 1}.${si + 1} ${s.title} (${statusLabel(s.status)})`, { indent: 16 }));
  });
  w.para('Annex A. Recommendations addressed', { font: 'bold' });
  w.para('Annex B. Provenance', { font: 'bold' });
  (model.annexes ?? []).forEach((annex, i) => w.para(annexHeading(annex, i), { font: 'bold' }));

  const total = model.chapters.reduce((n, c) => n + c.sections.length, 0);
  let done = 0;
  model.chapters.forEach((c, ci) => {
    doc.addPage();
    const item = w.heading(`${ci + 1}. ${c.title}`, 16, { outline: true });
    c.sections.forEach((s, si) => {
      w.heading(`${ci + 1}.${si + 1} ${s.title}`, 13, { outline: true, parent: item });
      w.para(`Status: ${statusLabel(s.status)}${s.agreedAt ? ` (agreed ${s.agreedAt})` : ''}`, { font: 'italic', color: '#444444' });
      doc.moveDown(0.3);
      if (!s.included) w.para(notIncludedText(s), { font: 'italic' });
      else {
        for (const note of s.notes ?? []) {
          w.para(note, { font: 'italic', color: '#444444' });
          doc.moveDown(0.3);
        }
        w.blocks(s.blocks);
        s.actions.forEach((a, ai) => w.action(a, ai));
      }
      onProgress?.(++done, total);
    });
  });

  doc.addPage();
  w.heading('Annex A. Recommendations addressed', 16, { outline: true });
  if (model.recommendations.length === 0) w.para('No recommendation is linked to an exported action.', { font: 'italic' });
  for (const r of model.recommendations) {
    const source = [r.mechanism, r.documentSymbol, r.paragraph ? `para. ${r.paragraph}` : null].filter(Boolean).join(', ');
    w.ensure(40);
    doc.moveDown(0.4);
    w.para(`${r.reference} — ${source} — ${positionLabel(r.position)}`, { font: 'bold' });
    if (r.recommendingStates.length) w.para(`Recommending States: ${r.recommendingStates.join(', ')}`, { font: 'italic' });
    w.para(r.text);
  }

  doc.addPage();
  w.heading('Annex B. Provenance', 16, { outline: true });
  w.para(`Exported: ${displayTime(model.exportedAt)}\nScope: ${model.scope}\nMade from: ${model.madeFrom}`);
  w.para(MARKER_NOTE, { size: 8.5, color: '#555555' });
  for (const c of model.chapters) {
    for (const s of c.sections) {
      w.heading(`${c.title} — ${s.title}`, 11.5);
      if (s.included) for (const note of s.notes ?? []) w.para(note, { font: 'italic', color: '#444444' });
      w.grid(
        [
          ['Status', statusLabel(s.status)],
          ['Agreed at', s.agreedAt ?? '—'],
          ['Agreed hash', s.agreedHash ?? '—'],
          ['Hash of exported content', s.included ? s.currentHash : '— (not exported)'],
        ],
        [0.3, 0.7],
        false,
      );
      if (s.signers.length) {
        w.grid(
          [['Signed by', 'Organisation', 'Side', 'Signed at', 'Content hash'], ...s.signers.map((g) => [g.name, organisationLabel(g.organisation, g.verified), g.side, g.signedAt, g.contentHash])],
          [0.18, 0.22, 0.14, 0.2, 0.26],
          true,
        );
      }
      if (s.included) {
        w.para(markerBegin(s.id, isSigned(s)), { size: 7, color: '#888888' });
        for (const line of s.canonicalLines) w.para(line || ' ', { font: 'mono', size: 7.5 });
        w.para(markerEnd(s.id, isSigned(s)), { size: 7, color: '#888888' });
      }
    }
  }
  (model.annexes ?? []).forEach((annex, i) => w.annex(annex, i));
  doc.end();
  return finished;
}
