import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';
import { CommentAnchorSchema, type CommentAnchor } from '../../../shared/api/index.ts';

/*
 * Comments and replies being written, kept in this browser's storage until they are sent or the
 * person discards them: offline, a comment waits in its box to be sent once back, and a reload
 * (or the browser closing) must not lose it. One entry per section for a new comment (with the
 * words it is on) and one per thread for a reply, for one person in one plan. Nothing is ever
 * sent from here: a restored draft goes back into its box, and the person sends it.
 */

const PREFIX = 'accord:comment-draft';

export interface DraftPlace {
  planId: string;
  sectionId: string;
  userId: string;
}

const NewCommentDraftSchema = z.object({ anchor: CommentAnchorSchema, body: z.string() });
export type NewCommentDraft = z.infer<typeof NewCommentDraftSchema>;
const ReplyDraftSchema = z.object({ body: z.string() });

export function newCommentKey({ planId, sectionId, userId }: DraftPlace): string {
  return `${PREFIX}:${planId}:${sectionId}:${userId}:new`;
}

export function replyKey({ planId, sectionId, userId }: DraftPlace, threadId: string): string {
  return `${PREFIX}:${planId}:${sectionId}:${userId}:reply:${threadId}`;
}

function read<T>(key: string, schema: z.ZodType<T>): T | null {
  try {
    const raw = localStorage.getItem(key);
    if (raw === null) return null;
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    // Storage refused (private mode, blocked) or a value that is not ours: nothing kept.
    return null;
  }
}

function write(key: string, value: unknown | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or refused: the draft still lives in the box for as long as the page does.
  }
}

/** The new comment kept for this section, if any (its words and what was written). */
export function readNewCommentDraft(place: DraftPlace): NewCommentDraft | null {
  const draft = read(newCommentKey(place), NewCommentDraftSchema);
  return draft && draft.body.trim() ? draft : null;
}

/** Keeps (or, with an empty body or null, forgets) the new comment being written in this section. */
export function writeNewCommentDraft(place: DraftPlace, draft: { anchor: CommentAnchor; body: string } | null): void {
  write(newCommentKey(place), draft && draft.body.trim() ? draft : null);
}

/**
 * A reply box's text that outlives the page: starts from what was kept for the thread and keeps
 * every change; emptying the box (sending it, discarding it) forgets it.
 */
export function useReplyDraft(place: DraftPlace, threadId: string): [string, (value: string) => void] {
  const key = replyKey(place, threadId);
  const [value, setValue] = useState(() => read(key, ReplyDraftSchema)?.body ?? '');
  useEffect(() => {
    write(key, value.trim() ? { body: value } : null);
  }, [key, value]);
  return [value, useCallback((next: string) => setValue(next), [])];
}
