import { useCallback, useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { PlanEventSchema, type PlanEvent } from '../../shared/api/index.ts';
import { planEventsUrl } from './index.ts';

/**
 * Live notifications for one plan (Server-Sent Events). EventSource reconnects by itself; after
 * a reconnect we cannot know what was missed, so `onReconnect` lets the page refetch. `onFirstOpen`
 * is for what was fetched before the stream first opened (events in between are not replayed).
 */
export function usePlanEvents(
  planId: string,
  onEvent: (event: PlanEvent) => void,
  onReconnect?: () => void,
  onFirstOpen?: () => void,
) {
  const handlers = useRef({ onEvent, onReconnect, onFirstOpen });
  handlers.current = { onEvent, onReconnect, onFirstOpen };

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(planEventsUrl(planId), { withCredentials: true });
    let opened = false;
    source.onopen = () => {
      if (opened) handlers.current.onReconnect?.();
      else handlers.current.onFirstOpen?.();
      opened = true;
    };
    source.onmessage = (message: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      const parsed = PlanEventSchema.safeParse(data);
      if (parsed.success) handlers.current.onEvent(parsed.data);
    };
    return () => source.close();
  }, [planId]);
}

/**
 * What every plan page does when the person's own access changes: removed → back to the plans
 * list with a notice. A changed role needs nothing here: the `access` event invalidates every query
 * of the plan (client/api/liveEvents.ts), the outline with the role among them.
 */
export function useAccessChanges(planTitle: string | undefined, leaving?: { current: boolean }) {
  const navigate = useNavigate();
  return useCallback(
    (event: PlanEvent) => {
      // One who is leaving by their own choice is not told they were removed (LeavePlan says they left).
      if (event.type === 'access' && event.role === null && !leaving?.current) navigate('/', { replace: true, state: { notice: 'removedFromPlan', planTitle: planTitle ?? '' } });
    },
    [navigate, planTitle, leaving],
  );
}
