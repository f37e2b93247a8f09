import { useQuery } from '@tanstack/react-query';
import { PublicRecordStateSchema, type PublishPlan } from '../../shared/api/index.ts';
import { request } from './http.ts';
import { queryKeys } from './queries.ts';

/**
 * The public record API (issue #16): what of the plan is published at its public address, and
 * publishing or taking it down (coordinators). Every answer is the whole state, parsed with its
 * shared schema, so the page shows what the server now holds.
 */
const path = (planId: string) => `/plans/${encodeURIComponent(planId)}/publication`;

export const publicRecordApi = {
  state: (planId: string) => request('GET', path(planId), PublicRecordStateSchema),
  publish: (planId: string, body: PublishPlan) => request('POST', path(planId), PublicRecordStateSchema, body),
  unpublish: (planId: string) => request('DELETE', path(planId), PublicRecordStateSchema),
};

export function usePublicRecordQuery(planId: string) {
  return useQuery({ queryKey: queryKeys.plan(planId).publication(), queryFn: () => publicRecordApi.state(planId) });
}
