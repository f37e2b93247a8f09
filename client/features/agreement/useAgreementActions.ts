import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, agreementApi, type Agreement } from '../../api/index.ts';
import { useActionError } from '../../ui/useActionError.ts';

/**
 * The sign-off dialog's state: which hash is being signed, and the optional reservation. The hash
 * follows the section while the dialog is open (a colleague may edit it meanwhile): what is signed
 * is always the hash shown, and the dialog says when it is no longer the one it opened with.
 */
export interface SignForm {
  /** The content hash being signed (the section's as it is now); null while the dialog is closed. */
  hash: string | null;
  /** The hash the dialog opened with. */
  openedHash: string | null;
  /** The section's text or actions changed since the dialog opened: the person should read it again. */
  changedSinceOpened: boolean;
  /** The server refused the signature because the section had just changed: nothing was signed. */
  refusedAsChanged: boolean;
  withReservation: boolean;
  setWithReservation: (on: boolean) => void;
  reservation: string;
  setReservation: (text: string) => void;
  error: string | null;
  start: () => void;
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
  // The hash the sign-off dialog opened with (null: closed); the hash signed is the current one.
  const [signing, setSigning] = useState<string | null>(null);
  const [refusedAsChanged, setRefusedAsChanged] = useState(false);
  const currentHash = agreement?.currentHash ?? null;
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
    if (!signing || !currentHash) return;
    // Exactly the hash the dialog shows now, which may differ from the one it opened with.
    const shown = currentHash;
    const note = reservation.trim();
    if (withReservation && note.length < 3) {
      setSignError(t('agreement.reservationRequired'));
      return;
    }
    setBusy(true);
    setSignError(null);
    try {
      await agreementApi.signOff(planId, agreement!.sectionId, shown, withReservation ? note : undefined);
      setSigning(null);
      setRefusedAsChanged(false);
      setWithReservation(false);
      setReservation('');
      await onChanged();
    } catch (err) {
      // The section changed after the page last fetched its hash (an edit within the last moment):
      // nothing was signed. The dialog stays open, says so in words, and shows the new hash once
      // it is fetched, so the person can read the section again and sign what it says now.
      if (err instanceof ApiError && err.code === 'content_changed') {
        setRefusedAsChanged(true);
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
    hash: signing === null ? null : currentHash,
    openedHash: signing,
    changedSinceOpened: signing !== null && currentHash !== signing,
    refusedAsChanged: signing !== null && refusedAsChanged,
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
    start: () => {
      if (!currentHash) return;
      setSignError(null);
      setActionError(null);
      setRefusedAsChanged(false);
      setSigning(currentHash);
    },
    cancel: () => {
      setSigning(null);
      setRefusedAsChanged(false);
    },
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
