import * as Y from 'yjs';
import type { z } from 'zod';
import type { Principal } from '../auth/sessions.ts';
import { sql, type RawBuilder } from 'kysely';
import { col, rowShape } from '../db/rows.ts';
import { flag } from '../db/sql/portable.ts';
import type { Sql } from '../db/sql/Sql.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { newId, nowIso } from '../ids.ts';
import type { DocumentAccess } from '../sync/DocumentAccess.ts';
import { recordAudit } from './audit.ts';
import { notify } from './notifications.ts';
import { getSectionBody, sectionDocName } from '../../shared/doc/schema.ts';
import { anchorState, layoutBody, resolveAnchor, type AnchorState } from '../../shared/doc/anchors.ts';

export { anchorState, layoutBody, resolveAnchor, textBetween } from '../../shared/doc/anchors.ts';
import {
  MENTION_PATTERN,
  type Comment,
  type CommentAnchor,
  type NoticeText,
  type Role,
  SideSchema,
  type Thread,
  type ThreadQuery,
  type ThreadStatus,
  ThreadStatusSchema,
} from '../../shared/api/index.ts';

/**
 * Comment threads on section text. Anchors are CRDT positions (Y.RelativePosition), never offsets
 * (COLLAB-NOTES): the client encodes them against the section body with y-tiptap's
 * `absolutePositionToRelativePosition`; the server stores the bytes as they are and resolves them
 * in the current document whenever threads are read, to sort them in text order and to tell
 * whether the commented words still exist ("detached" when they do not; the quote is kept).
 *
 * Commenting on an agreed section is allowed on purpose: comments are not the text, so they do not
 * change what was signed (the agreement lock covers the document only).
 */

export interface Actor {
  principal: Principal;
  role: Role;
}

// ---- Anchors: relative positions resolved in the current document ------------------------------

/** Decodes a base64 relative position; null when it is not one. */
export function decodeAnchor(b64: string): Y.RelativePosition | null {
  try {
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length === 0) return null;
    return Y.decodeRelativePosition(new Uint8Array(bytes));
  } catch {
    return null;
  }
}

/** What people see in the section now: comments sit on words, stored yet or not (they are not the text). */
async function currentDoc(sync: DocumentAccess, sectionId: string): Promise<Y.Doc> {
  const doc = await sync.readLiveDocument(sectionDocName(sectionId));
  if (!doc) throw notFound('section');
  return doc;
}

// ---- Mentions -----------------------------------------------------------------------------------

const UserIdRow = rowShape({ userId: col.text });
const TitleRow = rowShape({ title: col.text });

/** User ids mentioned as `@[Name](userId)` that are members of the plan, in order, once each. */
export async function parseMentions(q: Sql, planId: string, body: string): Promise<string[]> {
  const ids = [...new Set([...body.matchAll(MENTION_PATTERN)].map((m) => m[2]!))];
  if (ids.length === 0) return [];
  const rows = await q.rows(UserIdRow, sql`SELECT user_id AS "userId" FROM plan_members WHERE plan_id = ${planId} AND user_id IN (${sql.join(ids)})`);
  const members = new Set(rows.map((r) => r.userId));
  return ids.filter((id) => members.has(id));
}

/** The body as people read it: `@[Name](id)` shown as `@Name`, on one line, shortened. */
function excerpt(body: string, n = 200): string {
  return truncate(body.replace(MENTION_PATTERN, (_, name: string) => `@${name}`).replace(/\s+/g, ' ').trim(), n);
}

/**
 * Tells each newly mentioned member, once per comment, who mentioned them where and what they
 * wrote, with a link to the thread, inside the transaction storing the comment (`tx`). The author
 * is never told about mentioning themself.
 */
async function tellMentioned(
  tx: Sql,
  input: { planId: string; sectionId: string; threadId: string; actor: Actor; body: string; mentioned: string[] },
): Promise<number> {
  const { planId, sectionId, threadId, actor } = input;
  const people = input.mentioned.filter((id) => id !== actor.principal.userId);
  if (people.length === 0) return 0;
  const { title } = await tx.theRow(TitleRow, sql`SELECT title FROM sections WHERE id = ${sectionId}`);
  const summary = `${actor.principal.name} (${actor.principal.organisationName}) mentioned you in a comment on “${title}”: “${excerpt(input.body)}”`;
  for (const userId of people) {
    const text: NoticeText = { key: 'mention', params: { who: actor.principal.name, organisation: actor.principal.organisationName, title, excerpt: excerpt(input.body) } };
    await notify(tx, { userId, planId, kind: 'mention', summary, text, link: `/plans/${planId}/sections/${sectionId}#thread-${threadId}` });
  }
  return people.length;
}

