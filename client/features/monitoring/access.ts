import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
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
 * Every action of the plan with where it sits, in outline order, from one plan-wide request (kept
 * fresh by `actions`, `outline`, `organisations` and `recommendations` events). null while loading.
 */
export function usePlanActions(planId: string, outline: PlanOutline | null): Map<string, PlacedAction> | null {
  const places = useMemo(() => {
    const bySection = new Map<string, { chapterTitle: string; sectionTitle: string }>();
    for (const c of outline?.chapters ?? []) for (const s of c.sections) bySection.set(s.id, { chapterTitle: c.title, sectionTitle: s.title });
    return bySection;
  }, [outline]);
  const { data: actions } = useQuery({ queryKey: queryKeys.plan(planId).planActions(), queryFn: () => api.planActions(planId) });
  return useMemo(() => {
    if (outline === null || !actions) return null;
    const map = new Map<string, PlacedAction>();
    // An action whose section the outline does not show yet (moved or restored a moment ago) waits
    // for the outline's refetch rather than showing without a place.
    for (const action of actions) {
      const place = places.get(action.sectionId);
      if (place) map.set(action.id, { action, ...place });
    }
    return map;
  }, [outline, actions, places]);
}
