import { QueryClient, onlineManager } from '@tanstack/react-query';
import { isOffline, subscribeConnectivity } from '../sync/connectivity.ts';
import { ApiError, isNetworkError } from './http.ts';

/** Retrying cannot change a refusal or a missing thing; a server error is asked once more. */
const MAX_RETRIES = 1;
/** Longest wait between two tries of a call that did not reach the server. */
const MAX_NETWORK_RETRY_DELAY_MS = 10_000;

/**
 * A call that never reached the server is tried again until it does: offline, the tries wait for
 * the connection (see followConnectivity) and go on by themselves once it is back, so a panel shows
 * what it had, or that it will load, rather than "the server could not be reached".
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isNetworkError(error)) return true;
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < MAX_RETRIES;
}

export function retryDelay(failureCount: number): number {
  return Math.min(1000 * 2 ** failureCount, MAX_NETWORK_RETRY_DELAY_MS);
}

/**
 * TanStack Query pauses queries while its online manager says offline, and refetches when it says
 * online again. By default it listens only to the browser's online/offline events; the page also
 * knows it is offline when a section's sync connection lost the server (the server is down, or the
 * network went without the browser noticing), and says so everywhere else (client/sync/connectivity.ts).
 */
function followConnectivity(): void {
  onlineManager.setEventListener((setOnline) => {
    setOnline(!isOffline());
    return subscribeConnectivity(() => setOnline(!isOffline()));
  });
}

/**
 * The one QueryClient of the app. Data is refetched when the plan's live events say it changed
 * (client/api/liveEvents.ts), not when the window regains focus: a focus storm would refetch every
 * panel at once for nothing.
 */
export function createQueryClient(): QueryClient {
  followConnectivity();
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: shouldRetry,
        retryDelay,
        // Offline, a query is still asked once: the service worker (client/public/sw.js) answers
        // with the last copy it kept, so a reload offline shows what was seen before. Only the
        // retries wait for the connection; what was loaded stays shown meanwhile, and everything
        // is fetched again once the connection is back (refetchOnReconnect).
        networkMode: 'offlineFirst',
        refetchOnReconnect: true,
        // Kept fresh by the live events; a panel mounting again still asks once (staleTime 0), as
        // before, so what someone opens is never older than the moment they opened it.
        staleTime: 0,
      },
      // Changes are plain api calls (no optimistic updates); a mutation offline fails at once and
      // says why rather than waiting unseen.
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}
