import { sql, type RawBuilder } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { RecommendationRow, RECOMMENDATION_COLUMNS, toRecommendation, visibleRecommendation } from './recommendations.ts';
import { recommendationSearch } from './recommendationSearch.ts';
import type { Position, RecommendationPage, RecommendationQuery } from '../../shared/api/index.ts';
import { compareSdg } from '../../shared/sdg.ts';

/**
 * Browsing a plan's recommendations: search, filters, sort, paging and the filter menus' values,
 * written once for both engines (server/db/sql/Sql.ts).
 */

const Title = rowShape({ title: col.text });
const Value = rowShape({ value: col.text });
const MechanismValue = rowShape({ mechanism: col.text });
const Cycle = rowShape({ cycle: col.int });
const SdgCode = rowShape({ target: col.text });
const Count = rowShape({ n: col.int });

/** The generated column position_rank (migration 002): supported first. */
const POSITION_RANK: Record<Position, number> = { supported: 0, supported_in_part: 1, noted: 2, pending: 3 };

type SortKey = Exclude<RecommendationQuery['sort'], 'relevance'>;

/**
 * Ties are broken by reference in the same direction, so each sort is one walk of an index
 * (plan_id, key, sort_key) instead of sorting 40,000 rows. Undated rows come first ascending and
 * last descending, as SQLite orders NULLs; PostgreSQL is told so (it orders them the other way).
 */
function orderBy(sort: SortKey, descending: boolean, db: Sql): RawBuilder<unknown> {
  const d = sql.raw(descending ? 'DESC' : 'ASC');
  const nulls = db.engine === 'postgres' ? sql.raw(descending ? ' NULLS LAST' : ' NULLS FIRST') : sql.raw('');
  switch (sort) {
    case 'reference':
      return sql`r.sort_key ${d}`;
    case 'date':
      return sql`r.date ${d}${nulls}, r.sort_key ${d}`;
    case 'position':
      return sql`r.position_rank ${d}, r.sort_key ${d}`;
    case 'mechanism':
      return sql`r.mechanism ${d}, r.sort_key ${d}`;
  }
}

