import { col, rowShape } from '../db/rows.ts';
import { RecommendationKindSchema } from '../../shared/api/recommendations.ts';
import type { ModelRecommendation } from './modelTypes.ts';

/**
 * A recommendation as the exports' annexes print it, read the same way wherever it is read: the
 * current export's Annex A (model.ts) and a saved version's actions (versionActions.ts).
 */
export const MODEL_RECOMMENDATION_COLUMNS = `id, reference, mechanism, document_symbol AS "documentSymbol", paragraph,
  recommending_states AS states, position, kind, text, sdg_targets AS sdgs`;

/** A row of MODEL_RECOMMENDATION_COLUMNS: the recommending States still as stored (a JSON array). */
export const ModelRecommendationRow = rowShape({
  id: col.text,
  reference: col.text,
  mechanism: col.text,
  documentSymbol: col.nullableText,
  paragraph: col.nullableText,
  states: col.text,
  position: col.text,
  kind: RecommendationKindSchema,
  text: col.text,
  sdgs: col.text,
});

/** The row with its recommending States and SDG targets parsed, and any further columns kept. */
export const toModelRecommendation = <R extends { states: string; sdgs: string }>({
  states,
  sdgs,
  ...rest
}: R): Omit<R, 'states' | 'sdgs'> & Pick<ModelRecommendation, 'recommendingStates' | 'sdgTargets'> => ({
  ...rest,
  recommendingStates: JSON.parse(states) as string[],
  sdgTargets: JSON.parse(sdgs) as string[],
});
