import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Recommendation } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { describeError } from '../../ui/forms.tsx';

/**
 * The plan's recommendations matching what is typed, fetched a moment after typing stops so each
 * key press does not cost a request. The last results stay shown while the next ones load. With
 * nothing typed, those closest to the section come first (cited by it, then matching its title).
 */
export function useRecommendationSearch(planId: string, sectionId: string, q: string, onlyUnaddressed: boolean) {
  const { t } = useTranslation();
  const [results, setResults] = useState<Recommendation[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      api
        .recommendations(planId, { q: q.trim() || undefined, section: sectionId, unaddressed: onlyUnaddressed || undefined, limit: 20 })
        .then((p) => {
          if (cancelled) return;
          setResults(p.items);
          setTotal(p.total);
          setError(null);
        })
        .catch((err: unknown) => {
          if (!cancelled) setError(describeError(err, t).message);
        });
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [planId, sectionId, q, onlyUnaddressed, t]);

  return { results, total, error, setError };
}
