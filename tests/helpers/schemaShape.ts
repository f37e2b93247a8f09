import type pg from 'pg';
import { z } from 'zod';
import type { Db } from '../../server/db/database.ts';
import { allRows, col, rowShape, scalar } from '../../server/db/rows.ts';

/**
 * A database schema as facts that mean the same on SQLite and PostgreSQL, so the two engines'
 * schemas can be compared: each fact has a key ("column plans.stage") and what the engine says of it
 * ("text NOT NULL DEFAULT 'drafting'"). Storage details each engine has its own way of saying
 * (WITHOUT ROWID, VIRTUAL or STORED, BIGINT for INTEGER) are left out. CHECK constraints are
 * compared by their condition, spelled alike (IN and = ANY (ARRAY[…]), BETWEEN and >= … <=,
 * parentheses and casts dropped). Triggers are not compared here: their behaviour is, in
 * tests/postgres/trigger-parity.test.ts.
 */
export type SchemaFacts = Map<string, string>;

/** The type class of a column: SQLite's affinity rules applied to a declared type, PostgreSQL's types mapped onto them. */
function sqliteTypeClass(declared: string): string {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (/CHAR|CLOB|TEXT/.test(t)) return 'text';
  if (t === '' || t.includes('BLOB')) return 'blob';
  if (/REAL|FLOA|DOUB/.test(t)) return 'real';
  return `numeric (${declared})`;
}

function postgresTypeClass(dataType: string): string {
  switch (dataType) {
    case 'text':
      return 'text';
    case 'bigint':
    case 'integer':
    case 'smallint':
      return 'integer';
    case 'double precision':
    case 'real':
      return 'real';
    case 'bytea':
      return 'blob';
    default:
      return dataType;
  }
}

/** A default as written, without PostgreSQL's casts ('[]'::text → '[]'). */
function normaliseDefault(value: string | null): string | null {
  if (value === null) return null;
  return value.replace(/::[a-z ]+$/i, '').trim();
}

