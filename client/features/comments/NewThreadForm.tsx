import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommentAnchor, Member } from '../../../shared/api/index.ts';
import { commentsApi } from '../../api/index.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';
import { Button, FormError } from '../../ui/forms.tsx';
import { useActionError } from '../../ui/useActionError.ts';
import { MentionBox } from './MentionBox.tsx';

interface Props {
  planId: string;
  sectionId: string;
  anchor: CommentAnchor;
  members: Member[];
  onCancel: () => void;
  onCreated: (threadId: string | null) => Promise<void>;
}

/**
 * Starts a thread on the words selected in the text (quoted above the comment box). Offline, the
 * comment waits in its box, kept, and is posted once the person is back online and sends it.
 */
export function NewThreadForm({ planId, sectionId, anchor, members, onCancel, onCreated }: Props) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const { error, fail, say } = useActionError();
  const offline = useOffline();
  const offlineId = useId();

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    // The keyboard shortcut too: offline it would fail, and the button says why it waits.
    if (offline || busy) return;
    if (!body.trim()) {
      say(t('comments.bodyRequired'));
      return;
    }
    setBusy(true);
    say(null);
    try {
      const created = await commentsApi.createThread(planId, sectionId, { anchor, body });
      setBody('');
      await onCreated(created.id);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="comment-form" onSubmit={submit} data-testid="comment-form" aria-label={t('comments.newThread')}>
      <p className="comment-form__title">{t('comments.newThread')}</p>
      <blockquote className="thread__quote">{anchor.quote}</blockquote>
      <MentionBox
        label={t('comments.yourComment')}
        value={body}
        onChange={setBody}
        members={members}
        testId="comment-body"
        autoFocus
        onSubmitShortcut={() => void submit()}
        onEscape={onCancel}
      />
      <FormError message={error} />
      <OfflineNote testId="comment-offline" kept id={offlineId} />
      <div className="comment-form__actions">
        <Button type="submit" busy={busy} disabled={offline} aria-describedby={offline ? offlineId : undefined} className="button--small" data-testid="comment-submit">
          {t('comments.submit')}
        </Button>
        <Button variant="link" className="button--small" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
