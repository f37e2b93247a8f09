import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { DEFAULT_URL, redisProblem } from './helpers/cluster.ts';

/**
 * Once per test run: the tests of several processes need Redis. When none answers at REDIS_URL
 * (or 127.0.0.1:6379) and redis-server is installed, one is started for the run (nothing kept on
 * disk) and stopped after it; the test processes inherit its address. Without either, only those
 * tests fail, with what to do (tests/helpers/cluster.ts).
 *
 * With TEST_ENGINE=postgres every test server's schema is named after this run, and what is left of
 * them when the run ends (a server stopped without destroy(), a test that failed half way) is dropped,
 * so runs do not fill the test database. Other runs' schemas carry other names and are not touched.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const run = `accord_suite_${randomBytes(4).toString('hex')}`;
  process.env.ACCORD_TEST_RUN = run;
  let child: ChildProcess | null = null;
  const url = process.env.REDIS_URL ?? DEFAULT_URL;
  if ((await redisProblem(url)) !== null && spawnSync('redis-server', ['--version']).status === 0) {
    const port = await freePort();
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const started = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && (await redisProblem(started)) !== null; i++) await new Promise((r) => setTimeout(r, 50));
    process.env.REDIS_URL = started;
  }
  return async () => {
    child?.kill();
    if (process.env.TEST_ENGINE === 'postgres') await dropSchemasOfRun(run);
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function dropSchemasOfRun(run: string): Promise<void> {
  const { TEST_DATABASE_URL, postgresProblem, adminQuery } = await import('./helpers/postgres.ts');
  if ((await postgresProblem(TEST_DATABASE_URL)) !== null) return;
  const left = await adminQuery<{ name: string }>("SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1 || '\\_%'", [run]);
  for (const { name } of left) await adminQuery(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
}
