import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedInvite } from '../../../shared/api/index.ts';
import { Button } from '../../ui/forms.tsx';
import { absolute } from './linkFormat.ts';
import { formatDate } from '../../i18n/format.ts';

/** The invitation link just made, to copy and send, with when it expires. */
export function CreatedInviteLink({ invite, copied, onCopy, lng }: { invite: CreatedInvite; copied: boolean; onCopy: (inputId: string) => void; lng: string }) {
  const { t } = useTranslation();
  const urlId = useId();
  return (
    <div className="invite-link" data-testid="invite-created">
      <label htmlFor={urlId}>
        {invite.note ? t('invites.linkLabelFor', { note: invite.note, role: t(`role.${invite.role}`) }) : t('invites.linkLabel', { role: t(`role.${invite.role}`) })}
      </label>
      <div className="invite-link__row">
        <input id={urlId} readOnly value={absolute(invite.url)} onFocus={(e) => e.target.select()} data-testid="invite-url" />
        <Button variant="secondary" onClick={() => onCopy(urlId)} data-testid="invite-copy">
          {t('invites.copy')}
        </Button>
      </div>
      <p className="field__hint" role="status" aria-live="polite">
        {copied ? t('invites.copied') : t('invites.expires', { date: formatDate(invite.expiresAt, lng) })}
      </p>
    </div>
  );
}
