import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedPasswordReset } from '../../../shared/api/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Button } from '../../ui/forms.tsx';
import { absolute } from './linkFormat.ts';
import type { PasswordResetState } from './usePasswordReset.ts';
import { formatDateTime } from '../../i18n/format.ts';

/** The reset link just made, to copy and hand to the member; it is shown only this once. */
export function ResetLinkNotice({ link, copied, onCopy, onDismiss }: { link: CreatedPasswordReset; copied: boolean; onCopy: (inputId: string) => void; onDismiss: () => void }) {
  const { t, i18n } = useTranslation();
  const urlId = useId();
  return (
    <div className="invite-link reset-link" data-testid="reset-created">
      <label htmlFor={urlId}>{t('members.resetLinkLabel', { name: link.name })}</label>
      <div className="invite-link__row">
        <input id={urlId} readOnly value={absolute(link.url)} onFocus={(e) => e.target.select()} data-testid="reset-url" />
        <Button variant="secondary" onClick={() => onCopy(urlId)} data-testid="reset-copy">
          {t('members.resetCopy')}
        </Button>
        <Button variant="link" onClick={onDismiss} data-testid="reset-dismiss">
          {t('members.resetDismiss')}
        </Button>
      </div>
      <p className="field__hint" role="status" aria-live="polite">
        {copied ? t('members.resetCopied') : t('members.resetLinkHint', { name: link.name, date: formatDateTime(link.expiresAt, i18n.language) })}
      </p>
    </div>
  );
}

/** "Make a reset link for this member?" */
export function ResetPasswordDialog({ reset }: { reset: PasswordResetState }) {
  const { t } = useTranslation();
  const { resetFor } = reset;
  return (
    <ConfirmDialog
      open={resetFor !== null}
      title={t('members.resetTitle')}
      confirmLabel={t('members.resetConfirm')}
      confirmVariant="primary"
      confirmTestId="reset-confirm"
      testId="reset-dialog"
      onConfirm={reset.confirm}
      onCancel={reset.cancel}
      busy={reset.busy}
      error={reset.error}
    >
      {resetFor && <p>{t('members.resetBody', { name: resetFor.name, organisation: resetFor.organisation.name })}</p>}
    </ConfirmDialog>
  );
}
