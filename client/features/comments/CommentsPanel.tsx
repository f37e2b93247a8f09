import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommentAnchor, Member, Me, Role, Thread } from '../../../shared/api/index.ts';
import type { PlanOrganisation } from '../../api/index.ts';
import { useMembersQuery, useOrganisationsQuery } from '../../api/queries.ts';
import { NotLoadedNote, OfflineNote } from '../../sync/OfflineNote.tsx';
import { FormError } from '../../ui/forms.tsx';
import { LiveRegion, useAnnouncer } from '../../ui/LiveRegion.tsx';
import { focusWhenShown, replyBoxOf } from '../../ui/focusWhenShown.ts';
import { revealInItsBox } from '../../ui/revealBelowSticky.ts';
import { NewThreadForm } from './NewThreadForm.tsx';
import { writeNewCommentDraft, type NewCommentDraft } from './commentDrafts.ts';
import { DiscardedNote } from './DiscardedNote.tsx';
import { mayComment } from './permissions.ts';
import { ThreadFilters } from './ThreadFilters.tsx';
import { ThreadList } from './ThreadList.tsx';
import { useNewCommentAnnouncer } from './useNewCommentAnnouncer.ts';
import { useThreadFilter } from './useThreadFilter.ts';

interface PanelProps {
  planId: string;
  sectionId: string;
  role: Role;
  me: Me;
  threads: Thread[] | null;
  error: string | null;
  /** Why the threads are not loaded yet, when a try did not reach the server. */
  loadFailure?: unknown;
  reload: () => Promise<void>;
  pending: CommentAnchor | null;
  onCancelPending: () => void;
  /** Opens the new comment form again on these words (a discarded draft taken back). */
  onRestorePending: (anchor: CommentAnchor) => void;
  activeThreadId: string | null;
  onActivate: (threadId: string | null) => void;
}

const NO_ORGS: PlanOrganisation[] = [];
const NO_MEMBERS: Member[] = [];

/** The section's comment threads beside the text: new thread form, filters, threads. */
export function CommentsPanel(props: PanelProps) {
  const { planId, sectionId, role, me, threads, pending, activeThreadId } = props;
  const { t } = useTranslation();
  const orgs = useOrganisationsQuery(planId).data ?? NO_ORGS;
  const members = useMembersQuery(planId).data ?? NO_MEMBERS;
  const { status, setStatus, orgId, setOrgId, base, shown } = useThreadFilter(planId, sectionId, threads);
  const openCount = (threads ?? []).filter((th) => th.status === 'open').length;
  const { message, announce } = useAnnouncer();
  useNewCommentAnnouncer(threads, me.user.id, announce);
  const draftPlace = { planId, sectionId, userId: me.user.id };
  // The unsent comment last discarded here, offered back until another one is started.
  const [discarded, setDiscarded] = useState<NewCommentDraft | null>(null);
  useEffect(() => {
    if (pending) setDiscarded(null);
  }, [pending]);

  // A thread activated from the text (or a link) is brought into view, and shown even if filtered
  // out, once, as it is activated. Later changes to it (someone else resolving it) follow the
  // filter like every other thread: a resolved thread leaves the "Open" list for everyone.
  // Only the panel's own box scrolls to it: scrolling the page took the text away from the person
  // (and "Show these words in the text" then scrolled it back, away from the thread).
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (!activeThreadId) {
      revealed.current = null;
      return;
    }
    if (revealed.current === activeThreadId) return;
    const th = threads?.find((x) => x.id === activeThreadId);
    // Not loaded yet (arriving from a link): revealed when the threads arrive.
    if (!th) return;
    revealed.current = activeThreadId;
    if (status !== 'all' && th.status !== status) setStatus('all');
    const el = document.querySelector<HTMLElement>(`[data-testid=thread][data-thread-id="${CSS.escape(activeThreadId)}"]`);
    if (el) revealInItsBox(el);
  }, [activeThreadId, threads, status, setStatus]);

  return (
    <section className="comments" aria-labelledby="comments-heading" data-testid="comments-panel">
      <h2 id="comments-heading" className="comments__heading">
        {t('comments.heading', { count: openCount })}
      </h2>
      <LiveRegion message={message} testId="comments-announcement" />
      {/* Offline, posting, replying and resolving wait; a comment being written says so itself. */}
      {mayComment(role) && !pending && <OfflineNote testId="comments-offline" />}
      {pending && mayComment(role) && (
        <NewThreadForm
          planId={planId}
          sectionId={sectionId}
          anchor={pending}
          members={members}
          draftPlace={draftPlace}
          onCancel={props.onCancelPending}
          onDiscard={(draft) => {
            writeNewCommentDraft(draftPlace, null);
            setDiscarded(draft);
            props.onCancelPending();
            // The form is gone: continue on the way to take it back.
            focusWhenShown('[data-testid=comment-discarded-undo]');
          }}
          onCreated={async (id) => {
            props.onCancelPending();
            if (status === 'resolved') setStatus('open');
            await props.reload();
            if (id) {
              props.onActivate(id);
              // The form is gone with the thread posted: continue in the new thread's reply box.
              focusWhenShown(replyBoxOf(id));
            }
          }}
        />
      )}
      {!pending && discarded && mayComment(role) && (
        <DiscardedNote
          message={t('comments.draftDiscarded')}
          testId="comment-discarded"
          onUndo={() => {
            writeNewCommentDraft(draftPlace, discarded);
            setDiscarded(null);
            props.onRestorePending(discarded.anchor);
          }}
        />
      )}
      {!pending && mayComment(role) && <p className="muted small comments__how">{t('comments.howTo')}</p>}
      <ThreadFilters status={status} onStatus={setStatus} orgId={orgId} onOrgId={setOrgId} orgs={orgs} />
      <FormError message={props.error} />
      {threads === null && !props.error && <NotLoadedNote failure={props.loadFailure} testId="comments-not-loaded" />}
      <ThreadList
        planId={planId}
        shown={shown}
        loaded={base !== null}
        status={status}
        role={role}
        meId={me.user.id}
        members={members}
        activeThreadId={activeThreadId}
        onActivate={props.onActivate}
        reload={props.reload}
      />
    </section>
  );
}
