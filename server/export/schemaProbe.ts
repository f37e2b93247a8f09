import { sql } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import type { Sql } from '../db/sql/Sql.ts';

/**
 * Which tables and columns the database holds, for the exports' readers: an export may be made
 * from a SQLite database of an older Accord (before migrations 005, 012, 014, 016, 018), and a
 * query naming a column it lacks would fail. PostgreSQL's schema starts at migration 040 (decision
 * 0011), so there every table and column of those migrations is present; it is asked all the same,
 * through information_schema, so the answer is never assumed.
 */
export interface SchemaProbe {
  hasTable(table: string): Promise<boolean>;
  hasColumn(table: string, column: string): Promise<boolean>;
}

const NameRow = rowShape({ name: col.text });

export function schemaProbe(q: Sql): SchemaProbe {
  const columns = new Map<string, Promise<Set<string>>>();
  const columnsOf = (table: string) => {
    let found = columns.get(table);
    if (!found) {
      const query =
        q.engine === 'postgres'
          ? sql`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`
          : sql`SELECT name FROM pragma_table_info(${table})`;
      found = q.rows(NameRow, query).then((rows) => new Set(rows.map((r) => r.name)));
      columns.set(table, found);
    }
    return found;
  };
  return {
    // A table has at least one column; one without any does not exist.
    hasTable: async (table) => (await columnsOf(table)).size > 0,
    hasColumn: async (table, column) => (await columnsOf(table)).has(column),
  };
}
