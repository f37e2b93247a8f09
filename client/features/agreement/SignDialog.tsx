import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { shortHash } from './hash.ts';
import type { SignForm } from './useAgreementActions.ts';

/** Confirms a signature of one content hash, optionally with a written reservation. */
export function SignDialog({ sectionTitle, form, busy }: { sectionTitle: string; form: SignForm; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      open={form.hash !== null}
      title={t('agreement.signTitle')}
      confirmLabel={t('agreement.signConfirm')}
      confirmVariant="primary"
      confirmTestId="sign-off-confirm"
      testId="sign-off-dialog"
      onConfirm={() => void form.confirm()}
      onCancel={form.cancel}
      busy={busy}
      error={form.error}
    >
      <p>{t('agreement.signBody', { title: sectionTitle })}</p>
      <p className="sign-dialog__hash">
        {t('agreement.signHash')} <code title={form.hash ?? ''}>{shortHash(form.hash ?? '')}</code>
      </p>
      <p>{t('agreement.signLock')}</p>
      <div className="field field--checkbox">
        <label>
          <input type="checkbox" checked={form.withReservation} onChange={(e) => form.setWithReservation(e.target.checked)} data-testid="sign-with-reservation" />{' '}
          {t('agreement.withReservation')}
        </label>
      </div>
      {form.withReservation && (
        <div className="field">
          <label htmlFor="sign-reservation">{t('agreement.reservationLabel')}</label>
          <textarea
            id="sign-reservation"
            value={form.reservation}
            onChange={(e) => form.setReservation(e.target.value)}
            rows={3}
            maxLength={4000}
            data-testid="sign-reservation"
          />
          <p className="muted small">{t('agreement.reservationHelp')}</p>
        </div>
      )}
    </ConfirmDialog>
  );
}
