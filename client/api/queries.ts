import { useCallback } from 'react';
import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { agreementApi, api, commentsApi, suggestionsApi, trustApi, type RecommendationFilters, type ThreadStatusFilter } from './index.ts';
import { ApiError } from './http.ts';

/**
 * Every query key of the client, from one factory. Keys are `['plan', planId, resource, ...]` so
 * that invalidating a prefix reaches what it should: `plan(id).all` is everything of a plan,
 * `plan(id).threads()` the threads of every section, `plan(id).threads(sectionId)` one section's.
 */
export const queryKeys = {
  notifications: () => ['notifications'] as const,
  /** The signed-in person's own sessions and trusted browsers (the Account page). */
  sessions: () => ['account', 'sessions'] as const,
  trustedBrowsers: () => ['account', 'trusted-browsers'] as const,
  /** What a link offers its holder (an invitation, a password reset), by its token. */
  invite: (token: string) => ['invite', token] as const,
  passwordReset: (token: string) => ['password-reset', token] as const,
  plans: () => ['plans'] as const,
  plan: (planId: string) => {
    const root = ['plan', planId] as const;
    const perSection = <R extends string>(resource: R) => (sectionId?: string) =>
      sectionId === undefined ? ([...root, resource] as const) : ([...root, resource, sectionId] as const);
    return {
      all: root,
      outline: () => [...root, 'outline'] as const,
      members: () => [...root, 'members'] as const,
      invites: () => [...root, 'invites'] as const,
      organisations: () => [...root, 'organisations'] as const,
      signoffRule: () => [...root, 'signoff-rule'] as const,
      signoffRules: () => [...root, 'signoff-rules'] as const,
      suggestionRule: () => [...root, 'suggestion-rule'] as const,
      coverage: () => [...root, 'coverage'] as const,
      bin: () => [...root, 'bin'] as const,
      imports: () => [...root, 'imports'] as const,
      planVersions: () => [...root, 'plan-versions'] as const,
      /** The plan's past exports and how long they are kept. */
      exports: () => [...root, 'exports'] as const,
      /** The list without filters is the prefix of every filtered one. */
      recommendations: (filters?: RecommendationFilters) =>
        filters === undefined ? ([...root, 'recommendations'] as const) : ([...root, 'recommendations', filters] as const),
      /** One recommendation in detail; under the list's prefix, so what changes the list changes it. */
      recommendation: (recId: string) => [...root, 'recommendations', 'detail', recId] as const,
      audit: (filters?: object) => (filters === undefined ? ([...root, 'audit'] as const) : ([...root, 'audit', filters] as const)),
      /** One item's history (read from the audit log): under its prefix, so what changes the log changes it. */
      itemHistory: (targetType: string, targetId: string) => [...root, 'audit', 'item', targetType, targetId] as const,
      agreement: perSection('agreement'),
      actions: perSection('actions'),
      /** Every action of the plan (the progress page); not under `actions()`, so each event that changes actions names it. */
      planActions: () => [...root, 'plan-actions'] as const,
      threads: perSection('threads'),
      positions: perSection('positions'),
      decisions: perSection('decisions'),
      sectionVersions: perSection('section-versions'),
      lifecycle: () => [...root, 'lifecycle'] as const,
      /** Where the plan stands in a round, and the round's reports and assessments (prefix: every round). */
      progress: (roundId?: string) => (roundId === undefined ? ([...root, 'progress'] as const) : ([...root, 'progress', roundId] as const)),
      /** What of the plan is on the public record, and its publications so far. */
      publication: () => [...root, 'publication'] as const,
    };
  },
};

export type PlanKeys = ReturnType<typeof queryKeys.plan>;

/** A refetch that resolves when done, for callers that awaited their old `reload()`. */
export function useInvalidate(): (...keys: QueryKey[]) => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(
    async (...keys: QueryKey[]) => {
      await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
    [queryClient],
  );
}

/** Any thrown value as an ApiError, so pages can tell "not yours / gone" from a failure. */
export function asApiError(err: unknown): ApiError | null {
  if (!err) return null;
  return err instanceof ApiError ? err : new ApiError(0, 'unexpected', String(err));
}

