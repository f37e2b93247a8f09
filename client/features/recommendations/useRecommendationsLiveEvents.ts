import { useCallback, useState } from 'react';
import type { PlanEvent } from '../../../shared/api/index.ts';
import { usePlanLiveEvents } from '../../api/liveEvents.ts';
import { useAccessChanges } from '../../api/usePlanEvents.ts';
import type { ImportProgress } from '../import/importSteps.ts';

/**
 * The plan's live events on the recommendations page: queries refresh themselves; what is left is
 * an import's progress (shown from the event) and leaving a plan one was removed from.
 */
export function useRecommendationsLiveEvents(planId: string, planTitle: string | undefined): ImportProgress | null {
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const handleAccess = useAccessChanges(planTitle);
  usePlanLiveEvents(
    planId,
    useCallback(
      (event: PlanEvent) => {
        if (event.type === 'import-progress') setProgress({ phase: event.phase, previewId: event.previewId, done: event.done, total: event.total });
        handleAccess(event);
      },
      [handleAccess],
    ),
  );
  return progress;
}
