/**
 * The "Implementation plan" annex of the DOCX: one row per exported action, in the form plans are
 * adopted in (number | objective | activity | responsible agency | deadline | indicator | budget),
 * on landscape pages so seven columns stay readable.
 */
import { Paragraph, HeadingLevel, TextRun, type Table } from 'docx';
import { budgetWords, type ModelAction, type PlanModel } from '../model.ts';
import type { ExportWords } from '../i18n/index.ts';
import { xmlSafe } from './common.ts';
import { grid, weightedWidths } from './docxTables.ts';
import { TEXT_WIDTH } from './docxPage.ts';

/** "2027-Q1 – 2028", the end alone when there is no start, "—" when neither is set. */
export function deadline(a: Pick<ModelAction, 'start' | 'end'>): string {
  if (a.start && a.end) return `${a.start} – ${a.end}`;
  if (a.end) return a.end;
  if (a.start) return `${a.start} –`;
  return '—';
}

/** The row of each exported action, in plan order. */
export function implementationRows(model: PlanModel, words: ExportWords): string[][] {
  const c = words.w.indicatorColumns;
  const rows: string[][] = [];
  model.chapters.forEach((chapter, ci) =>
    chapter.sections.forEach((s, si) => {
      if (!s.included) return;
      for (const a of s.actions) {
        rows.push([
          String(a.number),
          `${ci + 1}.${si + 1} ${s.title}`,
          a.title,
          [a.leadAgency ?? '—', ...a.coImplementers].join('\n'),
          deadline(a),
          a.indicators.map((i) => (i.target ? `${i.description} (${c.target}: ${i.target})` : i.description)).join('\n') || '—',
          budgetWords(a, words),
        ]);
      }
    }),
  );
  return rows;
}

export function implementationAnnex(model: PlanModel, words: ExportWords): Array<Paragraph | Table> {
  const { layout } = words.w;
  const cols = layout.implementationColumns;
  const rows = implementationRows(model, words);
  const out: Array<Paragraph | Table> = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(xmlSafe(layout.implementationAnnex))] }),
    new Paragraph({ children: [new TextRun({ text: xmlSafe(layout.implementationIntro), italics: true })] }),
  ];
  if (rows.length === 0) {
    out.push(new Paragraph({ children: [new TextRun({ text: xmlSafe(words.w.docx.noActions), italics: true })] }));
    return out;
  }
  out.push(
    grid([cols.number, cols.objective, cols.activity, cols.agency, cols.deadline, cols.indicator, cols.budget], rows, {
      widths: weightedWidths([5, 15, 20, 16, 10, 22, 12], TEXT_WIDTH.landscape),
    }),
  );
  return out;
}
