import { sql, type RawBuilder } from 'kysely';
import { jsonArrayTexts } from '../db/sql/portable.ts';
import type { Engine, Query, Sql } from '../db/sql/Sql.ts';

/**
 * What the registry searches and filters besides a recommendation's own row: its entry in the
 * full-text index (recommendations_fts, SQLite only: PostgreSQL's search column is generated), its
 * tags (themes, recommending States, affected persons) and its SDG targets. Written here, for a
 * range of rows at once, by the services that insert recommendations: by hand, one row right after
 * its INSERT (`insertRecommendation`); by an import, in bulk steps after its rows
 * (`indexImportedRows`, migration 034). Both run the same statements.
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

function inRange(range: IndexedRange): RawBuilder<unknown> {
  const by = range.importId === null ? sql`r.import_id IS NULL` : sql`r.import_id = ${range.importId}`;
  return sql`r.seq > ${range.from} AND r.seq <= ${range.to} AND ${by}`;
}

const fullText = (range: IndexedRange) =>
  sql`INSERT INTO recommendations_fts (rowid, reference, text, themes)
      SELECT r.seq, r.reference, r.text, r.themes FROM recommendations r WHERE ${inRange(range)}`;

const TAG_LISTS = [
  ['theme', 'themes'],
  ['state', 'recommending_states'],
  ['affected', 'affected_persons'],
] as const;

/**
 * The tag and SDG statements. One statement per kind, not a UNION: a UNION of the three would walk
 * every recommendation in id order to merge them; ON CONFLICT drops repeats the same way. A NULL
 * in a list is left out, as SQLite's INSERT OR IGNORE left it out (PostgreSQL's ON CONFLICT would not).
 */
function listStatements(engine: Engine, range: IndexedRange): Query[] {
  const rows = inRange(range);
  const tags = TAG_LISTS.map(
    ([kind, column]) =>
      sql`INSERT INTO recommendation_tags (recommendation_id, plan_id, kind, value)
          SELECT r.id, r.plan_id, ${kind}, j.value FROM recommendations r CROSS JOIN ${jsonArrayTexts(engine, sql.ref(`r.${column}`), 'j')}
           WHERE ${rows} AND j.value IS NOT NULL
          ON CONFLICT DO NOTHING`,
  );
  const sdgs = sql`INSERT INTO recommendation_sdgs (plan_id, target, goal, recommendation_id)
    SELECT plan_id, code, goal, recommendation_id FROM recommendation_sdg_codes
     WHERE recommendation_id IN (SELECT r.id FROM recommendations r WHERE ${rows} AND r.sdg_targets <> '[]')
       AND goal BETWEEN 1 AND 17
    ON CONFLICT DO NOTHING`;
  return [...tags, sdgs];
}

/**
 * Indexes the rows of `range` on either engine, inside the transaction `tx` that inserted them or,
 * for an import's bulk step, that moves its mark. Each row must be indexed exactly once: the
 * full-text index has no way to tell a row already in it.
 */
export async function indexRecommendationsOn(tx: Sql, range: IndexedRange): Promise<void> {
  if (tx.engine === 'sqlite') await tx.run(fullText(range));
  for (const statement of listStatements(tx.engine, range)) await tx.run(statement);
}
