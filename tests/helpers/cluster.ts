import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { spawnServer, type ServerProcess } from './serverProcess.ts';

export const DEFAULT_URL = 'redis://127.0.0.1:6379';

/** Null when Redis answers at `url`, else why not. */
export async function redisProblem(url: string): Promise<string | null> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    client.disconnect();
  }
}

let found: Promise<string> | null = null;

/**
 * The Redis the tests use: REDIS_URL, or 127.0.0.1:6379 (tests/globalSetup.ts starts one for the
 * run when none answers and redis-server is installed). Fails, never skips, saying what to do.
 */
export function requireRedis(): Promise<string> {
  found ??= (async () => {
    const url = process.env.REDIS_URL ?? DEFAULT_URL;
    const problem = await redisProblem(url);
    if (problem === null) return url;
    throw new Error(`These tests need Redis: none answers at ${url} (${problem}). Install it (apt-get install -y redis-server) or set REDIS_URL.`);
  })();
  return found;
}

/** Settings for an Accord process of a test's cluster: the Redis, and channels of its own. */
export async function clusterEnv(): Promise<{ REDIS_URL: string; REDIS_PREFIX: string }> {
  return { REDIS_URL: await requireRedis(), REDIS_PREFIX: `accord-test-${randomUUID()}:` };
}

/**
 * Several Accord processes sharing one database folder and one Redis, each on a port of its own,
 * as behind a load balancer. The first starts alone (it creates and migrates the database), the
 * others after it. Channels get a prefix of their own, so test files running at once stay apart.
 */
export async function startCluster(dataDir: string, count: number, env: Record<string, string> = {}): Promise<ServerProcess[]> {
  const shared = { ...(await clusterEnv()), ...env };
  const processes: ServerProcess[] = [];
  for (let i = 0; i < count; i++) processes.push(await spawnServer({ dataDir, env: shared }));
  return processes;
}
