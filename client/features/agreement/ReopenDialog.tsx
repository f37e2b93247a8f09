import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import type { ReopenForm } from './useAgreementActions.ts';

/** Confirms reopening an agreed section, with the reason everyone will read. */
export function ReopenDialog({ sectionTitle, form, busy }: { sectionTitle: string; form: ReopenForm; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      open={form.open}
      title={t('agreement.reopenTitle')}
      confirmLabel={t('agreement.reopenConfirm')}
      confirmTestId="reopen-confirm"
      testId="reopen-dialog"
      onConfirm={() => void form.confirm()}
      onCancel={form.cancel}
      busy={busy}
      error={form.error}
    >
      <p>{t('agreement.reopenBody', { title: sectionTitle })}</p>
      <div className="field">
        <label htmlFor="reopen-reason">{t('agreement.reopenReason')}</label>
        <textarea
          id="reopen-reason"
          value={form.reason}
          onChange={(e) => form.setReason(e.target.value)}
          rows={3}
          maxLength={2000}
          required
          aria-required="true"
          data-testid="reopen-reason"
        />
      </div>
    </ConfirmDialog>
  );
}