// ---- Reading ------------------------------------------------------------------------------------

const ThreadRow = rowShape({
  id: col.text,
  sectionId: col.text,
  anchorStart: col.blob,
  anchorEnd: col.blob,
  quote: col.text,
  status: ThreadStatusSchema,
  /** Null once nobody resolved it, or when the resolver's account is gone. */
  resolvedBy: col.nullableText,
  resolvedAt: col.nullableText,
  createdBy: col.text,
  createdAt: col.text,
});
type ThreadRow = z.output<typeof ThreadRow>;

const CommentRow = rowShape({
  id: col.text,
  threadId: col.text,
  authorId: col.text,
  authorName: col.text,
  organisation: col.text,
  organisationId: col.text,
  side: SideSchema,
  organisationVerified: col.bool,
  body: col.text,
  /** JSON array of the user ids it mentions. */
  mentions: col.text,
  createdAt: col.text,
  editedAt: col.nullableText,
  deletedAt: col.nullableText,
});
type CommentRow = z.output<typeof CommentRow>;

const THREAD_SELECT = sql`SELECT t.id, t.section_id AS "sectionId", t.anchor_start AS "anchorStart", t.anchor_end AS "anchorEnd", t.quote, t.status,
  ru.name AS "resolvedBy", t.resolved_at AS "resolvedAt", t.created_by AS "createdBy", t.created_at AS "createdAt"
  FROM comment_threads t LEFT JOIN users ru ON ru.id = t.resolved_by`;

const COMMENT_SELECT = sql`SELECT c.id, c.thread_id AS "threadId", c.author_id AS "authorId", u.name AS "authorName", o.name AS organisation,
  o.id AS "organisationId", o.side, ${flag(sql`cv.organisation_id IS NOT NULL`)} AS "organisationVerified", c.body, c.mentions,
  c.created_at AS "createdAt", c.edited_at AS "editedAt", c.deleted_at AS "deletedAt"
  FROM comments c JOIN users u ON u.id = c.author_id JOIN organisations o ON o.id = u.organisation_id
  JOIN comment_threads ct ON ct.id = c.thread_id
  LEFT JOIN organisation_verifications cv ON cv.plan_id = ct.plan_id AND cv.organisation_id = o.id`;

// Threads and comments of one moment are ordered by id: PostgreSQL has no rowid.
const THREAD_ORDER = sql`t.created_at, t.id`;
const COMMENT_ORDER = sql`c.created_at, c.id`;

const toComment = (r: CommentRow): Comment => ({
  id: r.id,
  threadId: r.threadId,
  authorId: r.authorId,
  authorName: r.authorName,
  organisation: r.organisation,
  side: r.side,
  organisationVerified: r.organisationVerified,
  body: r.deletedAt ? '' : r.body,
  mentions: r.deletedAt ? [] : (JSON.parse(r.mentions) as string[]),
  createdAt: r.createdAt,
  editedAt: r.editedAt,
  deletedAt: r.deletedAt,
});

function toThread(row: ThreadRow, comments: Comment[], state: AnchorState): Thread {
  return {
    id: row.id,
    sectionId: row.sectionId,
    anchor: { start: Buffer.from(row.anchorStart).toString('base64'), end: Buffer.from(row.anchorEnd).toString('base64') },
    quote: row.quote,
    status: row.status,
    resolvedBy: row.resolvedBy,
    resolvedAt: row.resolvedAt,
    detached: state.detached,
    comments,
    createdAt: row.createdAt,
  };
}

const OneRow = rowShape({ one: col.int });

async function requireSection(q: Sql, planId: string, sectionId: string): Promise<void> {
  const section = await q.row(OneRow, sql`SELECT 1 AS one FROM sections WHERE id = ${sectionId} AND plan_id = ${planId} AND deleted_at IS NULL`);
  if (!section) throw notFound('section');
}

