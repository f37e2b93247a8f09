import { sql, type RawBuilder } from 'kysely';
import type { Engine } from './Sql.ts';

/**
 * SQL spelled the same way on SQLite and PostgreSQL, for what the two write differently.
 *
 * - A comparison is a number (0/1) in SQLite and a boolean in PostgreSQL, which can be neither
 *   summed nor read as Accord's 0/1 columns are: `flag` makes it 0/1 on both.
 * - Unquoted names are folded to lower case by PostgreSQL: a camelCase column alias must be quoted
 *   (`AS "actionId"`), which SQLite reads the same.
 */

/** 1 when `condition` holds, else 0, on both engines. */
export function flag(condition: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
}

/** How many rows of the group `condition` holds for (0 for none), on both engines. */
export function countWhere(condition: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`coalesce(sum(${flag(condition)}), 0)`;
}

/*
 * JSON held in a TEXT column (PostgreSQL keeps it as TEXT too, not JSONB: decision 0011). The two
 * engines have no common spelling for reading into it, so these take the engine.
 */

/** A key of a JSON object, named in the query's text: only plain names, so it never needs quoting. */
function jsonKey(key: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`Not a plain JSON key: ${key}`);
  return key;
}

/** The text at `key` of the JSON object in `column` (null when absent). */
export function jsonText(engine: Engine, column: RawBuilder<unknown>, key: string): RawBuilder<string | null> {
  const k = jsonKey(key);
  return engine === 'postgres' ? sql<string | null>`((${column})::jsonb ->> ${k}::text)` : sql<string | null>`json_extract(${column}, ${`$.${k}`})`;
}

/**
 * Whether the JSON array at `key` of the object in `column` holds the text `value` (false when the
 * key is absent). PostgreSQL's containment (`@>`) is used rather than expanding the array: it
 * answers false, instead of failing the whole query, should an entry hold something else than an
 * array there, and like SQLite's `json_each` it tells the text "5" from the number 5.
 */
export function jsonArrayHas(engine: Engine, column: RawBuilder<unknown>, key: string, value: string): RawBuilder<unknown> {
  const k = jsonKey(key);
  return engine === 'postgres'
    ? sql`coalesce(((${column})::jsonb -> ${k}::text) @> to_jsonb(${value}::text), false)`
    : sql`EXISTS (SELECT 1 FROM json_each(${column}, ${`$.${k}`}) WHERE value = ${value})`;
}

/**
 * The texts of the JSON array in `column`, one row each, as `alias.value`: a FROM item to follow
 * `CROSS JOIN`. SQLite's `json_each` and PostgreSQL's `jsonb_array_elements_text` both expand it.
 */
export function jsonArrayTexts(engine: Engine, column: RawBuilder<unknown>, alias: string): RawBuilder<unknown> {
  const a = sql.raw(jsonKey(alias));
  return engine === 'postgres' ? sql`jsonb_array_elements_text((${column})::jsonb) AS ${a}(value)` : sql`json_each(${column}) AS ${a}`;
}

/**
 * A value lowered as lower() lowers a stored text column: Latin letters only, on both engines.
 * SQLite's lower() folds ASCII alone. PostgreSQL's follows the collation, and Accord's columns are
 * COLLATE "C" (byte order, ASCII folding), whereas a bare parameter takes the database's collation
 * and folds every letter: `lower(name) = lower($1)` would never find a name with a Cyrillic capital.
 */
export function lowerAsStored(engine: Engine, value: string): RawBuilder<string> {
  return engine === 'postgres' ? sql<string>`lower(CAST(${value} AS TEXT) COLLATE "C")` : sql<string>`lower(${value})`;
}
