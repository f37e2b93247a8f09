import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api/index.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { OfflineNote } from '../../sync/OfflineNote.tsx';
import { Button } from '../../ui/forms.tsx';
import { MentionBox } from './MentionBox.tsx';

interface Props {
  draft: string;
  onDraft: (value: string) => void;
  members: Member[];
  busy: boolean;
  onSave: (e?: FormEvent) => void;
  onCancel: () => void;
}

/** Editing one's own comment in place (offline, saving waits and the draft is kept). */
export function CommentEditForm({ draft, onDraft, members, busy, onSave, onCancel }: Props) {
  const { t } = useTranslation();
  const offline = useOffline();
  return (
    <form onSubmit={onSave} className="comment__edit">
      <MentionBox label={t('comments.editLabel')} value={draft} onChange={onDraft} members={members} testId="comment-edit-body" autoFocus onEscape={onCancel} onSubmitShortcut={() => onSave()} />
      <OfflineNote testId="comment-edit-offline" kept />
      <div className="comment-form__actions">
        <Button type="submit" className="button--small" busy={busy} disabled={offline} data-testid="comment-edit-save">
          {t('common.save')}
        </Button>
        <Button variant="link" className="button--small" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
