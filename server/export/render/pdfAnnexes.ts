/**
 * The plan PDF's annexes: the implementation plan (landscape), A. recommendations addressed,
 * B. provenance with each section's signed content between markers, and C, D, … drawn from the
 * model's generic annexes (server/export/annexes.ts).
 */
import { isSigned, recommendationPosition, recommendationSource, statusLabel, type PlanModel } from '../model.ts';
import { markerBegin, markerEnd } from './common.ts';
import { recommendationMeta } from '../recommendationMeta.ts';
import { annexHeading, organisationLabel, sideWords, type ModelAnnex } from '../annexes.ts';
import { implementationCells, implementationHeader, implementationRows } from '../implementationPlan.ts';
import { PdfTable } from './pdfTable.ts';
import type { PdfWriter } from './pdfWriter.ts';
import type { ExportWords } from '../i18n/index.ts';

/** Lets what was drawn flow out before more is drawn (see breathe in pdf.ts). */
export type Pause = () => Promise<void>;

/** Keys the contents and the layout pass know each annex by. */
export const annexKey = {
  implementation: 'annex-implementation',
  recommendations: 'annex-a',
  provenance: 'annex-b',
  other: (index: number) => `annex-${index + 3}`,
};

/** Whether the export has actions for an implementation plan. */
export const hasImplementationPlan = (model: PlanModel) => model.chapters.some((c) => c.sections.some((s) => s.included && s.actions.length > 0));

/**
 * The implementation plan on landscape pages: seven columns need the width, and a ministry reads
 * it as the table the plan is adopted with. Its header row repeats on every page.
 */
export async function implementationAnnex(w: PdfWriter, model: PlanModel, words: ExportWords, pause: Pause) {
  const l = words.w.layout;
  w.newPage('landscape');
  w.heading(l.implementationAnnex, 16, { outline: true, mark: annexKey.implementation });
  w.para(l.implementationIntro, { size: 9.5, color: '#444444' });
  w.doc.moveDown(0.4);
  const rows = implementationRows(model, words).map(implementationCells);
  const table = new PdfTable(w, implementationHeader(words), rows, [0.05, 0.17, 0.21, 0.16, 0.1, 0.19, 0.12], w.root, {
    size: 8,
    continued: `${l.implementationAnnex} ${l.continued}`,
  });
  for (const [i, row] of rows.entries()) {
    table.row(row);
    if ((i + 1) % 40 === 0) await pause();
  }
  table.end();
}

export async function recommendationsAnnex(w: PdfWriter, model: PlanModel, words: ExportWords, pause: Pause) {
  const t = words.w;
  w.newPage('portrait');
  w.heading(annexHeading({ title: t.document.annexA }, -2, words), 16, { outline: true, mark: annexKey.recommendations });
  if (model.recommendations.length === 0) w.para(t.document.noRecommendations, { font: 'italic' });
  let drawn = 0;
  for (const r of model.recommendations) {
    w.ensure(40);
    w.doc.moveDown(0.4);
    w.para(`${r.reference} — ${recommendationSource(r, words)} — ${recommendationPosition(r, words)}`, { font: 'bold' });
    for (const line of recommendationMeta(r, words)) w.para(line, { font: 'italic' });
    w.para(r.text);
    if (++drawn % 50 === 0) await pause();
  }
}

export async function provenanceAnnex(w: PdfWriter, model: PlanModel, words: ExportWords, pause: Pause) {
  const t = words.w;
  const pv = t.provenance;
  w.newPage('portrait');
  w.heading(annexHeading({ title: t.document.annexB }, -1, words), 16, { outline: true, mark: annexKey.provenance });
  w.para(
    `${pv.exported}: ${words.time(model.exportedAt)}\n${pv.scope}: ${model.scope === 'agreed' ? pv.scopeAgreed : pv.scopeCurrent}\n${pv.madeFrom}: ${model.madeFrom}`,
  );
  if (model.documentNumber) w.para(words.t(t.layout.documentNumber, { number: model.documentNumber }));
  w.para(pv.markerNote, { size: 8.5, color: '#555555' });
  for (const c of model.chapters) {
    for (const s of c.sections) {
      w.heading(`${c.title} — ${s.title}`, 11.5);
      if (s.included) for (const note of s.notes ?? []) w.para(note, { font: 'italic', color: '#444444' });
      w.grid(
        [
          [t.document.status, statusLabel(s.status, words)],
          [pv.agreedAt, s.agreedAt ?? '—'],
          [pv.agreedHash, s.agreedHash ?? '—'],
          [pv.exportedHash, s.included ? s.currentHash : pv.notExported],
        ],
        [0.3, 0.7],
        false,
      );
      if (s.signers.length) {
        w.grid(
          [
            [pv.signedBy, pv.organisation, pv.side, pv.signedAt, pv.contentHash],
            ...s.signers.map((g) => [g.name, organisationLabel(g.organisation, g.verified, words), sideWords(g.side, words), g.signedAt, g.contentHash]),
          ],
          [0.18, 0.22, 0.14, 0.2, 0.26],
          true,
        );
      }
      if (s.included) {
        w.para(markerBegin(s.id, isSigned(s)), { size: 7, color: '#888888' });
        for (const line of s.canonicalLines) w.para(line || ' ', { font: 'mono', size: 7.5 });
        w.para(markerEnd(s.id, isSigned(s)), { size: 7, color: '#888888' });
      }
      await pause();
    }
  }
}

/** Annexes C, D, …: the same shape for every one (server/export/annexes.ts). */
export function genericAnnex(w: PdfWriter, annex: ModelAnnex, index: number, words: ExportWords) {
  w.newPage('portrait');
  w.heading(annexHeading(annex, index, words), 16, { outline: true, mark: annexKey.other(index) });
  for (const p of annex.intro) {
    w.para(p, { size: 9.5, color: '#444444' });
    w.doc.moveDown(0.3);
  }
  if (annex.groups.length === 0) w.para(annex.empty, { font: 'italic' });
  for (const g of annex.groups) {
    w.heading(g.heading, 11.5);
    if (g.note) w.para(g.note, { font: 'italic', color: '#444444' });
    for (const e of g.entries) {
      w.ensure(40);
      w.doc.moveDown(0.3);
      w.para(e.label, { font: 'bold' });
      w.para(e.byline, { size: 9, color: '#444444' });
      w.para(e.text, { indent: 12 });
      w.doc.moveDown(0.2);
    }
  }
}
