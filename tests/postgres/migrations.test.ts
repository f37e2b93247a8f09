import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadMigrations, unpairedMigrations, type Migration } from '../../server/db/migrationFiles.ts';
import { loadPostgresMigrations, migratePostgres, startingFromBaseline } from '../../server/db/postgres/migrate.ts';
import { freshSchema, type TestSchema } from '../helpers/postgres.ts';

let schema: TestSchema;
let made: TestSchema | undefined;
beforeEach(async () => {
  made = schema = await freshSchema();
});
afterEach(async () => {
  await made?.drop();
  made = undefined;
});

const Versions = z.array(z.object({ version: z.number().int() }));
async function recorded(pool: ReturnType<TestSchema['pool']>): Promise<number[]> {
  return Versions.parse((await pool.query('SELECT version FROM schema_migrations ORDER BY version')).rows).map((r) => r.version);
}

describe('the two migration folders', () => {
  it('pair every migration above the baseline: one number, both engines', () => {
    const { sqliteOnly, postgresOnly } = unpairedMigrations(loadMigrations(), loadPostgresMigrations());
    expect(sqliteOnly.map((m) => `${m.version}_${m.name}`)).toEqual([]);
    expect(postgresOnly.map((m) => `${m.version}_${m.name}`)).toEqual([]);
  });

  it('would name a migration written for one engine only', () => {
    const m = (version: number, name: string): Migration => ({ version, name, sql: '' });
    const sqlite = [m(39, 'work_owners'), m(40, 'import_holds'), m(41, 'both'), m(42, 'sqlite_only')];
    const postgres = [m(40, 'baseline'), m(41, 'both'), m(43, 'postgres_only')];
    const found = unpairedMigrations(sqlite, postgres);
    expect(found.sqliteOnly.map((x) => x.name)).toEqual(['sqlite_only']);
    expect(found.postgresOnly.map((x) => x.name)).toEqual(['postgres_only']);
  });

  it('PostgreSQL’s begin with the baseline, recorded as version 40, and nothing may come before it', () => {
    const [first] = loadPostgresMigrations();
    expect(first).toMatchObject({ version: 40, name: 'baseline' });
    const m = (version: number, name: string): Migration => ({ version, name, sql: '' });
    expect(() => startingFromBaseline([m(12, 'late_fix'), m(40, 'baseline')], 'the folder')).toThrow(
      /must begin with 040_baseline\.sql \(found 012_late_fix\.sql first in the folder\)/,
    );
    expect(() => startingFromBaseline([], 'the folder')).toThrow(/found nothing/);
  });
});

describe('migratePostgres', () => {
  it('brings a fresh schema to every version, and a second run applies nothing', async () => {
    const pool = schema.pool();
    const all = loadPostgresMigrations().map((m) => m.version);
    expect(await migratePostgres(pool)).toEqual(all);
    expect(await recorded(pool)).toEqual(all);
    expect(await migratePostgres(pool)).toEqual([]);
  });

  it('follows the SQLite runner’s rules: one transaction each, unrecorded lower numbers run, a newer database is refused', async () => {
    const pool = schema.pool();
    const one: Migration = { version: 1, name: 'one', sql: 'CREATE TABLE a (x BIGINT);' };
    const three: Migration = { version: 3, name: 'three', sql: 'CREATE TABLE c (x BIGINT);' };
    expect(await migratePostgres(pool, [one, three])).toEqual([1, 3]);

    // Arrived through a merge with a lower number than one applied: still runs.
    const two: Migration = { version: 2, name: 'two', sql: 'CREATE TABLE b (x BIGINT);' };
    expect(await migratePostgres(pool, [one, two, three])).toEqual([2]);

    // A failing migration leaves nothing of itself behind, and is not recorded.
    const broken: Migration = { version: 4, name: 'broken', sql: 'CREATE TABLE d (x BIGINT); SELECT * FROM missing;' };
    await expect(migratePostgres(pool, [one, two, three, broken])).rejects.toThrow(/migration 4 \(broken\) failed: .*missing/);
    expect(await recorded(pool)).toEqual([1, 2, 3]);
    expect((await pool.query("SELECT to_regclass('d') AS d")).rows).toEqual([{ d: null }]);

    // An older build on this database stops before touching it.
    await expect(migratePostgres(pool, [one, two])).rejects.toThrow(/schema version 3, newer than this build of Accord knows \(2\)/);
  });

  it('three processes starting at once apply each migration exactly once', async () => {
    // Each runner has its own pool (its own connections), as separate Accord processes would.
    const pools = [schema.pool(), schema.pool(), schema.pool()];
    const real = loadPostgresMigrations();
    // One past the newest real migration, so it runs after all of them whatever they number.
    const counted: Migration = {
      version: Math.max(...real.map((m) => m.version)) + 1,
      name: 'counted',
      sql: `CREATE TABLE IF NOT EXISTS runs (n BIGINT); INSERT INTO runs (n) VALUES (1);`,
    };
    const migrations = [...real, counted];
    const results = await Promise.all(pools.map((pool) => migratePostgres(pool, migrations)));
    expect(results.flat().sort((a, b) => a - b)).toEqual(migrations.map((m) => m.version));
    expect(await recorded(pools[0]!)).toEqual(migrations.map((m) => m.version));
    expect((await pools[0]!.query('SELECT count(*) AS runs FROM runs')).rows).toEqual([{ runs: 1 }]);
  });
});
