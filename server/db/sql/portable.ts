import { sql, type RawBuilder } from 'kysely';

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
