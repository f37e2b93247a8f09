import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from './forms.tsx';

/**
 * One change at a time (unlinking or moving an action, replying to a thread): busy while it runs,
 * then what it changed is reloaded; a failure is kept to show. Resolves to whether it worked.
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
