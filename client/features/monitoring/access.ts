import { useMemo } from 'react';
import { useQueries } from '@tanstack/react-query';
import type { Action, Me, PlanOrganisation, PlanOutline, Role } from '../../../shared/api/index.ts';
import { api } from '../../api/index.ts';
import { queryKeys } from '../../api/queries.ts';

/*
 * Who may do what in monitoring, as the server rules say (server/services/monitoring): the client
 * only hides what would be refused; the server decides.
 */

/** Drafters or commenters of the action's lead agency or a co-implementer, and the government's coordinators. */
export function mayReport(action: Action, me: Me, role: Role): boolean {
  const implementer = action.leadAgencyId === me.organisation.id || action.coImplementerIds.includes(me.organisation.id);
  if (role === 'coordinator') return me.organisation.side === 'government' || implementer;
  if (role !== 'drafter' && role !== 'commenter') return false;
  return action.leadAgencyId === me.organisation.id || action.coImplementerIds.includes(me.organisation.id);
}

/** Members (not observers) of a verified civil-society organisation of the plan. */
export function mayAssess(me: Me, role: Role, organisations: PlanOrganisation[]): boolean {
  if (role === 'observer') return false;
  const own = organisations.find((o) => o.id === me.organisation.id);
  return !!own && own.verified && own.side === 'civil_society';
}

export interface PlacedAction {
  action: Action;
  chapterTitle: string;
  sectionTitle: string;
}

/**
 * Every action of the plan with where it sits, from the same per-section queries the plan page
 * reads (kept fresh by `actions` events). null while loading.
 */
export function usePlanActions(planId: string, outline: PlanOutline | null): Map<string, PlacedAction> | null {
  const sections = useMemo(
    () =>
      (outline?.chapters ?? [])
        .slice()
        .sort((a, b) => a.position - b.position)
        .flatMap((c) => c.sections.slice().sort((a, b) => a.position - b.position).map((s) => ({ chapterTitle: c.title, sectionId: s.id, sectionTitle: s.title }))),
    [outline],
  );
  const results = useQueries({
    queries: sections.map((s) => ({ queryKey: queryKeys.plan(planId).actions(s.sectionId), queryFn: () => api.actions(planId, s.sectionId) })),
  });
  if (outline === null || !results.every((r) => r.data)) return null;
  const map = new Map<string, PlacedAction>();
  sections.forEach((s, i) => {
    for (const action of results[i]?.data ?? []) map.set(action.id, { action, chapterTitle: s.chapterTitle, sectionTitle: s.sectionTitle });
  });
  return map;
}
