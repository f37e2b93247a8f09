import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { bridgeSyncEvents } from '../../server/collab/syncEvents.ts';
import { accordSyncHooks } from '../../server/collab/syncHooks.ts';
import { loadConfig } from '../../server/config.ts';
import type { Db } from '../../server/db/database.ts';
import type { Sql } from '../../server/db/sql/Sql.ts';
import type { EventBus } from '../../server/events.ts';
import type { DocumentLog } from '../../server/storage/documentLog.ts';
import { SyncServer } from '../../server/sync/SyncServer.ts';

/**
 * A real sync server with Accord's hooks and event bridge on an ephemeral port, and no REST app:
 * for tests that give it a services' database (`sql`) and, with `log`, a document log other than
 * SQLite's on `db`. `env` adds settings (e.g. COMPACT_AFTER_UPDATES).
 */
export async function startBareSyncServer(options: {
  db: Db;
  sql: Sql;
  events: EventBus;
  logger: Logger;
  log?: DocumentLog;
  env?: Record<string, string>;
}): Promise<{ sync: SyncServer; url: string; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-sync-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env });
  const deps = { db: options.db, sql: options.sql, events: options.events, logger: options.logger };
  const sync = new SyncServer({ db: options.db, log: options.log, logger: options.logger, options: config, hooks: accordSyncHooks({ ...deps, config }) });
  const stopBridge = bridgeSyncEvents(deps, sync);
  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => sync.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    sync,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    async close() {
      stopBridge();
      await sync.close();
      await new Promise((resolve) => http.close(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