/** An indexed expression in one spelling for both engines ("lower(name)"). */
function normaliseIndexed(text: string): string {
  return text.toLowerCase().replace(/::[a-z_]+/g, '').replace(/[\s"]+/g, '');
}

/** An index predicate in one spelling for both engines ("state in ('a', 'b')" and "state = ANY (ARRAY['a'::text, 'b'::text])"). */
function normaliseExpression(text: string): string {
  return text
    .toLowerCase()
    .replace(/::[a-z_]+(\[\])?/g, '')
    .replace(/\s+/g, '')
    .replace(/=any\(array\[/g, 'in(')
    .replace(/[[\]()"]/g, '');
}

/** A CHECK constraint's condition in one spelling for both engines (BETWEEN as PostgreSQL shows it). */
function normaliseCheck(text: string): string {
  const spaced = text.toLowerCase().replace(/\s+/g, ' ');
  return normaliseExpression(spaced.replace(/(\w+) between ([^\s()]+) and ([^\s()]+)/g, '$1 >= $2 and $1 <= $3'));
}

/** The conditions of the CHECK constraints in a CREATE TABLE statement, comments left out. */
function checksIn(createTable: string): string[] {
  const sql = createTable.replace(/--[^\n]*/g, '');
  const found: string[] = [];
  for (const match of sql.matchAll(/\bCHECK\s*\(/gi)) {
    let depth = 1;
    let i = match.index + match[0].length;
    const start = i;
    for (; i < sql.length && depth > 0; i++) {
      if (sql[i] === '(') depth++;
      if (sql[i] === ')') depth--;
    }
    found.push(sql.slice(start, i - 1));
  }
  return found;
}

function column(type: string, notNull: boolean, dflt: string | null, generated: boolean): string {
  return [type, notNull ? 'NOT NULL' : 'NULL', dflt === null ? '' : `DEFAULT ${dflt}`, generated ? 'GENERATED' : '']
    .filter(Boolean)
    .join(' ');
}

function put(facts: SchemaFacts, key: string, value: string): void {
  let k = key;
  for (let n = 2; facts.has(k); n++) k = `${key} #${n}`;
  facts.set(k, value);
}

/** Splits "a, lower(b), c" at the commas outside parentheses. */
function topLevelItems(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') items.push(current.trim());
  return items;
}

const SqliteObject = rowShape({ type: col.text, name: col.text, sql: col.nullableText });
const SqliteColumn = rowShape({ name: col.text, type: col.text, notnull: col.int, dflt_value: col.nullableText, pk: col.int, hidden: col.int });
const SqliteIndex = rowShape({ name: col.text, unique: col.int, origin: col.text, partial: col.int });
const SqliteIndexColumn = rowShape({ seqno: col.int, cid: col.int, name: col.nullableText, key: col.int });
const SqliteForeignKey = rowShape({
  id: col.int,
  seq: col.int,
  table: col.text,
  from: col.text,
  to: col.nullableText,
  on_delete: col.text,
});

/** The facts of the SQLite database `db` (its main schema). */
export function sqliteFacts(db: Db): SchemaFacts {
  const facts: SchemaFacts = new Map();
  const objects = allRows(
    db.prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name"),
    SqliteObject,
  );
  const primaryKeys = new Map<string, string[]>();
  for (const { type, name } of objects) {
    const columns = allRows(db.prepare(`SELECT * FROM pragma_table_xinfo(?)`), SqliteColumn, name);
    if (type === 'view') {
      facts.set(`view ${name}`, columns.map((c) => c.name).join(', '));
      continue;
    }
    facts.set(`table ${name}`, 'exists');
    for (const check of checksIn(objects.find((o) => o.name === name)?.sql ?? '')) put(facts, `check ${name}: ${normaliseCheck(check)}`, 'exists');
    const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    primaryKeys.set(name, pk);
    if (pk.length > 0) facts.set(`primary key ${name}`, `(${pk.join(', ')})`);
    for (const c of columns) {
      // A primary key column is NOT NULL on PostgreSQL whatever it says; SQLite lets a non-integer
      // one hold NULL only by a historical quirk no service relies on.
      const notNull = c.notnull === 1 || c.pk > 0;
      facts.set(`column ${name}.${c.name}`, column(sqliteTypeClass(c.type), notNull, normaliseDefault(c.dflt_value), c.hidden >= 2));
    }
  }
  for (const { type, name } of objects) {
    if (type !== 'table') continue;
    for (const index of allRows(db.prepare('SELECT * FROM pragma_index_list(?)'), SqliteIndex, name)) {
      const keyColumns = allRows(db.prepare('SELECT * FROM pragma_index_xinfo(?)'), SqliteIndexColumn, index.name)
        .filter((c) => c.key === 1)
        .sort((a, b) => a.seqno - b.seqno);
      if (index.origin === 'pk') continue; // the primary key, above
      if (index.origin === 'u') {
        put(facts, `unique ${name} (${keyColumns.map((c) => c.name).join(', ')})`, 'exists');
        continue;
      }
      const text = scalar(db.prepare('SELECT sql FROM sqlite_master WHERE name = ?'), col.nullableText, index.name) ?? '';
      const match = /\bON\s+"?\w+"?\s*\(([\s\S]*?)\)\s*(?:WHERE\s+([\s\S]*))?$/i.exec(text);
      const written = topLevelItems(match?.[1] ?? '');
      const columns = keyColumns.map((c, i) => (c.cid === -2 ? normaliseIndexed(written[i] ?? '?') : c.name!));
      const predicate = match?.[2] ? ` WHERE ${normaliseExpression(match[2])}` : '';
      put(facts, `index ${name} (${columns.join(', ')})`, `${index.unique ? 'UNIQUE ' : ''}${index.name}${predicate}`);
    }
    const keys = new Map<number, z.infer<typeof SqliteForeignKey>[]>();
    for (const fk of allRows(db.prepare('SELECT * FROM pragma_foreign_key_list(?)'), SqliteForeignKey, name)) {
      keys.set(fk.id, [...(keys.get(fk.id) ?? []), fk]);
    }
    for (const parts of keys.values()) {
      parts.sort((a, b) => a.seq - b.seq);
      const target = parts[0]!.table;
      const to = parts.map((p, i) => p.to ?? primaryKeys.get(target)?.[i] ?? '?');
      put(facts, `foreign key ${name} (${parts.map((p) => p.from).join(', ')}) → ${target} (${to.join(', ')})`, `ON DELETE ${parts[0]!.on_delete}`);
    }
  }
  return facts;
}

const ON_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

const PgRelation = z.object({ name: z.string(), kind: z.string() });
const PgColumn = z.object({
  table: z.string(),
  name: z.string(),
  type: z.string(),
  nullable: z.boolean(),
  collation: z.string().nullable(),
  dflt: z.string().nullable(),
  generated: z.boolean(),
});
const PgConstraint = z.object({ table: z.string(), kind: z.string(), columns: z.array(z.string()), target: z.string().nullable(), to: z.array(z.string()).nullable(), on_delete: z.string() });
const PgIndex = z.object({ table: z.string(), name: z.string(), unique: z.boolean(), columns: z.array(z.string()), predicate: z.string().nullable() });

/** The facts of the schema first on the search_path of `pool`'s connections. */
export async function postgresFacts(pool: pg.Pool): Promise<SchemaFacts> {
  const facts: SchemaFacts = new Map();
  const relations = z.array(PgRelation).parse(
    (
      await pool.query(`SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'v') ORDER BY c.relname`)
    ).rows,
  );
  const columns = z.array(PgColumn).parse(
    (
      await pool.query(`SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, NULL) AS type,
          NOT a.attnotnull AS nullable, (SELECT collname FROM pg_collation WHERE oid = a.attcollation) AS collation, CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS dflt,
          a.attgenerated <> '' AS generated
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`)
    ).rows,
  );
  for (const r of relations) {
    const own = columns.filter((c) => c.table === r.name);
    if (r.kind === 'v') {
      facts.set(`view ${r.name}`, own.map((c) => c.name).join(', '));
      continue;
    }
    facts.set(`table ${r.name}`, 'exists');
    for (const c of own) {
      // SQLite compares text byte by byte (BINARY, Accord declares no other); PostgreSQL does so
      // under the "C" collation only. Any other is a difference in ORDER BY, UNIQUE and lower().
      const type = postgresTypeClass(c.type) + (c.collation !== null && c.collation !== 'C' ? ` COLLATE ${c.collation}` : '');
      facts.set(`column ${r.name}.${c.name}`, column(type, !c.nullable, normaliseDefault(c.dflt), c.generated));
    }
  }
  const constraints = z.array(PgConstraint).parse(
    (
      await pool.query(`SELECT t.relname AS table, k.contype::text AS kind,
          array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS u(n, i)
                  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i)::text[] AS columns,
          f.relname AS target,
          CASE WHEN k.contype = 'f' THEN array(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY AS u(n, i)
                  JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)::text[] END AS to,
          k.confdeltype::text AS on_delete
        FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid LEFT JOIN pg_class f ON f.oid = k.confrelid
        WHERE k.connamespace = current_schema()::regnamespace AND k.contype IN ('p', 'u', 'f')
        ORDER BY t.relname, k.conname`)
    ).rows,
  );
  for (const k of constraints) {
    if (k.kind === 'p') facts.set(`primary key ${k.table}`, `(${k.columns.join(', ')})`);
    else if (k.kind === 'u') put(facts, `unique ${k.table} (${k.columns.join(', ')})`, 'exists');
    else put(facts, `foreign key ${k.table} (${k.columns.join(', ')}) → ${k.target} (${(k.to ?? []).join(', ')})`, `ON DELETE ${ON_DELETE[k.on_delete] ?? k.on_delete}`);
  }
  const checks = z.array(z.object({ table: z.string(), definition: z.string() })).parse(
    (
      await pool.query(`SELECT t.relname AS table, pg_get_constraintdef(k.oid) AS definition
        FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
        WHERE k.connamespace = current_schema()::regnamespace AND k.contype = 'c' ORDER BY t.relname, k.conname`)
    ).rows,
  );
  for (const c of checks) put(facts, `check ${c.table}: ${normaliseCheck(c.definition.replace(/^CHECK\s*/, ''))}`, 'exists');
  // Indexes of their own, not those behind a primary key or UNIQUE constraint (compared above).
  const indexes = z.array(PgIndex).parse(
    (
      await pool.query(`SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique,
          array(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) AS k ORDER BY k)::text[] AS columns,
          pg_get_expr(x.indpred, x.indrelid) AS predicate
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relnamespace = current_schema()::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u'))
        ORDER BY t.relname, i.relname`)
    ).rows,
  );
  for (const x of indexes) {
    const cols = x.columns.map((c) => (/^\w+$/.test(c) ? c : normaliseIndexed(c)));
    const predicate = x.predicate === null ? '' : ` WHERE ${normaliseExpression(x.predicate)}`;
    put(facts, `index ${x.table} (${cols.join(', ')})`, `${x.unique ? 'UNIQUE ' : ''}${x.name}${predicate}`);
  }
  return facts;
}

/** A difference the PostgreSQL schema makes on purpose, with the reason written in the baseline. */
export interface Translation {
  /** The engine whose schema alone has the facts. */
  onlyIn: 'SQLite' | 'PostgreSQL';
  /** The keys of those facts. */
  keys: RegExp;
  why: string;
}

/**
 * Every way the two schemas differ, one readable line each, except those `translations` explain;
 * and the translations that explained nothing (a stale one would hide a future difference).
 */
export function schemaDifferences(
  sqlite: SchemaFacts,
  postgres: SchemaFacts,
  translations: readonly Translation[] = [],
): { differences: string[]; unusedTranslations: string[] } {
  const used = new Set<Translation>();
  const explained = (onlyIn: Translation['onlyIn'], key: string) => {
    const t = translations.find((x) => x.onlyIn === onlyIn && x.keys.test(key));
    if (t) used.add(t);
    return t !== undefined;
  };
  const differences: string[] = [];
  for (const [key, value] of sqlite) {
    const other = postgres.get(key);
    if (other === undefined) {
      if (!explained('SQLite', key)) differences.push(`${key}: only in SQLite (${value})`);
    } else if (other !== value) differences.push(`${key}: SQLite has ${value}, PostgreSQL has ${other}`);
  }
  for (const [key, value] of postgres) {
    if (!sqlite.has(key) && !explained('PostgreSQL', key)) differences.push(`${key}: only in PostgreSQL (${value})`);
  }
  return { differences, unusedTranslations: translations.filter((t) => !used.has(t)).map((t) => t.why) };
}
