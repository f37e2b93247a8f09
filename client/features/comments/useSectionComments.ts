import { useCallback, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import type { CommentAnchor } from '../../../shared/api/index.ts';
import { readNewCommentDraft } from './commentDrafts.ts';
import { useLiveDetachment } from './useLiveDetachment.ts';
import { useThreadLink } from './useThreadLink.ts';
import { useThreads } from './useThreads.ts';

/**
 * An open section's comment threads: highlighted in the text (open, attached ones) and listed
 * beside it, the words picked for a new thread, and the thread in focus.
 */
export function useSectionComments(planId: string, sectionId: string, userId: string, doc: Y.Doc | null, onCommentsChanged: () => void) {
  const { threads: fetchedThreads, error, failure, reload: reloadThreads } = useThreads(planId, sectionId);
  const threads = useLiveDetachment(doc, fetchedThreads);
  // A comment this person left unsent here (before a reload, or the browser closed) opens again
  // on its words, with what they wrote, waiting to be posted.
  const [pendingAnchor, setPendingAnchor] = useState<CommentAnchor | null>(() => readNewCommentDraft({ planId, sectionId, userId })?.anchor ?? null);
  const [activeThreadId, setActiveThreadId] = useState<string | null>(null);
  // Arriving from a link to one thread (a mention notice) opens that thread.
  useThreadLink(setActiveThreadId);
  const highlights = useMemo(
    () => (threads ?? []).filter((th) => th.status === 'open' && !th.detached).map((th) => ({ id: th.id, start: th.anchor.start, end: th.anchor.end })),
    [threads],
  );
  const reload = useCallback(async () => {
    await reloadThreads();
    onCommentsChanged();
  }, [reloadThreads, onCommentsChanged]);
  return { threads, error, failure, reload, highlights, pendingAnchor, setPendingAnchor, activeThreadId, setActiveThreadId };
}
