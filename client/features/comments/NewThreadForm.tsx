import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommentAnchor, Member } from '../../../shared/api/index.ts';
import { commentsApi } from '../../api/index.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';
import { Button, FormError } from '../../ui/forms.tsx';
import { useActionError } from '../../ui/useActionError.ts';
import { MentionBox } from './MentionBox.tsx';
import { readNewCommentDraft, writeNewCommentDraft, type DraftPlace, type NewCommentDraft } from './commentDrafts.ts';

interface Props {
  planId: string;
  sectionId: string;
  anchor: CommentAnchor;
  members: Member[];
  /** Where what is written is kept in the browser until it is posted or discarded. */
  draftPlace: DraftPlace;
  /** Closes the form (nothing was written). */
  onCancel: () => void;
  /** Closes the form, throwing away what was written (the panel offers it back). */
  onDiscard: (draft: NewCommentDraft) => void;
  onCreated: (threadId: string | null) => Promise<void>;
}

/**
 * Starts a thread on the words selected in the text (quoted above the comment box). Offline, the
 * comment waits in its box, kept, and is posted once the person is back online and sends it.
 * What is written is kept in the browser too (commentDrafts.ts), so a reload or a closed browser
 * does not lose it: the form opens again with it, and waits for the person to post it.
 */
export function NewThreadForm({ planId, sectionId, anchor, members, draftPlace, onCancel, onDiscard, onCreated }: Props) {
  const { t } = useTranslation();
  const { userId } = draftPlace;
  const [body, setBody] = useState(() => readNewCommentDraft(draftPlace)?.body ?? '');
  useEffect(() => {
    writeNewCommentDraft({ planId, sectionId, userId }, { anchor, body });
  }, [planId, sectionId, userId, anchor, body]);
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
      // Posted: nothing to keep (the form closes before its own effect would forget it).
      writeNewCommentDraft({ planId, sectionId, userId }, null);
      await onCreated(created.id);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  // Cancelling with words written discards them, and the panel offers them back (Undo).
  function cancel() {
    if (body.trim()) onDiscard({ anchor, body });
    else onCancel();
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
        onEscape={cancel}
      />
      <FormError message={error} />
      <OfflineNote testId="comment-offline" kept id={offlineId} />
      <div className="comment-form__actions">
        <Button type="submit" busy={busy} disabled={offline} aria-describedby={offline ? offlineId : undefined} className="button--small" data-testid="comment-submit">
          {t('comments.submit')}
        </Button>
        <Button variant="link" className="button--small" onClick={cancel} data-testid="comment-cancel">
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
