import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type RecommendationFilters } from '../../api/index.ts';
import { queryKeys } from '../../api/queries.ts';

/** One page of the list, keyed by its filters; the last page stays shown while the next loads. */
export function useRecommendationPageQuery(planId: string, filters: RecommendationFilters) {
  return useQuery({
    queryKey: queryKeys.plan(planId).recommendations(filters),
    queryFn: () => api.recommendations(planId, filters),
    placeholderData: keepPreviousData,
  });
}

/** One recommendation in detail, with the actions that implement it. */
export function useRecommendationQuery(planId: string, recId: string) {
  return useQuery({ queryKey: queryKeys.plan(planId).recommendation(recId), queryFn: () => api.recommendation(planId, recId) });
}
