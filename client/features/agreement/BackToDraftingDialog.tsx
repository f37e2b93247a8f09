import { useTranslation } from 'react-i18next';
import { counted } from '../../i18n/counted.ts';
import type { Signoff } from '../../../shared/api/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';

/**
 * Asks before a section goes back to drafting while it holds signatures: each of them, the other
 * organisations' too, is withdrawn, and their signers have to read and sign again.
 */
export function BackToDraftingDialog({
  open,
  signoffs,
  busy,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  signoffs: readonly Signoff[];
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      open={open}
      title={t('agreement.backToDraftingTitle')}
      confirmLabel={t('agreement.backToDraftingConfirm')}
      confirmTestId="back-to-drafting-confirm"
      testId="back-to-drafting-dialog"
      onConfirm={onConfirm}
      onCancel={onCancel}
      busy={busy}
    >
      <p>{t('agreement.backToDraftingBody', counted(signoffs.length))}</p>
      <ul data-testid="back-to-drafting-signers">
        {signoffs.map((s) => (
          <li key={s.id}>
            {s.name} ({s.organisation})
          </li>
        ))}
      </ul>
    </ConfirmDialog>
  );
}
