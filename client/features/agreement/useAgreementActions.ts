import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, agreementApi, type Agreement } from '../../api/index.ts';
import { useActionError } from '../../ui/useActionError.ts';

/** The sign-off dialog's state: which hash is being signed, and the optional reservation. */
export interface SignForm {
  /** The content hash being signed; null while the dialog is closed. */
  hash: string | null;
  withReservation: boolean;
  setWithReservation: (on: boolean) => void;
  reservation: string;
  setReservation: (text: string) => void;
  error: string | null;
  start: (hash: string) => void;
  cancel: () => void;
  confirm: () => Promise<void>;
}

/** The reopen dialog's state: a coordinator must give a reason. */
export interface ReopenForm {
  open: boolean;
  reason: string;
  setReason: (text: string) => void;
  error: string | null;
  start: () => void;
  cancel: () => void;
  confirm: () => Promise<void>;
}

/**
 * What a person can do to a section's agreement (change its status, sign, reopen), with one busy
 * flag for all of them, so no two run at once. `onChanged` refetches the agreement afterwards.
 */
export function useAgreementActions(planId: string, agreement: Agreement | null, onChanged: () => Promise<void> | void) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  // "The server could not be reached" goes by itself once it can be; the others stay.
  const { error: actionError, fail: failAction, say: setActionError } = useActionError();
  const [signing, setSigning] = useState<string | null>(null);
  const { error: signError, fail: failSign, say: setSignError } = useActionError();
  const [withReservation, setWithReservation] = useState(false);
  const [reservation, setReservation] = useState('');
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  const { error: reopenError, fail: failReopen, say: setReopenError } = useActionError();

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setActionError(null);
    try {
      await action();
      await onChanged();
    } catch (err) {
      failAction(err);
    } finally {
      setBusy(false);
    }
  }

  async function confirmSign() {
    if (!signing) return;
    const note = reservation.trim();
    if (withReservation && note.length < 3) {
      setSignError(t('agreement.reservationRequired'));
      return;
    }
    setBusy(true);
    setSignError(null);
    try {
      await agreementApi.signOff(planId, agreement!.sectionId, signing, withReservation ? note : undefined);
      setSigning(null);
      setWithReservation(false);
      setReservation('');
      await onChanged();
    } catch (err) {
      // The text changed since the person read it: close the dialog and show the new version.
      if (err instanceof ApiError && err.code === 'content_changed') {
        setSigning(null);
        setActionError(t('agreement.contentChanged'));
        await onChanged();
      } else {
        failSign(err);
      }
    } finally {
      setBusy(false);
    }
  }

  async function confirmReopen() {
    const text = reason.trim();
    if (text.length < 3) {
      setReopenError(t('agreement.reopenReasonRequired'));
      return;
    }
    setBusy(true);
    setReopenError(null);
    try {
      await agreementApi.reopen(planId, agreement!.sectionId, text);
      setReopening(false);
      setReason('');
      await onChanged();
    } catch (err) {
      failReopen(err);
    } finally {
      setBusy(false);
    }
  }

  const sign: SignForm = {
    hash: signing,
    withReservation,
    setWithReservation: (on) => {
      setWithReservation(on);
      setSignError(null);
    },
    reservation,
    setReservation: (text) => {
      setReservation(text);
      setSignError(null);
    },
    error: signError,
    start: (hash) => {
      setSignError(null);
      setActionError(null);
      setSigning(hash);
    },
    cancel: () => setSigning(null),
    confirm: confirmSign,
  };

  const reopen: ReopenForm = {
    open: reopening,
    reason,
    setReason: (text) => {
      setReason(text);
      setReopenError(null);
    },
    error: reopenError,
    start: () => {
      setReopenError(null);
      setReopening(true);
    },
    cancel: () => setReopening(false),
    confirm: confirmReopen,
  };

  return { busy, actionError, run, sign, reopen };
}
