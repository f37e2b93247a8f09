import { useEffect, useRef, useSyncExternalStore } from 'react';

/**
 * Whether the server can be reached from this page, as far as the page knows: the browser says it
 * is offline, or an open section's sync connection is (it lost the server and is trying again).
 * While offline, what needs the server (signing off, posting a comment, deciding a suggestion) is
 * shown unavailable rather than left to fail; the text itself goes on being written locally.
 */
const offlineConnections = new Set<object>();
const listeners = new Set<() => void>();
let browserOffline = typeof navigator !== 'undefined' && navigator.onLine === false;
let offline = browserOffline;

function changed() {
  const next = browserOffline || offlineConnections.size > 0;
  if (next === offline) return;
  offline = next;
  for (const l of listeners) l();
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    browserOffline = false;
    changed();
  });
  window.addEventListener('offline', () => {
    browserOffline = true;
    changed();
  });
}

/** A section connection says whether it lost the server (and says false once destroyed). */
export function reportConnectionOffline(connection: object, isOffline: boolean): void {
  if (isOffline) offlineConnections.add(connection);
  else offlineConnections.delete(connection);
  changed();
}

export function isOffline(): boolean {
  return offline;
}

/** Calls `listener` whenever the page goes offline or comes back (read the state with isOffline). */
export function subscribeConnectivity(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The page cannot reach the server now (see above); re-renders when that changes. */
export function useOffline(): boolean {
  return useSyncExternalStore(subscribeConnectivity, isOffline, () => false);
}

/** Calls `onBack` each time the page can reach the server again after it could not. */
export function useBackOnline(onBack: () => void): void {
  const now = useOffline();
  const was = useRef(now);
  const callback = useRef(onBack);
  callback.current = onBack;
  useEffect(() => {
    if (was.current && !now) callback.current();
    was.current = now;
  }, [now]);
}