// ----- One hook per resource -----

/**
 * What an invitation or a reset link offers. Read once per page: its answer changes only when the
 * link is used, and the page that uses it says so itself (a refetch would then read "not valid").
 */
export function useInviteInfoQuery(token: string) {
  return useQuery({ queryKey: queryKeys.invite(token), queryFn: () => api.inviteInfo(token), staleTime: Infinity });
}
export function usePasswordResetInfoQuery(token: string) {
  return useQuery({ queryKey: queryKeys.passwordReset(token), queryFn: () => api.passwordResetInfo(token), staleTime: Infinity });
}

export function useSessionsQuery() {
  return useQuery({ queryKey: queryKeys.sessions(), queryFn: () => api.sessions() });
}
export function useTrustedBrowsersQuery() {
  return useQuery({ queryKey: queryKeys.trustedBrowsers(), queryFn: () => api.trustedBrowsers() });
}

/** The plan's outline and the person's role in it: one query, however many components read it. */
export function usePlanOutlineQuery(planId: string) {
  return useQuery({ queryKey: queryKeys.plan(planId).outline(), queryFn: () => api.outline(planId) });
}

export function useMembersQuery(planId: string, enabled = true) {
  return useQuery({ queryKey: queryKeys.plan(planId).members(), queryFn: () => api.members(planId), enabled });
}

export function useInvitesQuery(planId: string, enabled = true) {
  return useQuery({ queryKey: queryKeys.plan(planId).invites(), queryFn: () => api.invites(planId), enabled });
}

export function useOrganisationsQuery(planId: string, enabled = true) {
  return useQuery({ queryKey: queryKeys.plan(planId).organisations(), queryFn: () => api.organisations(planId), enabled });
}

export function useSignoffRuleQuery(planId: string) {
  return useQuery({ queryKey: queryKeys.plan(planId).signoffRule(), queryFn: () => agreementApi.signoffRule(planId) });
}

export function useSignoffRulesQuery(planId: string) {
  return useQuery({ queryKey: queryKeys.plan(planId).signoffRules(), queryFn: () => agreementApi.signoffRules(planId) });
}

export function useSuggestionRuleQuery(planId: string, options: { retryForever?: boolean; retryDelayMs?: number } = {}) {
  return useQuery({
    queryKey: queryKeys.plan(planId).suggestionRule(),
    queryFn: () => suggestionsApi.rule(planId),
    ...(options.retryForever ? { retry: true, retryDelay: options.retryDelayMs ?? 3000 } : {}),
  });
}

export function useAgreementQuery(planId: string, sectionId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.plan(planId).agreement(sectionId ?? ''),
    queryFn: () => agreementApi.agreement(planId, sectionId ?? ''),
    enabled: sectionId !== undefined,
  });
}

export function useActionsQuery(planId: string, sectionId: string) {
  return useQuery({ queryKey: queryKeys.plan(planId).actions(sectionId), queryFn: () => api.actions(planId, sectionId) });
}

/** A section's threads: all of them, or those of one organisation. */
export function useThreadsQuery(planId: string, sectionId: string, organisationId?: string) {
  const key = queryKeys.plan(planId).threads(sectionId);
  return useQuery({
    queryKey: organisationId ? [...key, organisationId] : key,
    queryFn: () => commentsApi.threads(planId, sectionId, 'all' satisfies ThreadStatusFilter, organisationId),
  });
}

export function usePositionsQuery(planId: string, sectionId: string) {
  return useQuery({ queryKey: queryKeys.plan(planId).positions(sectionId), queryFn: () => trustApi.positions(planId, sectionId) });
}

export function useDecisionsQuery(planId: string, sectionId: string) {
  return useQuery({ queryKey: queryKeys.plan(planId).decisions(sectionId), queryFn: () => suggestionsApi.decisions(planId, sectionId) });
}

export function useSectionVersionsQuery(planId: string, sectionId: string) {
  return useQuery({ queryKey: queryKeys.plan(planId).sectionVersions(sectionId), queryFn: () => agreementApi.sectionVersions(planId, sectionId) });
}
