import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Invite } from '../../api/index.ts';
import { describeError } from '../../ui/forms.tsx';

/** Asking to revoke an invitation, then revoking it; `onRevoked` runs once the server agreed. */
export function useRevokeInvite(planId: string, onRevoked: (inviteId: string) => void) {
  const { t } = useTranslation();
  const [revoking, setRevoking] = useState<Invite | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    if (!revoking) return;
    setBusy(true);
    setError(null);
    try {
      await api.revokeInvite(planId, revoking.id);
      onRevoked(revoking.id);
      setRevoking(null);
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return {
    revoking,
    busy,
    error,
    ask: (invite: Invite) => {
      setError(null);
      setRevoking(invite);
    },
    cancel: () => setRevoking(null),
    confirm: () => void confirm(),
  };
}
