/**
 * A process that fails to start after joining the others over Redis lets its Redis connections
 * go: an in-process caller (a test, an embedding) is not left holding them, and the others do not
 * count a process that never served (decision 0014).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { createOrganisation, createUser } from '../../server/services/accounts.ts';
import { sqliteSql } from '../../server/db/sql/sqliteSql.ts';
import { commitImport, previewImport } from '../../server/services/imports.ts';
import { createPlan } from '../../server/services/plans.ts';
import { parsedImport, sampleRecommendation } from '../helpers/recommendations.ts';
import { startServer } from '../../server/server.ts';
import { clusterEnv } from '../helpers/cluster.ts';
import { freshSchema, TEST_DATABASE_URL, type TestSchema } from '../helpers/postgres.ts';
import { eventually, startTestServer, TEST_ENGINE, type TestServer } from '../helpers/server.ts';

let running: TestServer | null = null;
let dataDir = '';
/** With TEST_ENGINE=postgres: the schema both processes of a test are given, as they would share it. */
let schema: TestSchema | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await schema?.drop();
  schema = null;
});

/** The database the suite runs on (TEST_ENGINE): SQLite's file in DATA_DIR, or a fresh PostgreSQL schema. */
async function sharedDatabase(): Promise<Record<string, string>> {
  if (TEST_ENGINE !== 'postgres') return {};
  schema = await freshSchema();
  return { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.name };
}

/** Names of the Redis connections of processes using this prefix. */
async function connectionsOf(url: string, prefix: string): Promise<string[]> {
  const admin = new Redis(url);
  try {
    const list = (await admin.client('LIST')) as string;
    return list
      .split('\n')
      .map((line) => / name=(\S*)/.exec(line)?.[1] ?? '')
      .filter((name) => name.startsWith(prefix));
  } finally {
    admin.disconnect();
  }
}

describe('a process that cannot start', () => {
  it('closes its Redis connections when its port is taken', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-start-'));
    const env = { ...(await clusterEnv()), ...(await sharedDatabase()) };
    running = await startTestServer({ dataDir, env });
    await eventually(async () => expect(await connectionsOf(env.REDIS_URL, env.REDIS_PREFIX)).toHaveLength(2));

    const config = loadConfig({ PORT: String(running.port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
    await expect(startServer(config, { clientDir: join(dataDir, 'no-client') })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    // Only the running process's two connections (publishing and listening) are left.
    await eventually(async () => expect(await connectionsOf(env.REDIS_URL, env.REDIS_PREFIX)).toHaveLength(2));
  });

  it('closes its Redis connections when a write at start is refused because another process holds the database on SQLite', async () => {
    // About SQLite's write lock (SQLITE_BUSY): PostgreSQL has no lock on the whole database.
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cluster-start-'));
    const env = await clusterEnv();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
    // An undo the last run left unchecked: the first process to start sets it back, which writes.
    const db = openDatabase(config.databaseFile);
    const org = await createOrganisation(sqliteSql(db), { name: 'MFA', side: 'government' });
    const olga = (await createUser(sqliteSql(db), { name: 'Olga', email: 'olga@mfa.example', passwordHash: 'x', organisationId: org.id })).id;
    const planId = await createPlan(sqliteSql(db), olga, { title: 'P', country: 'Belarus', periodStart: 2026, periodEnd: 2030 });
    const preview = await previewImport(sqliteSql(db), planId, olga, parsedImport([sampleRecommendation(1)]), 'a.json');
    const record = await commitImport(sqliteSql(db), planId, olga, preview.previewId);
    db.prepare("UPDATE imports SET state = 'undoing', undo_checked_at = NULL WHERE id = ?").run(record.id);
    // Another process is in the middle of a write for longer than the start waits (5 s).
    db.exec('BEGIN IMMEDIATE');
    try {
      await expect(startServer(config, { clientDir: join(dataDir, 'no-client') })).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      db.exec('ROLLBACK');
      db.close();
    }
    await eventually(async () => expect(await connectionsOf(env.REDIS_URL, env.REDIS_PREFIX)).toHaveLength(0));
  }, 20_000);
});
