import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import type { Logger } from 'pino';
import { startServer, type RunningServer } from '../../server/server.ts';
import type { Clock } from '../../server/services/autoVersions.ts';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Stops the server and deletes its data folder. */
  destroy(): Promise<void>;
}

/**
 * A real Accord server on an ephemeral port with its own data: a SQLite file in a temporary
 * folder, or, when the suite runs on PostgreSQL (`TEST_ENGINE=postgres`, `npm run test:postgres`),
 * a fresh schema at TEST_DATABASE_URL named in that folder. Pass `dataDir` to restart on the data
 * of an earlier one (the same file or schema).
 */
export async function startTestServer(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    clientDir?: string;
    logger?: Logger;
    clock?: Clock;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'accord-test-'));
  const database = options.env?.DATABASE_URL ? {} : await testDatabaseIn(dataDir);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...database,
    ...options.env,
  });
  const server = await startServer(config, { clientDir: options.clientDir ?? join(dataDir, 'no-client'), logger: options.logger, clock: options.clock });
  return {
    ...server,
    dataDir,
    async destroy() {
      await server.close();
      await dropTestDatabaseIn(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Retries an assertion until it passes or the time runs out: tests never sleep a fixed time. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The engine the suite runs on: SQLite unless TEST_ENGINE=postgres. */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** Where a test server's schema name is kept in its data folder (so a restart finds the same data). */
const SCHEMA_FILE = 'postgres-schema';

/** With TEST_ENGINE=postgres: the environment putting a server's data in a schema of its own. */
async function testDatabaseIn(dataDir: string): Promise<Record<string, string>> {
  if (TEST_ENGINE !== 'postgres') return {};
  const { TEST_DATABASE_URL, postgresProblem, adminQuery } = await import('./postgres.ts');
  const file = join(dataDir, SCHEMA_FILE);
  if (existsSync(file)) return { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: readFileSync(file, 'utf8') };
  const problem = await postgresProblem(TEST_DATABASE_URL);
  if (problem !== null) throw new Error(`TEST_ENGINE=postgres needs PostgreSQL at ${TEST_DATABASE_URL}: ${problem}`);
  // The run's prefix (tests/globalSetup.ts) lets the run drop, when it ends, the schemas of servers
  // a test stopped without destroy().
  const name = `${process.env.ACCORD_TEST_RUN ?? 'accord_suite'}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${name}`);
  writeFileSync(file, name);
  return { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: name };
}

async function dropTestDatabaseIn(dataDir: string): Promise<void> {
  const file = join(dataDir, SCHEMA_FILE);
  if (!existsSync(file)) return;
  const { adminQuery } = await import('./postgres.ts');
  await adminQuery(`DROP SCHEMA IF EXISTS ${readFileSync(file, 'utf8')} CASCADE`);
}
