import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
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
 * E-mails each notice after it is stored. notifyNow() only hands over the notice's id; the mail is
 * read from the database on the next turn of the event loop, after the caller's transaction has
 * committed (or rolled back: then there is no row and nothing is sent). Sending happens outside
 * any request: a failure is logged and retried with growing pauses, never reported to the person
 * whose action caused the notice. The notice in the app is the record; e-mail is a courtesy.
 */
export function startNoticeDelivery(deps: {
  db: Db;
  mailer: Mailer;
  /** The address links in the e-mail start with (PUBLIC_URL, or where the server listens). */
  publicUrl: () => string;
  logger: Logger;
  retryDelaysMs?: readonly number[];
}): NoticeDelivery {
  const { db, mailer, logger } = deps;
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

  const flush = () => {
    flushing = null;
    for (const notificationId of queued.splice(0)) {
      let mail: Mail | null;
      try {
        mail = noticeMail(db, notificationId, deps.publicUrl());
      } catch (err) {
        logger.error({ err, notificationId }, 'reading a notice to e-mail failed');
        continue;
      }
      if (mail) attempt(notificationId, mail, 0);
    }
  };

  const unlisten = onNotified(db, (notificationId) => {
    if (stopped) return;
    queued.push(notificationId);
    flushing ??= setImmediate(flush);
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
