import { mkdtempSync, rmSync } from 'node:fs';
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
 * A real Accord server on an ephemeral port with its own SQLite file in a temporary folder.
 * Pass `dataDir` to restart on the data of an earlier one.
 */
export async function startTestServer(
  options: { dataDir?: string; env?: Record<string, string>; clientDir?: string; logger?: Logger; clock?: Clock } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'accord-test-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...options.env });
  const server = await startServer(config, { clientDir: options.clientDir ?? join(dataDir, 'no-client'), logger: options.logger, clock: options.clock });
  return {
    ...server,
    dataDir,
    async destroy() {
      await server.close();
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
