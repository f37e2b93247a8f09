/**
 * The recommendations the implementation matrix lists: every recommendation of the plan, not only
 * those an exported action addresses, because a tracker (NRTD, UPR Info) reads the matrix to find
 * what the plan leaves unaddressed. Loaded in the export worker for the matrix formats only, in the
 * same read transaction as the model: a plan can hold 40,000 recommendations, which the document
 * formats do not need.
 *
 * A saved version's actions may link to a recommendation deleted since: it is listed after the
 * others with only its reference, as Annex A lists it (versionActions.ts).
 */
import type { Db } from '../db/database.ts';
import { parseList, wordsOf, type ModelPlanRecommendation, type PlanModel } from './model.ts';

interface Row {
  id: string;
  reference: string;
  mechanism: string;
  documentSymbol: string | null;
  paragraph: string | null;
  cycle: number | null;
  session: string | null;
  date: string | null;
  stateUnderReview: string | null;
  states: string;
  position: string;
  text: string;
  themes: string;
  affected: string;
  sdgs: string;
  linkedActions: number;
}

export function loadPlanRecommendations(db: Db, planId: string, model: Pick<PlanModel, 'chapters' | 'language'>): ModelPlanRecommendation[] {
  const rows = db
    .prepare(
      `SELECT id, reference, mechanism, document_symbol AS documentSymbol, paragraph, cycle, session, date,
         state_under_review AS stateUnderReview, recommending_states AS states, position, text, themes,
         affected_persons AS affected, sdg_targets AS sdgs, action_count AS linkedActions
         FROM recommendations WHERE plan_id = ? ORDER BY sort_key`,
    )
    .all(planId) as Row[];
  const list: ModelPlanRecommendation[] = rows.map(({ states, themes, affected, sdgs, ...r }) => ({
    ...r,
    recommendingStates: parseList(states),
    themes: parseList(themes),
    affectedPersons: parseList(affected),
    sdgTargets: parseList(sdgs),
  }));

  const known = new Set(list.map((r) => r.id));
  const gone = new Map<string, string>();
  for (const c of model.chapters)
    for (const s of c.sections) for (const a of s.actions) for (const r of a.recommendations) if (!known.has(r.id) && !gone.has(r.id)) gone.set(r.id, r.reference);
  const deleted = wordsOf(model).w.madeFrom;
  const missing = [...gone].map(
    ([id, reference]): ModelPlanRecommendation => ({
      id,
      reference,
      mechanism: deleted.deletedMechanism,
      documentSymbol: null,
      paragraph: null,
      cycle: null,
      session: null,
      date: null,
      stateUnderReview: null,
      recommendingStates: [],
      position: deleted.deletedPosition,
      text: deleted.deletedText,
      themes: [],
      affectedPersons: [],
      sdgTargets: [],
      linkedActions: 0,
      deleted: true,
    }),
  );
  missing.sort((a, b) => a.reference.localeCompare(b.reference));
  return [...list, ...missing];
}