/** Threads of a section in text order of their start (detached ones last, oldest first). */
export async function listThreads(q: Sql, sync: DocumentAccess, planId: string, sectionId: string, query: ThreadQuery): Promise<Thread[]> {
  const conditions: RawBuilder<unknown>[] = [sql`t.plan_id = ${planId}`, sql`t.section_id = ${sectionId}`];
  if (query.status !== 'all') conditions.push(sql`t.status = ${query.status}`);
  if (query.organisationId) {
    conditions.push(sql`EXISTS (SELECT 1 FROM comments c JOIN users u ON u.id = c.author_id
      WHERE c.thread_id = t.id AND c.deleted_at IS NULL AND u.organisation_id = ${query.organisationId})`);
  }
  const where = sql.join(conditions, sql` AND `);
  // The threads and their comments as of one moment, so that every comment read has its thread.
  const { rows, commentRows } = await q.transaction(
    async (tx) => {
      await requireSection(tx, planId, sectionId);
      const rows = await tx.rows(ThreadRow, sql`${THREAD_SELECT} WHERE ${where} ORDER BY ${THREAD_ORDER}`);
      if (rows.length === 0) return { rows, commentRows: [] };
      const commentRows = await tx.rows(CommentRow, sql`${COMMENT_SELECT} JOIN comment_threads t ON t.id = c.thread_id WHERE ${where} ORDER BY ${COMMENT_ORDER}`);
      return { rows, commentRows };
    },
    { snapshot: true },
  );
  if (rows.length === 0) return [];
  const comments = new Map<string, Comment[]>();
  for (const r of commentRows) {
    const list = comments.get(r.threadId) ?? [];
    list.push(toComment(r));
    comments.set(r.threadId, list);
  }
  const doc = await currentDoc(sync, sectionId);
  const layout = layoutBody(getSectionBody(doc));
  const placed = rows.map((row, i) => ({
    i,
    state: anchorState(doc, layout, new Uint8Array(row.anchorStart), new Uint8Array(row.anchorEnd)),
    row,
  }));
  placed.sort((a, b) => {
    if (a.state.order === null || b.state.order === null) {
      if (a.state.order !== b.state.order) return a.state.order === null ? 1 : -1;
      return a.i - b.i;
    }
    return a.state.order - b.state.order || a.i - b.i;
  });
  return placed.map((p) => toThread(p.row, comments.get(p.row.id) ?? [], p.state));
}

/** One thread with its comments and where its anchor stands now. */
export async function getThread(q: Sql, sync: DocumentAccess, planId: string, threadId: string): Promise<Thread> {
  const { row, comments } = await q.transaction(
    async (tx) => {
      const row = await threadRow(tx, planId, threadId);
      const comments = await tx.rows(CommentRow, sql`${COMMENT_SELECT} WHERE c.thread_id = ${threadId} ORDER BY ${COMMENT_ORDER}`);
      return { row, comments };
    },
    { snapshot: true },
  );
  // The document is read once the reads are done: it is the sync server's, in this process's memory.
  const doc = await currentDoc(sync, row.sectionId);
  const state = anchorState(doc, layoutBody(getSectionBody(doc)), new Uint8Array(row.anchorStart), new Uint8Array(row.anchorEnd));
  return toThread(row, comments.map(toComment), state);
}

/** Threads of a section in the bin are kept with it, out of reach until it is restored. */
const IN_LIVE_SECTION = sql`EXISTS (SELECT 1 FROM sections s WHERE s.id = t.section_id AND s.deleted_at IS NULL)`;

async function threadRow(q: Sql, planId: string, threadId: string): Promise<ThreadRow> {
  const row = await q.row(ThreadRow, sql`${THREAD_SELECT} WHERE t.id = ${threadId} AND t.plan_id = ${planId} AND ${IN_LIVE_SECTION}`);
  if (!row) throw notFound('thread');
  return row;
}

// ---- Changes ------------------------------------------------------------------------------------

/** Stores a comment; returns the members it mentions. */
async function insertComment(tx: Sql, planId: string, threadId: string, authorId: string, body: string, at: string): Promise<string[]> {
  const mentions = await parseMentions(tx, planId, body);
  await tx.run(
    sql`INSERT INTO comments (id, thread_id, author_id, body, mentions, created_at)
      VALUES (${newId()}, ${threadId}, ${authorId}, ${body}, ${JSON.stringify(mentions)}, ${at})`,
  );
  return mentions;
}