/** Ordered as SQLite's COLLATE NOCASE orders (ASCII letters folded), ties in code-unit order. */
function caseless(a: string, b: string): number {
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const [x, y] = [fold(a), fold(b)];
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** Values present in a plan, for the filter menus. */
export async function recommendationFacets(db: Sql, planId: string): Promise<RecommendationPage['facets']> {
  const visible = sql.raw(visibleRecommendation());
  // DISTINCT walks the primary key (plan_id, kind, value, …) skipping repeats; ordering in the
  // query would make SQLite visit every row (GROUP BY) or PostgreSQL refuse (an ORDER BY of
  // DISTINCT must be selected). A plan has a few hundred values: ordered here, alike on both.
  const tags = async (kind: string) =>
    (await db.rows(Value, sql`SELECT DISTINCT value FROM recommendation_tags WHERE plan_id = ${planId} AND kind = ${kind}`))
      .map((r) => r.value)
      .sort(caseless);
  return {
    mechanisms: (await db.rows(MechanismValue, sql`SELECT DISTINCT mechanism FROM recommendations r WHERE plan_id = ${planId} AND ${visible} ORDER BY mechanism`)).map(
      (r) => r.mechanism,
    ),
    cycles: (await db.rows(Cycle, sql`SELECT DISTINCT cycle FROM recommendations r WHERE plan_id = ${planId} AND cycle IS NOT NULL AND ${visible} ORDER BY cycle`)).map(
      (r) => r.cycle,
    ),
    themes: await tags('theme'),
    states: await tags('state'),
    affectedPersons: await tags('affected'),
    sdgs: (await db.rows(SdgCode, sql`SELECT DISTINCT target FROM recommendation_sdgs WHERE plan_id = ${planId}`)).map((r) => r.target).sort(compareSdg),
  };
}

/** The recommending States of a plan whose names begin with what was typed (ignoring case), if it is two letters or more. */
async function statesNamed(db: Sql, planId: string, typed: string): Promise<string[]> {
  const start = typed.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  if (start.length < 2) return [];
  // Only the names beginning with the first letter, in either case: a range of the tag key each
  // (both engines compare text byte by byte: COLLATE "C" on PostgreSQL).
  const first = [...start][0]!;
  const range = (c: string) => [c, String.fromCodePoint(c.codePointAt(0)! + 1)];
  const [upperFrom, upperTo] = range(first.toLocaleUpperCase());
  const [lowerFrom, lowerTo] = range(first);
  const rows = await db.rows(
    Value,
    sql`SELECT value FROM recommendation_tags WHERE plan_id = ${planId} AND kind = 'state' AND value >= ${upperFrom} AND value < ${upperTo}
        UNION SELECT value FROM recommendation_tags WHERE plan_id = ${planId} AND kind = 'state' AND value >= ${lowerFrom} AND value < ${lowerTo}`,
  );
  return rows.map((r) => r.value).filter((state) => state.toLocaleLowerCase().startsWith(start));
}

/**
 * How close each recommendation is to one section, for a list that opens on what the section is
 * about: first those its actions cite, then those matching its title, best match first. A
 * section not of the plan ranks nothing (the list keeps reference order).
 */
async function sectionRanking(db: Sql, planId: string, sectionId: string): Promise<{ join: RawBuilder<unknown>; bestFirst: RawBuilder<unknown> } | null> {
  const section = await db.row(Title, sql`SELECT title FROM sections WHERE id = ${sectionId} AND plan_id = ${planId} AND deleted_at IS NULL`);
  if (!section) return null;
  const cited = sql`(r.id IN (SELECT ar.recommendation_id FROM action_recommendations ar JOIN actions a ON a.id = ar.action_id
                              WHERE a.section_id = ${sectionId} AND a.plan_id = ${planId})) DESC`;
  const near = recommendationSearch(db.engine).nearTitle(planId, section.title);
  if (!near) return { join: sql``, bestFirst: cited };
  return { join: near.join, bestFirst: sql`${cited}, ${near.bestFirst}` };
}

/**
 * One page of a plan's recommendations: full-text search (`q`), filters, sort, paging, and the
 * plan-wide facet values. Every filter is an index lookup, so it stays fast at 40,000 rows.
 */
export async function queryRecommendations(db: Sql, planId: string, query: RecommendationQuery): Promise<RecommendationPage> {
  const search = recommendationSearch(db.engine);
  const where: Array<RawBuilder<unknown>> = [sql`r.plan_id = ${planId}`, sql.raw(visibleRecommendation())];
  let from: RawBuilder<unknown> = sql`recommendations r`;
  let ranked: RawBuilder<unknown> | null = null;
  const states = query.q ? await statesNamed(db, planId, query.q) : [];
  const words = query.q ? search.matches(query.q) : null;
  if (query.q && words && states.length > 0) {
    // The search box finds a recommending State too ("France", "czech rep"): its recommendations
    // beside those whose words match. The State is not in the full-text index (its tags are).
    where.push(sql`(${words}
      OR r.id IN (SELECT recommendation_id FROM recommendation_tags WHERE plan_id = ${planId} AND kind = 'state' AND value IN (${sql.join(states)})))`);
    // no rank to order by: reference order
  } else if (query.q) {
    const match = search.ranked(query.q);
    if (match) {
      from = match.from;
      where.push(match.where);
      ranked = match.bestFirst;
    }
  }
  if (query.mechanism) where.push(sql`r.mechanism = ${query.mechanism}`);
  if (query.cycle !== undefined) where.push(sql`r.cycle = ${query.cycle}`);
  // The same rows said two ways (the rank is the position's place in POSITION_RANK), one for each
  // index that answers fastest (migration 036): the count reads the covering index (plan_id,
  // mechanism, position, action_count, import_id); the page walks (plan_id, position_rank,
  // sort_key) in order, ten times faster than filtering the reference order for a rare position.
  const byPosition = { count: [] as Array<RawBuilder<unknown>>, page: [] as Array<RawBuilder<unknown>> };
  if (query.position) {
    byPosition.count.push(sql`r.position = ${query.position}`);
    byPosition.page.push(sql`r.position_rank = ${POSITION_RANK[query.position]}`);
  }
  const tag = (kind: 'theme' | 'state' | 'affected', value: string | undefined) => {
    if (value === undefined || value === '') return;
    where.push(sql`r.id IN (SELECT recommendation_id FROM recommendation_tags WHERE plan_id = ${planId} AND kind = ${kind} AND value = ${value})`);
  };
  tag('theme', query.theme);
  tag('state', query.state);
  tag('affected', query.affected);
  if (query.sdg) {
    // A goal ("16") takes every recommendation linked to it or any of its targets; a target only its own.
    where.push(
      query.sdg.includes('.')
        ? sql`r.id IN (SELECT recommendation_id FROM recommendation_sdgs WHERE plan_id = ${planId} AND target = ${query.sdg})`
        : sql`r.id IN (SELECT recommendation_id FROM recommendation_sdgs WHERE plan_id = ${planId} AND goal = ${Number(query.sdg)})`,
    );
  }
  if (query.unaddressed) where.push(sql`r.action_count = 0`);

  const descending = query.order === 'desc';
  const near = query.sort === 'relevance' && !ranked && query.section ? await sectionRanking(db, planId, query.section) : null;
  if (near) from = sql`${from}${near.join}`;
  const order =
    query.sort === 'relevance'
      ? ranked
        ? sql`${ranked}, r.sort_key`
        : near
          ? sql`${near.bestFirst}, r.sort_key`
          : sql`r.sort_key ${sql.raw(descending ? 'DESC' : 'ASC')}`
      : orderBy(query.sort, descending, db);

  const all = (extra: Array<RawBuilder<unknown>>) => sql.join([...where, ...extra], sql` AND `);
  const { n: total } = await db.theRow(Count, sql`SELECT count(*) AS n FROM ${from} WHERE ${all(byPosition.count)}`);
  const rows = await db.rows(
    RecommendationRow,
    sql`SELECT ${sql.raw(RECOMMENDATION_COLUMNS)} FROM ${from} WHERE ${all(byPosition.page)} ORDER BY ${order} LIMIT ${query.limit} OFFSET ${query.offset}`,
  );
  return { total, items: rows.map(toRecommendation), facets: await recommendationFacets(db, planId) };
}
