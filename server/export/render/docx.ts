/**
 * DOCX for the ministries: title page, contents (a Word field plus a static list readable without
 * updating fields), chapters (Heading 1), sections (Heading 2) with their status and text, each
 * action as a table, the recommendation annex and the provenance annex.
 *
 * Signed content: in the provenance annex each exported section's canonical lines
 * (shared/doc/canonical.ts) are written verbatim, one paragraph each (style "AccordCanonical"),
 * between two marker paragraphs `[begin signed content <sectionId>]` and
 * `[end signed content <sectionId>]` (style "AccordMarker"). sha256 of the lines between the
 * markers joined by "\n" is the sign-off content hash; see extractCanonicalBlocks in
 * server/export/extract.ts.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import {
  actionFacts,
  type Block,
  indicatorTable,
  type Inline,
  type ModelAction,
  type PlanModel,
  positionLabel,
  recommendationSource,
  safeHref,
  statusLabel,
  notIncludedText,
  isSigned,
  wordsOf,
} from '../model.ts';
import { xmlSafe, markerBegin, markerEnd } from './common.ts';
import { annexHeading, organisationLabel, sideWords, type ModelAnnex } from '../annexes.ts';
import { DOCX_LANGUAGE, type ExportWords } from '../i18n/index.ts';

type Body = Array<Paragraph | Table | TableOfContents>;

const BULLET = 'accord-bullet';
const NUMBER = 'accord-number';

function runs(inlines: Inline[]): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const i of inlines) {
    if (i.br) {
      out.push(new TextRun({ text: '', break: 1 }));
      continue;
    }
    const opts = {
      text: xmlSafe(i.text),
      bold: i.bold,
      italics: i.italic,
      strike: i.strike,
      underline: i.underline ? {} : undefined,
      font: i.code ? 'Consolas' : undefined,
    };
    const href = safeHref(i.link);
    if (href) out.push(new ExternalHyperlink({ link: href, children: [new TextRun({ ...opts, style: 'Hyperlink' })] }));
    else out.push(new TextRun(opts));
  }
  return out;
}

const text = (s: string, opts: { bold?: boolean; italics?: boolean; size?: number; color?: string } = {}) =>
  new TextRun({ text: xmlSafe(s), ...opts });
const para = (s: string, opts: { bold?: boolean; italics?: boolean; style?: string } = {}) =>
  new Paragraph({ style: opts.style, children: [text(s, { bold: opts.bold, italics: opts.italics })] });

const HEADINGS = [HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

class Renderer {
  private listInstance = 0;

  blocks(blocks: Block[], depth = 0): Body {
    const out: Body = [];
    for (const b of blocks) {
      switch (b.type) {
        case 'paragraph':
          out.push(new Paragraph({ children: runs(b.inlines), indent: depth ? { left: 360 * depth } : undefined }));
          break;
        case 'heading':
          // Section text headings sit below the section's own Heading 2.
          out.push(new Paragraph({ heading: HEADINGS[Math.min(b.level - 1, 3)], children: runs(b.inlines) }));
          break;
        case 'list': {
          const instance = ++this.listInstance;
          for (const item of b.items) {
            let first = true;
            for (const child of item) {
              if (child.type === 'paragraph' && first) {
                out.push(
                  new Paragraph({
                    children: runs(child.inlines),
                    numbering: { reference: b.ordered ? NUMBER : BULLET, level: Math.min(depth, 8), instance },
                  }),
                );
              } else out.push(...this.blocks([child], depth + 1));
              first = false;
            }
          }
          break;
        }
        case 'blockquote':
          for (const p of this.blocks(b.blocks, depth)) out.push(p);
          break;
        case 'codeBlock':
          out.push(
            new Paragraph({
              children: b.text.split('\n').map((line, i) => new TextRun({ text: xmlSafe(line), font: 'Consolas', break: i > 0 ? 1 : 0 })),
            }),
          );
          break;
        case 'table':
          if (b.rows.length === 0) break;
          out.push(
            new Table({
              width: { size: 100, type: WidthType.PERCENTAGE },
              rows: b.rows.map(
                (row) =>
                  new TableRow({
                    tableHeader: row.header,
                    children: row.cells.map(
                      (cell) =>
                        new TableCell({
                          children: [new Paragraph({ children: row.header ? runs(cell.map((i) => ({ ...i, bold: true }))) : runs(cell) })],
                        }),
                    ),
                  }),
              ),
            }),
            new Paragraph({ children: [] }),
          );
          break;
        case 'rule':
          out.push(new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '999999', space: 1 } }, children: [] }));
          break;
      }
    }
    return out;
  }
}

const cell = (s: string, header = false) =>
  new TableCell({
    shading: header ? { type: ShadingType.CLEAR, fill: 'E7EEF7', color: 'auto' } : undefined,
    children: s.split('\n').map((line) => new Paragraph({ children: [text(line, { bold: header })] })),
  });

function grid(header: string[] | null, rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      ...(header ? [new TableRow({ tableHeader: true, children: header.map((h) => cell(h, true)) })] : []),
      ...rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c, !header && i === 0)) })),
    ],
  });
}

function actionBody(a: ModelAction, index: number, words: ExportWords): Body {
  const out: Body = [
    new Paragraph({ heading: HeadingLevel.HEADING_3, children: [text(words.t(words.w.document.action, { number: index + 1, title: a.title }))] }),
  ];
  if (a.description) out.push(...a.description.split('\n').map((l) => para(l)));
  out.push(grid(null, actionFacts(a, words)));
  if (a.indicators.length > 0) {
    out.push(para(words.w.document.indicators, { bold: true }));
    const table = indicatorTable(a, words);
    out.push(grid(table.header, table.rows));
  }
  out.push(new Paragraph({ children: [] }));
  return out;
}

/** Annexes C, D, …: the same shape for every one (server/export/annexes.ts). */
function annexBody(annex: ModelAnnex, index: number, words: ExportWords): Body {
  const out: Body = [
    new Paragraph({ children: [new PageBreak()] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(annexHeading(annex, index, words))] }),
    ...annex.intro.map((p) => para(p)),
  ];
  if (annex.groups.length === 0) out.push(para(annex.empty, { italics: true }));
  for (const g of annex.groups) {
    out.push(new Paragraph({ heading: HeadingLevel.HEADING_3, children: [text(g.heading)] }));
    if (g.note) out.push(para(g.note, { italics: true }));
    for (const e of g.entries) {
      out.push(new Paragraph({ spacing: { before: 160 }, children: [text(e.label, { bold: true }), text(` — ${e.byline}`)] }));
      out.push(...e.text.split('\n').map((l) => new Paragraph({ indent: { left: 360 }, children: [text(l)] })));
    }
  }
  return out;
}

