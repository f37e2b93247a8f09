import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { shortHash } from './hash.ts';
import type { SignForm } from './useAgreementActions.ts';

/**
 * Confirms a signature of one content hash, optionally with a written reservation. The hash shown
 * is the section's as it is now: when a colleague edits the section while the dialog is open, the
 * new hash replaces the old and the dialog says the section changed, so the person reads it again
 * before signing; what is signed is the hash shown.
 */
export function SignDialog({ sectionTitle, form, busy }: { sectionTitle: string; form: SignForm; busy: boolean }) {
  const { t } = useTranslation();
  const changed = form.changedSinceOpened || form.refusedAsChanged;
  return (
    <ConfirmDialog
      open={form.hash !== null}
      title={t('agreement.signTitle')}
      confirmLabel={changed ? t('agreement.signConfirmChanged') : t('agreement.signConfirm')}
      confirmVariant="primary"
      confirmTestId="sign-off-confirm"
      testId="sign-off-dialog"
      onConfirm={() => void form.confirm()}
      onCancel={form.cancel}
      busy={busy}
      error={form.error}
    >
      <p>{t('agreement.signBody', { title: sectionTitle })}</p>
      {/* Announced as it appears: the person may be reading the dialog, not the section behind it. */}
      <div role="alert" data-testid="sign-off-changed-slot">
        {changed && (
          <p className="alert alert--warning sign-dialog__changed" data-testid="sign-off-changed" data-refused={form.refusedAsChanged ? 'true' : 'false'}>
            {form.refusedAsChanged ? t('agreement.signRefusedChanged') : t('agreement.signChangedWhileOpen')}
          </p>
        )}
      </div>
      <p className="sign-dialog__hash">
        {t('agreement.signHash')}{' '}
        <code title={form.hash ?? ''} data-testid="sign-off-hash" data-hash={form.hash ?? ''}>
          {shortHash(form.hash ?? '')}
        </code>
      </p>
      {changed && form.openedHash && form.openedHash !== form.hash && (
        <p className="sign-dialog__hash sign-dialog__hash--old muted small" data-testid="sign-off-opened-hash">
          {t('agreement.signHashWhenOpened')} <code title={form.openedHash}>{shortHash(form.openedHash)}</code>
        </p>
      )}
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
