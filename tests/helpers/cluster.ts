import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { spawnServer, type ServerProcess } from './serverProcess.ts';

/** Where the multi-process tests find Redis (`.ci/run` starts one on a machine that lacks it). */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Fails (never skips) with what to do when Redis does not answer. */
export async function requireRedis(): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new Error(`These tests need Redis at ${TEST_REDIS_URL} (set REDIS_URL; .ci/run starts one): ${(err as Error).message}`);
  } finally {
    client.disconnect();
  }
}

/**
 * Several Accord processes sharing one database folder and one Redis, each on a port of its own,
 * as behind a load balancer. The first starts alone (it creates and migrates the database), the
 * others after it. Channels get a prefix of their own, so test files running at once stay apart.
 */
export async function startCluster(dataDir: string, count: number, env: Record<string, string> = {}): Promise<ServerProcess[]> {
  await requireRedis();
  const shared = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `accord-test-${randomUUID()}:`, ...env };
  const processes: ServerProcess[] = [];
  for (let i = 0; i < count; i++) processes.push(await spawnServer({ dataDir, env: shared }));
  return processes;
}
