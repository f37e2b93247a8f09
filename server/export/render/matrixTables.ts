/**
 * The implementation matrix as linked tables (formats matrix-tables-xlsx and matrix-tables-zip), the
 * shape of IMPACT OSS and of a database: one sheet per kind of thing — Recommendations (all of the
 * plan's), Actions (those this export includes), Indicators, and Links (action ↔ recommendation) —
 * each row with its stable identifiers (database ids, and the plan-wide action number a decree cites),
 * joined by those ids rather than by repeating text. Numbers (budget, cycle, action number, numeric
 * baselines and targets, years, observed values) and dates (start, end, observed on) are typed cells
 * in XLSX; as a ZIP, one CSV per sheet under fixed English file names.
 *
 * Every column is documented in docs/exports/implementation-matrix.md (a test compares the headers).
 */
import JSZip from 'jszip';
import { gapsText, recommendationPosition, reportedStatusText, statusHeader, statusLabel, type PlanModel, wordsOf } from '../model.ts';
import type { ModelIndicator, ModelPlanRecommendation } from '../model.ts';
import { actionsAsOf } from '../versionActions.ts';
import type { ExportLanguage } from '../../../shared/api/index.ts';
import type { ExportWords } from '../i18n/index.ts';
import { type Column, dateOrText, list, num, numberOrText, table, type Table, timePointDate, toCsv, workbookBuffer } from './matrixCells.ts';
import { actionsByRecommendation, type ExportedAction, exportedActions, matrixRecommendations, coverageOf } from './matrixView.ts';

/** The recommendations sheet: every recommendation of the plan. */
export function recommendationColumns(model: MatrixModel, words: ExportWords, addressing: Map<string, ExportedAction[]>): Array<Column<ModelPlanRecommendation>> {
  const c = words.w.matrix.columns;
  const count = (r: ModelPlanRecommendation) => addressing.get(r.id)?.length ?? 0;
  return [
    { header: c.recommendationId, type: 'id', value: (r) => r.id },
    { header: c.reference, type: 'text', width: 14, value: (r) => r.reference },
    { header: c.mechanism, type: 'text', value: (r) => words.label(words.w.mechanism, r.mechanism) || null },
    { header: c.cycle, type: 'number', value: (r) => num(r.cycle) },
    { header: c.session, type: 'text', width: 10, value: (r) => r.session },
    { header: c.documentSymbol, type: 'text', value: (r) => r.documentSymbol },
    { header: c.paragraph, type: 'text', width: 12, value: (r) => r.paragraph },
    { header: c.date, type: 'date', value: (r) => dateOrText(r.date) },
    { header: c.recommendingStates, type: 'list', value: (r) => list(r.recommendingStates) },
    { header: c.stateUnderReview, type: 'text', value: (r) => r.stateUnderReview },
    { header: c.position, type: 'text', value: (r) => recommendationPosition(r, words) },
    { header: c.recommendationText, type: 'text', width: 60, value: (r) => r.text },
    { header: c.themes, type: 'list', value: (r) => list(r.themes) },
    { header: c.affectedPersons, type: 'list', value: (r) => list(r.affectedPersons) },
    { header: c.sdgTargets, type: 'list', value: (r) => list(r.sdgTargets) },
    { header: c.coverage, type: 'text', value: (r) => words.w.matrix.coverage[coverageOf(r, count(r))] },
    { header: c.actionCount, type: 'number', value: (r) => count(r) },
  ];
}

/** The actions sheet: each action this export includes, once. */
export function actionColumns(model: MatrixModel, words: ExportWords): Array<Column<ExportedAction>> {
  const c = words.w.matrix.columns;
  const chapterNumber = new Map(model.chapters.map((ch, i) => [ch.id, i + 1]));
  return [
    { header: c.actionId, type: 'id', value: (e) => e.action.id },
    { header: c.actionNumber, type: 'number', value: (e) => num(e.action.number) },
    { header: c.chapter, type: 'text', value: (e) => `${chapterNumber.get(e.chapter.id)}. ${e.chapter.title}` },
    { header: c.section, type: 'text', value: (e) => `${chapterNumber.get(e.chapter.id)}.${e.chapter.sections.indexOf(e.section) + 1} ${e.section.title}` },
    { header: c.sectionStatus, type: 'text', value: (e) => statusLabel(e.section.status, words) },
    { header: c.action, type: 'text', width: 40, value: (e) => e.action.title },
    { header: c.description, type: 'text', width: 50, value: (e) => e.action.description || null },
    { header: c.leadAgency, type: 'text', width: 30, value: (e) => e.action.leadAgency },
    { header: c.coImplementers, type: 'list', value: (e) => list(e.action.coImplementers) },
    { header: c.csoPartners, type: 'list', value: (e) => list(e.action.csoPartners) },
    { header: c.start, type: 'text', width: 10, value: (e) => e.action.start },
    { header: c.startDate, type: 'date', value: (e) => timePointDate(e.action.start, 'start') },
    { header: c.end, type: 'text', width: 10, value: (e) => e.action.end },
    { header: c.endDate, type: 'date', value: (e) => timePointDate(e.action.end, 'end') },
    { header: c.status, type: 'text', value: (e) => words.label(words.w.actionStatus, e.action.status) },
    { header: c.budget, type: 'number', width: 14, value: (e) => num(e.action.budgetAmount) },
    { header: c.currency, type: 'text', width: 10, value: (e) => e.action.currency },
    { header: c.fundingSource, type: 'text', value: (e) => e.action.fundingSource },
    // Empty once the plan is adopted, as in every export (gapsText).
    { header: c.incomplete, type: 'list', value: (e) => (gapsText(e.action, model, words) === null ? null : list(e.action.gaps.map((g) => words.w.layout.gap[g]))) },
    { header: statusHeader(model, words), type: 'text', value: (e) => reportedStatusText(model, e.action, words) || null },
    { header: c.actionsAsOf, type: 'text', width: 30, value: (e) => actionsAsOf(model, e.section, words) },
  ];
}

