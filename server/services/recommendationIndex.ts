import type { Db } from '../db/database.ts';
import { cachedStatement } from '../db/statements.ts';

/**
 * What the registry searches and filters besides a recommendation's own row: its entry in the
 * full-text index (recommendations_fts), its tags (themes, recommending States, affected persons)
 * and its SDG targets. Written here, for a range of rows at once, by the services that insert
 * recommendations: by hand, one row right after its INSERT (`insertRecommendation`); by an import,
 * in bulk steps after its rows (`indexImportedRows`, migration 034).
 *
 * Not triggers: an AFTER INSERT trigger made each row's INSERT build and clear the trigger's
 * program even when it had nothing to do, which doubled the time of a 40,000-row commit whose rows
 * are indexed in bulk anyway (migration 037, docs/benchmarks.md). Changes and deletions of rows
 * are still followed by triggers (migrations 002, 033, 034): they also fire for cascaded deletes.
 */
export interface IndexedRange {
  /** Rows with seq above `from`, up to and including `to`… */
  from: number;
  to: number;
  /** …written by this import (null: not by an import). */
  importId: string | null;
}

const RANGE = 'r.seq > @from AND r.seq <= @to AND r.import_id IS @importId';

const FTS = `INSERT INTO recommendations_fts (rowid, reference, text, themes)
  SELECT r.seq, r.reference, r.text, r.themes FROM recommendations r WHERE ${RANGE}`;

// One statement per kind, not a UNION: a UNION of the three would walk every recommendation in id
// order to merge them; INSERT OR IGNORE drops repeats the same way.
const TAGS = (
  [
    ['theme', 'themes'],
    ['state', 'recommending_states'],
    ['affected', 'affected_persons'],
  ] as const
).map(
  ([kind, column]) =>
    `INSERT OR IGNORE INTO recommendation_tags (recommendation_id, plan_id, kind, value)
       SELECT r.id, r.plan_id, '${kind}', j.value FROM recommendations r, json_each(r.${column}) j WHERE ${RANGE}`,
);

const SDGS = `INSERT OR IGNORE INTO recommendation_sdgs (plan_id, target, goal, recommendation_id)
  SELECT plan_id, code, goal, recommendation_id FROM recommendation_sdg_codes
   WHERE recommendation_id IN (SELECT r.id FROM recommendations r WHERE ${RANGE} AND r.sdg_targets <> '[]')
     AND goal BETWEEN 1 AND 17`;

/**
 * Indexes the rows of `range` (the caller's transaction makes it one step with the rows or the
 * mark it moves). Each row must be indexed exactly once: the full-text index has no way to tell a
 * row already in it. Returns how many rows it indexed.
 */
export function indexRecommendations(db: Db, range: IndexedRange): number {
  const params = { from: range.from, to: range.to, importId: range.importId };
  const indexed = cachedStatement(db, FTS).run(params).changes;
  for (const sql of TAGS) cachedStatement(db, sql).run(params);
  cachedStatement(db, SDGS).run(params);
  return indexed;
}
