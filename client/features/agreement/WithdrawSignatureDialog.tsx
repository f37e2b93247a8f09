import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';

/** Asks a signer before their own signature is withdrawn, with an optional reason everyone reads. */
export function WithdrawSignatureDialog({
  open,
  sectionTitle,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  sectionTitle: string;
  busy: boolean;
  error: string | null;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  // Each time it opens, it starts without the words of an earlier withdrawal.
  useEffect(() => {
    if (open) setReason('');
  }, [open]);
  return (
    <ConfirmDialog
      open={open}
      title={t('agreement.withdrawMineTitle')}
      confirmLabel={t('agreement.withdrawMineConfirm')}
      confirmTestId="withdraw-my-signature-confirm"
      testId="withdraw-my-signature-dialog"
      onConfirm={() => onConfirm(reason)}
      onCancel={onCancel}
      busy={busy}
      error={error}
    >
      <p>{t('agreement.withdrawMineBody', { title: sectionTitle })}</p>
      <div className="field">
        <label htmlFor={id}>{t('agreement.withdrawMineReason')}</label>
        <textarea id={id} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={2000} data-testid="withdraw-my-signature-reason" />
      </div>
    </ConfirmDialog>
  );
}
