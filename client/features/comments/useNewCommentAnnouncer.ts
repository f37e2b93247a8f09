import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Thread } from '../../../shared/api/index.ts';

/** Comments in `after` that were not in `before`, written by someone else. */
export function newCommentsFromOthers(before: readonly Thread[], after: readonly Thread[], meId: string): Thread['comments'] {
  const known = new Set(before.flatMap((th) => th.comments.map((c) => c.id)));
  return after.flatMap((th) => th.comments).filter((c) => !known.has(c.id) && c.authorId !== meId && !c.deletedAt);
}

/**
 * Says through `announce` who wrote a comment that arrives live while the section is open: a
 * sighted person sees the thread appear beside the text; a screen reader user would not know.
 * The threads first loaded are not news; one's own comments are not either.
 */
export function useNewCommentAnnouncer(threads: Thread[] | null, meId: string, announce: (text: string) => void) {
  const { t } = useTranslation();
  const seen = useRef<Thread[] | null>(null);
  useEffect(() => {
    if (!threads) return;
    if (seen.current) {
      const fresh = newCommentsFromOthers(seen.current, threads, meId);
      if (fresh.length === 1) announce(t('comments.announceNew', { name: fresh[0]!.authorName, organisation: fresh[0]!.organisation }));
      else if (fresh.length > 1) announce(t('comments.announceNewMany', { count: fresh.length }));
    }
    seen.current = threads;
  }, [threads, meId, announce, t]);
}