/**
 * Starts a thread on a range of the section's current text. The author is the signed-in person.
 * 400 when the anchor is not a pair of relative positions that resolve, in order, in the body.
 */
export async function createThread(
  q: Sql,
  sync: DocumentAccess,
  planId: string,
  sectionId: string,
  actor: Actor,
  input: { anchor: CommentAnchor; body: string },
): Promise<Thread> {
  await requireSection(q, planId, sectionId);
  // The anchor is checked against the document before the transaction: nothing inside it waits for anything but the database.
  const doc = await currentDoc(sync, sectionId);
  const start = decodeAnchor(input.anchor.start);
  const end = decodeAnchor(input.anchor.end);
  if (!start || !end) throw badRequest('The comment anchor is not a pair of relative positions.', { anchor: { code: 'anchor_invalid' } });
  const s = resolveAnchor(doc, start);
  const e = resolveAnchor(doc, end);
  if (!s || !e) throw badRequest('The commented text is not in the section’s current text.', { anchor: { code: 'anchor_invalid' } });
  const layout = layoutBody(getSectionBody(doc));
  const from = layout.offsetOf(s.type, s.index);
  const to = layout.offsetOf(e.type, e.index);
  if (from === null || to === null || to < from) {
    throw badRequest('The comment anchor ends before it starts.', { anchor: { code: 'anchor_invalid' } });
  }
  const id = newId();
  const at = nowIso();
  await q.transaction(async (tx) => {
    await tx.run(
      sql`INSERT INTO comment_threads (id, plan_id, section_id, anchor_start, anchor_end, quote, status, created_by, created_at)
        VALUES (${id}, ${planId}, ${sectionId}, ${Y.encodeRelativePosition(start)}, ${Y.encodeRelativePosition(end)}, ${input.anchor.quote}, 'open',
          ${actor.principal.userId}, ${at})`,
    );
    const mentioned = await insertComment(tx, planId, id, actor.principal.userId, input.body, at);
    await tellMentioned(tx, { planId, sectionId, threadId: id, actor, body: input.body, mentioned });
    await recordAudit(tx, {
      planId,
      actor: actor.principal,
      role: actor.role,
      action: 'comment.thread_created',
      targetType: 'thread',
      targetId: id,
      summary: `${actor.principal.name} commented on “${truncate(input.anchor.quote)}”`,
      details: { sectionId, quote: truncate(input.anchor.quote) },
    });
  });
  return getThread(q, sync, planId, id);
}

/** A reply in a thread (open or resolved). */
export async function reply(q: Sql, sync: DocumentAccess, planId: string, threadId: string, actor: Actor, body: string): Promise<Thread> {
  await q.transaction(async (tx) => {
    const row = await threadRow(tx, planId, threadId);
    const mentioned = await insertComment(tx, planId, threadId, actor.principal.userId, body, nowIso());
    await tellMentioned(tx, { planId, sectionId: row.sectionId, threadId, actor, body, mentioned });
  });
  return getThread(q, sync, planId, threadId);
}

const StoredComment = rowShape({
  id: col.text,
  threadId: col.text,
  authorId: col.text,
  deletedAt: col.nullableText,
  sectionId: col.text,
  /** JSON array of the user ids it mentions. */
  mentions: col.text,
});
type StoredComment = z.output<typeof StoredComment>;

async function commentRow(q: Sql, planId: string, commentId: string): Promise<StoredComment> {
  const row = await q.row(
    StoredComment,
    sql`SELECT c.id, c.thread_id AS "threadId", c.author_id AS "authorId", c.deleted_at AS "deletedAt", t.section_id AS "sectionId", c.mentions
      FROM comments c JOIN comment_threads t ON t.id = c.thread_id WHERE c.id = ${commentId} AND t.plan_id = ${planId} AND ${IN_LIVE_SECTION}`,
  );
  if (!row) throw notFound('comment');
  return row;
}

