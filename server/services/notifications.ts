import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../ids.ts';
import type { Notification } from '../../shared/api/index.ts';

/**
 * Notices for one person, kept until they read them: things that happened to what they did while
 * they were elsewhere (a signature withdrawn by someone's edit, their organisation verified).
 */
export function notify(db: Db, input: { userId: string; planId: string; kind: Notification['kind']; summary: string; link: string | null }): void {
  db.prepare('INSERT INTO notifications (id, user_id, plan_id, kind, summary, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    newId(),
    input.userId,
    input.planId,
    input.kind,
    input.summary,
    input.link,
    nowIso(),
  );
}

/** A person's notices, newest first (the last 50), for plans they are still a member of. */
export function listNotifications(db: Db, userId: string): Notification[] {
  return db
    .prepare(
      `SELECT n.id, n.plan_id AS planId, n.kind, n.summary, n.link, n.created_at AS createdAt, n.read_at AS readAt
         FROM notifications n JOIN plan_members m ON m.plan_id = n.plan_id AND m.user_id = n.user_id
        WHERE n.user_id = ? ORDER BY n.created_at DESC, n.rowid DESC LIMIT 50`,
    )
    .all(userId) as Notification[];
}

/** Marks all of a person's notices read. */
export function markNotificationsRead(db: Db, userId: string): void {
  db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(nowIso(), userId);
}
