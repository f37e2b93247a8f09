import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { runNow } from '../db/sql/sqliteNow.ts';
import { step, type Steps } from '../db/sql/steps.ts';
import type { Query, Sql } from '../db/sql/Sql.ts';
import { col, rowShape } from '../db/rows.ts';
import { idSequence, nowIso } from '../ids.ts';
import { NOTIFICATIONS_PAGE, NoticeTextSchema, NotificationSchema, type NoticeText, type Notification } from '../../shared/api/index.ts';

/** `text` is stored as JSON, read by noticeTextOf. */
const NotificationRow = NotificationSchema.extend({ text: col.nullableText });

/** Where a page of notices ends: the oldest notice on it, by time and then by id (order of storing). */
const Cursor = rowShape({ createdAt: col.text, id: col.text });

/**
 * Notice ids sort in the order this process stores them (a random prefix, then a counter: ids.ts),
 * so notices of one millisecond (a round opened on many actions) are listed in that order on both
 * engines. SQLite's rowid gave that order before; PostgreSQL has none. Knowing one's own notice id
 * gives no way to another's: the notice routes only ever reach the caller's own.
 */
const nextNoticeId = idSequence();

/** Told the id of each notice just stored (e-mail delivery listens: server/mail/noticeDelivery.ts). */
export type NoticeListener = (notificationId: string) => void;

// Per database (the SQLite connection or PostgreSQL pool: Sql's `source`), so two servers in one
// process (tests) never hear each other's notices.
const listeners = new WeakMap<object, Set<NoticeListener>>();

/** Listens for notices stored in this database; returns the function that stops listening. */
export function onNotified(database: Db | Sql, listener: NoticeListener): () => void {
  const key = sourceOf(database);
  const set = listeners.get(key) ?? new Set<NoticeListener>();
  set.add(listener);
  listeners.set(key, set);
  return () => set.delete(listener);
}

const sourceOf = (database: Db | Sql): object => ('engine' in database ? database.source : database);

type NoticeInput = { userId: string; planId: string; kind: Notification['kind']; summary: string; text: NoticeText; link: string | null };

function noticeInsert(id: string, input: NoticeInput): Query {
  return sql`INSERT INTO notifications (id, user_id, plan_id, kind, summary, text, link, created_at)
    VALUES (${id}, ${input.userId}, ${input.planId}, ${input.kind}, ${input.summary}, ${JSON.stringify(input.text)}, ${input.link}, ${nowIso()})`;
}

/**
 * Notices for one person, kept until they read them: things that happened to what they did while
 * they were elsewhere (a signature withdrawn by someone's edit, their organisation verified).
 * Stored first, usually inside the caller's transaction (`tx`); listeners hear of it once that
 * commits, and only queue work for later, so nothing they do can slow or fail the caller.
 */
export async function notify(tx: Sql, input: NoticeInput): Promise<string> {
  const id = nextNoticeId();
  await tx.run(noticeInsert(id, input));
  tx.afterCommit(() => {
    for (const listener of listeners.get(tx.source) ?? []) listener(id);
  });
  return id;
}

/**
 * notify for services still inside a synchronous `db.transaction()` (decision 0011): the same
 * statement. Listeners hear at once; they only queue work for a later turn, after the commit.
 */
export function notifyNow(db: Db, input: NoticeInput): string {
  const id = nextNoticeId();
  runNow(db, noticeInsert(id, input));
  for (const listener of listeners.get(db) ?? []) listener(id);
  return id;
}

/** notify as a step of work written for both forms (steps.ts). */
export const notifyStep = (input: NoticeInput): Steps<string> => step({ now: (db) => notifyNow(db, input), on: (tx) => notify(tx, input) });

/**
 * Notices a person keeps after leaving the plan: being removed is news they read only once they
 * are out, and who removed them must not vanish with the plan's pages. Notices about their account
 * (a reset link made for them, or used) are theirs whatever plan it was made through.
 */
export const KEPT_AFTER_LEAVING = sql`n.kind IN ('removed_from_plan', 'password_reset_made', 'password_reset_used')`;

/** Notices about the person's account rather than a plan's work: they lead to the Account page. */
export const ACCOUNT_NOTICE_KINDS: ReadonlySet<Notification['kind']> = new Set(['password_reset_made', 'password_reset_used']);

/**
 * A person's notices, newest first, for plans they are still a member of (and any telling them
 * they were removed from one): the newest page, or with
 * `before` (the id of one of their notices) the page older than it, so that every notice they were
 * ever sent can be reached, page by page. `before` that is not theirs finds none. Notices of one
 * moment come in the order of their ids, which is the order they were stored (`nextNoticeId`), the
 * same on both engines.
 */
export async function listNotifications(q: Sql, userId: string, before?: string): Promise<Notification[]> {
  const cursor = before ? await q.row(Cursor, sql`SELECT created_at AS "createdAt", id FROM notifications WHERE id = ${before} AND user_id = ${userId}`) : undefined;
  if (before && !cursor) return [];
  const older = cursor ? sql`AND (n.created_at < ${cursor.createdAt} OR (n.created_at = ${cursor.createdAt} AND n.id < ${cursor.id}))` : sql``;
  const rows = await q.rows(
    NotificationRow,
    sql`SELECT n.id, n.plan_id AS "planId", n.kind, n.summary, n.text, n.link, n.created_at AS "createdAt", n.read_at AS "readAt"
          FROM notifications n LEFT JOIN plan_members m ON m.plan_id = n.plan_id AND m.user_id = n.user_id
         WHERE n.user_id = ${userId} AND (m.user_id IS NOT NULL OR ${KEPT_AFTER_LEAVING}) ${older}
         ORDER BY n.created_at DESC, n.id DESC LIMIT ${NOTIFICATIONS_PAGE}`,
  );
  return rows.map((n) => ({ ...n, text: noticeTextOf(n.text) }));
}

/** A stored notice text, or null (written before texts were kept, or unreadable): the kind's general sentence. */
export function noticeTextOf(json: string | null): NoticeText | null {
  if (!json) return null;
  const parsed = NoticeTextSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

/**
 * Marks read, for everyone in the plan, the notices of `kind` about one thing (`param` of the
 * notice's text equal to `value`), once it is done: a "verify this organisation" notice is
 * answered when any coordinator verifies it, so it stops asking the others.
 */
export async function settleNotices(q: Sql, planId: string, kind: Notification['kind'], param: string, value: string): Promise<void> {
  // The text's parameter, read from the JSON kept as TEXT: no spelling common to both engines.
  const said = q.engine === 'postgres' ? sql`((text)::jsonb -> 'params' ->> ${param}::text)` : sql`json_extract(text, ${`$.params.${param}`})`;
  await q.run(sql`UPDATE notifications SET read_at = ${nowIso()} WHERE plan_id = ${planId} AND kind = ${kind} AND read_at IS NULL AND ${said} = ${value}`);
}

/** Marks a person's notices read: the given ones (others' ids are ignored), or all. Read ones keep when they were read. */
export async function markNotificationsRead(q: Sql, userId: string, ids?: string[]): Promise<void> {
  if (ids?.length === 0) return;
  const at = nowIso();
  const which = ids ? sql`AND id IN (${sql.join([...new Set(ids)])})` : sql``;
  await q.run(sql`UPDATE notifications SET read_at = ${at} WHERE user_id = ${userId} AND read_at IS NULL ${which}`);
}
