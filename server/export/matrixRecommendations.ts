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
import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { parseList, wordsOf, type ModelPlanRecommendation, type PlanModel } from './model.ts';
import { visibleRecommendation } from '../services/recommendations.ts';
import { RecommendationKindSchema } from '../../shared/api/recommendations.ts';

// Columns in the order selected: the row is spread into the model. The lists stay JSON text.
const Row = rowShape({
  id: col.text,
  reference: col.text,
  mechanism: col.text,
  documentSymbol: col.nullableText,
  paragraph: col.nullableText,
  cycle: col.nullableInt,
  session: col.nullableText,
  date: col.nullableText,
  stateUnderReview: col.text,
  states: col.text,
  position: col.text,
  kind: RecommendationKindSchema,
  text: col.text,
  themes: col.text,
  affected: col.text,
  sdgs: col.text,
  linkedActions: col.int,
});

export async function loadPlanRecommendations(q: Sql, planId: string, model: Pick<PlanModel, 'chapters' | 'language'>): Promise<ModelPlanRecommendation[]> {
  const rows = await q.rows(
    Row,
    sql`SELECT id, reference, mechanism, document_symbol AS "documentSymbol", paragraph, cycle, session, date,
         state_under_review AS "stateUnderReview", recommending_states AS states, position, kind, text, themes,
         affected_persons AS affected, sdg_targets AS sdgs, action_count AS "linkedActions"
         FROM recommendations r WHERE plan_id = ${planId} AND ${sql.raw(visibleRecommendation())} ORDER BY sort_key, id`,
  );
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