interface IndicatorRow {
  indicator: ModelIndicator;
  e: ExportedAction;
}

/** The indicators sheet: each indicator of an exported action. */
export function indicatorColumns(words: ExportWords): Array<Column<IndicatorRow>> {
  const c = words.w.matrix.columns;
  return [
    { header: c.indicatorId, type: 'id', value: ({ indicator }) => indicator.id ?? null },
    { header: c.actionId, type: 'id', value: ({ e }) => e.action.id },
    { header: c.actionNumber, type: 'number', value: ({ e }) => num(e.action.number) },
    { header: c.indicatorType, type: 'text', value: ({ indicator }) => words.label(words.w.indicatorType, indicator.type) },
    { header: c.indicator, type: 'text', width: 50, value: ({ indicator }) => indicator.description },
    { header: c.unit, type: 'text', value: ({ indicator }) => indicator.unit },
    // A model built without the values apart (by hand) falls back on "value (year)" as text.
    { header: c.baseline, type: 'number', value: ({ indicator: i }) => (i.baselineValue !== undefined ? numberOrText(i.baselineValue) : i.baseline) },
    { header: c.baselineYear, type: 'number', value: ({ indicator }) => num(indicator.baselineYear) },
    { header: c.target, type: 'number', value: ({ indicator: i }) => (i.targetValue !== undefined ? numberOrText(i.targetValue) : i.target) },
    { header: c.targetYear, type: 'number', value: ({ indicator }) => num(indicator.targetYear) },
    { header: c.dataSource, type: 'text', value: ({ indicator }) => indicator.dataSource },
    { header: c.frequency, type: 'text', value: ({ indicator }) => indicator.frequency },
    { header: c.disaggregation, type: 'list', value: ({ indicator }) => list(indicator.disaggregation) },
    { header: c.proposedBy, type: 'text', value: ({ indicator }) => indicator.proposedBy },
    { header: c.latestValue, type: 'number', value: ({ indicator }) => num(indicator.latest?.value) },
    { header: c.observedOn, type: 'date', value: ({ indicator }) => (indicator.latest ? dateOrText(indicator.latest.date) : null) },
    { header: c.observedRound, type: 'text', value: ({ indicator }) => indicator.latest?.roundName ?? null },
  ];
}

interface LinkRow {
  e: ExportedAction;
  recommendationId: string;
  reference: string;
}

/** The links sheet: which exported action addresses which recommendation, by their ids. */
export function linkColumns(words: ExportWords): Array<Column<LinkRow>> {
  const c = words.w.matrix.columns;
  return [
    { header: c.actionId, type: 'id', value: ({ e }) => e.action.id },
    { header: c.actionNumber, type: 'number', value: ({ e }) => num(e.action.number) },
    { header: c.recommendationId, type: 'id', value: (l) => l.recommendationId },
    { header: c.reference, type: 'text', width: 14, value: (l) => l.reference },
  ];
}

/** What the tables are made from: a whole export's model, or nothing but a language for the blank template. */
type MatrixModel = Pick<PlanModel, 'chapters' | 'latestRound' | 'flagGaps' | 'version' | 'exportedAt' | 'language' | 'planRecommendations' | 'recommendations'>;

/** The four tables, in their order in the workbook. */
export function matrixTables(model: MatrixModel): Table[] {
  const words = wordsOf(model);
  const sheets = words.w.matrix.sheets;
  const actions = exportedActions(model);
  const addressing = actionsByRecommendation(actions);
  const recommendations = matrixRecommendations(model);
  const reference = new Map(recommendations.map((r) => [r.id, r.reference]));
  return [
    table(sheets.recommendations, 'recommendations.csv', recommendationColumns(model, words, addressing), recommendations),
    table(sheets.actions, 'actions.csv', actionColumns(model, words), actions),
    table(
      sheets.indicators,
      'indicators.csv',
      indicatorColumns(words),
      actions.flatMap((e) => e.action.indicators.map((indicator) => ({ indicator, e }))),
    ),
    table(
      sheets.links,
      'links.csv',
      linkColumns(words),
      actions.flatMap((e) => e.action.recommendations.map((r) => ({ e, recommendationId: r.id, reference: reference.get(r.id) ?? r.reference }))),
    ),
  ];
}

/**
 * The blank template of the re-importable matrix: the same sheets and headers as the export, in
 * `language`, without rows; filled in and uploaded, it adds actions, indicators and links.
 */
export function blankMatrixTablesXlsx(language: ExportLanguage, at = new Date().toISOString()): Promise<Buffer> {
  const empty: MatrixModel = { chapters: [], latestRound: null, flagGaps: true, version: null, exportedAt: at, language, planRecommendations: [], recommendations: [] };
  return workbookBuffer(matrixTables(empty), at);
}

export function renderMatrixTablesXlsx(model: PlanModel): Promise<Buffer> {
  return workbookBuffer(matrixTables(model), model.exportedAt);
}

/** One CSV per sheet in a ZIP; the files carry the export's date so an unzipped copy still says when it was made. */
export async function renderMatrixTablesZip(model: PlanModel): Promise<Buffer> {
  const zip = new JSZip();
  const date = new Date(model.exportedAt);
  for (const t of matrixTables(model)) zip.file(t.file, toCsv(t), { date });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
