import { Router } from 'express';
import type { AppDeps } from '../http/context.ts';
import { ANY_MEMBER, handler, parse, requirePlanRole, sqlOf } from '../http/context.ts';
import { idParam } from './plans.ts';
import { createThread, deleteComment, editComment, listThreads, reply, setThreadStatus } from '../services/comments.ts';
import { CreateThreadSchema, EditCommentSchema, ReplySchema, ThreadQuerySchema, type Role, type Thread } from '../../shared/api/index.ts';

/** Roles that write comments: everyone but observers. */
const COMMENTERS: readonly Role[] = ['coordinator', 'drafter', 'commenter'];

/**
 * Comment threads on section text. Reading: any member. Starting a thread and replying:
 * coordinators, drafters and commenters. Editing and deleting a comment: its author only.
 * Resolving and reopening: coordinators, drafters and the thread's author. Every change announces
 * `{type:'comments', sectionId}` and `{type:'outline'}` (the outline counts open threads), and
 * `{type:'notifications'}` when a comment mentions someone.
 * Agreed sections can be commented on: comments are not the text.
 */
export function commentRoutes(deps: AppDeps): Router {
  const { events, sync } = deps;
  const sql = sqlOf(deps);
  const router = Router();
  const announce = (planId: string, sectionId: string) => {
    events.emit('plan', planId, { type: 'comments', sectionId });
    events.emit('plan', planId, { type: 'outline' });
  };
  // A comment that mentions members left them a notice (server/services/comments.ts tells them).
  const announceMentions = (planId: string, comment: Thread['comments'][number] | undefined) => {
    if (comment && comment.mentions.length > 0) events.emit('plan', planId, { type: 'notifications' });
  };
  const base = '/plans/:planId';

  router.get(
    `${base}/sections/:sectionId/threads`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      await requirePlanRole(sql, req, planId, ANY_MEMBER);
      res.json(await listThreads(sql, sync, planId, idParam(req, 'sectionId'), parse(ThreadQuerySchema, req.query)));
    }),
  );

  router.post(
    `${base}/sections/:sectionId/threads`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const actor = await requirePlanRole(sql, req, planId, COMMENTERS);
      const sectionId = idParam(req, 'sectionId');
      const input = parse(CreateThreadSchema, req.body);
      const thread = await createThread(sql, sync, planId, sectionId, actor, input);
      announce(planId, sectionId);
      announceMentions(planId, thread.comments[0]);
      res.status(201).json(thread);
    }),
  );

  router.post(
    `${base}/threads/:threadId/comments`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const actor = await requirePlanRole(sql, req, planId, COMMENTERS);
      const { body } = parse(ReplySchema, req.body);
      const thread = await reply(sql, sync, planId, idParam(req, 'threadId'), actor, body);
      announce(planId, thread.sectionId);
      announceMentions(planId, thread.comments.at(-1));
      res.status(201).json(thread);
    }),
  );

  router.patch(
    `${base}/comments/:commentId`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const actor = await requirePlanRole(sql, req, planId, COMMENTERS);
      const { body } = parse(EditCommentSchema, req.body);
      const commentId = idParam(req, 'commentId');
      const thread = await editComment(sql, sync, planId, commentId, actor, body);
      announce(planId, thread.sectionId);
      announceMentions(planId, thread.comments.find((c) => c.id === commentId));
      res.json(thread);
    }),
  );

  router.delete(
    `${base}/comments/:commentId`,
    handler(async (req, res) => {
      const planId = idParam(req, 'planId');
      const actor = await requirePlanRole(sql, req, planId, COMMENTERS);
      const { thread, changed } = await deleteComment(sql, sync, planId, idParam(req, 'commentId'), actor);
      if (changed) announce(planId, thread.sectionId);
      res.json(thread);
    }),
  );

  for (const [path, status] of [
    ['resolve', 'resolved'],
    ['reopen', 'open'],
  ] as const) {
    router.post(
      `${base}/threads/:threadId/${path}`,
      handler(async (req, res) => {
        const planId = idParam(req, 'planId');
        const actor = await requirePlanRole(sql, req, planId, COMMENTERS);
        const { thread, changed } = await setThreadStatus(sql, sync, planId, idParam(req, 'threadId'), actor, status);
        if (changed) announce(planId, thread.sectionId);
        res.json(thread);
      }),
    );
  }

  return router;
}
