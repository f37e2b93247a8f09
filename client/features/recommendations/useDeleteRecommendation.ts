import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/index.ts';
import { describeError } from '../../ui/forms.tsx';

/** Asking to delete a recommendation, then deleting it; `onDeleted` runs once the server agreed. */
export function useDeleteRecommendation(planId: string, recId: string, onDeleted: () => void) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await api.deleteRecommendation(planId, recId);
      setAsking(false);
      onDeleted();
    } catch (err) {
      setError(describeError(err, t).message);
    } finally {
      setBusy(false);
    }
  }

  return {
    asking,
    busy,
    error,
    ask: () => {
      setError(null);
      setAsking(true);
    },
    cancel: () => setAsking(false),
    confirm: () => void remove(),
  };
}
