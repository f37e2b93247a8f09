import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { request } from '../../api/http.ts';
import { queryKeys } from '../../api/queries.ts';
import {
  ActionSchema,
  ProposeGroupsResultSchema,
  RecommendationGroupPageSchema,
  RecommendationGroupSchema,
  type RecommendationGroupStatus,
} from '../../../shared/api/index.ts';

const enc = encodeURIComponent;
const base = (planId: string) => `/plans/${enc(planId)}/recommendation-groups`;

/** Groups of recommendations that say the same thing (shared/api/recommendationGroups.ts). */
export const groupsApi = {
  list: (planId: string, status: RecommendationGroupStatus) => request('GET', `${base(planId)}?status=${status}&limit=100`, RecommendationGroupPageSchema),
  ofRecommendation: (planId: string, recId: string) =>
    request('GET', `/plans/${enc(planId)}/recommendations/${enc(recId)}/group`, z.object({ group: RecommendationGroupSchema.nullable() })),
  propose: (planId: string) => request('POST', `${base(planId)}/propose`, ProposeGroupsResultSchema, {}),
  confirm: (planId: string, groupId: string) => request('POST', `${base(planId)}/${enc(groupId)}/confirm`, RecommendationGroupSchema, {}),
  split: (planId: string, groupId: string, parts: string[][]) =>
    request('POST', `${base(planId)}/${enc(groupId)}/split`, z.array(RecommendationGroupSchema), { parts }),
  dismiss: (planId: string, groupId: string) => request('POST', `${base(planId)}/${enc(groupId)}/dismiss`, null, {}),
  linkToAction: (planId: string, actionId: string, groupId: string) =>
    request('POST', `/plans/${enc(planId)}/actions/${enc(actionId)}/recommendation-groups/${enc(groupId)}`, ActionSchema, {}),
};

/**
 * Keys under the recommendations prefix: whatever changes recommendations (the live
 * `recommendations` event, an edit, an import) reloads the groups too.
 */
const groupKeys = {
  list: (planId: string, status: RecommendationGroupStatus) => [...queryKeys.plan(planId).recommendations(), 'groups', status] as const,
  of: (planId: string, recId: string) => [...queryKeys.plan(planId).recommendations(), 'group-of', recId] as const,
};

export function useGroupsQuery(planId: string, status: RecommendationGroupStatus) {
  return useQuery({ queryKey: groupKeys.list(planId, status), queryFn: () => groupsApi.list(planId, status) });
}

export function useGroupOfQuery(planId: string, recId: string) {
  return useQuery({ queryKey: groupKeys.of(planId, recId), queryFn: () => groupsApi.ofRecommendation(planId, recId) });
}
