import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useOffline } from '../sync/connectivity.ts';
import { OfflineNote } from '../sync/OfflineNote.tsx';
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
  /** data-testid of the confirm button (default `confirm-dialog-confirm`). */
  confirmTestId?: string;
  /** Destructive actions are red (default); agreeing to something is not. */
  confirmVariant?: 'primary' | 'danger';
  confirmDisabled?: boolean;
  /**
   * Start on Cancel even though confirming is not destructive: for a decision that cannot be taken
   * back (accepting a suggestion), a second Enter must not make it by mistake.
   */
  startOnCancel?: boolean;
}

/** A modal confirmation on the native <dialog>: focus is trapped and Escape cancels. */
export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onCancel, busy, error, testId, confirmTestId, confirmVariant, confirmDisabled, startOnCancel }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const destructive = (confirmVariant ?? 'danger') === 'danger' || startOnCancel === true;
  // Every confirmation here asks the server to do something: offline, it waits (what was typed in
  // the dialog stays) and says why.
  const offline = useOffline();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      // The element that opened the dialog gets focus back when it closes (the browser does that
      // for showModal); while it is open, the first control would be the confirm button, or a
      // reason field above it. A destructive action must not be one Enter away, and a person must
      // first hear what the dialog asks: start on Cancel (a reason field sits above the buttons). A dialog
      // whose confirming is harmless keeps the browser's first control. (React's autoFocus runs
      // when the button mounts, while the dialog is still closed, so it cannot do this.)
      dialog.showModal();
      if (destructive) cancelRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, destructive]);

  return (
    <dialog
      ref={ref}
      className={`dialog${confirmVariant === 'primary' ? ' dialog--primary' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId ?? 'confirm-dialog'}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={titleId} className="dialog__title">
        {title}
      </h2>
      <div className="dialog__body">{children}</div>
      <FormError message={error ?? null} />
      <OfflineNote testId="confirm-dialog-offline" />
      <div className="dialog__actions">
        <Button
          variant={confirmVariant ?? 'danger'}
          onClick={onConfirm}
          busy={busy}
          disabled={confirmDisabled || offline}
          data-testid={confirmTestId ?? 'confirm-dialog-confirm'}
        >
          {confirmLabel}
        </Button>
        <Button ref={cancelRef} variant="secondary" onClick={onCancel} disabled={busy} data-testid="confirm-dialog-cancel">
          {t('common.cancel')}
        </Button>
      </div>
    </dialog>
  );
}
