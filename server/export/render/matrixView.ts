/**
 * What both shapes of the implementation matrix read from the plan model: the exported actions with
 * their chapter and section, every recommendation of the plan (ModelPlanRecommendation), which
 * exported actions address each, and the words for where implementation stands (issue #15).
 */
import {
  type ModelAction,
  type ModelChapter,
  type ModelIndicator,
  type ModelPlanRecommendation,
  type ModelSection,
  type PlanModel,
} from '../model.ts';
import { actionsAsOf } from '../versionActions.ts';
import { indicatorMeasure, measuredText } from '../../../shared/indicators/yesNo.ts';
import type { ExportWords } from '../i18n/index.ts';

export interface ExportedAction {
  action: ModelAction;
  chapter: ModelChapter;
  section: ModelSection;
}

/** The actions this export includes, in plan order. */
export function exportedActions(model: Pick<PlanModel, 'chapters'>): ExportedAction[] {
  const out: ExportedAction[] = [];
  for (const chapter of model.chapters) for (const section of chapter.sections) for (const action of section.actions) out.push({ action, chapter, section });
  return out;
}

/**
 * Every recommendation the matrix lists. The export worker loads them all (matrixRecommendations.ts);
 * a model built without them (by hand, in tests) lists those its actions link to.
 */
export function matrixRecommendations(model: Pick<PlanModel, 'planRecommendations' | 'recommendations' | 'chapters'>): ModelPlanRecommendation[] {
  if (model.planRecommendations) return model.planRecommendations;
  const out = new Map<string, ModelPlanRecommendation>();
  const extra = { cycle: null, session: null, date: null, stateUnderReview: null, themes: [], affectedPersons: [], sdgTargets: [], linkedActions: 0 };
  for (const r of model.recommendations) out.set(r.id, { ...extra, ...r });
  for (const { action } of exportedActions(model))
    for (const r of action.recommendations)
      if (!out.has(r.id)) out.set(r.id, { ...r, mechanism: '', documentSymbol: null, paragraph: null, recommendingStates: [], ...extra });
  return [...out.values()];
}

/** By recommendation id: the exported actions that address it, by their plan-wide number. */
export function actionsByRecommendation(actions: ExportedAction[]): Map<string, ExportedAction[]> {
  const by = new Map<string, ExportedAction[]>();
  for (const e of actions)
    for (const r of e.action.recommendations) {
      const list = by.get(r.id) ?? [];
      if (!list.includes(e)) list.push(e);
      by.set(r.id, list);
    }
  for (const list of by.values()) list.sort((a, b) => a.action.number - b.action.number);
  return by;
}

export type Coverage = 'addressed' | 'outsideExport' | 'unaddressed' | 'noRecommendation';

/**
 * Whether the plan addresses a recommendation: by an action in this export; only by actions this
 * export leaves out (a section not agreed, in an agreed-only export); or not at all, which is what
 * a tracker looks for.
 */
export function coverageOf(r: Pick<ModelPlanRecommendation, 'linkedActions'>, exported: number): Coverage {
  return exported > 0 ? 'addressed' : r.linkedActions > 0 ? 'outsideExport' : 'unaddressed';
}

/** One indicator's line: baseline and target, then its latest observed value and when. */
/** A reported value as the matrix writes it: "Yes"/"No" for a yes/no indicator (shared/indicators/yesNo.ts), else the number. */
const latestText = (i: ModelIndicator, value: number, words: ExportWords) =>
  measuredText(value, indicatorMeasure({ baselineValue: i.baselineValue ?? null, targetValue: i.targetValue ?? null }), words.w.progress, (n) => words.number(n));

export const indicatorText = (i: ModelIndicator, words: ExportWords) =>
  words.t(words.w.matrix.indicator, {
    type: words.label(words.w.indicatorType, i.type),
    description: i.description,
    baseline: i.baseline ?? '—',
    target: i.target ?? '—',
    value: i.latest ? latestText(i, i.latest.value, words) : '—',
    observed: i.latest ? words.t(words.w.matrix.observedOn, { date: i.latest.date, round: i.latest.roundName }) : '—',
  });

/** Whose actions a row shows (the current ones, or a saved version's), for a row with no action: the export's. */
export const planActionsAsOf = (model: Pick<PlanModel, 'version' | 'exportedAt'>, words: ExportWords) =>
  actionsAsOf(model, { actionsFrom: model.version ? 'version' : undefined }, words);
