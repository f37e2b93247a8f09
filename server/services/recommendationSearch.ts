import { sql, type RawBuilder } from 'kysely';
import type { Engine } from '../db/sql/Sql.ts';

/**
 * Full-text search over recommendations, one implementation per engine: SQLite's FTS5 table
 * (migrations 002, 034, 037) and PostgreSQL's `search_vector` column (040_baseline.sql), each
 * reading what a person typed the same way — every word must match, the last one as a prefix so
 * results follow typing, and nothing typed is read as query syntax.
 *
 * Ranking follows the same weights on both (a hit in the reference counts most, then the themes,
 * then the text), but BM25 and ts_rank are different formulas: the order of equally good matches
 * may differ between engines, never which rows match.
 */
export interface RecommendationSearch {
  /** Rows matching `typed`, best first: what to select from (the recommendation is `r`), the condition, the order. */
  ranked(typed: string): { from: RawBuilder<unknown>; where: RawBuilder<unknown>; bestFirst: RawBuilder<unknown> } | null;
  /** A condition on `r`: its words match `typed` (no ranking, for a search joined with OR to another). */
  matches(typed: string): RawBuilder<unknown> | null;
  /** Rows near a section's title (any telling word of it, as a prefix): a LEFT JOIN giving `near`, and the order, best first. */
  nearTitle(planId: string, title: string): { join: RawBuilder<unknown>; bestFirst: RawBuilder<unknown> } | null;
}

/** The words of what a person typed: control characters and quotes dropped, at most 20, each with a letter or digit. */
export function searchWords(input: string): string[] {
  return (
    input
      // Control characters too: FTS5 reads a NUL inside a quoted phrase as the end of the query.
      .split(/[\s\p{Cc}]+/u)
      .map((w) => w.replace(/"/g, ''))
      .filter((w) => /[\p{L}\p{N}]/u.test(w))
      .slice(0, 20)
  );
}

/**
 * What a person typed as a safe FTS5 query: each word a quoted phrase (so `"`, `*`, `-`, `OR`,
 * `NEAR(` and column filters mean nothing), all must match, the last one as a prefix. Null when
 * nothing searchable is left.
 */
export function ftsQuery(input: string): string | null {
  const words = searchWords(input);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? ' *' : ''}`).join(' ');
}

/** Words too common to say what a section is about (titles are short, so one such word would match most rows). */
const TITLE_STOP_WORDS = new Set(['and', 'the', 'for', 'with', 'from', 'into', 'its', 'their', 'other', 'all', 'of', 'on', 'in', 'to', 'a', 'an', 'or', 'by']);

/** A title's telling words: "Death penalty" → death, penalty. */
function titleWords(title: string): string[] {
  return [...new Set(title.toLowerCase().split(/[^\p{L}\p{N}]+/u))].filter((w) => w.length >= 3 && !TITLE_STOP_WORDS.has(w)).slice(0, 12);
}

const BM25 = sql.raw('bm25(recommendations_fts, 5.0, 1.0, 2.0)');

const fts5: RecommendationSearch = {
  ranked(typed) {
    const match = ftsQuery(typed);
    if (match === null) return null;
    return {
      from: sql`recommendations_fts f JOIN recommendations r ON r.seq = f.rowid`,
      where: sql`recommendations_fts MATCH ${match}`,
      bestFirst: BM25,
    };
  },
  matches(typed) {
    const match = ftsQuery(typed);
    return match === null ? null : sql`r.seq IN (SELECT rowid FROM recommendations_fts WHERE recommendations_fts MATCH ${match})`;
  },
  nearTitle(_planId, title) {
    const words = titleWords(title);
    if (words.length === 0) return null;
    const match = words.map((w) => `"${w}" *`).join(' OR ');
    return {
      join: sql` LEFT JOIN (SELECT rowid AS seq, ${BM25} AS score FROM recommendations_fts WHERE recommendations_fts MATCH ${match}) near ON near.seq = r.seq`,
      bestFirst: sql`near.score IS NULL, near.score`,
    };
  },
};

/** A word as a tsquery operand: quoted, so `&`, `|`, `!`, `:` and `*` in it are text, not syntax. */
const lexeme = (word: string) => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * `query` (tsquery syntax) read as English, as Russian and as plain words, joined by OR: each row
 * is indexed in its own language (accord_search_config), and Belarusian has no stemmer.
 */
const everyReading = (query: string) =>
  sql`(to_tsquery('pg_catalog.english', ${query}) || to_tsquery('pg_catalog.russian', ${query}) || to_tsquery('pg_catalog.simple', ${query}))`;

/** ts_rank's weights for D, C, B, A: the text (C) 1, the themes (B) 2, the reference (A) 5, as BM25's above. */
const WEIGHTS = sql.raw(`'{0, 0.2, 0.4, 1.0}'`);

function allWords(typed: string): string | null {
  const words = searchWords(typed);
  if (words.length === 0) return null;
  return words.map((w, i) => `${lexeme(w)}${i === words.length - 1 ? ':*' : ''}`).join(' & ');
}

const postgres: RecommendationSearch = {
  ranked(typed) {
    const query = allWords(typed);
    if (query === null) return null;
    const q = everyReading(query);
    return {
      from: sql`recommendations r`,
      where: sql`r.search_vector @@ ${q}`,
      bestFirst: sql`ts_rank(${WEIGHTS}, r.search_vector, ${q}) DESC`,
    };
  },
  matches(typed) {
    const query = allWords(typed);
    return query === null ? null : sql`r.search_vector @@ ${everyReading(query)}`;
  },
  nearTitle(planId, title) {
    const words = titleWords(title);
    if (words.length === 0) return null;
    const q = everyReading(words.map((w) => `${lexeme(w)}:*`).join(' | '));
    return {
      join: sql` LEFT JOIN (SELECT seq, ts_rank(${WEIGHTS}, search_vector, ${q}) AS score FROM recommendations
                             WHERE plan_id = ${planId} AND search_vector @@ ${q}) near ON near.seq = r.seq`,
      bestFirst: sql`near.score IS NULL, near.score DESC`,
    };
  },
};

export function recommendationSearch(engine: Engine): RecommendationSearch {
  return engine === 'sqlite' ? fts5 : postgres;
}
