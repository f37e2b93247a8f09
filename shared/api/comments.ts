import { z } from 'zod';
import { IdSchema, SideSchema } from './common.ts';

/**
 * Comment threads on a section's text. A thread is anchored to CRDT positions, never offsets
 * (COLLAB-NOTES): `start`/`end` are base64 of `Y.encodeRelativePosition(...)`, made by the client
 * with `@tiptap/y-tiptap`'s `absolutePositionToRelativePosition` against the section body
 * (`getSectionBody(doc)`). The server treats them as opaque relative positions into that document.
 *
 * Routes (under /api/plans/:planId; every change returns the whole Thread and emits
 * `{type:'comments', sectionId}` and `{type:'outline'}`):
 * - GET    /sections/:sectionId/threads?status=open|resolved|all&organisationId=  → ThreadList (any member)
 * - POST   /sections/:sectionId/threads   CreateThread → 201 Thread (coordinator, drafter, commenter;
 *          400 when the anchor does not decode or resolve in the current text)
 * - POST   /threads/:threadId/comments    Reply → 201 Thread (coordinator, drafter, commenter)
 * - PATCH  /comments/:commentId           EditComment → Thread (the author only; 409 once deleted)
 * - DELETE /comments/:commentId           → Thread (the author only; the comment keeps its place, body '')
 * - POST   /threads/:threadId/resolve | /reopen  → Thread (coordinators, drafters, the thread's author)
 * Observers get 403 on every change; non-members 404. Agreed sections can be commented on.
 * Each member a new comment mentions (or an edit newly mentions), other than its author, gets a
 * `mention` notice linking to `/plans/:planId/sections/:sectionId#thread-:threadId`, and the
 * route also emits `{type:'notifications'}`.
 */

export const CommentLimits = {
  bodyLength: 10_000,
  quoteLength: 2_000,
  /** Cap on one encoded relative position (base64). */
  anchorLength: 1_000,
} as const;

const Base64Schema = z
  .string()
  .min(1, 'required')
  .max(CommentLimits.anchorLength)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'invalid');

export const CommentAnchorSchema = z.object({
  start: Base64Schema,
  end: Base64Schema,
  /** The commented words when the thread was created (kept when the text is later deleted). */
  quote: z.string().max(CommentLimits.quoteLength),
});
export type CommentAnchor = z.infer<typeof CommentAnchorSchema>;

/**
 * Plain text, 1–10,000 characters. Mentions are written `@[Name](userId)`; the server parses them
 * into `mentions` (only plan members count).
 */
export const CommentBodySchema = z
  .string()
  .max(CommentLimits.bodyLength, `At most ${CommentLimits.bodyLength} characters`)
  .refine((s) => s.trim().length > 0, 'required');

/** The mention syntax in a comment body: `@[Name](userId)`. */
export const MENTION_PATTERN = /@\[([^\]\n]{1,200})\]\(([A-Za-z0-9_-]{8,64})\)/g;

export const CreateThreadSchema = z.object({ anchor: CommentAnchorSchema, body: CommentBodySchema });
export type CreateThread = z.infer<typeof CreateThreadSchema>;
export const ReplySchema = z.object({ body: CommentBodySchema });
export type Reply = z.infer<typeof ReplySchema>;
export const EditCommentSchema = z.object({ body: CommentBodySchema });
export type EditComment = z.infer<typeof EditCommentSchema>;

export const CommentSchema = z.object({
  id: IdSchema,
  threadId: IdSchema,
  authorId: IdSchema,
  authorName: z.string(),
  /** The author's organisation name. */
  organisation: z.string(),
  side: SideSchema,
  /** Whether a coordinator verified the author's organisation for the plan; unverified ones are shown as such. */
  organisationVerified: z.boolean(),
  /** Empty once deleted (the comment keeps its place: "comment deleted"). */
  body: z.string(),
  /** User ids of plan members mentioned in the body. */
  mentions: z.array(IdSchema),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
});
export type Comment = z.infer<typeof CommentSchema>;

export const ThreadStatusSchema = z.enum(['open', 'resolved']);
export type ThreadStatus = z.infer<typeof ThreadStatusSchema>;

export const ThreadSchema = z.object({
  id: IdSchema,
  sectionId: IdSchema,
  /** Relative positions (base64) of the commented range; `quote` is also at the top level. */
  anchor: z.object({ start: z.string(), end: z.string() }),
  quote: z.string(),
  status: ThreadStatusSchema,
  /** Name of the person who resolved it. */
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** True when the commented text is gone (its positions no longer resolve or enclose no character). */
  detached: z.boolean(),
  /** Oldest first. */
  comments: z.array(CommentSchema),
  createdAt: z.string(),
});
export type Thread = z.infer<typeof ThreadSchema>;

/** Threads of a section, in text order of their start; detached threads last. */
export const ThreadListSchema = z.array(ThreadSchema);
export type ThreadList = z.infer<typeof ThreadListSchema>;

/** GET /sections/:sectionId/threads query. `organisationId`: threads with a comment by that organisation. */
export const ThreadQuerySchema = z.object({
  status: z.enum(['open', 'resolved', 'all']).default('all'),
  organisationId: IdSchema.optional(),
});
export type ThreadQuery = z.infer<typeof ThreadQuerySchema>;