export function renderDocx(model: PlanModel, onProgress?: (done: number, total: number) => void): Promise<Buffer> {
  const r = new Renderer();
  const { plan } = model;
  const words = wordsOf(model);
  const { w } = words;
  // The fixed annexes A and B come before C (annexLetter(-2) is A).
  const annexA = annexHeading({ title: w.document.annexA }, -2, words);
  const annexB = annexHeading({ title: w.document.annexB }, -1, words);
  const body: Body = [];

  // Title page
  body.push(
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, spacing: { before: 2400 }, children: [text(plan.title)] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [text(`${plan.country}, ${plan.periodStart}–${plan.periodEnd}`, { size: 28 })] }),
    ...(plan.source ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [text(plan.source, { italics: true })] })] : []),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 600 },
      children: [text(model.scope === 'agreed' ? w.document.scopeAgreed : w.document.scopeCurrent)],
    }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [text(words.t(w.document.exported, { time: words.time(model.exportedAt) }), { color: '555555' })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [text(model.madeFrom, { color: '555555', size: 18 })] }),
    new Paragraph({ children: [new PageBreak()] }),
  );

  // Contents: the field (updated by Word on demand) and a static list.
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(w.document.contents)] }));
  body.push(new TableOfContents(w.document.contents, { hyperlink: true, headingStyleRange: '1-2' }));
  model.chapters.forEach((c, ci) => {
    body.push(para(`${ci + 1}. ${c.title}`, { bold: true }));
    c.sections.forEach((s, si) =>
      body.push(new Paragraph({ indent: { left: 400 }, children: [text(`${ci + 1}.${si + 1} ${s.title} (${statusLabel(s.status, words)})`)] })),
    );
  });
  body.push(para(annexA, { bold: true }), para(annexB, { bold: true }));
  (model.annexes ?? []).forEach((annex, i) => body.push(para(annexHeading(annex, i, words), { bold: true })));
  body.push(new Paragraph({ children: [new PageBreak()] }));

  const total = model.chapters.reduce((n, c) => n + c.sections.length, 0);
  let done = 0;
  model.chapters.forEach((c, ci) => {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(`${ci + 1}. ${c.title}`)] }));
    c.sections.forEach((s, si) => {
      body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [text(`${ci + 1}.${si + 1} ${s.title}`)] }));
      body.push(
        new Paragraph({
          children: [
            text(`${w.document.status}: `, { bold: true }),
            text(statusLabel(s.status, words) + (s.agreedAt ? ` (${words.t(w.document.agreedOn, { time: words.time(s.agreedAt) })})` : '')),
          ],
        }),
      );
      if (!s.included) {
        body.push(para(notIncludedText(s, words), { italics: true }));
      } else {
        for (const note of s.notes ?? []) body.push(para(note, { italics: true }));
        body.push(...r.blocks(s.blocks));
        s.actions.forEach((a, ai) => body.push(...actionBody(a, ai, words)));
      }
      onProgress?.(++done, total);
    });
  });

  // Annex A
  body.push(new Paragraph({ children: [new PageBreak()] }));
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(annexA)] }));
  if (model.recommendations.length === 0) body.push(para(w.document.noRecommendations, { italics: true }));
  for (const rec of model.recommendations) {
    body.push(
      new Paragraph({
        spacing: { before: 200 },
        children: [text(rec.reference, { bold: true }), text(` — ${recommendationSource(rec, words)} — ${positionLabel(rec.position, words)}`)],
      }),
    );
    if (rec.recommendingStates.length > 0)
      body.push(para(words.t(w.document.recommendingStates, { states: rec.recommendingStates.join(', ') }), { italics: true }));
    body.push(...rec.text.split('\n').map((l) => para(l)));
  }

  // Annex B
  body.push(new Paragraph({ children: [new PageBreak()] }));
  const pv = w.provenance;
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(annexB)] }));
  body.push(
    para(`${pv.exported}: ${words.time(model.exportedAt)}`),
    para(`${pv.scope}: ${model.scope === 'agreed' ? pv.scopeAgreed : pv.scopeCurrent}`),
    para(`${pv.madeFrom}: ${model.madeFrom}`),
  );
  body.push(para(pv.markerNote, { italics: true }));
  for (const c of model.chapters) {
    for (const s of c.sections) {
      body.push(new Paragraph({ heading: HeadingLevel.HEADING_3, children: [text(`${c.title} — ${s.title}`)] }));
      if (s.included) for (const note of s.notes ?? []) body.push(para(note, { italics: true }));
      body.push(
        grid(null, [
          [w.document.status, statusLabel(s.status, words)],
          [pv.agreedAt, s.agreedAt ?? '—'],
          [pv.agreedHash, s.agreedHash ?? '—'],
          [pv.exportedHash, s.included ? s.currentHash : pv.notExported],
        ]),
      );
      if (s.signers.length > 0) {
        body.push(para(pv.signedBy, { bold: true }));
        body.push(
          grid(
            [pv.name, pv.organisation, pv.side, pv.signedAt, pv.contentHash],
            s.signers.map((g) => [g.name, organisationLabel(g.organisation, g.verified, words), sideWords(g.side, words), g.signedAt, g.contentHash]),
          ),
        );
      }
      if (s.included) {
        const signed = isSigned(s);
        body.push(new Paragraph({ style: 'AccordMarker', children: [text(markerBegin(s.id, signed))] }));
        for (const line of s.canonicalLines) body.push(new Paragraph({ style: 'AccordCanonical', children: [text(line)] }));
        body.push(new Paragraph({ style: 'AccordMarker', children: [text(markerEnd(s.id, signed))] }));
      }
    }
  }

  (model.annexes ?? []).forEach((annex, i) => body.push(...annexBody(annex, i, words)));

  const doc = new Document({
    creator: 'Accord',
    title: xmlSafe(plan.title),
    description: words.t(w.document.description, { scope: model.scope === 'agreed' ? w.provenance.scopeAgreed : w.provenance.scopeCurrent }),
    styles: {
      // The document's language (w:lang in the default run properties), so spelling, hyphenation and screen readers use it.
      default: { document: { run: { font: 'Calibri', size: 22, language: { value: DOCX_LANGUAGE[words.language] } } } },
      paragraphStyles: [
        { id: 'AccordCanonical', name: 'Accord canonical content', basedOn: 'Normal', run: { size: 18, color: '333333' }, paragraph: { spacing: { after: 0 } } },
        { id: 'AccordMarker', name: 'Accord content marker', basedOn: 'Normal', run: { size: 14, color: '888888' } },
      ],
    },
    numbering: {
      config: [
        {
          reference: BULLET,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.BULLET,
            text: level % 2 ? '◦' : '•',
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
        {
          reference: NUMBER,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: level % 2 ? LevelFormat.LOWER_LETTER : LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [{ children: body }],
  });
  return Packer.toBuffer(doc);
}
