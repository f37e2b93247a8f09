import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Comment, Member } from '../../../shared/api/index.ts';
import { commentsApi } from '../../api/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button, FormError } from '../../ui/forms.tsx';
import { useActionError } from '../../ui/useActionError.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { CommentEditForm } from './CommentEditForm.tsx';
import { CommentMeta } from './CommentMeta.tsx';
import { CommentText } from './CommentText.tsx';

interface Props {
  planId: string;
  comment: Comment;
  /** The person wrote it (and is not an observer now): they may edit or delete it. */
  mine: boolean;
  members: Member[];
  reload: () => Promise<void>;
}

/** One comment in a thread: who wrote it when, its text, and editing or deleting one's own. */
export function CommentView({ planId, comment, mine, members, reload }: Props) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(comment.body);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const { error, fail, say } = useActionError();
  const offline = useOffline();
  const deleted = comment.deletedAt !== null;

  async function save(e?: FormEvent) {
    e?.preventDefault();
    if (offline || busy) return;
    if (!draft.trim()) {
      say(t('comments.bodyRequired'));
      return;
    }
    setBusy(true);
    say(null);
    try {
      await commentsApi.editComment(planId, comment.id, { body: draft });
      setEditing(false);
      await reload();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    say(null);
    try {
      await commentsApi.deleteComment(planId, comment.id);
      setConfirming(false);
      await reload();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={`comment${deleted ? ' comment--deleted' : ''}`} data-testid="comment" data-comment-id={comment.id}>
      <CommentMeta comment={comment} />
      {deleted ? (
        <p className="comment__body muted">{t('comments.deleted')}</p>
      ) : editing ? (
        <CommentEditForm draft={draft} onDraft={setDraft} members={members} busy={busy} onSave={(e) => void save(e)} onCancel={() => setEditing(false)} />
      ) : (
        <CommentText body={comment.body} />
      )}
      {!editing && <FormError message={error} />}
      {mine && !deleted && !editing && (
        <div className="comment__actions">
          <Button
            variant="link"
            className="button--small"
            onClick={() => {
              setDraft(comment.body);
              say(null);
              setEditing(true);
            }}
            data-testid="comment-edit"
          >
            {t('comments.edit')}
          </Button>
          <Button variant="link" className="button--small" disabled={offline} onClick={() => setConfirming(true)} data-testid="comment-delete">
            {t('comments.delete')}
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('comments.deleteTitle')}
        confirmLabel={t('comments.deleteConfirm')}
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
        busy={busy}
        error={error}
      >
        <p>{t('comments.deleteBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
