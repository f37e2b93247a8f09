import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { readSearch } from './searchParams.ts';

/** Changes to the address: a null or empty value removes the parameter. */
export type SearchUpdate = (changes: Record<string, string | null>, resetPage?: boolean) => void;

/** The list's query read from the address, and a way to change it (replacing, not pushing, history). */
export function useRecommendationSearch() {
  const [params, setParams] = useSearchParams();
  const update: SearchUpdate = useCallback(
    (changes, resetPage = true) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(changes)) {
            if (v === null || v === '') next.delete(k);
            else next.set(k, v);
          }
          if (resetPage) next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return { params, search: readSearch(params), update };
}
