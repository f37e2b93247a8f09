import { sql } from 'kysely';
import type { z } from 'zod';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { countryKey, iso3ForCountry } from '../import/countries.ts';
import { similarity } from './diff.ts';
import { inSlices, visibleRecommendation, type StoredFields } from './recommendations.ts';
import { FILLABLE_FIELDS, FILLABLE_LISTS, type Fill, type RecommendationInput } from '../../shared/api/index.ts';

/**
 * Recognising a recommendation the plan already holds when another source brings it under another
 * reference. UPR Info's export numbers a session's recommendations UPR-S8-001…, the Working Group
 * report by paragraph (BLR-C1-97.1a), OHCHR's Index by its own keys: the same sentence from the
 * same State arrives three times. Each source adds what the others lack (themes and positions;
 * paragraph and document symbol; affected persons and SDG targets), so the coordinator wants one
 * recommendation with all of it, not three.
 */

/** How much of its words a row must share with a plan copy to be it, when not word for word (diff.ts similarity). */
export const NEAR_WORDS = 0.8;

/** Letters and digits only, in lower case: punctuation, case and spacing differ between sources. */
export const plainWords = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/**
 * The recommending States as one key, each State by its ISO code where the country table knows it:
 * the report writes "Libyan Arab Jamahiriya" and "Islamic Republic of Iran", UPR Info "Libya" and
 * "Iran". Order and case do not matter.
 */
export function statesKey(states: readonly string[]): string {
  return [...new Set(states.map((s) => iso3ForCountry(s) ?? countryKey(s)))].sort().join('\n');
}

const Candidate = rowShape({
  id: col.text,
  reference: col.text,
  sourceKey: col.text,
  mechanism: col.text,
  states: col.text,
  text: col.text,
  cycle: col.nullableInt,
  session: col.nullableText,
  stateUnderReview: col.text,
  documentSymbol: col.nullableText,
  paragraph: col.nullableText,
});
type Candidate = z.output<typeof Candidate>;

/** A row's match: the plan's copy, and whether the words were nearly (not exactly) the same. */
export interface Twin {
  id: string;
  reference: string;
  near: boolean;
}

/** Both say it and they differ: then they are not the same recommendation (another cycle, document, paragraph). */
const differ = <T>(a: T | null, b: T | null) => a !== null && b !== null && a !== b;

function compatible(c: Candidate, r: RecommendationInput): boolean {
  return (
    !differ(c.cycle, r.cycle) &&
    !differ(c.session, r.session) &&
    !differ(c.documentSymbol, r.documentSymbol) &&
    !differ(c.paragraph, r.paragraph) &&
    (iso3ForCountry(c.stateUnderReview) ?? countryKey(c.stateUnderReview)) === (iso3ForCountry(r.stateUnderReview) ?? countryKey(r.stateUnderReview))
  );
}

/**
 * For rows the plan holds no recommendation for by source key, the plan's recommendation each
 * repeats under another reference, by row index: the same mechanism and recommending States, and
 * the same words (letters and digits, any case), or nearly the same (NEAR_WORDS) when exactly one
 * copy comes that close and no other row comes that close to it. Never the same copy for two rows, never a copy whose own row is in the
 * file, and never across what both sides state differently: cycle, session, document symbol,
 * paragraph, State under review (the same sentence in a later cycle is a new recommendation).
 *
 * Why near words count too: of the 167 Belarus recommendations of 2010, UPR Info's text differs
 * from the report's in a hyphen ("nongovernmental"), a typo ("capita punishment") or a list marker
 * ("(i)") in 4; word for word alone they would be added twice. Two different recommendations of one
 * State that share 80% of their words ("ratify the Optional Protocol to CAT / to CRC") are the risk;
 * it is kept small by asking for a single copy that close, one to one, and the preview marks these
 * rows so the coordinator reads them before choosing.
 *
 * The plan's recommendations are read once; near words are compared only within a bucket of one
 * mechanism and set of States, so a large plan costs little more than reading it.
 */
