import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api/index.ts';
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

/** Editing one's own comment in place. */
export function CommentEditForm({ draft, onDraft, members, busy, onSave, onCancel }: Props) {
  const { t } = useTranslation();
  return (
    <form onSubmit={onSave} className="comment__edit">
      <MentionBox label={t('comments.editLabel')} value={draft} onChange={onDraft} members={members} testId="comment-edit-body" autoFocus onEscape={onCancel} onSubmitShortcut={() => onSave()} />
      <div className="comment-form__actions">
        <Button type="submit" className="button--small" busy={busy} data-testid="comment-edit-save">
          {t('common.save')}
        </Button>
        <Button variant="link" className="button--small" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
