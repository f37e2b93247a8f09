import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useInvalidate, useThreadsQuery } from '../../api/queries.ts';
import { describeError } from '../../ui/forms.tsx';

/** The section's threads (all statuses); the live `comments` event refetches them. */
export function useThreads(planId: string, sectionId: string) {
  const { t } = useTranslation();
  const query = useThreadsQuery(planId, sectionId);
  const invalidate = useInvalidate();
  const reload = useCallback(() => invalidate(queryKeys.plan(planId).threads(sectionId)), [invalidate, planId, sectionId]);
  // `failure`: why they are not here yet, when a try did not reach the server (they load once it does).
  return { threads: query.data ?? null, error: query.error ? describeError(query.error, t).message : null, failure: query.failureReason, reload };
}
