import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, FormError } from './forms.tsx';

interface Props {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  error?: string | null;
  testId?: string;
}

/** A modal confirmation on the native <dialog>: focus is trapped and Escape cancels. */
export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onCancel, busy, error, testId }: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="confirm-title"
      data-testid={testId ?? 'confirm-dialog'}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id="confirm-title" className="dialog__title">
        {title}
      </h2>
      <div className="dialog__body">{children}</div>
      <FormError message={error ?? null} />
      <div className="dialog__actions">
        <Button variant="danger" onClick={onConfirm} busy={busy} data-testid="confirm-dialog-confirm">
          {confirmLabel}
        </Button>
        <Button variant="secondary" onClick={onCancel} disabled={busy} autoFocus data-testid="confirm-dialog-cancel">
          {t('common.cancel')}
        </Button>
      </div>
    </dialog>
  );
}
