import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { createApp } from './app.ts';
import { registerSignatureWatch } from './services/signatureWatch.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { openStorage, type Storage } from './db/openStorage.ts';
import type { Sql } from './db/sql/Sql.ts';
import { recoverAbandonedWork } from './ownership/abandonedWork.ts';
import { soleOwner } from './ownership/owners.ts';
import { EventBus } from './events.ts';
import { SyncServer } from './sync/SyncServer.ts';
import { accordSyncHooks } from './collab/syncHooks.ts';
import { bridgeSyncEvents } from './collab/syncEvents.ts';
import { registerVersionHooks } from './services/versions.ts';
import { registerAutoVersions, systemClock, type Clock } from './services/autoVersions.ts';
import { purgeBin } from './services/bin.ts';
import { registerReportReminders } from './services/monitoring/notices.ts';
import { createMailer } from './mail/mailer.ts';
import { appRoot } from './runtimeLayout.ts';
import { startNoticeDelivery } from './mail/noticeDelivery.ts';
import { joinCluster } from './cluster/redisCluster.ts';
import { sharedPreviews } from './services/sharedPreviews.ts';

export interface RunningServer {
  url: string;
  port: number;
  http: Server;
  /** SQLite's connection; on PostgreSQL a stand-in that refuses every use (openStorage.ts). */
  db: Db;
  /** Where the data is, as the services reach it. */
  sql: Sql;
  events: EventBus;
  sync: SyncServer;
  logger: Logger;
  /** Stops accepting connections, stores what is pending, closes the database. */
  close(): Promise<void>;
}

// Found from the application's folder, not this file's: the compiled server sits deeper (dist/server/server/).
const DEFAULT_CLIENT_DIR = join(appRoot(), 'dist', 'client');

