import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../ui/forms.tsx';

/**
 * One change to an action at a time (unlinking, moving, deleting): busy while it runs, then the
 * section's actions are reloaded; a failure is kept to show. Resolves to whether it worked.
 */
export function useRunThenReload(reload: () => Promise<void>) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await reload();
      return true;
    } catch (err) {
      setError(describeError(err, t).message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, run };
}

export type Run = ReturnType<typeof useRunThenReload>['run'];
