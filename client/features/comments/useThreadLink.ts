import { useEffect } from 'react';
import { useLocation } from 'react-router';

/**
 * Arriving from a link to one thread (`#thread-<id>`, e.g. a mention notice): that thread becomes
 * the active one, which the comments panel brings into view once the threads are loaded.
 */
export function useThreadLink(select: (threadId: string) => void): void {
  const { hash } = useLocation();
  useEffect(() => {
    if (hash.startsWith('#thread-')) select(decodeURIComponent(hash.slice('#thread-'.length)));
  }, [hash, select]);
}
