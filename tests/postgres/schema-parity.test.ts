import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/database.ts';
import { migratePostgres } from '../../server/db/postgres/migrate.ts';
import { beforeAllOrFail, freshSchema, type TestSchema } from '../helpers/postgres.ts';
import { postgresFacts, schemaDifferences, sqliteFacts, type SchemaFacts, type Translation } from '../helpers/schemaShape.ts';

/**
 * The PostgreSQL schema is SQLite's, table for table and column for column, so the services read the
 * same rows from either engine and the same rows are refused by both. The only differences are the translations below, each explained in
 * server/db/migrations/postgres/040_baseline.sql.
 */
const TRANSLATIONS: Translation[] = [
  {
    onlyIn: 'SQLite',
    keys: /^(table|column|primary key|index|unique) recommendations_fts/,
    why: 'FTS5 (recommendations_fts and its shadow tables) is replaced by PostgreSQL text search',
  },
  { onlyIn: 'PostgreSQL', keys: /^column recommendations\.search_vector$/, why: 'the generated tsvector that replaces FTS5' },
  { onlyIn: 'PostgreSQL', keys: /^index recommendations \(search_vector\)$/, why: 'the GIN index that replaces FTS5' },
];

let schema: TestSchema;
let sqlite: SchemaFacts;
let postgres: SchemaFacts;

beforeAllOrFail(async () => {
  const db = new Database(':memory:');
  migrate(db);
  sqlite = sqliteFacts(db);
  db.close();
  schema = await freshSchema();
  const pool = schema.pool();
  await migratePostgres(pool);
  postgres = await postgresFacts(pool);
});

afterAll(async () => {
  await schema?.drop();
});

describe('the PostgreSQL schema after its migrations equals SQLite’s after its own', () => {
  it('has the same tables, columns, keys, foreign keys and indexes, apart from the written-down translations', () => {
    const { differences, unusedTranslations } = schemaDifferences(sqlite, postgres, TRANSLATIONS);
    expect(differences).toEqual([]);
    expect(unusedTranslations).toEqual([]);
  });

  it('compares something real: both engines report the facts the services depend on', () => {
    for (const facts of [sqlite, postgres]) {
      expect(facts.get('column document_updates.data')).toBe('blob NOT NULL');
      expect(facts.get('column sections.deleted_with_chapter')).toBe('integer NOT NULL DEFAULT 0');
      expect(facts.get('column recommendations.themes')).toBe("text NOT NULL DEFAULT '[]'");
      expect(facts.get('column actions.budget_amount')).toBe('real NULL');
      expect(facts.get('column recommendations.position_rank')).toBe('integer NULL GENERATED');
      expect(facts.get('foreign key recommendations (import_id) → imports (id)')).toBe('ON DELETE SET NULL');
      expect(facts.get('index section_signoffs (section_id, user_id)')).toBe('UNIQUE section_signoffs_active WHERE withdrawn_atisnull');
      expect(facts.get('index organisations (lower(name))')).toBe('UNIQUE organisations_name');
      expect(facts.get('index imports (state)')).toBe("imports_busy WHERE statein'committing','undoing'");
      expect(facts.get('unique recommendations (plan_id, reference)')).toBe('exists');
      expect(facts.get('view recommendation_sdg_codes')).toBe('recommendation_id, plan_id, code, goal');
      expect(facts.get('check plans: export_retention_days>=1andexport_retention_days<=3650')).toBe('exists');
      expect(facts.get("check users: languageisnullorlanguagein'be','ru','en'")).toBe('exists');
      expect(facts.get("check recommendation_groups: status='confirmed'=confirmed_atisnotnullandconfirmed_byisnotnull")).toBe('exists');
    }
    expect([...sqlite.keys()].filter((k) => k.startsWith('table ')).length).toBeGreaterThan(50);
    expect([...sqlite.keys()].filter((k) => k.startsWith('check ')).length).toBeGreaterThan(35);
  });

  it('names a column one engine lacks, readably', () => {
    const withoutColumn = new Map(postgres);
    withoutColumn.delete('column exports.owner');
    const changedDelete = new Map(postgres);
    changedDelete.set('foreign key chapters (deleted_by) → users (id)', 'ON DELETE CASCADE');
    expect(schemaDifferences(sqlite, withoutColumn, TRANSLATIONS).differences).toContain('column exports.owner: only in SQLite (text NULL)');
    expect(schemaDifferences(sqlite, changedDelete, TRANSLATIONS).differences).toContain(
      'foreign key chapters (deleted_by) → users (id): SQLite has ON DELETE SET NULL, PostgreSQL has ON DELETE CASCADE',
    );
  });
});