export async function findTwins(q: Sql, planId: string, rows: ReadonlyArray<RecommendationInput | null>): Promise<Map<number, Twin>> {
  const twins = new Map<number, Twin>();
  if (rows.every((r) => r === null)) return twins;
  const ownKeys = new Set(rows.flatMap((r) => (r ? [r.sourceKey] : [])));
  const buckets = new Map<string, Candidate[]>();
  const bucketOf = (mechanism: string, states: readonly string[]) => `${mechanism}\n${statesKey(states)}`;
  // In reference order, ties by id: which of two equally close copies a row takes must not depend on the engine.
  for (const c of await q.rows(
    Candidate,
    sql`SELECT r.id, r.reference, r.source_key AS "sourceKey", r.mechanism, r.recommending_states AS states, r.text, r.cycle,
              r.session, r.state_under_review AS "stateUnderReview", r.document_symbol AS "documentSymbol", r.paragraph
         FROM recommendations r WHERE r.plan_id = ${planId} AND ${sql.raw(visibleRecommendation())} ORDER BY r.sort_key, r.id`,
  )) {
    if (ownKeys.has(c.sourceKey)) continue;
    const key = bucketOf(c.mechanism, JSON.parse(c.states) as string[]);
    const list = buckets.get(key);
    if (list) list.push(c);
    else buckets.set(key, [c]);
  }
  const claimed = new Set<string>();
  const words = new Map<string, string>();
  const wordsOf = (c: Candidate) => {
    let w = words.get(c.id);
    if (w === undefined) words.set(c.id, (w = plainWords(c.text)));
    return w;
  };
  // Word for word first, for every row: a near match must never take the copy another row repeats exactly.
  const unmatched: number[] = [];
  rows.forEach((r, i) => {
    if (!r) return;
    const bucket = buckets.get(bucketOf(r.mechanism, r.recommendingStates));
    if (!bucket) return;
    const w = plainWords(r.text);
    const c = bucket.find((c) => !claimed.has(c.id) && wordsOf(c) === w && compatible(c, r));
    if (!c) {
      unmatched.push(i);
      return;
    }
    claimed.add(c.id);
    twins.set(i, { id: c.id, reference: c.reference, near: false });
  });
  // Then nearly the same words, only where it is one to one: a single copy that close to the row,
  // and no other row that close to the copy (whichever file came first: UPR Info splits Spain's
  // "Sign and ratify the CRPD and its Optional Protocol" into two rows, each close to the report's one).
  const close = new Map<number, Candidate[]>();
  const rowsNear = new Map<string, number>();
  for (const i of unmatched) {
    const r = rows[i]!;
    const bucket = buckets.get(bucketOf(r.mechanism, r.recommendingStates))!;
    const near = bucket.filter((c) => !claimed.has(c.id) && compatible(c, r) && similarity(c.text, r.text) >= NEAR_WORDS);
    close.set(i, near);
    for (const c of near) rowsNear.set(c.id, (rowsNear.get(c.id) ?? 0) + 1);
  }
  for (const [i, near] of close) {
    if (near.length !== 1 || rowsNear.get(near[0]!.id) !== 1) continue;
    twins.set(i, { id: near[0]!.id, reference: near[0]!.reference, near: true });
  }
  return twins;
}

const sameEntry = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The plan's copy with what `incoming` adds: each value the copy lacks (FILLABLE_FIELDS), each list
 * entry it does not have yet (FILLABLE_LISTS, compared without case), after its own. Nothing else
 * changes: not its reference, source key, words, States, position, kind or notes. Also says what was
 * added, for the preview ("adds: paragraph, 2 themes").
 */
export function fillIn(copy: StoredFields, incoming: RecommendationInput): { fields: StoredFields; adds: Fill[] } {
  const fields: StoredFields = { ...copy };
  const adds: Fill[] = [];
  const set = fields as Record<(typeof FILLABLE_FIELDS)[number], unknown>;
  for (const field of FILLABLE_FIELDS) {
    if (copy[field] === null && incoming[field] !== null) {
      set[field] = incoming[field];
      adds.push({ field, n: 1 });
    }
  }
  for (const field of FILLABLE_LISTS) {
    const missing = incoming[field].filter((v, i, all) => !copy[field].some((h) => sameEntry(h, v)) && all.findIndex((o) => sameEntry(o, v)) === i);
    if (missing.length > 0) {
      fields[field] = [...copy[field], ...missing];
      adds.push({ field, n: missing.length });
    }
  }
  return { fields, adds };
}

const AliasRow = rowShape({ id: col.text, reference: col.text });

/**
 * The recommendation a source key was recognised as by an earlier import (recommendation_aliases),
 * or null: importing the same second file again finds its rows at once.
 */
export async function findByAlias(q: Sql, planId: string, sourceKey: string): Promise<{ id: string; reference: string } | null> {
  const found = await q.row(
    AliasRow,
    sql`SELECT r.id, r.reference FROM recommendation_aliases a JOIN recommendations r ON r.id = a.recommendation_id
         WHERE a.plan_id = ${planId} AND a.source_key = ${sourceKey}`,
  );
  return found ?? null;
}

const AliasByKey = rowShape({ sourceKey: col.text, id: col.text, reference: col.text });

/** findByAlias for many source keys at once, by key (a preview of a large file: see findBySourceKeys). */
export async function findByAliases(q: Sql, planId: string, sourceKeys: Iterable<string>): Promise<Map<string, { id: string; reference: string }>> {
  const rows = await inSlices(sourceKeys, (slice) =>
    q.rows(
      AliasByKey,
      sql`SELECT a.source_key AS "sourceKey", r.id, r.reference FROM recommendation_aliases a JOIN recommendations r ON r.id = a.recommendation_id
           WHERE a.plan_id = ${planId} AND a.source_key IN (${sql.join(slice)})`,
    ),
  );
  return new Map(rows.map((r) => [r.sourceKey, { id: r.id, reference: r.reference }]));
}

/** Records that `sourceKey` (another source's key) names the plan's recommendation `id`, as recognised by `importId`. */
export async function recordAlias(tx: Sql, planId: string, sourceKey: string, id: string, importId: string): Promise<void> {
  await tx.run(
    sql`INSERT INTO recommendation_aliases (plan_id, source_key, recommendation_id, import_id) VALUES (${planId}, ${sourceKey}, ${id}, ${importId})
        ON CONFLICT DO NOTHING`,
  );
}

/** Drops the aliases an import recorded (its undo, or a commit that failed). */
export async function dropAliases(tx: Sql, importId: string): Promise<void> {
  await tx.run(sql`DELETE FROM recommendation_aliases WHERE import_id = ${importId}`);
}
