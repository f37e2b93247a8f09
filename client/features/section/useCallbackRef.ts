import { useCallback, useState } from 'react';

/** A stable function that always calls the latest callback. */
export function useCallbackRef<R>(fn: () => R): () => R {
  const [ref] = useState(() => ({ current: fn }));
  ref.current = fn;
  return useCallback(() => ref.current(), [ref]);
}
