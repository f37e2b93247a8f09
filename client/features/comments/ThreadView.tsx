import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member, Role, Thread } from '../../../shared/api/index.ts';
import { commentsApi } from '../../api/index.ts';
import { Button, FormError } from '../../ui/forms.tsx';
import { focusWhenShown, replyBoxOf } from '../../ui/focusWhenShown.ts';
import { useRunThenReload } from '../../ui/useRunThenReload.ts';
import { useOffline } from '../../sync/connectivity.ts';

import { CommentView } from './CommentView.tsx';
import { mayComment, mayResolve } from './permissions.ts';
import { ReplyForm } from './ReplyForm.tsx';
import { useReplyDraft } from './commentDrafts.ts';
import { DiscardedNote } from './DiscardedNote.tsx';
import { formatDateTime } from '../../i18n/format.ts';

interface Props {
  planId: string;
  thread: Thread;
  role: Role;
  meId: string;
  members: Member[];
  active: boolean;
  onActivate: () => void;
  reload: () => Promise<void>;
}

/** One thread: the quoted words (a button that shows them in the text), its comments, a reply box and resolve/reopen. */
export function ThreadView({ planId, thread, role, meId, members, active, onActivate, reload }: Props) {
  const { t, i18n } = useTranslation();
  // Kept in the browser until sent or discarded, so a reload does not lose it (commentDrafts.ts).
  const [reply, setReply] = useReplyDraft({ planId, sectionId: thread.sectionId, userId: meId }, thread.id);
  // The reply last discarded, offered back until the box is typed in again.
  const [discarded, setDiscarded] = useState<string | null>(null);
  const changeReply = (value: string) => {
    setDiscarded(null);
    setReply(value);
  };
  const discardReply = () => {
    setDiscarded(reply);
    setReply('');
  };
  const { busy, error, run } = useRunThenReload(reload);
  const resolved = thread.status === 'resolved';
  // Offline, replying and resolving wait (the reply stays in its box); the panel says why.
  const offline = useOffline();

  async function sendReply(e?: FormEvent) {
    e?.preventDefault();
    if (!reply.trim() || offline || busy) return;
    if (await run(() => commentsApi.reply(planId, thread.id, { body: reply }))) {
      setReply('');
      // The send button is disabled while it works and again once the box is empty: focus would
      // drop to the page. Stay in the thread, in the box, ready for the next reply.
      focusWhenShown(replyBoxOf(thread.id));
    }
  }

  return (
    <article
      className={`thread${active ? ' thread--active' : ''}${resolved ? ' thread--resolved' : ''}`}
      data-testid="thread"
      data-thread-id={thread.id}
      data-status={thread.status}
      data-detached={thread.detached || undefined}
      aria-label={t('comments.threadLabel', { quote: thread.quote })}
    >
      <button type="button" className="thread__quote-button" onClick={onActivate} aria-pressed={active} title={t('comments.showInText')}>
        <blockquote className={`thread__quote${thread.detached ? ' thread__quote--detached' : ''}`} data-testid="thread-quote">
          {thread.quote}
        </blockquote>
      </button>
      {thread.detached && (
        <p className="thread__detached small" data-testid="thread-detached">
          {t('comments.detached')}
        </p>
      )}
      {resolved && (
        <p className="thread__resolved small" data-testid="thread-resolved">
          {thread.resolvedBy && thread.resolvedAt
            ? t('comments.resolvedBy', { name: thread.resolvedBy, time: formatDateTime(thread.resolvedAt, i18n.language) })
            : t('comments.resolved')}
        </p>
      )}
      <ol className="thread__comments">
        {thread.comments.map((c) => (
          <li key={c.id}>
            <CommentView planId={planId} comment={c} mine={c.authorId === meId && role !== 'observer'} members={members} reload={reload} />
          </li>
        ))}
      </ol>
      <FormError message={error} />
      {!resolved && mayComment(role) && (
        <ReplyForm value={reply} onChange={changeReply} members={members} busy={busy} onSend={(e) => void sendReply(e)} onDiscard={discardReply} />
      )}
      {!resolved && mayComment(role) && discarded !== null && (
        <DiscardedNote
          message={t('comments.replyDiscarded')}
          testId="reply-discarded"
          onUndo={() => {
            changeReply(discarded);
            focusWhenShown(replyBoxOf(thread.id));
          }}
        />
      )}
      {mayResolve(role, thread, meId) && (
        <div className="thread__actions">
          {resolved ? (
            <Button variant="secondary" className="button--small" busy={busy} disabled={offline} onClick={() => void run(() => commentsApi.reopen(planId, thread.id))} data-testid="reopen-thread">
              {t('comments.reopen')}
            </Button>
          ) : (
            <Button variant="secondary" className="button--small" busy={busy} disabled={offline} onClick={() => void run(() => commentsApi.resolve(planId, thread.id))} data-testid="resolve-thread">
              {t('comments.resolve')}
            </Button>
          )}
        </div>
      )}
    </article>
  );
}
