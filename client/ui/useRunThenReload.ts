import { useState } from 'react';
import { useActionError } from './useActionError.ts';

/**
 * One change at a time (unlinking or moving an action, replying to a thread): busy while it runs,
 * then what it changed is reloaded; a failure is kept to show (one that only says the server could
 * not be reached goes once it can be). Resolves to whether it worked.
 */
export function useRunThenReload(reload: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const { error, fail, say } = useActionError();

  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    say(null);
    try {
      await fn();
      await reload();
      return true;
    } catch (err) {
      fail(err);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, run };
}

export type Run = ReturnType<typeof useRunThenReload>['run'];
