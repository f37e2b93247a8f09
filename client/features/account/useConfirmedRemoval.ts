import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../api/queries.ts';
import { describeError } from '../../ui/forms.tsx';

/**
 * Asking before taking something away from one's account (a session signed out, a browser
 * forgotten), then doing it. `remove` asks the server and announces what happened; a 404 means it
 * was gone already (ended in another tab, or from another device), so the question just closes.
 * Either way the list is refreshed with `refresh`, so it shows what the server now holds.
 * `dialog` is what the ConfirmDialog takes.
 */
export function useConfirmedRemoval<T>(remove: (what: T) => Promise<void>, refresh: () => Promise<void>) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<T | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    if (asking === null) return;
    setBusy(true);
    setError(null);
    try {
      await remove(asking);
      setAsking(null);
    } catch (err) {
      if (asApiError(err)?.status === 404) setAsking(null);
      else setError(describeError(err, t).message);
    } finally {
      setBusy(false);
      await refresh();
    }
  }

  return {
    asking,
    ask: (what: T) => {
      setError(null);
      setAsking(what);
    },
    dialog: {
      open: asking !== null,
      busy,
      error,
      onConfirm: () => void confirm(),
      onCancel: () => {
        setAsking(null);
        setError(null);
      },
    },
  };
}
