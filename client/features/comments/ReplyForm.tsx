import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api/index.ts';
import { useOffline } from '../../sync/connectivity.ts';
import { Button } from '../../ui/forms.tsx';
import { MentionBox } from './MentionBox.tsx';

interface Props {
  value: string;
  onChange: (value: string) => void;
  members: Member[];
  busy: boolean;
  onSend: (e?: FormEvent) => void;
  /** Empties the box, throwing away what was written (the thread offers it back). */
  onDiscard: () => void;
}

/**
 * The answer box under an open thread (its text is kept by the thread while it is resolved, and
 * while the person is offline, when sending waits: the comments panel says why; and in the
 * browser, through a reload, until it is sent or discarded).
 */
export function ReplyForm({ value, onChange, members, busy, onSend, onDiscard }: Props) {
  const { t } = useTranslation();
  const offline = useOffline();
  return (
    <form className="thread__reply" onSubmit={onSend}>
      <MentionBox label={t('comments.reply')} value={value} onChange={onChange} members={members} testId="reply-body" onSubmitShortcut={() => onSend()} />
      <Button type="submit" variant="secondary" className="button--small" busy={busy} disabled={!value.trim() || offline} data-testid="reply-submit">
        {t('comments.replySubmit')}
      </Button>
      {value.trim() && (
        <Button variant="link" className="button--small" disabled={busy} onClick={onDiscard} data-testid="reply-discard">
          {t('comments.discardDraft')}
        </Button>
      )}
    </form>
  );
}