/** Opens storage and starts the HTTP + sync server on one port (0 picks a free one). */
export async function startServer(
  config: Config,
  options: { clientDir?: string; logger?: Logger; clock?: Clock } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  // With REDIS_URL, this process serves the same plans as the others sharing the database.
  const cluster = config.redisUrl
    ? await joinCluster({ url: config.redisUrl, prefix: config.redisPrefix, logger: logger.child({ module: 'cluster' }), heartbeatMs: config.processHeartbeatMs })
    : null;
  let storage: Storage;
  try {
    storage = await openStorage(config, logger);
  } catch (err) {
    // A database that cannot be opened (or migrated) stops the start: Redis is let go too, so an
    // in-process caller is not left holding connections.
    await cluster?.close();
    throw err;
  }
  // Should the start fail before listening (a write refused with SQLITE_BUSY while another process
  // holds the database, the port taken), what has started stops again, last first, so an
  // in-process caller is not left with timers, a checkpoint thread, an open database or Redis.
  const undoStart: Array<() => unknown> = [() => cluster?.close(), () => storage.close()];
  const { db, sql } = storage;
  try {
    // What has been in the bin longer than the retention period (30 days) goes for good.
    const purged = await purgeBin(sql);
    if (purged.sections > 0 || purged.chapters > 0) logger.info(purged, 'bin: removed entries older than the retention period');
    // An import or an export a stopped process left half way is finished or failed before anyone
    // can see it: a commit is reversed, an undo completed (docs/decisions/0013-chunked-imports.md).
    // With other processes running, only what a stopped one owned, now and every heartbeat period.
    const owners = cluster?.owners ?? soleOwner();
    await recoverAbandonedWork(sql, owners, { unownedToo: !cluster || cluster.alone, logger });
    let abandonedTimer: NodeJS.Timeout | null = null;
    if (cluster) {
      abandonedTimer = setInterval(() => {
        recoverAbandonedWork(sql, owners, { unownedToo: false, logger }).catch((err: Error) =>
          logger.warn({ err: err.message }, 'looking for work a stopped server left half done failed: trying again later'),
        );
      }, config.processHeartbeatMs);
      abandonedTimer.unref();
    }
    undoStart.push(() => abandonedTimer && clearInterval(abandonedTimer));
    const events = new EventBus();
    cluster?.relayEvents(events);
    // The sync server is infrastructure; Accord's rules plug into it as hooks, and what happens
    // elsewhere in Accord reaches open editors through the bridge.
    const syncLogger = logger.child({ module: 'sync' });
    const sync = new SyncServer({
      db,
      log: storage.documentLog,
      logger: syncLogger,
      options: config,
      hooks: accordSyncHooks({ db, sql, events, config, logger: syncLogger }),
      fanout: cluster?.fanout,
    });
    undoStart.push(() => sync.close());
    const stopSyncEvents = bridgeSyncEvents({ db, sql, events, logger: syncLogger }, sync);
    undoStart.push(stopSyncEvents);
    // Automatic versions (the agreed text of a section when it becomes agreed).
    registerVersionHooks({ sql, events, sync, logger });
    // A section's text is also kept after a pause in editing, and at least daily while it changes.
    const autoVersions = registerAutoVersions(
      { sql, events, sync, logger },
      { pauseMs: config.autoVersionPauseMs, maxIntervalMs: config.autoVersionMaxIntervalMs, clock: options.clock },
    );
    undoStart.push(() => autoVersions.stop({ keepPending: true }));
    // Signatures on content that changed are withdrawn at once, on the record and with a notice.
    const stopSignatureWatch = registerSignatureWatch({ sql, events, sync, logger });
    undoStart.push(stopSignatureWatch);
    // Notices are also e-mailed when SMTP_URL is set; otherwise nothing is sent.
    const mailer = createMailer(config);
    const delivery = mailer
      ? startNoticeDelivery({ sql, mailer, logger: logger.child({ module: 'mail' }), publicUrl: () => config.publicUrl ?? `http://localhost:${config.port}` })
      : null;
    undoStart.push(() => delivery?.stop());
    // Reports due within two weeks or overdue: checked at start, hourly and when a round changes.
    const stopReportReminders = registerReportReminders({ sql, events, logger });
    undoStart.push(stopReportReminders);
    // With other processes, exports left running are failed by owner (recoverAbandonedWork), never
    // all at once: they may be another process's, under way.
    const othersRunning = cluster !== null;
    const app = createApp(
      {
        config,
        db,
        sql,
        events,
        logger,
        sync,
        clock: options.clock,
        othersRunning,
        workOwner: owners.id,
        signInCounters: cluster?.signInCounters(options.clock ?? systemClock),
        // A person's import may be previewed by one process and committed through another.
        previews: cluster ? sharedPreviews(sql) : undefined,
      },
      options.clientDir ?? DEFAULT_CLIENT_DIR,
    );
    const http = createServer(app);
    http.on('upgrade', (req, socket, head) => sync.handleUpgrade(req, socket, head));

    let closing: Promise<void> | null = null;
    const close = () => {
      closing ??= (async () => {
        if (abandonedTimer) clearInterval(abandonedTimer);
        stopSignatureWatch();
        // Edits still waiting for their pause are kept now rather than forgotten with the process.
        await autoVersions.stop({ keepPending: true });
        stopReportReminders();
        delivery?.stop();
        stopSyncEvents();
        await sync.close();
        await cluster?.close();
        http.closeAllConnections();
        // Resolves whether or not the server was listening (a start that failed never was).
        await new Promise<void>((resolve) => http.close(() => resolve()));
        await storage.close();
      })();
      return closing;
    };

    // From here close() stops everything, should the port be taken (or not ours to use).
    undoStart.splice(0, undoStart.length, close);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => resolve());
    });
    const port = (http.address() as AddressInfo).port;
    const url = `http://localhost:${port}`;
    if (!config.publicUrl) config.publicUrl = url;
    return { url, port, http, db, sql, events, sync, logger, close };
  } catch (err) {
    for (const undo of undoStart.reverse()) await Promise.resolve().then(undo).catch(() => undefined);
    throw err;
  }
}
