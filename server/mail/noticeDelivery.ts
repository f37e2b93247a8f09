import type { Logger } from 'pino';
import type { Sql } from '../db/sql/Sql.ts';
import { onNotified } from '../services/notifications.ts';
import type { Mail, Mailer } from './mailer.ts';
import { noticeMail } from './noticeMail.ts';

/** Waits before the second and third attempt: an SMTP server restarting is back within seconds. */
export const DEFAULT_RETRY_DELAYS_MS = [2_000, 10_000] as const;

export interface NoticeDelivery {
  /** Stops listening and drops what is queued or waiting to be retried (the notices stay in the app). */
  stop(): void;
}

/**
 * E-mails each notice after it is stored. Listeners are only handed the notice's id: notify(tx)
 * tells them once its transaction has committed, on either engine (`afterCommit`), notifyNow() at
 * once, inside SQLite's synchronous transaction. The mail is read through `sql` from the next turn
 * of the event loop on, so after the commit in both cases (a notice rolled back has no row: nothing
 * is sent). Listening is per database (`sql.source`, the SQLite connection or the PostgreSQL pool),
 * so notices stored through any handle or transaction of it are heard. Sending happens outside
 * any request: a failure is logged and retried with growing pauses, never reported to the person
 * whose action caused the notice. The notice in the app is the record; e-mail is a courtesy.
 */
export function startNoticeDelivery(deps: {
  /** The database notices are stored in: they are heard and read there. */
  sql: Sql;
  mailer: Mailer;
  /** The address links in the e-mail start with (PUBLIC_URL, or where the server listens). */
  publicUrl: () => string;
  logger: Logger;
  retryDelaysMs?: readonly number[];
}): NoticeDelivery {
  const { sql, mailer, logger } = deps;
  const delays = deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const queued: string[] = [];
  const retries = new Set<NodeJS.Timeout>();
  let flushing: NodeJS.Immediate | null = null;
  let stopped = false;

  const attempt = (notificationId: string, mail: Mail, n: number) => {
    mailer.send(mail).then(
      () => logger.debug({ notificationId }, 'notice e-mailed'),
      (err: unknown) => {
        if (stopped) return;
        const reason = err instanceof Error ? err.message : String(err);
        if (n >= delays.length) {
          logger.error({ notificationId, attempts: n + 1, reason }, 'e-mailing a notice failed; it stays in the app only');
          return;
        }
        logger.warn({ notificationId, attempt: n + 1, retryInMs: delays[n], reason }, 'e-mailing a notice failed; trying again');
        const timer = setTimeout(() => {
          retries.delete(timer);
          if (!stopped) attempt(notificationId, mail, n + 1);
        }, delays[n]);
        timer.unref();
        retries.add(timer);
      },
    );
  };

  const flush = async () => {
    flushing = null;
    for (const notificationId of queued.splice(0)) {
      let mail: Mail | null;
      try {
        mail = await noticeMail(sql, notificationId, deps.publicUrl());
      } catch (err) {
        // Stopped meanwhile: the database may be closing; the notice stays in the app.
        if (!stopped) logger.error({ err, notificationId }, 'reading a notice to e-mail failed');
        continue;
      }
      if (stopped) return;
      if (mail) attempt(notificationId, mail, 0);
    }
  };

  const unlisten = onNotified(sql, (notificationId) => {
    if (stopped) return;
    queued.push(notificationId);
    flushing ??= setImmediate(() => void flush());
  });

  return {
    stop() {
      stopped = true;
      unlisten();
      if (flushing) clearImmediate(flushing);
      for (const timer of retries) clearTimeout(timer);
      retries.clear();
      queued.length = 0;
      mailer.close();
    },
  };
}
