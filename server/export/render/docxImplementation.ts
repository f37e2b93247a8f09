/**
 * The "Implementation plan" annex of the DOCX: the rows of server/export/implementationPlan.ts (one
 * per exported action, in the form plans are adopted in), on landscape pages so seven columns stay
 * readable. An export without actions has none, as in the PDF.
 */
import { Paragraph, HeadingLevel, TextRun } from 'docx';
import type { PlanModel } from '../model.ts';
import type { ExportWords } from '../i18n/index.ts';
import { implementationCells, implementationHeader, implementationRows } from '../implementationPlan.ts';
import { xmlSafe } from './common.ts';
import { rowsOfGrid, type RowsOfTable, weightedWidths } from './docxTables.ts';
import { TEXT_WIDTH } from './docxPage.ts';

/** The annex's heading, introduction and table (a row per action, made as it is written), or null when the export has no action. */
export function implementationAnnex(model: PlanModel, words: ExportWords): Array<Paragraph | RowsOfTable> | null {
  const { layout } = words.w;
  const rows = implementationRows(model, words);
  if (rows.length === 0) return null;
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(xmlSafe(layout.implementationAnnex))] }),
    new Paragraph({ children: [new TextRun({ text: xmlSafe(layout.implementationIntro), italics: true })] }),
    rowsOfGrid(implementationHeader(words), rows.map(implementationCells), { widths: weightedWidths([5, 15, 20, 16, 10, 22, 12], TEXT_WIDTH.landscape) }),
  ];
}
