import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { EventBus } from '../events.ts';

export interface SyncDeps {
  db: Db;
  events: EventBus;
  logger: Logger;
  config: Config;
}

/** Work in progress: replaced by the real implementation. */
export class SyncServer {
  constructor(readonly deps: SyncDeps) {}
  handleUpgrade(_req: IncomingMessage, socket: Duplex, _head: Buffer): void {
    socket.destroy();
  }
  async close(): Promise<void> {}
}
