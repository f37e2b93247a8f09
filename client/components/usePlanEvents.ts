import { useCallback, useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { PlanEventSchema, type PlanEvent } from '../../shared/api/index.ts';
import { planEventsUrl } from '../api/index.ts';

/**
 * Live notifications for one plan (Server-Sent Events). EventSource reconnects by itself; after
 * a reconnect we cannot know what was missed, so `onReconnect` lets the page refetch.
 */
export function usePlanEvents(planId: string, onEvent: (event: PlanEvent) => void, onReconnect?: () => void) {
  const handlers = useRef({ onEvent, onReconnect });
  handlers.current = { onEvent, onReconnect };

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(planEventsUrl(planId), { withCredentials: true });
    let opened = false;
    source.onopen = () => {
      if (opened) handlers.current.onReconnect?.();
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
 * list with a notice; role changed → reload the outline (it carries the role).
 */
export function useAccessChanges(planTitle: string | undefined, reloadOutline: () => unknown) {
  const navigate = useNavigate();
  return useCallback(
    (event: PlanEvent) => {
      if (event.type !== 'access') return;
      if (event.role === null) navigate('/', { replace: true, state: { notice: 'removedFromPlan', planTitle: planTitle ?? '' } });
      else void reloadOutline();
    },
    [navigate, planTitle, reloadOutline],
  );
}
