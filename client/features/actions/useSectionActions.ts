import { useCallback, useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PlanOrganisation } from '../../api/index.ts';
import { queryKeys, useActionsQuery, useInvalidate, useOrganisationsQuery } from '../../api/queries.ts';
import { describeError } from '../../ui/forms.tsx';

const NO_ORGS: PlanOrganisation[] = [];

/**
 * A section's actions in their order and the plan's organisations they name, with what to call
 * after changing an action and how to show an organisation added from a form at once.
 */
export function useSectionActions(planId: string, sectionId: string) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // Refetched on `actions`, `recommendations` and `organisations` events (client/api/liveEvents.ts).
  const actionsQuery = useActionsQuery(planId, sectionId);
  const orgsQuery = useOrganisationsQuery(planId);
  const actions = useMemo(() => (actionsQuery.data ? [...actionsQuery.data].sort((x, y) => x.position - y.position) : null), [actionsQuery.data]);
  const orgs = orgsQuery.data ?? NO_ORGS;
  const loadError = actionsQuery.error ?? orgsQuery.error;
  const error = loadError ? describeError(loadError, t).message : null;
  // Why the actions are not here yet, when a try did not reach the server (they load once it does).
  const failure = actionsQuery.failureReason ?? orgsQuery.failureReason;
  const invalidate = useInvalidate();
  // What changing an action changes here: its list, the section's agreement (actions are signed
  // with the text) and coverage.
  const reload = useCallback(() => {
    const p = queryKeys.plan(planId);
    return invalidate(p.actions(sectionId), p.agreement(sectionId), p.coverage());
  }, [invalidate, planId, sectionId]);

  // An organisation added from the form is in the list at once (the `organisations` event refetches it too).
  const addOrg = (org: PlanOrganisation) =>
    queryClient.setQueryData<PlanOrganisation[]>(queryKeys.plan(planId).organisations(), (prev = []) =>
      prev.some((o) => o.id === org.id) ? prev : [...prev, org].sort((a, b) => a.name.localeCompare(b.name)),
    );

  return { actions, orgs, error, failure, reload, addOrg };
}
