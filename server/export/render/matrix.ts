/**
 * The implementation matrix by recommendation (formats matrix-csv and matrix-xlsx), the shape
 * recommendation trackers (NRTD, UPR Info's matrices) use: one row per recommendation of the plan,
 * ALL of them, so what the plan leaves unaddressed is a row with its action columns empty and
 * "Not addressed" in its coverage column. Then the actions of this export that address it, by their
 * plan-wide numbers, with their lead agencies, statuses, deadlines, indicators and, after adoption
 * (issue #15), each one's reported status in the latest round (a column named after the round, before
 * the last) and each indicator's latest observed value. Actions that address no recommendation
 * follow, one row each, so no action of the plan is missing from its matrix.
 *
 * A row with several actions lists them one per line, each line starting with the action's number
 * ("3: Ministry of Justice") so the lines of different columns can be matched.
 *
 * Every column is documented in docs/exports/implementation-matrix.md (a test compares the headers).
 * The linked tables (one sheet per kind of thing) are matrixTables.ts.
 */
import { actionHeading, recommendationPosition, type PlanModel, wordsOf } from '../model.ts';
import { actionsAsOf } from '../versionActions.ts';
import type { ExportWords } from '../i18n/index.ts';
import { type Cell, type Column, dateOrText, list, num, table, type Table, toCsv, workbookBuffer } from './matrixCells.ts';
import {
  actionsByRecommendation,
  type Coverage,
  coverageOf,
  type ExportedAction,
  exportedActions,
  indicatorText,
  matrixRecommendations,
  planActionsAsOf,
} from './matrixView.ts';
import { type ModelPlanRecommendation, reportedStatusText, statusHeader } from '../model.ts';

export interface ByRecommendationRow {
  /** Null for an action that addresses no recommendation. */
  rec: ModelPlanRecommendation | null;
  actions: ExportedAction[];
  coverage: Coverage;
}

export function byRecommendationRows(model: PlanModel): ByRecommendationRow[] {
  const actions = exportedActions(model);
  const by = actionsByRecommendation(actions);
  const rows: ByRecommendationRow[] = matrixRecommendations(model).map((rec) => {
    const addressing = by.get(rec.id) ?? [];
    return { rec, actions: addressing, coverage: coverageOf(rec, addressing.length) };
  });
  for (const e of actions) if (e.action.recommendations.length === 0) rows.push({ rec: null, actions: [e], coverage: 'noRecommendation' });
  return rows;
}

/** One value per action: as it is for one action, one numbered line each for several. */
function perAction(row: ByRecommendationRow, words: ExportWords, value: (e: ExportedAction) => string[]): Cell {
  if (row.actions.length === 0) return null;
  const lines =
    row.actions.length === 1
      ? value(row.actions[0]!)
      : row.actions.flatMap((e) => value(e).map((v) => words.t(words.w.matrix.perAction, { number: e.action.number, value: v })));
  const text = lines.filter((l) => l !== '').join('\n');
  return text === '' ? null : text;
}

/** The columns in order; their headers in the export's language. */
export function byRecommendationColumns(model: PlanModel, words: ExportWords = wordsOf(model)): Array<Column<ByRecommendationRow>> {
  const c = words.w.matrix.columns;
  const rec = <T>(f: (r: ModelPlanRecommendation) => T) => (row: ByRecommendationRow) => (row.rec ? f(row.rec) : null);
  return [
    { header: c.recommendationId, type: 'id', value: rec((r) => r.id) },
    { header: c.reference, type: 'text', width: 14, value: rec((r) => r.reference) },
    { header: c.mechanism, type: 'text', value: rec((r) => words.label(words.w.mechanism, r.mechanism) || null) },
    { header: c.cycle, type: 'number', value: rec((r) => num(r.cycle)) },
    { header: c.documentSymbol, type: 'text', value: rec((r) => r.documentSymbol) },
    { header: c.paragraph, type: 'text', width: 12, value: rec((r) => r.paragraph) },
    { header: c.date, type: 'date', value: rec((r) => dateOrText(r.date)) },
    { header: c.recommendingStates, type: 'list', value: rec((r) => list(r.recommendingStates)) },
    { header: c.stateUnderReview, type: 'text', value: rec((r) => r.stateUnderReview) },
    { header: c.position, type: 'text', value: rec((r) => recommendationPosition(r, words)) },
    { header: c.recommendationText, type: 'text', width: 60, value: rec((r) => r.text) },
    { header: c.themes, type: 'list', value: rec((r) => list(r.themes)) },
    { header: c.affectedPersons, type: 'list', value: rec((r) => list(r.affectedPersons)) },
    { header: c.sdgTargets, type: 'list', value: rec((r) => list(r.sdgTargets)) },
    { header: c.coverage, type: 'text', value: (row) => words.w.matrix.coverage[row.coverage] },
    { header: c.actionCount, type: 'number', value: (row) => row.actions.length },
    { header: c.actionNumbers, type: 'list', value: (row) => list(row.actions.map((e) => String(e.action.number))) },
    { header: c.actions, type: 'text', width: 40, value: (row) => row.actions.map((e) => actionHeading(e.action, words)).join('\n') || null },
    { header: c.leadAgencies, type: 'text', width: 30, value: (row) => perAction(row, words, (e) => [e.action.leadAgency ?? '—']) },
    { header: c.actionStatus, type: 'text', value: (row) => perAction(row, words, (e) => [words.label(words.w.actionStatus, e.action.status)]) },
    { header: c.deadlines, type: 'text', value: (row) => perAction(row, words, (e) => [e.action.end ?? '—']) },
    { header: c.indicators, type: 'text', width: 60, value: (row) => perAction(row, words, (e) => e.action.indicators.map((i) => indicatorText(i, words))) },
    // Where implementation stands, second to last (its header names the round), as in every matrix since #15.
    { header: statusHeader(model, words), type: 'text', value: (row) => perAction(row, words, (e) => [reportedStatusText(model, e.action, words)]) },
    // Last: whose actions these are (the current ones, or a saved version's).
    {
      header: c.actionsAsOf,
      type: 'text',
      width: 30,
      value: (row) =>
        row.actions.length === 0 ? planActionsAsOf(model, words) : [...new Set(row.actions.map((e) => actionsAsOf(model, e.section, words)))].join('\n'),
    },
  ];
}

export function byRecommendationTable(model: PlanModel): Table {
  const words = wordsOf(model);
  return table(words.w.matrix.sheets.byRecommendation, 'matrix.csv', byRecommendationColumns(model, words), byRecommendationRows(model));
}

export function renderMatrixCsv(model: PlanModel): string {
  return toCsv(byRecommendationTable(model));
}

export async function renderMatrixXlsx(model: PlanModel): Promise<Buffer> {
  return workbookBuffer([byRecommendationTable(model)], model.exportedAt);
}
