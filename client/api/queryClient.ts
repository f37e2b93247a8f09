import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './http.ts';

/** Retrying cannot change a refusal or a missing thing; only network failures and server errors. */
const MAX_RETRIES = 1;

export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < MAX_RETRIES;
}

/**
 * The one QueryClient of the app. Data is refetched when the plan's live events say it changed
 * (client/api/liveEvents.ts), not when the window regains focus: a focus storm would refetch every
 * panel at once for nothing.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: shouldRetry,
        // Kept fresh by the live events; a panel mounting again still asks once (staleTime 0), as
        // before, so what someone opens is never older than the moment they opened it.
        staleTime: 0,
      },
      mutations: { retry: false },
    },
  });
}