/** Only the author edits their comment (403 for anyone else, a coordinator too). */
export async function editComment(q: Sql, sync: DocumentAccess, planId: string, commentId: string, actor: Actor, body: string): Promise<Thread> {
  const threadId = await q.transaction(async (tx) => {
    const row = await commentRow(tx, planId, commentId);
    if (row.authorId !== actor.principal.userId) throw forbidden('Only its author can edit a comment.', 'not_comment_author');
    if (row.deletedAt) throw conflict('comment_deleted', 'This comment was deleted.');
    const mentions = await parseMentions(tx, planId, body);
    // Only people the edit adds are told: nobody hears twice about the same comment.
    const before = new Set(JSON.parse(row.mentions) as string[]);
    // Not deleted meanwhile by its author elsewhere (PostgreSQL reads each statement afresh).
    const { changes } = await tx.run(
      sql`UPDATE comments SET body = ${body}, mentions = ${JSON.stringify(mentions)}, edited_at = ${nowIso()} WHERE id = ${commentId} AND deleted_at IS NULL`,
    );
    if (changes === 0) throw conflict('comment_deleted', 'This comment was deleted.');
    await tellMentioned(tx, { planId, sectionId: row.sectionId, threadId: row.threadId, actor, body, mentioned: mentions.filter((id) => !before.has(id)) });
    return row.threadId;
  });
  return getThread(q, sync, planId, threadId);
}

/** Only the author deletes their comment; it keeps its place with an empty body. Deleting twice is a no-op. */
export async function deleteComment(q: Sql, sync: DocumentAccess, planId: string, commentId: string, actor: Actor): Promise<{ thread: Thread; changed: boolean }> {
  const { threadId, changed } = await q.transaction(async (tx) => {
    const row = await commentRow(tx, planId, commentId);
    if (row.authorId !== actor.principal.userId) throw forbidden('Only its author can delete a comment.', 'not_comment_author');
    if (row.deletedAt) return { threadId: row.threadId, changed: false };
    // Two deletions at once on PostgreSQL: only the one that deleted it records it.
    const { changes } = await tx.run(sql`UPDATE comments SET body = '', mentions = '[]', deleted_at = ${nowIso()} WHERE id = ${commentId} AND deleted_at IS NULL`);
    if (changes === 0) return { threadId: row.threadId, changed: false };
    await recordAudit(tx, {
      planId,
      actor: actor.principal,
      role: actor.role,
      action: 'comment.deleted',
      targetType: 'comment',
      targetId: commentId,
      summary: `${actor.principal.name} deleted a comment`,
      details: { threadId: row.threadId, sectionId: row.sectionId },
    });
    return { threadId: row.threadId, changed: true };
  });
  return { thread: await getThread(q, sync, planId, threadId), changed };
}

/** Resolving and reopening: coordinators, drafters, and the thread's author. */
export async function setThreadStatus(
  q: Sql,
  sync: DocumentAccess,
  planId: string,
  threadId: string,
  actor: Actor,
  status: ThreadStatus,
): Promise<{ thread: Thread; changed: boolean }> {
  const changed = await q.transaction(async (tx) => {
    const row = await threadRow(tx, planId, threadId);
    const mayResolve = actor.role === 'coordinator' || actor.role === 'drafter' || row.createdBy === actor.principal.userId;
    if (!mayResolve) throw forbidden('Only coordinators, drafters and the person who started the thread can resolve or reopen it.', 'resolve_not_allowed');
    if (row.status === status) return false;
    // Two people resolving at once on PostgreSQL: only the one that changed it records it.
    const { changes } =
      status === 'resolved'
        ? await tx.run(
            sql`UPDATE comment_threads SET status = 'resolved', resolved_by = ${actor.principal.userId}, resolved_at = ${nowIso()}
              WHERE id = ${threadId} AND status <> 'resolved'`,
          )
        : await tx.run(sql`UPDATE comment_threads SET status = 'open', resolved_by = NULL, resolved_at = NULL WHERE id = ${threadId} AND status <> 'open'`);
    if (changes === 0) return false;
    await recordAudit(tx, {
      planId,
      actor: actor.principal,
      role: actor.role,
      action: status === 'resolved' ? 'comment.thread_resolved' : 'comment.thread_reopened',
      targetType: 'thread',
      targetId: threadId,
      summary: `${actor.principal.name} ${status === 'resolved' ? 'resolved' : 'reopened'} the comments on “${truncate(row.quote)}”`,
      details: { sectionId: row.sectionId, quote: truncate(row.quote) },
    });
    return true;
  });
  return { thread: await getThread(q, sync, planId, threadId), changed };
}

function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
