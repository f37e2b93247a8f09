import { useCallback } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { PlanEvent } from '../../shared/api/index.ts';
import { usePlanEvents } from './usePlanEvents.ts';
import { queryKeys, type PlanKeys } from './queries.ts';

type Invalidation = { [T in PlanEvent['type']]: (event: Extract<PlanEvent, { type: T }>, plan: PlanKeys) => QueryKey[] };

/**
 * What each of the plan's live events makes stale: THE one table. A panel shows a query; the event
 * that changes what the query returns is listed here, and nowhere else.
 * Verification marks (organisations, members) show on comments, positions, signatures and actions,
 * so those events reach every section's copies of them.
 */
export const invalidatedBy: Invalidation = {
  // Moving, binning or restoring sections changes which actions the plan has and their order.
  outline: (_, p) => [p.outline(), p.bin(), p.coverage(), p.signoffRules(), p.planActions(), p.audit()],
  members: (_, p) => [p.members(), p.invites(), p.organisations(), p.signoffRules(), p.threads(), p.positions(), p.agreement(), p.audit()],
  // The person's own role changed (or they were removed; the page leaves): everything may read
  // differently. Their notices too: a removal brings one saying who, and takes the plan's others away.
  access: (_, p) => [p.all, queryKeys.notifications()],
  recommendations: (_, p) => [p.recommendations(), p.imports(), p.coverage(), p.actions(), p.planActions(), p.audit()],
  actions: (e, p) => [p.actions(e.sectionId), p.planActions(), p.agreement(e.sectionId), p.coverage(), p.audit()],
  // Progress is shown from the event itself (useRecommendationsLiveEvents); nothing to refetch.
  'import-progress': () => [],
  organisations: (_, p) => [
    p.organisations(),
    p.members(),
    p.signoffRules(),
    p.actions(),
    p.planActions(),
    p.threads(),
    p.positions(),
    p.agreement(),
    p.audit(),
  ],
  agreement: (e, p) => [p.outline(), p.agreement(e.sectionId), p.audit()],
  versions: (e, p) =>
    e.sectionId === null
      ? [p.planVersions(), p.sectionVersions(), p.agreement(), p.audit()]
      : [p.planVersions(), p.sectionVersions(e.sectionId), p.agreement(e.sectionId), p.audit()],
  // A finished (or failed) export is in the audit log and the past exports; its progress is shown from the event itself.
  'export-progress': (e, p) => (e.state === 'running' ? [] : [p.audit(), p.exports()]),
  // Open-thread counts in the outline follow every section's threads.
  comments: (e, p) => [p.outline(), p.threads(e.sectionId)],
  // A suggestion's author may be someone new to the list of members.
  suggestions: (e, p) => [p.decisions(e.sectionId), p.members()],
  'suggestion-rule': (_, p) => [p.suggestionRule(), p.decisions(), p.members()],
  // The notices are the person's own, outside any plan.
  notifications: () => [queryKeys.notifications()],
  positions: (e, p) => [p.positions(e.sectionId)],
  // Adoption freezes a plan-wide version; a new round changes what progress shows. After adoption,
  // publishing puts out the adopted plan instead of a consultation draft.
  lifecycle: (_, p) => [p.lifecycle(), p.progress(), p.planVersions(), p.outline(), p.publication(), p.audit()],
  // Publishing or unpublishing changes the public-record page and adds to the audit log.
  publication: (_, p) => [p.publication(), p.audit()],
  progress: (e, p) => [p.progress(e.roundId), p.audit()],
  'signoff-rule': (_, p) => [p.signoffRule(), p.signoffRules(), p.agreement(), p.audit()],
};

export function keysInvalidatedBy(planId: string, event: PlanEvent): QueryKey[] {
  const fn = invalidatedBy[event.type] as (event: PlanEvent, plan: PlanKeys) => QueryKey[];
  return fn(event, queryKeys.plan(planId));
}

/**
 * Mounted once per plan view: listens to the plan's event stream and invalidates what each event
 * makes stale. After a reconnect nobody knows what was missed, so everything of the plan is.
 * `onEvent` is for what is not a query (progress bars, leaving a plan one was removed from), and
 * `onReconnect` for such local state to catch up.
 */
export function usePlanLiveEvents(planId: string, onEvent?: (event: PlanEvent) => void, onReconnect?: () => void) {
  const queryClient = useQueryClient();
  const handle = useCallback(
    (event: PlanEvent) => {
      for (const queryKey of keysInvalidatedBy(planId, event)) void queryClient.invalidateQueries({ queryKey });
      onEvent?.(event);
    },
    [planId, queryClient, onEvent],
  );
  const reconnected = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.plan(planId).all });
    void queryClient.invalidateQueries({ queryKey: queryKeys.notifications() });
    onReconnect?.();
  }, [planId, queryClient, onReconnect]);
  // The header's notices are fetched as the page starts, before the stream is open: a notice left
  // in between would otherwise wait for the next poll.
  const firstOpen = useCallback(() => void queryClient.invalidateQueries({ queryKey: queryKeys.notifications() }), [queryClient]);
  usePlanEvents(planId, handle, reconnected, firstOpen);
}
